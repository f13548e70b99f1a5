import { afterEach, describe, expect, it } from "vitest";
import { closeAsToxic, routeIncident } from "../../src/app/incidents.js";
import { createInvite } from "../../src/app/invites.js";
import { findPerson } from "../../src/app/people.js";
import { headsRetry } from "../../src/jobs/heads.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedIncidentInWork, seedOffice, seedRegistered } from "../support/workflow.js";

const NEW_HEAD = 5002;

let h: Harness;
let health: number;

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
async function office(): Promise<void> {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  ({ health } = seedOffice(h));
}

const ADMIN = 1001;

/** The new head opens the invite an admin made for the role (for an organization, if given). */
async function joinAsHead(organizationId: number | null = null): Promise<void> {
  h.seedPerson(ADMIN, "Анна", ["admin"]);
  const admin = findPerson(h.db, ADMIN);
  if (!admin) throw new Error("no admin");
  const { token } = createInvite(h.db, {
    actorId: admin.id,
    role: "head",
    organizationId,
    ttlDays: 7,
    now: h.clock.now(),
  });
  await h.user(NEW_HEAD, "Пётр").send(`/start ${token}`);
}

afterEach(() => h.close());

describe("a head added later", () => {
  it("hears of the significant posts still open, each with its next deadline; of no other", async () => {
    await office();
    seedRegistered(h, { link: "https://vk.com/wall-1_1", importance: "significant" });
    seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    const closed = seedRegistered(h, { link: "https://vk.com/wall-1_3", importance: "significant" });
    const curator = findPerson(h.db, OFFICE.curator);
    if (!curator) throw new Error("no curator");
    closeAsToxic(h.db, { incidentId: closed, actor: curator, now: h.clock.now(), threat: false });
    h.clock.advance(15 * 60_000);
    await seedIncidentInWork(h, health, { link: "https://ok.ru/group/1/topic/2", importance: "significant" });

    await joinAsHead();
    expect(h.texts(NEW_HEAD).slice(1)).toEqual([
      [
        "Сейчас открыто сообщений, о которых вам сообщается сразу: 2. О новых — тоже сразу.",
        "",
        "Социально значимое сообщение № 1 (п. 21)",
        "ВКонтакте: https://vk.com/wall-1_1",
        "«Во дворе на Ленина, 5 третью неделю не убирают снег.»",
        "Срок: 24.11.2026 10:30 — направить исполнителю (п. 6)",
        "",
        "Социально значимое сообщение № 4 (п. 21)",
        "Одноклассники: https://ok.ru/group/1/topic/2",
        "«Во дворе на Ленина, 5 третью неделю не убирают снег.»",
        "Срок: 24.11.2026 16:15 — прислать проект ответа куратору (п. 9)",
      ].join("\n"),
    ]);
  });

  it("hears each post as the heads heard of it: the start of its text, and «Открыть № N» under the briefing that opens its card", async () => {
    await office();
    seedRegistered(h, {
      link: "https://vk.com/wall-1_1",
      text: "Пожар на складе у школы, дым идёт во двор.",
      topic: "Пожар",
      importance: "significant",
    });
    await joinAsHead();
    expect(h.lastText(NEW_HEAD).split("\n\n")[1]).toBe(
      [
        "Социально значимое сообщение № 1 (п. 21)",
        "ВКонтакте: https://vk.com/wall-1_1",
        "«Пожар на складе у школы, дым идёт во двор.»",
        "Тема: Пожар",
        "Срок: 24.11.2026 10:30 — направить исполнителю (п. 6)",
      ].join("\n"),
    );
    const briefing = h.fake.lastMessage(NEW_HEAD)?.message_id;
    expect(
      h.fake
        .buttons(NEW_HEAD)
        .filter((b) => b.message.message_id === briefing)
        .map((b) => b.label),
    ).toEqual(["Открыть № 1"]);
    await h.user(NEW_HEAD, "Пётр").press("Открыть № 1");
    expect(h.lastText(NEW_HEAD)).toMatch(/^Сообщение № 1 · ВКонтакте/);
  });

  it("of a post its organization may still return, hears the draft's deadline, not the return window (a right)", async () => {
    await office();
    const id = seedRegistered(h, { link: "https://vk.com/wall-1_1", importance: "significant" });
    const curator = findPerson(h.db, OFFICE.curator);
    if (!curator) throw new Error("no curator");
    const routed = routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [],
      actor: curator,
      now: h.clock.now(),
    });
    if (!routed.ok) throw new Error(routed.refusal);

    await joinAsHead();
    const told = h.texts(NEW_HEAD).at(-1) ?? "";
    expect(told).toContain("Срок: 24.11.2026 16:00 — прислать проект ответа куратору (п. 9)");
    expect(told).not.toContain("не по компетенции");
  });

  it("told of a post in the briefing, is not told of it again when the heads' notice of it is retried", async () => {
    await office();
    seedRegistered(h, { link: "https://vk.com/wall-1_1", importance: "significant" }); // no head told yet
    await joinAsHead();
    const briefed = h.texts(NEW_HEAD).length;
    await headsRetry()(h.deps());
    expect(h.texts(OFFICE.head).join("\n")).toMatch(/^Социально значимое сообщение № 1/m);
    expect(h.texts(NEW_HEAD)).toHaveLength(briefed);
  });

  it("a briefing Telegram could not take for now is sent by the heads' retry, once", async () => {
    await office();
    seedRegistered(h, { link: "https://vk.com/wall-1_1", importance: "significant" });
    await headsRetry()(h.deps()); // the heads there are told of it
    h.fake.failNext(
      "sendMessage",
      { error_code: 502, description: "Bad Gateway" },
      { match: (p) => p.chat_id === NEW_HEAD && String(p.text).startsWith("Сейчас открыто") },
    );
    await joinAsHead();
    expect(h.texts(NEW_HEAD)).toHaveLength(1); // the welcome only
    const retry = headsRetry();
    await retry(h.deps());
    const briefings = () => h.texts(NEW_HEAD).filter((text) => text.startsWith("Сейчас открыто"));
    expect(briefings()).toHaveLength(1);
    expect(briefings()[0]).toContain("Социально значимое сообщение № 1 (п. 21)");
    h.clock.advance(60 * 60_000);
    await retry(h.deps());
    await headsRetry()(h.deps());
    expect(briefings()).toHaveLength(1);
  });

  it("hears nothing when no significant post is open", async () => {
    await office();
    seedRegistered(h, { link: "https://vk.com/wall-1_1" });
    await joinAsHead();
    expect(h.texts(NEW_HEAD)).toHaveLength(1); // the welcome only
  });

  it("a head of an organization, who gets its violations only, hears of no significant post", async () => {
    await office();
    seedRegistered(h, { link: "https://vk.com/wall-1_1", importance: "significant" });
    await joinAsHead(health);
    expect(h.texts(NEW_HEAD)).toHaveLength(1); // the welcome only
    expect(h.texts(NEW_HEAD)[0]).toMatch(
      /^Готово! Вы зарегистрированы как руководитель органа «Министерство здравоохранения»\./,
    );
  });
});
