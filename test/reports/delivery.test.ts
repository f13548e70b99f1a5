/**
 * Automatic monthly reports reach each recipient once, whatever Telegram does meanwhile: a chat that
 * failed for a moment (auto-retry gave up: the bot under test has none, so one failed call is that)
 * gets the rest of it later, a chat that refuses for good is not tried again and the admins hear of
 * it, and a process stopped in the middle of a send leaves nobody out.
 */
import { eq } from "drizzle-orm";
import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { people } from "../../src/db/schema.js";
import { monthlyReports } from "../../src/jobs/reports.js";
import type { ReportJob } from "../../src/reports/render.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE } from "../support/workflow.js";
import { seedNovember } from "./seed-month.js";

let h: Harness;
afterEach(() => h.close());

const ADMIN = 9001;
/** Georgievsk: Tuesday 01.12.2026 10:00 Moscow, the summary's day. */
const SUMMARY_DAY = "2026-12-01T07:00:00Z";
/** Friday 04.12.2026 10:00 Moscow: the violations' day, as the 5th is a Saturday (p.23). */
const VIOLATIONS_DAY = "2026-12-04T07:00:00Z";
const VIOLATIONS = /^Нарушения регламента за ноябрь 2026 г\.: \d+$/;

const kinds = (chatId: number) => h.fake.messages(chatId).map((m) => m.media?.type ?? m.text?.split("\n")[0]);
const violationsIn = (chatId: number) => kinds(chatId).slice(3);
const callsTo = (chatId: number) => h.fake.calls.filter((call) => call.params.chat_id === chatId).length;
const blocked = (telegramId: number) =>
  h.db.select().from(people).where(eq(people.telegramId, telegramId)).get()?.blockedAt != null;

/** Georgievsk's November, with the summary delivered on the first working day of December. */
async function summaryDelivered(): Promise<void> {
  h = await Harness.start({ now: "2026-11-09T04:00:00Z", regulation: "georgievsk", adminIds: [ADMIN] });
  seedNovember(h);
  h.clock.set(SUMMARY_DAY);
  expect(await monthlyReports(h.deps())).toBe(2);
  expect(kinds(OFFICE.head)).toHaveLength(3);
  h.clock.set(VIOLATIONS_DAY);
}

/** The job's dependencies, counting how often the reports are rendered. */
function counting(): { deps: ReturnType<Harness["deps"]>; renders: () => number } {
  let renders = 0;
  const deps = h.deps();
  const render = deps.reports;
  return {
    deps: {
      ...deps,
      reports: (job: ReportJob) => {
        renders++;
        return render(job);
      },
    },
    renders: () => renders,
  };
}

describe("automatic reports when Telegram fails", () => {
  it("a network failure on the violations day: the head gets the rest later that day, once; nobody gets it twice", async () => {
    await summaryDelivered();
    const { deps, renders } = counting();
    h.fake.dropNext("sendDocument", { match: (params) => params.chat_id === OFFICE.head });
    expect(await monthlyReports(deps)).toBe(1);
    expect(violationsIn(OFFICE.curatorsChat)).toEqual([expect.stringMatching(VIOLATIONS), "document"]);
    expect(violationsIn(OFFICE.head)).toEqual([expect.stringMatching(VIOLATIONS)]);

    h.clock.set("2026-12-04T07:01:00Z"); // the next tick: not tried, nor rendered, every minute
    expect(await monthlyReports(deps)).toBe(0);
    expect(renders()).toBe(1);

    h.clock.set("2026-12-04T07:15:00Z"); // a quarter of an hour later: rendered again, the rest sent
    expect(await monthlyReports(deps)).toBe(1);
    expect(violationsIn(OFFICE.head)).toEqual([expect.stringMatching(VIOLATIONS), "document"]);
    expect(violationsIn(OFFICE.curatorsChat)).toEqual([expect.stringMatching(VIOLATIONS), "document"]);

    h.clock.set("2026-12-07T07:00:00Z"); // Monday: the month's report is done
    expect(await monthlyReports(deps)).toBe(0);
    expect(renders()).toBe(2);
    expect(violationsIn(OFFICE.head)).toHaveLength(2);
    expect(h.fake.messages(ADMIN)).toEqual([]);
  });

  it("Telegram down for hours: tried again later and later, in working time, until it goes", async () => {
    await summaryDelivered();
    const { deps, renders } = counting();
    const toHead = { match: (params: Record<string, unknown>) => params.chat_id === OFFICE.head };
    h.fake.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" }, { times: 4, ...toHead });
    // 10:00 (the curators' chat gets theirs), then a quarter of an hour, half an hour, an hour later.
    for (const [at, sent] of [
      ["07:00", 1],
      ["07:15", 0],
      ["07:45", 0],
      ["08:45", 0],
    ] as const) {
      h.clock.set(`2026-12-04T${at}:00Z`);
      expect(await monthlyReports(deps)).toBe(sent);
    }
    h.clock.set("2026-12-04T10:45:00Z"); // two hours after 11:45 is 13:45, the lunch break
    expect(await monthlyReports(deps)).toBe(0);
    expect(renders()).toBe(4);
    h.clock.set("2026-12-04T11:00:00Z"); // 14:00
    expect(await monthlyReports(deps)).toBe(1);
    expect(renders()).toBe(5);
    expect(violationsIn(OFFICE.head)).toEqual([expect.stringMatching(VIOLATIONS), "document"]);
    expect(violationsIn(OFFICE.curatorsChat)).toEqual([expect.stringMatching(VIOLATIONS), "document"]);
  });

  it("the only head blocked the bot: not tried again; the admins are told once who and what to do", async () => {
    await summaryDelivered();
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was blocked by the user" },
      { match: (params) => params.chat_id === OFFICE.head },
    );
    expect(await monthlyReports(h.deps())).toBe(1);
    expect(h.texts(ADMIN)).toEqual([
      "Не доставлено: «Нарушения регламента за ноябрь 2026 г.» — Глава: бот заблокирован или удалён из чата. " +
        "Повторно бот это не отправит. Попросите разблокировать бота или верните его в чат; затем отчёт " +
        "можно запросить командой /report нарушения 11.2026.",
    ]);
    const tried = callsTo(OFFICE.head);
    for (const at of ["2026-12-04T08:00:00Z", "2026-12-04T12:00:00Z", "2026-12-07T07:00:00Z"]) {
      h.clock.set(at);
      expect(await monthlyReports(h.deps())).toBe(0);
    }
    expect(callsTo(OFFICE.head)).toBe(tried);
    expect(violationsIn(OFFICE.head)).toEqual([]);
    expect(violationsIn(OFFICE.curatorsChat)).toEqual([expect.stringMatching(VIOLATIONS), "document"]);
    expect(h.texts(ADMIN)).toHaveLength(1);
  });

  it.each([
    { error_code: 403, description: "Forbidden: bot was blocked by the user" },
    { error_code: 400, description: "Bad Request: user is deactivated" },
  ])(
    "the head's chat refusing the report («$description») marks him unreachable, as «Сотрудники» shows",
    async (refusal) => {
      await summaryDelivered();
      h.fake.failNext("sendMessage", refusal, { match: (params) => params.chat_id === OFFICE.head });
      await monthlyReports(h.deps());
      expect(blocked(OFFICE.head)).toBe(true);
      expect(h.texts(ADMIN)).toEqual([
        expect.stringMatching(/^Не доставлено: «Нарушения регламента за ноябрь 2026 г\.» — Глава:/),
      ]);
    },
  );

  it("Orenburg: an organization's work chat refusing its share: the admins hear a curator asks for it and passes it on", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z", adminIds: [ADMIN] });
    seedNovember(h);
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was kicked from the group chat" },
      { match: (params) => params.chat_id === OFFICE.healthChat },
    );
    h.clock.set("2026-12-01T05:00:00Z"); // Tuesday 01.12 10:00: the summary and the violations (p.19, 20)
    await monthlyReports(h.deps());
    expect(h.texts(ADMIN).join("\n")).toContain(
      "затем отчёт можно запросить командой /report нарушения 11.2026 — её отправляет куратор в личном " +
        "чате с ботом и пересылает органу его строки.",
    );
  });

  it("a head known to block the bot is not sent the report; the admins hear that he did not get it", async () => {
    await summaryDelivered();
    const head = h.user(OFFICE.head, "Глава");
    h.fake.setChatMember(OFFICE.head, h.bot.botInfo.id, "kicked");
    await h.deliver(updates.myChatMember(head.chat, head.tg, "member", "kicked", h.fake.botUser));
    const tried = callsTo(OFFICE.head);

    expect(await monthlyReports(h.deps())).toBe(1);
    expect(callsTo(OFFICE.head)).toBe(tried);
    expect(violationsIn(OFFICE.curatorsChat)).toEqual([expect.stringMatching(VIOLATIONS), "document"]);
    expect(h.texts(ADMIN)).toEqual([
      "Не доставлено: «Нарушения регламента за ноябрь 2026 г.» — Глава: бот заблокирован или удалён из чата. " +
        "Повторно бот это не отправит. Попросите разблокировать бота или верните его в чат; затем отчёт " +
        "можно запросить командой /report нарушения 11.2026.",
    ]);
  });

  it("Telegram rejects the spreadsheet as too big: the admins hear once that the report is at fault, not a chat; not tried again", async () => {
    await summaryDelivered();
    h.fake.failNext(
      "sendDocument",
      { error_code: 400, description: "Bad Request: file is too big" },
      { times: 100 },
    );
    expect(await monthlyReports(h.deps())).toBe(0);
    expect(violationsIn(OFFICE.head)).toEqual([expect.stringMatching(VIOLATIONS)]);
    expect(violationsIn(OFFICE.curatorsChat)).toEqual([expect.stringMatching(VIOLATIONS)]);
    expect(h.texts(ADMIN)).toEqual([
      "«Нарушения регламента за ноябрь 2026 г.» не удалось доставить целиком: Telegram не принял отчёт из-за " +
        "ошибки в нём самом, а не в чате. Повторно бот его не отправит. Подробности — в журнале бота; " +
        "передайте их разработчику.",
    ]);

    const tried = [callsTo(OFFICE.head), callsTo(OFFICE.curatorsChat)];
    for (const at of ["2026-12-04T08:00:00Z", "2026-12-04T12:00:00Z", "2026-12-07T07:00:00Z"]) {
      h.clock.set(at);
      expect(await monthlyReports(h.deps())).toBe(0);
    }
    expect([callsTo(OFFICE.head), callsTo(OFFICE.curatorsChat)]).toEqual(tried);
    expect(h.texts(ADMIN)).toHaveLength(1);
  });

  it("a process stopped while the head's report goes out: after the restart the head gets the rest, once", async () => {
    await summaryDelivered();
    // The first process freezes in the head's spreadsheet and is killed there: it never learns more.
    const frozen = new Api(h.fake.token, { apiRoot: h.fake.apiRoot });
    let killed: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      killed = resolve;
    });
    frozen.config.use((prev, method, payload, signal) => {
      if (method === "sendDocument" && (payload as { chat_id?: number }).chat_id === OFFICE.head) {
        killed();
        return new Promise(() => {});
      }
      return prev(method, payload, signal);
    });
    void monthlyReports({ ...h.deps(), api: frozen });
    await stopped;
    expect(violationsIn(OFFICE.head)).toEqual([expect.stringMatching(VIOLATIONS)]);

    h.clock.set("2026-12-04T07:05:00Z"); // restarted at once: the send may still be in progress elsewhere
    expect(await monthlyReports(h.deps())).toBe(0);
    h.clock.set("2026-12-04T09:00:00Z"); // later the send is taken as stopped and finished
    expect(await monthlyReports(h.deps())).toBe(1);
    expect(violationsIn(OFFICE.head)).toEqual([expect.stringMatching(VIOLATIONS), "document"]);
    expect(violationsIn(OFFICE.curatorsChat)).toEqual([expect.stringMatching(VIOLATIONS), "document"]);
    h.clock.set("2026-12-07T07:00:00Z");
    expect(await monthlyReports(h.deps())).toBe(0);
  });

  it("two processes at once: each chat gets the report once", async () => {
    await summaryDelivered();
    h.fake.delayNext("sendDocument", 100);
    const [first, second] = await Promise.all([monthlyReports(h.deps()), monthlyReports(h.deps())]);
    expect(first + second).toBe(2);
    expect(violationsIn(OFFICE.head)).toEqual([expect.stringMatching(VIOLATIONS), "document"]);
    expect(violationsIn(OFFICE.curatorsChat)).toEqual([expect.stringMatching(VIOLATIONS), "document"]);
  });
});
