/**
 * `POST /intake`: monitoring software registers posts over HTTP; the curators see the card as if
 * one of them had forwarded the post. The handler is served on a real local port and called with
 * fetch, as the monitoring software would.
 */
import { Agent, request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { changePostDetail } from "../../src/app/importance.js";
import { loadIncident } from "../../src/app/incidents.js";
import { findPerson, setHeadPurpose } from "../../src/app/people.js";
import { intakeEndpoint } from "../../src/http/intake.js";
import { headsRetry } from "../../src/jobs/heads.js";
import { Harness } from "../support/bot-harness.js";
import { INTAKE_TOKEN, type IntakeServer, serveIntake } from "../support/intake-server.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedOffice } from "../support/workflow.js";

let h: Harness;
let intake: IntakeServer;

afterEach(async () => {
  await intake.close();
  await h.close();
});

/** Tuesday 10:00 in Yekaterinburg; `office: false` has only a curator, and no curators' chat. */
async function start(office = true, regulation: "orenburg" | "georgievsk" = "orenburg"): Promise<void> {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z", regulation });
  if (office) seedOffice(h);
  else h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
  intake = await serveIntake(h);
}

const post = (body: unknown, headers?: Record<string, string>) => intake.post(body, headers);

const cards = () => h.fake.messages(OFFICE.curatorsChat).filter((m) => m.text?.startsWith("Сообщение № "));

describe("POST /intake", () => {
  it("registers a post: the curators get its card, and «История» says the monitoring system registered it", async () => {
    await start();
    const sent = await post({
      link: "https://vk.com/wall-100_200",
      text: "Во дворе дома 5 не убран снег.",
      author: "Иван Петров",
      topic: "ЖКХ",
      place: "ул. Ленина, 5",
      postedAt: "2026-11-24T09:40:00+05:00",
    });
    expect(sent).toEqual({ status: 201, body: { ok: true, id: 1, duplicate: false } });
    expect(cards()).toHaveLength(1);
    const card = cards()[0]?.text ?? "";
    expect(card).toContain("Сообщение № 1 · ВКонтакте");
    expect(card).toContain("«Во дворе дома 5 не убран снег.»");
    expect(card).toContain("Тема: ЖКХ");
    expect(card).toContain("Место: ул. Ленина, 5");
    expect(card).toMatch(/Срок: 24\.11\.2026 10:30 — направить исполнителю/);
    expect(loadIncident(h.db, 1)?.postedAt?.toISOString()).toBe("2026-11-24T04:40:00.000Z");

    await h.user(OFFICE.curator, "Ольга").press("История", h.group(OFFICE.curatorsChat, "Кураторы"));
    expect(h.lastText(OFFICE.curator)).toMatch(/24\.11\.2026 10:00 — Система мониторинга — зарегистрировано/);
  });

  it("the same post sent again is the same incident: no second card, the caller learns its number", async () => {
    await start();
    await post({ link: "https://vk.com/wall-100_200" });
    const again = await post({ link: "https://m.vk.com/wall-100_200" });
    expect(again).toEqual({ status: 200, body: { ok: true, id: 1, duplicate: true } });
    expect(cards()).toHaveLength(1);
  });

  it("where a comment has no link of its own, another comment at a registered link is registered; a resent one is not", async () => {
    await start();
    const ivan = { link: "https://ok.ru/group/1/topic/2", text: "Когда починят дорогу?", author: "Иван" };
    const maria = { link: "https://m.ok.ru/group/1/topic/2", text: "А у нас нет света", author: "Мария" };
    expect((await post(ivan)).body).toEqual({ ok: true, id: 1, duplicate: false });
    expect(await post(maria)).toEqual({ status: 201, body: { ok: true, id: 2, duplicate: false } });
    // Sent again (a retry): the same text and author, written differently, is the same comment.
    expect((await post({ ...ivan, text: "  когда починят   дорогу? " })).body).toEqual({
      ok: true,
      id: 1,
      duplicate: true,
    });
    expect((await post(maria)).body).toEqual({ ok: true, id: 2, duplicate: true });
    // Nothing to tell it apart (no text): the post already there.
    expect((await post({ link: ivan.link })).body).toEqual({ ok: true, id: 1, duplicate: true });
    expect(cards().map((card) => card.text?.split("\n")[0])).toEqual([
      "Сообщение № 1 · Одноклассники",
      "Сообщение № 2 · Одноклассники",
    ]);
    expect(cards()[1]?.text).toContain("Другой комментарий под тем же постом, что и № 1");
    expect(cards()[0]?.text).not.toContain("Другой комментарий");
    // Where a comment has a link of its own (VK's «?reply=»), the post's link is the post itself.
    await post({ link: "https://vk.com/wall-1_2", text: "Пост" });
    expect((await post({ link: "https://vk.com/wall-1_2", text: "Другой текст" })).body).toEqual({
      ok: true,
      id: 3,
      duplicate: true,
    });
  });

  it("two identical posts at once are one incident with one card", async () => {
    await start();
    const both = await Promise.all([
      post({ link: "https://vk.com/wall-1_7" }),
      post({ link: "https://vk.com/wall-1_7" }),
    ]);
    expect(both.map((answer) => answer.body.id)).toEqual([1, 1]);
    expect(cards()).toHaveLength(1);
  });

  it("a card Telegram did not take goes out when the post is sent again", async () => {
    await start();
    h.fake.httpErrorNext("sendMessage", { status: 502 });
    expect((await post({ link: "https://vk.com/wall-1_8" })).status).toBe(201);
    expect(cards()).toEqual([]);
    expect((await post({ link: "https://vk.com/wall-1_8" })).status).toBe(200);
    expect(cards()).toHaveLength(1);
    expect((await post({ link: "https://vk.com/wall-1_8" })).status).toBe(200);
    expect(cards()).toHaveLength(1);
  });

  it("sent again as significant after a curator registered it with one tap: the higher stands, the heads hear", async () => {
    await start();
    const link = "https://vk.com/wall-1_5";
    expect((await post({ link, importance: "normal" })).status).toBe(201);
    expect(await post({ link, importance: "significant" })).toEqual({
      status: 200,
      body: { ok: true, id: 1, duplicate: true },
    });
    expect(loadIncident(h.db, 1)?.row.importance).toBe("significant");
    expect(h.texts(OFFICE.head).filter((text) => text.startsWith("Социально значимое"))).toHaveLength(1);
    expect(cards()[0]?.text).toContain("Важность: социально значимое");
    // Sent a third time, as ordinary: the higher still stands, and nobody hears twice.
    await post({ link, importance: "normal" });
    expect(loadIncident(h.db, 1)?.row.importance).toBe("significant");
    expect(h.texts(OFFICE.head).filter((text) => text.startsWith("Социально значимое"))).toHaveLength(1);
    await h.user(OFFICE.curator, "Ольга").press("История", h.group(OFFICE.curatorsChat, "Кураторы"));
    expect(h.lastText(OFFICE.curator)).toMatch(
      /Система мониторинга — важность: обычное → социально значимое/,
    );
  });

  it("sent again as significant after a curator made it «обычное»: the curator's decision stands", async () => {
    await start();
    const link = "https://vk.com/wall-1_6";
    await post({ link, importance: "significant" });
    const curator = findPerson(h.db, OFFICE.curator);
    if (!curator) throw new Error("no curator");
    const detail = { field: "importance", value: "normal" } as const;
    expect(changePostDetail(h.db, { incidentId: 1, detail, actor: curator, now: h.clock.now() }).ok).toBe(
      true,
    );
    expect((await post({ link, importance: "significant" })).body).toEqual({
      ok: true,
      id: 1,
      duplicate: true,
    });
    expect(loadIncident(h.db, 1)?.row.importance).toBe("normal");
  });

  it("a card that did not go out goes out on the next catch-up, and after a restart; the head hears once", async () => {
    await start();
    h.fake.httpErrorNext("sendMessage", { status: 502 });
    const link = "https://vk.com/wall-1_10";
    expect((await post({ link, importance: "significant" })).status).toBe(201);
    expect(cards()).toEqual([]);
    await intake.endpoint.catchUp();
    expect(cards()).toHaveLength(1);
    expect(h.texts(OFFICE.head).filter((text) => text.startsWith("Социально значимое"))).toHaveLength(1);

    // The process stopped before the card went out: the next start catches up.
    h.fake.httpErrorNext("sendMessage", { status: 502 });
    await post({ link: "https://vk.com/wall-1_11" });
    expect(cards()).toHaveLength(1);
    await intake.endpoint.close(5_000);
    const restarted = intakeEndpoint({ ...h.app, api: h.bot.api }, INTAKE_TOKEN);
    await restarted.catchUp();
    expect(cards().map((card) => card.text?.split(" · ")[0])).toEqual(["Сообщение № 1", "Сообщение № 2"]);
    await restarted.catchUp();
    expect(cards()).toHaveLength(2);
    expect(h.texts(OFFICE.head).filter((text) => text.startsWith("Социально значимое"))).toHaveLength(1);
    await restarted.close(5_000);
  });

  it("a card the curators' chat keeps refusing is tried again after 1, 2, 4… minutes, not every minute", async () => {
    await start();
    const kicked = { error_code: 403, description: "Forbidden: bot was kicked from the group chat" };
    h.fake.failNext("sendMessage", kicked, { times: 100 });
    const tries = () =>
      h.fake.callsOf("sendMessage").filter((c) => c.params.chat_id === OFFICE.curatorsChat).length;
    await post({ link: "https://vk.com/wall-1_14" });
    const counted: number[] = [];
    for (const minutes of [0, 0, 1, 1, 1, 1, 1]) {
      h.clock.advance(minutes * 60_000);
      await intake.endpoint.catchUp();
      counted.push(tries());
    }
    // At the start, once a minute later, then two minutes after that, then four.
    expect(counted).toEqual([2, 2, 3, 3, 4, 4, 4]);
  });

  it("heads who could not be told of a significant post are told by the next sweep, once", async () => {
    await start();
    const tellHeadsAgain = headsRetry();
    const down = { error_code: 500, description: "Internal Server Error" };
    h.fake.failNext("sendMessage", down, { match: (params) => params.chat_id === OFFICE.head });
    const told = () => h.texts(OFFICE.head).filter((text) => text.startsWith("Социально значимое")).length;
    await post({ link: "https://vk.com/wall-1_15", importance: "significant" });
    expect([cards().length, told()]).toEqual([1, 0]);
    await tellHeadsAgain(h.deps());
    expect([cards().length, told()]).toEqual([1, 1]);
    h.clock.advance(5 * 60_000);
    await tellHeadsAgain(h.deps());
    expect([cards().length, told()]).toEqual([1, 1]);
  });

  it("of two heads, the one who could not be told of a significant post is told by the next sweep; the other is not told twice", async () => {
    await start();
    const tellHeadsAgain = headsRetry();
    const deputy = 5002;
    h.seedPerson(deputy, "Заместитель", ["head"]);
    const down = { error_code: 502, description: "Bad Gateway" };
    h.fake.failNext("sendMessage", down, { match: (params) => params.chat_id === OFFICE.head });
    const told = (chatId: number) =>
      h.texts(chatId).filter((text) => text.startsWith("Социально значимое")).length;
    await post({ link: "https://vk.com/wall-1_17", importance: "significant" });
    expect([told(OFFICE.head), told(deputy)]).toEqual([0, 1]);
    await tellHeadsAgain(h.deps());
    expect([told(OFFICE.head), told(deputy)]).toEqual([1, 1]);
    h.clock.advance(5 * 60_000);
    await tellHeadsAgain(h.deps());
    expect([told(OFFICE.head), told(deputy)]).toEqual([1, 1]);
  });

  it("Georgievsk: a post needing an urgent decision whose head could not be told is told by the next sweep, once", async () => {
    await start(true, "georgievsk");
    const tellHeadsAgain = headsRetry();
    const down = { error_code: 500, description: "Internal Server Error" };
    h.fake.failNext("sendMessage", down, { match: (params) => params.chat_id === OFFICE.head });
    const told = () =>
      h.texts(OFFICE.head).filter((text) => text.includes("требует оперативного решения")).length;
    await post({ link: "https://vk.com/wall-1_16", importance: "important" });
    expect(told()).toBe(0);
    await tellHeadsAgain(h.deps());
    expect(told()).toBe(1);
    h.clock.advance(5 * 60_000);
    await tellHeadsAgain(h.deps());
    expect(told()).toBe(1);
  });

  it("a significant post while the head blocks the bot: the curators hear it in his stead, once; he is not tried, at catch-ups either", async () => {
    await start();
    h.fake.setChatMember(OFFICE.head, h.bot.botInfo.id, "kicked");
    const head = h.user(OFFICE.head, "Глава");
    await h.deliver(updates.myChatMember(head.chat, head.tg, "member", "kicked", h.fake.botUser));
    const insteadOfHead = () =>
      h.texts(OFFICE.curatorsChat).filter((text) => text.includes("Руководителю не доставлено"));

    await post({ link: "https://vk.com/wall-1_16", text: "Пожар в школе", importance: "significant" });
    expect(cards()).toHaveLength(1);
    expect(insteadOfHead()).toEqual([
      "Социально значимое сообщение № 1 (п. 21)\nВКонтакте: https://vk.com/wall-1_16\n«Пожар в школе»\nОтвет разместить до 25.11.2026 11:00\n" +
        "Руководителю не доставлено: Глава — бот заблокирован или аккаунт удалён.",
    ]);
    for (const minutes of [1, 2, 4]) {
      h.clock.advance(minutes * 60_000);
      await intake.endpoint.catchUp();
    }
    expect(insteadOfHead()).toHaveLength(1);
    expect(h.fake.callsOf("sendMessage").filter((call) => call.params.chat_id === OFFICE.head)).toEqual([]);
  });

  it("a long Cyrillic post as Python or PHP write JSON (\\uXXXX escapes), or a body with a byte order mark, is registered", async () => {
    await start();
    const escaped = (text: string) =>
      text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    const long = "я".repeat(12_000);
    const body = `{"link": "https://vk.com/wall-1_31", "text": "${escaped(long)}"}`;
    expect(body.length).toBeGreaterThan(64 * 1024);
    expect((await post(body)).status).toBe(201);
    expect(loadIncident(h.db, 1)?.row.text).toBe(long);
    expect((await post(`\uFEFF{"link": "https://vk.com/wall-1_32"}`)).status).toBe(201);
  });

  it("a body in windows-1251 or koi8-r, as its Content-Type says, is registered in Russian; one not in UTF-8 naming no charset, or in an unknown charset, is refused", async () => {
    await start();
    // As a Windows client writes Russian in windows-1251: А…я are the bytes 0xC0…0xFF.
    const cp1251 = (text: string) =>
      Buffer.from(
        [...text].map((c) => (c >= "А" && c <= "я" ? c.charCodeAt(0) - 0x410 + 0xc0 : c.charCodeAt(0))),
      );
    const body = cp1251(
      '{"link": "https://vk.com/wall-1_77", "text": "Во дворе не убран снег", "author": "Иван"}',
    );
    const charset = (name?: string) => ({
      "content-type": name ? `application/json; charset=${name}` : "application/json",
    });
    expect(await post(body)).toEqual({
      status: 400,
      body: {
        ok: false,
        error:
          "expected UTF-8 text: send the body in UTF-8 or name its charset, e.g. Content-Type: application/json; charset=windows-1251",
      },
    });
    expect(await post(body, charset("x-klingon"))).toEqual({
      status: 415,
      body: {
        ok: false,
        error: 'expected UTF-8 or a charset such as windows-1251 or koi8-r, not "x-klingon"',
      },
    });
    expect(cards()).toEqual([]);

    expect((await post(body, charset("windows-1251"))).status).toBe(201);
    expect(loadIncident(h.db, 1)?.row.text).toBe("Во дворе не убран снег");
    expect(cards()[0]?.text).toContain("«Во дворе не убран снег»");
    expect(cards()[0]?.text).toContain("Автор: Иван");
    // «Снег» in koi8-r; UTF-8 named, in quotes and capitals as some clients write it.
    const koi8 = Buffer.concat([
      Buffer.from('{"link": "https://vk.com/wall-1_78", "text": "'),
      Buffer.from([0xf3, 0xce, 0xc5, 0xc7]),
      Buffer.from('"}'),
    ]);
    expect((await post(koi8, charset("koi8-r"))).status).toBe(201);
    expect(loadIncident(h.db, 2)?.row.text).toBe("Снег");
    expect((await post({ link: "https://vk.com/wall-1_79", text: "Лёд" }, charset('"UTF-8"'))).status).toBe(
      201,
    );
    expect(loadIncident(h.db, 3)?.row.text).toBe("Лёд");
  });

  it("a body too large is refused alone: the caller's next post on the same kept-alive connection is registered", async () => {
    await start();
    // node:http's pooled connections, as most HTTP clients of monitoring software keep them.
    const agent = new Agent({ keepAlive: true });
    const send = (post: unknown) =>
      new Promise<{ status?: number; reused: boolean }>((resolve, reject) => {
        const body = JSON.stringify(post);
        const req = request(intake.url, {
          method: "POST",
          agent,
          headers: {
            authorization: `Bearer ${INTAKE_TOKEN}`,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
        });
        req.on("response", (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
        });
        req.on("error", reject);
        req.end(body);
      });
    try {
      const tooLarge = { link: "https://vk.com/wall-1_1", text: "я".repeat(100_000) }; // ≈ 200 KB
      expect(await send(tooLarge)).toEqual({ status: 413, reused: false });
      expect(await send({ link: "https://vk.com/wall-1_2" })).toEqual({ status: 201, reused: true });
      // Over 1 MB the body is not read to its end: its connection is closed, the next post takes a new one.
      const huge = { link: "https://vk.com/wall-1_3", text: "я".repeat(600_000) };
      expect(await send(huge)).toEqual({ status: 413, reused: true });
      expect(await send({ link: "https://vk.com/wall-1_4" })).toEqual({ status: 201, reused: false });
    } finally {
      agent.destroy();
    }
    await intake.endpoint.settle(5_000);
    expect(cards().map((card) => card.text?.split("\n")[1])).toEqual([
      "https://vk.com/wall-1_2",
      "https://vk.com/wall-1_4",
    ]);
  });

  it("a significant post while no head has «Срочные» on: the curators hear nobody senior is told, once", async () => {
    await start();
    h.seedPerson(1001, "Анна", ["admin"]);
    const admin = findPerson(h.db, 1001)?.id ?? 0;
    const head = findPerson(h.db, OFFICE.head)?.id ?? 0;
    setHeadPurpose(h.db, {
      actorId: admin,
      personId: head,
      purpose: "urgent",
      enabled: false,
      now: h.clock.now(),
    });
    const noHead = () =>
      h.texts(OFFICE.curatorsChat).filter((text) => text.includes("Никому из руководителей"));

    await post({ link: "https://vk.com/wall-1_16", text: "Пожар в школе", importance: "significant" });
    expect(noHead()).toEqual([
      "Социально значимое сообщение № 1 (п. 21)\nВКонтакте: https://vk.com/wall-1_16\n«Пожар в школе»\nОтвет разместить до 25.11.2026 11:00\n" +
        "Никому из руководителей это не направляется: ни у одного руководителя не включена рассылка «Срочные» (/people).",
    ]);
    h.clock.advance(60_000);
    await intake.endpoint.catchUp();
    expect(noHead()).toHaveLength(1);
  });

  it("at night the card of an ordinary post comes without sound; a significant one rings", async () => {
    await start();
    h.clock.set("2026-11-24T18:00:00Z"); // 23:00 in Yekaterinburg
    await post({ link: "https://vk.com/wall-1_12" });
    await post({ link: "https://vk.com/wall-1_13", importance: "significant" });
    const cardCalls = h.fake
      .callsOf("sendMessage")
      .filter(
        (call) =>
          call.params.chat_id === OFFICE.curatorsChat && String(call.params.text).startsWith("Сообщение № "),
      );
    expect(cardCalls.map((call) => call.params.disable_notification ?? false)).toEqual([true, false]);
  });

  it("without a curators' chat each curator gets the card privately", async () => {
    await start(false);
    await post({ link: "https://vk.com/wall-1_9" });
    expect(h.lastText(OFFICE.curator)).toMatch(/^Сообщение № 1 · ВКонтакте/);
  });

  it("a significant post goes to the head at once", async () => {
    await start();
    await post({
      link: "https://t.me/city_news/42",
      text: "Прорыв трубы, затопило школу.",
      importance: "significant",
    });
    expect(h.lastText(OFFICE.head)).toMatch(/^Социально значимое сообщение № 1/);
  });

  it("refuses without the token, with a wrong one, and anything that is not a post, registering nothing", async () => {
    await start();
    const link = "https://vk.com/wall-100_200";
    expect((await post({ link }, { authorization: "" })).status).toBe(401);
    expect((await post({ link }, { authorization: "Bearer wrong-token-0123456789" })).status).toBe(401);
    expect(await post({ link }, { "content-type": "text/plain" })).toMatchObject({ status: 415 });
    expect(await post("{not json")).toEqual({
      status: 400,
      body: { ok: false, error: "expected a JSON object" },
    });
    expect((await post({ text: "без ссылки" })).body.error).toBe("link: is required: the post's link");
    expect((await post({ link: "привет" })).body.error).toMatch(/^link: expected a link to the post/);
    expect((await post({ link, importance: "urgent" })).body.error).toBe(
      "importance: expected one of normal, important, significant",
    );
    expect((await post({ link, postedAt: "вчера" })).body.error).toMatch(
      /^postedAt: expected an ISO 8601 time/,
    );
    expect((await post({ link, postedAt: "2026-11-25T10:00:00+05:00" })).body.error).toBe(
      "postedAt: expected a time that has come, not one in the future",
    );
    // Monitoring software's «no date» is no date of the post: the deadlines would run from year 1.
    expect((await post({ link, postedAt: "0001-01-01T00:00:00+00:00" })).body.error).toBe(
      "postedAt: expected a time within a year before now; leave it out if unknown",
    );
    expect((await post({ link: 5 })).body.error).toBe("link: expected a string");
    expect((await post({ link, author: "А".repeat(301) })).body.error).toBe(
      "author: expected at most 300 characters",
    );
    expect((await post({ link, extra: 1 })).status).toBe(400);
    expect((await post({ link, text: "я".repeat(70_000) })).status).toBe(413);
    const get = await fetch(intake.url);
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
    expect(cards()).toEqual([]);
    expect(loadIncident(h.db, 1)).toBeUndefined();
  });
});
