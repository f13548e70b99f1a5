import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { describe, expect, it, vi } from "vitest";
import { claimAlert, lastSentAlert } from "../../src/app/alerts.js";
import { approvedWithText, sameAnswers, waitingSameAsApproved } from "../../src/app/answer-queries.js";
import { loadDraftWork } from "../../src/app/answers.js";
import { headOf, headsWith } from "../../src/app/heads.js";
import { incidentsWithWords } from "../../src/app/incident-queries.js";
import { repeatCandidates } from "../../src/app/incidents.js";
import { presetRuntime } from "../../src/app/sla.js";
import { applyMigrations, MigrationError, openDatabase } from "../../src/db/client.js";
import { postTextKey } from "../../src/domain/post-text.js";
import { reopenLapsedFolds } from "../../src/jobs/morning.js";
import { answerPublications } from "../../src/reports/load.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "osm-db-"));
}

function tables(path: string): string[] {
  const { sqlite, close } = openDatabase(path);
  const names = sqlite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
    .pluck()
    .all() as string[];
  close();
  return names;
}

/** A database migrated up to, not including, the migration `tag`: the schema an upgrade starts from. */
function databaseBefore(tag: string): { path: string; old: ReturnType<typeof openDatabase> } {
  const previous = join(tempDir(), "drizzle");
  cpSync(new URL("../../drizzle", import.meta.url), previous, { recursive: true });
  const journalPath = join(previous, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const upgrade = journal.entries.findIndex((e) => e.tag === tag);
  expect(upgrade).toBeGreaterThan(0);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, upgrade) }));
  const path = join(tempDir(), "bot.db");
  const old = openDatabase(path);
  applyMigrations(old.db, previous);
  return { path, old };
}

describe("database", () => {
  it("creates the folder and migrates an empty database, then starts again on the up-to-date one", () => {
    const path = join(tempDir(), "nested", "bot.db");
    for (let start = 0; start < 2; start++) {
      const { db, close } = openDatabase(path);
      applyMigrations(db);
      close();
    }
    expect(tables(path)).toEqual(
      expect.arrayContaining([
        "people",
        "organizations",
        "role_grants",
        "memberships",
        "invites",
        "audit_events",
      ]),
    );
  });

  it("runs in WAL mode, syncing the WAL before anything goes out rather than in each commit, with foreign keys enforced", () => {
    const { sqlite, db, close } = openDatabase(join(tempDir(), "bot.db"));
    applyMigrations(db);
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("synchronous", { simple: true })).toBe(1); // NORMAL: see db/durability.ts
    expect(() =>
      sqlite
        .prepare("insert into memberships (person_id, organization_id, created_at) values (1, 1, 0)")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    close();
  });

  it("upgrades a database of an earlier schema version (before 0009), keeping its data", () => {
    const { path, old } = databaseBefore("0009_part_passed_at");
    old.sqlite.exec(`
      insert into organizations (name, name_key, created_at) values ('Минздрав', 'минздрав', 0);
      insert into people (telegram_id, first_name, created_at) values (2001, 'Ольга', 0);
      insert into incidents (id, link, link_key, network, state, detected_at, registered_by, created_at, updated_at)
        values (1, 'https://vk.com/wall-1_1', 'vk.com/wall-1_1', 'vk', 'registered', 0, 1, 0, 0);
      insert into notifications (incident_id, step, kind, deadline_at, due_at, chat_id, claimed_at, sent_at)
        values (1, 'routing', 'reminder', 1800000, 1200000, -200, 1200000, 1200000);
      insert into assignments (incident_id, organization_id, role, state, received_at, part_text, part_sent_at)
        values (1, 1, 'coexecutor', 'part_sent', 0, 'План.', 0);
      insert into organizations (name, name_key, created_at) values ('Минкульт', 'минкульт', 0);
      insert into assignments (incident_id, organization_id, role, state, received_at, part_text, part_sent_at)
        values (1, 2, 'coexecutor', 'part_passed', 0, 'Смета.', 300000);
      insert into audit_events (at, actor_id, entity, entity_id, action, details)
        values (600000, 1, 'incident', '1', 'passOnPart', '{"organizationId":2}');
      insert into draft_work (incident_id, person_id, text, attachments, updated_at)
        values (1, 1, 'Здравствуйте! Снег', '[]', 900000);
    `);
    old.close();

    const upgraded = openDatabase(path);
    applyMigrations(upgraded.db);
    expect(upgraded.sqlite.prepare("select name from organizations").pluck().all()).toEqual([
      "Минздрав",
      "Минкульт",
    ]);
    // An alert sent before the upgrade is still known as sent: it is not sent again.
    const alert = {
      incidentId: 1,
      step: "routing",
      organizationId: 0,
      kind: "reminder" as const,
      deadlineAt: new Date(1_800_000),
      dueAt: new Date(1_200_000),
      chatId: -200,
    };
    expect(claimAlert(upgraded.db, alert, new Date())).toBeUndefined();
    // A part waiting for a curator before the upgrade still waits, and has never been returned.
    expect(
      upgraded.sqlite
        .prepare(
          "select state, part_returned_at as partReturnedAt, part_passed_at as passedAt from assignments",
        )
        .all(),
    ).toEqual([
      { state: "part_sent", partReturnedAt: null, passedAt: null },
      // A part passed on before the upgrade: when, from the audit, so the lead's draft clock runs from then.
      { state: "part_passed", partReturnedAt: null, passedAt: 600_000 },
    ]);
    // A draft left unfinished before the upgrade is kept, as the answer's (not begun from an earlier draft).
    expect(loadDraftWork(upgraded.db, 1, 1, "answer")).toEqual({
      incidentId: 1,
      personId: 1,
      purpose: "answer",
      text: "Здравствуйте! Снег",
      attachments: [],
      fromPrevious: false,
      updatedAt: new Date(900_000),
    });
    expect(loadDraftWork(upgraded.db, 1, 1, "interim")).toBeUndefined();
    upgraded.close();
    expect(tables(path)).toContain("incidents");
  });

  it("upgrading a database from before heads' purposes (0013), every head keeps receiving everything", () => {
    const { path, old } = databaseBefore("0013_head_settings");
    old.sqlite.exec(`
      insert into people (telegram_id, first_name, created_at) values (5001, 'Губернатор', 0);
      insert into people (telegram_id, first_name, created_at) values (5002, 'Заместитель', 0);
      insert into people (telegram_id, first_name, created_at) values (2001, 'Ольга', 0);
      insert into role_grants (person_id, role, created_at) values (1, 'head', 100);
      insert into role_grants (person_id, role, created_at) values (2, 'head', 200);
      insert into role_grants (person_id, role, created_at) values (3, 'curator', 300);
    `);
    old.close();

    const upgraded = openDatabase(path);
    applyMigrations(upgraded.db);
    const everything = ["urgent", "summary", "violations"];
    expect(headsWith(upgraded.db, "urgent").map((head) => head.telegramId)).toEqual([5001, 5002]);
    for (const personId of [1, 2])
      expect(headOf(upgraded.db, personId)).toMatchObject({ purposes: everything, organizationId: null });
    expect(headOf(upgraded.db, 3)).toBeUndefined();
    // Stored, not assumed: the admin's card and later changes start from these rows.
    expect(
      upgraded.sqlite
        .prepare(
          "select person_id as personId, urgent, summary, violations, organization_id as org from head_settings",
        )
        .all(),
    ).toEqual([
      { personId: 1, urgent: 1, summary: 1, violations: 1, org: null },
      { personId: 2, urgent: 1, summary: 1, violations: 1, org: null },
    ]);
    upgraded.close();
  });

  it("upgrading to case-blind Telegram keys (0016): a post's key is lower-cased unless another post has it", () => {
    const { path, old } = databaseBefore("0016_telegram_link_keys");
    old.sqlite.exec("insert into people (telegram_id, first_name, created_at) values (2001, 'Ольга', 0)");
    const insert = old.sqlite.prepare(
      "insert into incidents (link, link_key, network, state, detected_at, registered_by, created_at, updated_at) " +
        "values (?, ?, ?, 'registered', 0, 1, 0, 0)",
    );
    for (const key of [
      "t.me/GeorgievskAdm/1", // alone: lower-cased
      "t.me/Osm/2", // two differing in case: the earlier one is
      "t.me/OSM/2",
      "t.me/Adm/3", // its lower-cased key is another post's already
      "t.me/adm/3",
      "vk.com/Wall-1_1", // another network: as it was
    ])
      insert.run(`https://${key}`, key, key.startsWith("t.me") ? "telegram" : "vk");
    old.close();

    const upgraded = openDatabase(path);
    applyMigrations(upgraded.db);
    expect(upgraded.sqlite.prepare("select link_key from incidents order by id").pluck().all()).toEqual([
      "t.me/georgievskadm/1",
      "t.me/osm/2",
      "t.me/OSM/2",
      "t.me/Adm/3",
      "t.me/adm/3",
      "vk.com/Wall-1_1",
    ]);
    upgraded.close();
  });

  it("upgrading to share-blind keys (0017): VK Video's host is VK's, Dzen's and RuTube's share parameter goes", () => {
    const { path, old } = databaseBefore("0017_share_link_keys");
    old.sqlite.exec("insert into people (telegram_id, first_name, created_at) values (2001, 'Ольга', 0)");
    const insert = old.sqlite.prepare(
      "insert into incidents (link, link_key, network, state, detected_at, registered_by, created_at, updated_at) " +
        "values (?, ?, 'other', 'registered', 0, 1, 0, 0)",
    );
    for (const key of [
      "vkvideo.ru/video-1_2", // VK's host
      "dzen.ru/a/X?share_to=link", // the share parameter alone
      "dzen.ru/a/X?share_to=link#2", // a comment under it moves with it
      "dzen.ru/a/Z?share_to=link", // two that become one: the earlier takes it
      "dzen.ru/a/Z?share_to=telegram",
      "rutube.ru/video/abc?r=wd", // its plain key is another post's already: as it was
      "rutube.ru/video/abc",
      "dzen.ru/a/Y?rid=7&share_to=link", // among others: only it goes
      "rutube.ru/video/def?r=wd&t=30",
      "dzen.ru/a/W?share_to=link", // the plain key has comments under it already: as it was
      "dzen.ru/a/W#2",
      "vk.com/video-1_3?r=wd", // another network's `r`: as it was
    ])
      insert.run(`https://${key}`, key);
    old.close();

    const upgraded = openDatabase(path);
    applyMigrations(upgraded.db);
    expect(upgraded.sqlite.prepare("select link_key from incidents order by id").pluck().all()).toEqual([
      "vk.com/video-1_2",
      "dzen.ru/a/X",
      "dzen.ru/a/X#2",
      "dzen.ru/a/Z",
      "dzen.ru/a/Z?share_to=telegram",
      "rutube.ru/video/abc?r=wd",
      "rutube.ru/video/abc",
      "dzen.ru/a/Y?rid=7",
      "rutube.ru/video/def?t=30",
      "dzen.ru/a/W?share_to=link",
      "dzen.ru/a/W#2",
      "vk.com/video-1_3?r=wd",
    ]);
    upgraded.close();
  });

  it("upgrading to cards that keep what they show (0019): the cards stay where they are, to be edited once", () => {
    const { path, old } = databaseBefore("0019_card_shown");
    old.sqlite.exec("insert into people (telegram_id, first_name, created_at) values (2001, 'Ольга', 0)");
    old.sqlite.exec(
      "insert into incidents (link, link_key, network, state, detected_at, registered_by, created_at, updated_at) " +
        "values ('https://vk.com/wall-1_2', 'vk.com/wall-1_2', 'vk', 'registered', 0, 1, 0, 0)",
    );
    old.sqlite.exec(
      "insert into cards (incident_id, chat_id, message_id, updated_at) values (1, -100, 7, 0)",
    );
    old.close();

    const upgraded = openDatabase(path);
    applyMigrations(upgraded.db);
    expect(upgraded.sqlite.prepare("select chat_id, message_id, shown from cards").all()).toEqual([
      { chat_id: -100, message_id: 7, shown: null },
    ]);
    upgraded.close();
  });

  it("upgrading to words searched in SQL (0022): the posts registered before are found by /find's words", () => {
    const { path, old } = databaseBefore("0022_incident_search_keys");
    old.sqlite.exec("insert into people (telegram_id, first_name, created_at) values (2001, 'Ольга', 0)");
    const insert = old.sqlite.prepare(
      "insert into incidents (link, link_key, network, text, topic, place, author, state, detected_at, registered_by, created_at, updated_at) " +
        "values (?, ?, 'vk', ?, ?, ?, ?, 'registered', 0, 1, 0, 0)",
    );
    insert.run("https://vk.com/wall-1_1", "vk.com/wall-1_1", "ЁЛКУ не вывезли.", null, "ул. Ленина", "Пётр");
    insert.run("https://vk.com/wall-1_2", "vk.com/wall-1_2", null, "Уборка снега", null, null);
    old.close();

    const upgraded = openDatabase(path);
    applyMigrations(upgraded.db);
    const found = (words: string[]) => [...incidentsWithWords(upgraded.db, words)];
    expect(found(["елку", "ЛЕНИНА", "петр"])).toEqual([1]);
    expect(found(["снег"])).toEqual([2]);
    expect(found(["елку", "снег"])).toEqual([]);
    upgraded.close();
  });

  it("upgrading to text keys (0023): a post registered before is found by its words, a short text by none", () => {
    const { path, old } = databaseBefore("0023_text_key");
    old.sqlite.exec("insert into people (telegram_id, first_name, created_at) values (2001, 'Ольга', 0)");
    const insert = old.sqlite.prepare(
      "insert into incidents (link, link_key, network, text, state, detected_at, registered_by, created_at, updated_at) " +
        "values (?, ?, 'vk', ?, 'registered', 0, 1, 0, 0)",
    );
    const texts = ["Во дворе дома Ленина, 5 яма на дороге, машины бьются, всё разбито", "Яма", null];
    for (const [i, text] of texts.entries())
      insert.run(`https://vk.com/wall-1_${i}`, `vk.com/wall-1_${i}`, text);
    old.close();

    const upgraded = openDatabase(path);
    applyMigrations(upgraded.db);
    const sameWords = (text: string) =>
      repeatCandidates(upgraded.db, {
        textKey: postTextKey(text),
        author: null,
        topic: null,
        place: null,
        since: new Date(0),
      }).map((row) => row.id);
    expect(sameWords("во дворе дома Ленина 5: яма на дороге, машины бьются. Все разбито!")).toEqual([1]);
    expect(upgraded.sqlite.prepare("select text_key from incidents where id > 1").pluck().all()).toEqual([
      null,
      null,
    ]);
    upgraded.close();
  });

  it("stops with a clear message when a migration fails, leaving the database as it was", () => {
    const folder = join(tempDir(), "drizzle");
    cpSync(new URL("../../drizzle", import.meta.url), folder, { recursive: true });
    const journalPath = join(folder, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as {
      entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[];
    };
    journal.entries.push({
      idx: journal.entries.length,
      when: Date.now(),
      tag: "9999_broken",
      version: "6",
      breakpoints: true,
    });
    writeFileSync(journalPath, JSON.stringify(journal));
    writeFileSync(join(folder, "9999_broken.sql"), "ALTER TABLE no_such_table ADD COLUMN x integer;");

    const path = join(tempDir(), "bot.db");
    const { db, close } = openDatabase(path);
    expect(() => applyMigrations(db, folder)).toThrow(MigrationError);
    expect(() => applyMigrations(db, folder)).toThrow(
      /database migration failed .*no such table: no_such_table/,
    );
    close();
    // Pending migrations are applied in one transaction: nothing of the batch is left half-done.
    expect(tables(path)).not.toContain("people");
  });

  it("refuses a database a later version migrated (a rollback without its backup), naming the migration it does not know", () => {
    const folder = join(tempDir(), "drizzle");
    cpSync(new URL("../../drizzle", import.meta.url), folder, { recursive: true });
    const journalPath = join(folder, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as {
      entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[];
    };
    const next = journal.entries.length;
    const tag = `${String(next).padStart(4, "0")}_later`;
    journal.entries.push({ idx: next, when: Date.now() + 1000, tag, version: "6", breakpoints: true });
    writeFileSync(journalPath, JSON.stringify(journal));
    writeFileSync(join(folder, `${tag}.sql`), "CREATE TABLE later_things (id integer PRIMARY KEY);");

    const path = join(tempDir(), "bot.db");
    const later = openDatabase(path);
    applyMigrations(later.db, folder);
    later.close();

    const { db, close } = openDatabase(path);
    expect(() => applyMigrations(db)).toThrow(MigrationError);
    expect(() => applyMigrations(db)).toThrow(
      `The database is newer than this version of the bot (migration ${String(next).padStart(4, "0")} unknown): ` +
        "upgrade the bot or restore a backup made before the upgrade.",
    );
    close();
    expect(tables(path)).toContain("later_things");
  });

  it("the queries of a busy office's every card, draft and minute are served by indexes: none reads a whole table", () => {
    const { db, sqlite, close } = openDatabase(":memory:");
    applyMigrations(db);
    const now = new Date("2026-11-24T07:00:00Z");
    const sla = presetRuntime(db, "orenburg");
    const post = { id: 3, repeatOfId: 1, textKey: "нет воды", topic: "ЖКХ", place: "Оренбург" };
    const plans = {
      sameAnswers: plansOf(sqlite, () => sameAnswers(db, post, 1, now)),
      approvedWithText: plansOf(sqlite, () => approvedWithText(db, "Здравствуйте! Вода будет к 18:00.", 3)),
      // Its draft first (none here): the curators' card of a post on approval reads it at each sync.
      waitingSameAsApproved: plansOf(sqlite, () => waitingSameAsApproved(db, 3)),
      lastSentAlert: plansOf(sqlite, () => lastSentAlert(db, -100, { kind: "escalation" })),
      reopenLapsedFolds: plansOf(sqlite, () => reopenLapsedFolds(db, sla, now)),
      // The monthly report's answers, each with the approved draft it posts.
      answerPublications: plansOf(sqlite, () => [...answerPublications(db, now, now)]),
    };
    close();

    // The post it repeats, then the window's approved answers, each joined to its lead by the post.
    expect(plans.sameAnswers).toEqual([
      [
        "SEARCH incidents USING INTEGER PRIMARY KEY (rowid=?)",
        "SEARCH assignments USING INDEX assignments_incident (incident_id=?)",
        "SEARCH drafts USING INDEX drafts_incident (incident_id=?)",
      ],
      [
        "SEARCH drafts USING INDEX drafts_decided (state=? AND decided_at>?)",
        "SEARCH incidents USING INTEGER PRIMARY KEY (rowid=?)",
        "SEARCH assignments USING INDEX assignments_incident (incident_id=?)",
      ],
    ]);
    expect(plans.approvedWithText).toEqual([["SEARCH drafts USING INDEX drafts_text_length (<expr>=?)"]]);
    expect(plans.waitingSameAsApproved).toEqual([
      ["SEARCH drafts USING INDEX drafts_incident (incident_id=?)"],
    ]);
    expect(plans.lastSentAlert).toEqual([
      ["SEARCH notifications USING INDEX notifications_chat (chat_id=? AND kind=? AND sent_at>?)"],
    ]);
    expect(plans.reopenLapsedFolds).toEqual([
      [
        "SEARCH notifications USING INDEX notifications_settled (failure=? AND kind=? AND claimed_at>? AND claimed_at<?)",
      ],
    ]);
    // A draft by its post: by decision time, each answer read every draft approved before it.
    expect(plans.answerPublications).toEqual([
      ["SCAN p", "CORRELATED SCALAR SUBQUERY 1", "SEARCH d USING INDEX drafts_incident (incident_id=?)"],
    ]);
  });
});

/**
 * What SQLite does for each statement `run` prepares (EXPLAIN QUERY PLAN), its values bound as null:
 * without ANALYZE's figures, as the bot runs, the plan does not depend on them.
 */
function plansOf(sqlite: Database.Database, run: () => unknown): string[][] {
  const asked: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  const spy = vi.spyOn(sqlite, "prepare").mockImplementation((source: string) => {
    asked.push(source);
    return prepare(source);
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return asked.map((source) => {
    const values = Array<null>(source.split("?").length - 1).fill(null);
    const steps = prepare(`EXPLAIN QUERY PLAN ${source}`).all(...values) as { detail: string }[];
    return steps.map((step) => step.detail);
  });
}
