import { type Logger, pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { subjectKey } from "../../src/app/importance.js";
import { closeUnanswered, loadIncident } from "../../src/app/incidents.js";
import { claimNotice } from "../../src/app/notices.js";
import { findPerson, grantRole, setHeadPurpose, upsertPerson } from "../../src/app/people.js";
import { announceSurge } from "../../src/bot/surge.js";
import { surgeRetry } from "../../src/jobs/heads.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, routeTo, seedOffice, seedRegistered, showCards } from "../support/workflow.js";

let h: Harness;
beforeEach(async () => {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  seedOffice(h);
});
afterEach(() => h.close());

/** Registers a post the way intake does (its surge check follows: see announce). */
function register(n: number, topic: string | null, place: string | null = null): number {
  return seedRegistered(h, {
    link: `https://vk.com/wall-1_${n}`,
    text: "Снова нет воды.",
    author: null,
    topic,
    place,
  });
}

async function announce(id: number, log?: Logger): Promise<void> {
  const incident = loadIncident(h.db, id);
  if (!incident) throw new Error("no incident");
  await announceSurge({ ...h.deps(), ...(log ? { log } : {}) }, incident);
}

/** A post registered and announced, as a curator's registration is. */
async function post(
  n: number,
  topic: string | null,
  log?: Logger,
  place: string | null = null,
): Promise<void> {
  await announce(register(n, topic, place), log);
}

/**
 * Posts arriving together, as monitoring software sends a burst over HTTP: each is registered at
 * once, its announcement (card, surge check) follows after all of them are in.
 */
async function burst(topics: string[]): Promise<void> {
  const ids = topics.map((topic, i) => register(i + 1, topic));
  for (const id of ids) await announce(id);
}

const surgeTexts = (chatId: number) => h.texts(chatId).filter((text) => text.startsWith("⚠️ Всплеск"));
const sendsTo = (chatId: number) =>
  h.fake.callsOf("sendMessage").filter((call) => call.params.chat_id === chatId).length;
const ADMIN = 1001;

describe("surge", () => {
  it("the 5th post on one topic within 24 hours tells the head and the curators at once, with the list, once", async () => {
    for (let n = 1; n <= 4; n++) {
      await post(n, "водоснабжение");
      h.clock.advance(60 * 60_000);
    }
    expect(surgeTexts(OFFICE.head)).toEqual([]);
    await post(5, "водоснабжение");
    const expected =
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «водоснабжение» — 5 (№ 1, № 2, № 3, № 4, № 5).";
    expect(surgeTexts(OFFICE.head)).toEqual([expected]);
    expect(surgeTexts(OFFICE.curatorsChat)).toEqual([expected]);
    await post(6, "водоснабжение");
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
  });

  it("at night a surge still rings: the head and the curators hear of it at once", async () => {
    h.clock.set("2026-11-24T18:00:00Z"); // 23:00 in Yekaterinburg
    await burst(["водоснабжение", "водоснабжение", "водоснабжение", "водоснабжение", "водоснабжение"]);
    const surges = h.fake.callsOf("sendMessage").filter((c) => String(c.params.text).startsWith("⚠️ Всплеск"));
    expect(surges.map((c) => [Number(c.params.chat_id), c.params.disable_notification]).sort()).toEqual(
      [
        [OFFICE.curatorsChat, false],
        [OFFICE.head, false],
      ].sort(),
    );
  });

  it("six posts arriving at once are one surge, told once, with all six", async () => {
    await burst(Array(6).fill("Снег"));
    const expected =
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «Снег» — 6 (№ 1, № 2, № 3, № 4, № 5, № 6).";
    expect(surgeTexts(OFFICE.head)).toEqual([expected]);
    expect(surgeTexts(OFFICE.curatorsChat)).toEqual([expected]);
  });

  it("exactly five posts arriving at once tell the head once", async () => {
    await burst(Array(5).fill("Снег"));
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
    expect(surgeTexts(OFFICE.curatorsChat)).toHaveLength(1);
  });

  it("a topic written in another case, with spaces around or with «ё» is the same topic", async () => {
    const topics = ["Снег", "снег", "СНЕГ", "  снег "];
    for (const [i, topic] of topics.entries()) await post(i + 1, topic);
    await post(5, "Снёг");
    expect(surgeTexts(OFFICE.head)).toEqual([
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «Снёг» — 5 (№ 1, № 2, № 3, № 4, № 5).",
    ]);
  });

  it("the same topic surging again a window later is announced again, with the new posts only", async () => {
    await burst(Array(5).fill("Снег"));
    h.clock.advance(20 * 60 * 60_000);
    for (let n = 6; n <= 9; n++) await post(n, "снег");
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
    h.clock.advance(5 * 60 * 60_000);
    await post(10, "Снег");
    expect(surgeTexts(OFFICE.head)).toEqual([
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «Снег» — 5 (№ 1, № 2, № 3, № 4, № 5).",
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «Снег» — 5 (№ 6, № 7, № 8, № 9, № 10).",
    ]);
  });

  it("a surge that doubles is told again with its scale and the new posts, once at each doubling", async () => {
    await burst(Array(5).fill("Нет воды"));
    for (let n = 6; n <= 9; n++) await post(n, "нет воды");
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
    const answered = register(10, "Нет воды");
    h.database.sqlite.prepare("UPDATE incidents SET state = 'answered' WHERE id IN (1, 2)").run();
    await announce(answered);
    await announce(answered);
    for (let n = 11; n <= 19; n++) await post(n, "Нет воды");
    expect(surgeTexts(OFFICE.head)).toEqual([
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «Нет воды» — 5 (№ 1, № 2, № 3, № 4, № 5).",
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «Нет воды» — уже 10, ответ размещён по 2 " +
        "(новые: № 6, № 7, № 8, № 9, № 10).",
    ]);
    expect(surgeTexts(OFFICE.curatorsChat)).toHaveLength(2);
    await post(20, "Нет воды");
    expect(surgeTexts(OFFICE.head).at(-1)).toBe(
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «Нет воды» — уже 20, ответ размещён по 2 " +
        "(новые: № 11, № 12, № 13, № 14, № 15, № 16, № 17, № 18, № 19, № 20).",
    );
    // Its «№ N» buttons open the new posts.
    const buttons = h.fake.buttons(OFFICE.head).filter((b) => b.message.text?.includes("— уже 20"));
    expect(buttons.map((b) => b.label)).toEqual(expect.arrayContaining(["№ 11", "№ 20"]));
    expect(buttons.map((b) => b.label)).not.toContain("№ 1");
  });

  it("grown while its first posts left the window, the surge lists every post not listed before", async () => {
    for (let n = 1; n <= 3; n++) await post(n, "Нет воды");
    h.clock.advance(2 * 60 * 60_000);
    for (let n = 4; n <= 5; n++) await post(n, "Нет воды");
    h.clock.advance(23 * 60 * 60_000); // № 1–3 are out of the 24 hours, № 4–5 still in
    for (let n = 6; n <= 13; n++) await post(n, "Нет воды");
    expect(surgeTexts(OFFICE.head).at(-1)).toBe(
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «Нет воды» — уже 10 " +
        "(новые: № 6, № 7, № 8, № 9, № 10, № 11, № 12, № 13).",
    );
  });

  it("in a surge an executor's private card comes without sound where the work chat's rings; before it, with sound", async () => {
    const health = (h.database.sqlite.prepare("SELECT id FROM organizations").get() as { id: number }).id;
    const routed = async (n: number) => {
      const id = register(n, "Нет воды");
      await announce(id);
      routeTo(h, id, health);
      await showCards(h, id);
      return id;
    };
    const cardSent = (chatId: number, id: number) =>
      h.fake
        .callsOf("sendMessage")
        .find(
          (call) =>
            call.params.chat_id === chatId && String(call.params.text).startsWith(`Сообщение № ${id} `),
        );
    const first = await routed(1);
    expect(cardSent(OFFICE.executor, first)?.params.disable_notification).not.toBe(true);
    for (let n = 2; n <= 4; n++) await routed(n);
    const inSurge = await routed(5);
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
    expect(cardSent(OFFICE.executor, inSurge)?.params.disable_notification).toBe(true);
    expect(cardSent(OFFICE.healthChat, inSurge)?.params.disable_notification).not.toBe(true);
  });

  it("a post bringing a topic's and a place's surge at once tells each recipient once, naming both", async () => {
    const ids = Array.from({ length: 5 }, (_, i) => register(i + 1, "Отопление", "Орск"));
    for (const id of ids) await announce(id);
    const expected =
      "⚠️ Всплески сообщений за 24 ч (п. 21 регламента): «Отопление», Орск — 5 (№ 1, № 2, № 3, № 4, № 5).";
    expect(surgeTexts(OFFICE.head)).toEqual([expected]);
    expect(surgeTexts(OFFICE.curatorsChat)).toEqual([expected]);
    await post(6, "отопление", undefined, "орск");
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
  });

  it("a topic's and a place's surge over different posts come in one notice, each with its posts; a later surge alone as before", async () => {
    await post(1, "Дороги", undefined, "Орск");
    await post(2, "Отопление");
    for (let n = 3; n <= 5; n++) await post(n, "Отопление", undefined, "Орск");
    expect(surgeTexts(OFFICE.head)).toEqual([]);
    await post(6, "Отопление", undefined, "Орск");
    const expected =
      "⚠️ Всплески сообщений за 24 ч (п. 21 регламента): «Отопление» — 5 (№ 2, № 3, № 4, № 5, № 6); " +
      "Орск — 5 (№ 1, № 3, № 4, № 5, № 6).";
    expect(surgeTexts(OFFICE.head)).toEqual([expected]);
    expect(surgeTexts(OFFICE.curatorsChat)).toEqual([expected]);

    for (let n = 7; n <= 9; n++) await post(n, "Дороги", undefined, "Новотроицк");
    await post(10, "Дороги", undefined, "Орск");
    expect(surgeTexts(OFFICE.head)).toEqual([
      expected,
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «Дороги» — 5 (№ 1, № 7, № 8, № 9, № 10).",
    ]);
  });

  it("a head both surges missed for now hears of them from the retry in one message", async () => {
    const retry = surgeRetry();
    const down = { error_code: 500, description: "Internal Server Error" };
    h.fake.failNext("sendMessage", down, { match: (params) => params.chat_id === OFFICE.head });
    for (let n = 1; n <= 5; n++) await post(n, "Отопление", undefined, "Орск");
    expect(surgeTexts(OFFICE.head)).toEqual([]);
    expect(surgeTexts(OFFICE.curatorsChat)).toHaveLength(1);

    h.clock.advance(60_000);
    expect(await retry(h.deps())).toBe(2);
    expect(surgeTexts(OFFICE.head)).toEqual([
      "⚠️ Всплески сообщений за 24 ч (п. 21 регламента): «Отопление», Орск — 5 (№ 1, № 2, № 3, № 4, № 5).",
    ]);
    expect(surgeTexts(OFFICE.curatorsChat)).toHaveLength(1);
  });

  it("posts spread over more than the window are no surge", async () => {
    for (let n = 1; n <= 5; n++) {
      await post(n, "дороги");
      h.clock.advance(7 * 60 * 60_000);
    }
    expect(surgeTexts(OFFICE.head)).toEqual([]);
  });

  it("a post closed as deleted or registered by mistake counts toward no surge", async () => {
    const mistaken = register(1, "дороги");
    const curator = findPerson(h.db, OFFICE.curator);
    if (!curator) throw new Error("no curator");
    closeUnanswered(h.db, { incidentId: mistaken, actor: curator, now: h.clock.now(), reason: "void" });
    for (let n = 2; n <= 5; n++) await post(n, "дороги");
    expect(surgeTexts(OFFICE.head)).toEqual([]);
    await post(6, "дороги");
    expect(surgeTexts(OFFICE.head)).toEqual([
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «дороги» — 5 (№ 2, № 3, № 4, № 5, № 6).",
    ]);
  });

  it("a head the notice could not reach for now hears of the surge with the next post; nobody hears twice", async () => {
    const down = { error_code: 500, description: "Internal Server Error" };
    h.fake.failNext("sendMessage", down, { match: (params) => params.chat_id === OFFICE.head });
    for (let n = 1; n <= 5; n++) await post(n, "Снег");
    expect(surgeTexts(OFFICE.head)).toEqual([]);
    expect(surgeTexts(OFFICE.curatorsChat)).toHaveLength(1);

    await post(6, "снег");
    expect(surgeTexts(OFFICE.head)).toEqual([
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «снег» — 6 (№ 1, № 2, № 3, № 4, № 5, № 6).",
    ]);
    expect(surgeTexts(OFFICE.curatorsChat)).toHaveLength(1);
    await post(7, "снег");
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
  });

  it("a head the notice could not reach hears of the surge from the retry though no more posts come; once, and nobody twice", async () => {
    const retry = surgeRetry();
    const down = { error_code: 500, description: "Internal Server Error" };
    h.fake.failNext("sendMessage", down, { match: (params) => params.chat_id === OFFICE.head });
    for (let n = 1; n <= 5; n++) await post(n, "Снег");
    expect(surgeTexts(OFFICE.head)).toEqual([]);

    h.clock.advance(60_000);
    expect(await retry(h.deps())).toBe(1);
    expect(surgeTexts(OFFICE.head)).toEqual([
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «Снег» — 5 (№ 1, № 2, № 3, № 4, № 5).",
    ]);
    expect(surgeTexts(OFFICE.curatorsChat)).toHaveLength(1);
    h.clock.advance(60 * 60_000);
    expect(await retry(h.deps())).toBe(0);
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
  });

  it("a notice a stop cut short between its claim and its send goes out with a post after the lease, once", async () => {
    for (let n = 1; n <= 4; n++) await post(n, "снег");
    register(5, "снег");
    // The process starting the surge claimed it and the head's send, then stopped.
    const surge = `surge:topic:${subjectKey("снег")}`;
    claimNotice(h.db, surge, h.clock.now());
    claimNotice(h.db, `${surge}:${h.clock.now().getTime()}:to:${OFFICE.head}:sending`, h.clock.now());
    h.clock.advance(60_000);
    await post(6, "снег");
    expect(surgeTexts(OFFICE.head)).toEqual([]); // perhaps still sending: not doubled
    expect(surgeTexts(OFFICE.curatorsChat)).toHaveLength(1);
    h.clock.advance(5 * 60_000);
    await post(7, "снег");
    await post(8, "снег");
    expect(surgeTexts(OFFICE.head)).toEqual([
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «снег» — 7 (№ 1, № 2, № 3, № 4, № 5, № 6, № 7).",
    ]);
    expect(surgeTexts(OFFICE.curatorsChat)).toHaveLength(1);
  });

  it("a head down for now is tried with the next post; one who blocked the bot is not", async () => {
    const blockedHead = 5002;
    h.seedPerson(blockedHead, "Пётр", ["head"]);
    const down = { error_code: 500, description: "Internal Server Error" };
    const blocked = { error_code: 403, description: "Forbidden: bot was blocked by the user" };
    h.fake.failNext("sendMessage", down, { match: (params) => params.chat_id === OFFICE.head });
    h.fake.failNext("sendMessage", blocked, { match: (params) => params.chat_id === blockedHead });
    for (let n = 1; n <= 6; n++) await post(n, "Снег");
    const tries = (chatId: number) =>
      h.fake.callsOf("sendMessage").filter((call) => call.params.chat_id === chatId).length;
    expect([tries(OFFICE.head), tries(blockedHead)]).toEqual([2, 1]);
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
  });

  it("a head known to block the bot is not tried for a new surge; the curators and the other head hear of it", async () => {
    const blockedHead = 5002;
    const peter = h.seedPerson(blockedHead, "Пётр", ["head"]);
    h.fake.setChatMember(blockedHead, h.bot.botInfo.id, "kicked");
    await h.deliver(updates.myChatMember(peter.chat, peter.tg, "member", "kicked", h.fake.botUser));
    for (let n = 1; n <= 5; n++) await post(n, "Снег");
    expect(sendsTo(blockedHead)).toBe(0);
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
    expect(surgeTexts(OFFICE.curatorsChat)).toHaveLength(1);
  });

  it("a notice Telegram rejects as it is (a bug): logged as an error, not tried again, and no chat is reported unreachable", async () => {
    h.seedPerson(ADMIN, "Анна", ["admin"]);
    h.fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag" },
      { match: (params) => params.chat_id === OFFICE.curatorsChat, times: 100 },
    );
    const errors: string[] = [];
    const log = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });
    for (let n = 1; n <= 5; n++) await post(n, "Снег", log);
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
    expect(surgeTexts(OFFICE.curatorsChat)).toEqual([]);
    expect(errors.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ msg: "surge rejected by Telegram", chatId: OFFICE.curatorsChat }),
    ]);

    const tried = sendsTo(OFFICE.curatorsChat);
    await post(6, "снег");
    expect(sendsTo(OFFICE.curatorsChat)).toBe(tried);
    expect(h.texts(ADMIN)).toEqual([]);
  });

  it("the curators' chat that refuses the notice (the bot removed): the admins are told once which chat", async () => {
    h.seedPerson(ADMIN, "Анна", ["admin"]);
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was kicked from the supergroup chat" },
      { match: (params) => params.chat_id === OFFICE.curatorsChat, times: 100 },
    );
    for (let n = 1; n <= 6; n++) await post(n, "Снег");
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
    const unreachable = h.texts(ADMIN).filter((text) => text.startsWith("Бот не может писать в чат"));
    expect(unreachable).toHaveLength(1);
    expect(unreachable[0]).toContain(String(OFFICE.curatorsChat));
  });
});

describe("surge and what each head receives (Orenburg p.21)", () => {
  const GOVERNOR = 6001;
  const DEPUTY = 6002;
  const HEALTH_HEAD = 6003;

  /** A head as an invite makes one: of all (everything) or of an organization (its violations). */
  function head(telegramId: number, name: string, organizationId: number | null = null): number {
    const now = h.clock.now();
    return h.db.transaction((tx) => {
      const id = upsertPerson(tx, { id: telegramId, first_name: name }, now);
      grantRole(tx, id, "head", null, now, organizationId);
      return id;
    });
  }

  it("the heads with «Срочные» hear of it; the deputy minister with «Сводка» only and a head of an organization do not", async () => {
    h.seedPerson(ADMIN, "Анна", ["admin"]);
    head(GOVERNOR, "Губернатор");
    const deputy = head(DEPUTY, "Заместитель");
    head(HEALTH_HEAD, "Министр", findPerson(h.db, OFFICE.executor)?.organizationIds[0] ?? null);
    const actorId = findPerson(h.db, ADMIN)?.id ?? 0;
    const now = h.clock.now();
    for (const purpose of ["urgent", "violations"] as const)
      setHeadPurpose(h.db, { actorId, personId: deputy, purpose, enabled: false, now });

    for (let n = 1; n <= 5; n++) await post(n, "водоснабжение");
    expect(surgeTexts(GOVERNOR)).toHaveLength(1);
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
    expect(sendsTo(DEPUTY)).toBe(0);
    expect(sendsTo(HEALTH_HEAD)).toBe(0);
  });

  it("under the notice, «№ N» opens each post for the curators and every head told, a head of one organization too", async () => {
    h.seedPerson(ADMIN, "Анна", ["admin"]);
    const actorId = findPerson(h.db, ADMIN)?.id ?? 0;
    const health = findPerson(h.db, OFFICE.executor)?.organizationIds[0] ?? null;
    const minister = head(HEALTH_HEAD, "Министр", health);
    setHeadPurpose(h.db, {
      actorId,
      personId: minister,
      purpose: "urgent",
      enabled: true,
      now: h.clock.now(),
    });
    for (let n = 1; n <= 5; n++) await post(n, "водоснабжение");
    const labels = (chatId: number) => {
      const notice = h.fake.messages(chatId).find((m) => m.text?.startsWith("⚠️ Всплеск"));
      return h.fake
        .buttons(chatId)
        .filter((b) => b.message.message_id === notice?.message_id)
        .map((b) => b.label);
    };
    const all = ["№ 1", "№ 2", "№ 3", "№ 4", "№ 5"];
    expect(labels(OFFICE.curatorsChat)).toEqual(all);
    expect(labels(OFFICE.head)).toEqual(all);
    expect(surgeTexts(HEALTH_HEAD)).toHaveLength(1);
    expect(labels(HEALTH_HEAD)).toEqual(all);
    await h.user(OFFICE.head, "Глава").press("№ 3");
    expect(h.lastText(OFFICE.head)).toMatch(/^Сообщение № 3 · /);
    // The minister heads another organization than the one the posts wait for: told of them to look,
    // he may open them (and find them), but not a post the notice did not list.
    const ministerUser = h.user(HEALTH_HEAD, "Министр");
    await ministerUser.press("№ 3");
    expect(h.lastText(HEALTH_HEAD)).toMatch(/^Сообщение № 3 · /);
    await ministerUser.send("/find 5");
    expect(h.lastText(HEALTH_HEAD)).toMatch(/^Сообщение № 5 · /);
    const other = seedRegistered(h, { link: "https://vk.com/wall-1_99" });
    await ministerUser.send(`/find ${other}`);
    expect(h.lastText(HEALTH_HEAD)).toBe(`Сообщение № ${other} не направлялось вашему органу.`);
  });
});
