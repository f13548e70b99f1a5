import { eq } from "drizzle-orm";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadIncident } from "../../src/app/incidents.js";
import { syncCards } from "../../src/bot/cards.js";
import { people } from "../../src/db/schema.js";
import { sweep } from "../../src/jobs/sweep.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import {
  OFFICE,
  seedDraft,
  seedIncidentInWork,
  seedOffice,
  seedRegistered,
  showCards,
} from "../support/workflow.js";

const ADMIN = 1001;
let h: Harness;
let health: number;

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
async function office(): Promise<void> {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z", adminIds: [ADMIN] });
  ({ health } = seedOffice(h));
  h.seedPerson(ADMIN, "Анна", ["admin"]);
}
afterEach(() => h.close());

const curator = () => h.user(OFFICE.curator, "Ольга");
const admin = () => h.user(ADMIN, "Анна");
const curatorsChat = () => h.group(OFFICE.curatorsChat, "Кураторы");
const stateOf = (id: number) => loadIncident(h.db, id)?.row.state;
const blocked = (telegramId: number) =>
  h.db.select().from(people).where(eq(people.telegramId, telegramId)).get()?.blockedAt != null;
const cardIn = (chatId: number, id: number) =>
  h.texts(chatId).find((text) => text.startsWith(`Сообщение № ${id} · `)) ?? "";
const unreachableNotices = () =>
  admin()
    .texts()
    .filter((text) => text.startsWith("Бот не может писать в чат"));
const callsTo = (chatId: number) =>
  h.fake.calls.filter((call) => call.params.chat_id === chatId && call.method !== "getChat").length;

/** The curator routes the post to the health ministry from the card in the curators' chat. */
async function routeToHealth(id: number): Promise<void> {
  const button = h.fake.buttons(OFFICE.curatorsChat).find((b) => b.callbackData === `inc.route:${id}`);
  if (!button?.callbackData) throw new Error(`no «Направить» on № ${id}`);
  await h.deliver(updates.callback(curator().tg, button.message, button.callbackData));
  await curator().press(/Минздрав/, curatorsChat());
  await curator().press("Готово", curatorsChat());
}

async function register(n: number): Promise<number> {
  const id = seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
  await showCards(h, id);
  return id;
}

describe("an executor who blocked the bot (Telegram said so only when a card was sent)", () => {
  it("routing goes through; the executor shows as blocked in «Сотрудники» and is not written to again", async () => {
    await office();
    const id = await register(1);
    h.fake.setChatMember(OFFICE.executor, h.bot.botInfo.id, "kicked");
    await routeToHealth(id);

    expect(stateOf(id)).toBe("assigned");
    expect(cardIn(OFFICE.healthChat, id)).toMatch(/Состояние: направлено/);
    expect(cardIn(OFFICE.curatorsChat, id)).toMatch(/Состояние: направлено/);
    expect(h.texts(OFFICE.executor)).toEqual([]);
    expect(blocked(OFFICE.executor)).toBe(true);
    // A person is no chat to rebind: the admins are not told, they see it on the person's card.
    expect(unreachableNotices()).toEqual([]);
    await admin().send("/people");
    await admin().press(/Иван/);
    expect(admin().lastText()).toMatch(
      /^С 24\.11\.2026 10:00 бот не может писать сотруднику: бот заблокирован или аккаунт удалён\./m,
    );

    // The work chat carries on; the blocked executor's chat is not tried again.
    const tried = callsTo(OFFICE.executor);
    await h.user(OFFICE.executor, "Иван").press("Взять в работу", h.group(OFFICE.healthChat, "Минздрав"));
    expect(stateOf(id)).toBe("in_work");
    expect(callsTo(OFFICE.executor)).toBe(tried);
  });

  it("an approval goes through; the executor who blocked the bot since shows as blocked", async () => {
    await office();
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id);
    expect(cardIn(OFFICE.executor, id)).not.toBe("");
    // Telegram refuses the edit of the card there as it refuses a new message.
    h.fake.setChatMember(OFFICE.executor, h.bot.botInfo.id, "kicked");

    expect(await curator().press("Согласовать", curatorsChat())).toBe("Ответ по сообщению № 1 согласован.");
    expect(stateOf(id)).toBe("approved");
    expect(cardIn(OFFICE.healthChat, id)).toMatch(/Состояние: согласовано, ждёт размещения/);
    expect(cardIn(OFFICE.executor, id)).not.toMatch(/согласовано/);
    expect(blocked(OFFICE.executor)).toBe(true);
    expect(unreachableNotices()).toEqual([]);
  });
});

describe("a person marked as blocking the bot: their cards are left alone until they unblock", () => {
  it("the old private card is not edited on every sync, and «Сотрудники» keeps when the bot first found out", async () => {
    await office();
    const id = await seedIncidentInWork(h, health);
    expect(cardIn(OFFICE.executor, id)).toMatch(/Состояние: в работе/);
    h.fake.setChatMember(OFFICE.executor, h.bot.botInfo.id, "kicked");
    h.clock.set("2026-11-24T05:01:00Z");
    await showCards(h, id); // 10:01: the edit of his card (its time left) is refused, so the bot learns it
    expect(blocked(OFFICE.executor)).toBe(true);
    const tried = callsTo(OFFICE.executor);

    for (const at of ["2026-11-24T06:00:00Z", "2026-11-24T07:00:00Z", "2026-11-25T05:00:00Z"]) {
      h.clock.set(at);
      await showCards(h, id);
      await sweep(h.deps());
    }
    expect(callsTo(OFFICE.executor)).toBe(tried);
    await admin().send("/people");
    await admin().press(/Иван/);
    expect(admin().lastText()).toMatch(/^С 24\.11\.2026 10:01 бот не может писать сотруднику/m);
  });

  it("once he unblocks the bot his card is brought up to date again", async () => {
    await office();
    const id = await seedIncidentInWork(h, health);
    h.fake.setChatMember(OFFICE.executor, h.bot.botInfo.id, "kicked");
    await seedDraft(h, id);
    expect(cardIn(OFFICE.executor, id)).toMatch(/Состояние: в работе/);

    const executor = h.user(OFFICE.executor, "Иван");
    h.fake.setChatMember(OFFICE.executor, h.bot.botInfo.id, "member");
    await h.deliver(updates.myChatMember(executor.chat, executor.tg, "kicked", "member", h.fake.botUser));
    await showCards(h, id);
    expect(blocked(OFFICE.executor)).toBe(false);
    expect(cardIn(OFFICE.executor, id)).toMatch(/Состояние: на согласовании/);
  });

  it("a curator's private card (asked for with /find) is left alone too while he blocks the bot", async () => {
    await office();
    const id = await register(1);
    await curator().send(`/find ${id}`);
    expect(cardIn(OFFICE.curator, id)).not.toBe("");
    h.fake.setChatMember(OFFICE.curator, h.bot.botInfo.id, "kicked");
    await routeToHealth(id);
    expect(blocked(OFFICE.curator)).toBe(true);
    const tried = callsTo(OFFICE.curator);

    await h.user(OFFICE.executor, "Иван").press("Взять в работу", h.group(OFFICE.healthChat, "Минздрав"));
    expect(stateOf(id)).toBe("in_work");
    expect(callsTo(OFFICE.curator)).toBe(tried);
  });
});

describe("a private chat that refuses with a Bad Request", () => {
  it.each(["Bad Request: user is deactivated", "Bad Request: chat not found"])(
    "«%s» on the executor's card: he is marked as unreachable and not written to again",
    async (description) => {
      await office();
      const id = await register(1);
      h.fake.failNext(
        "sendMessage",
        { error_code: 400, description },
        { match: (params) => params.chat_id === OFFICE.executor, times: 100 },
      );
      await routeToHealth(id);
      expect(stateOf(id)).toBe("assigned");
      expect(blocked(OFFICE.executor)).toBe(true);
      expect(unreachableNotices()).toEqual([]);

      const tried = callsTo(OFFICE.executor);
      await h.user(OFFICE.executor, "Иван").press("Взять в работу", h.group(OFFICE.healthChat, "Минздрав"));
      expect(stateOf(id)).toBe("in_work");
      expect(callsTo(OFFICE.executor)).toBe(tried);
    },
  );
});

describe("the admins, told of a chat that refuses", () => {
  const SECOND_ADMIN = 1002;

  it("an admin who blocks the bot is not tried; the others are told", async () => {
    await office();
    h.seedPerson(SECOND_ADMIN, "Борис", ["admin"]);
    h.fake.setChatMember(SECOND_ADMIN, h.bot.botInfo.id, "kicked");
    const boris = h.user(SECOND_ADMIN, "Борис");
    await h.deliver(updates.myChatMember(boris.chat, boris.tg, "member", "kicked", h.fake.botUser));
    const id = await register(1);
    h.fake.setChatMember(OFFICE.healthChat, h.bot.botInfo.id, "kicked");
    await routeToHealth(id);

    expect(unreachableNotices()).toHaveLength(1);
    expect(callsTo(SECOND_ADMIN)).toBe(0);
  });

  it("a notice Telegram could not take for now (502) is told at the chat's next refusal, once", async () => {
    await office();
    const id = await register(1);
    h.fake.setChatMember(OFFICE.healthChat, h.bot.botInfo.id, "kicked");
    h.fake.failNext(
      "sendMessage",
      { error_code: 502, description: "Bad Gateway" },
      { match: (params) => params.chat_id === ADMIN },
    );
    await routeToHealth(id);
    expect(unreachableNotices()).toEqual([]);
    for (const at of ["2026-11-24T05:10:00Z", "2026-11-24T05:20:00Z"]) {
      h.clock.set(at);
      const incident = loadIncident(h.db, id);
      if (!incident) throw new Error("no incident");
      await syncCards(h.deps(), incident);
    }
    expect(unreachableNotices()).toHaveLength(1);
  });

  it("with every admin blocking the bot nobody is tried, and the notice is logged as an error", async () => {
    await office();
    h.fake.setChatMember(ADMIN, h.bot.botInfo.id, "kicked");
    await h.deliver(updates.myChatMember(admin().chat, admin().tg, "member", "kicked", h.fake.botUser));
    const id = await register(1);
    h.fake.setChatMember(OFFICE.healthChat, h.bot.botInfo.id, "kicked");
    const errors: string[] = [];
    const log = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });
    const incident = loadIncident(h.db, id);
    if (!incident) throw new Error("no incident");

    await syncCards({ ...h.deps(), log }, incident, [
      { chatId: OFFICE.healthChat, audience: { kind: "observer" } },
    ]);
    expect(callsTo(ADMIN)).toBe(0);
    expect(errors.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        msg: "no admin can be told: every admin blocks the bot",
        text: expect.stringContaining(`Бот не может писать в чат «Минздрав: обращения»`),
      }),
    ]);
  });
});

describe("what the admins are told of a refusing chat fits what it serves", () => {
  it("the curators' chat: the cards and notices do not reach it, the deadline alerts go to each curator privately", async () => {
    await office();
    h.fake.setChatMember(OFFICE.curatorsChat, h.bot.botInfo.id, "kicked");
    await register(1);
    expect(unreachableNotices()).toEqual([
      `Бот не может писать в чат «Кураторы» (кураторы, ${OFFICE.curatorsChat}): бот удалён из чата или заблокирован. ` +
        "Карточки сообщений и уведомления в этот чат не доходят; напоминания о сроках бот шлёт кураторам лично. " +
        "Верните бота в чат или привяжите новый: /bind.",
    ]);

    h.clock.set("2026-11-24T05:20:00Z"); // 10:20: 10 minutes before the routing deadline (p.6)
    await sweep(h.deps());
    for (const chatId of [OFFICE.curator, OFFICE.curator2])
      expect(h.texts(chatId)).toEqual([
        "Не удалось доставить в чат кураторов (бот удалён или заблокирован):\n\n" +
          "⏰ Сообщение № 1: направить исполнителю до 24.11.2026 10:30 (п. 6 регламента) — осталось 10 мин рабочего времени.",
      ]);
    expect(unreachableNotices()).toHaveLength(1);
  });

  it("a chat not bound to anything: no word of alerts going elsewhere", async () => {
    await office();
    const id = await register(1);
    const OTHER = -900;
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was kicked from the group chat" },
      { match: (params) => params.chat_id === OTHER },
    );
    const incident = loadIncident(h.db, id);
    if (!incident) throw new Error("no incident");
    await syncCards(h.deps(), incident, [{ chatId: OTHER, audience: { kind: "observer" } }]);
    expect(unreachableNotices()).toEqual([
      `Бот не может писать в чат ${OTHER}: бот удалён из чата или заблокирован. ` +
        "Чат не привязан ни к органу, ни к кураторам. Если он нужен для работы, верните бота в чат и привяжите его: /bind.",
    ]);
  });
});

describe("a notice refused where the card still went", () => {
  it("the approval notice to the executor who blocked the bot marks him blocked; the work chat's refusal reaches the admins", async () => {
    await office();
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id);
    // Only new messages are refused: the cards are edited in place, the notices are sent.
    const refusals: [number, { error_code: number; description: string }][] = [
      [OFFICE.executor, { error_code: 403, description: "Forbidden: bot was blocked by the user" }],
      [OFFICE.healthChat, { error_code: 403, description: "Forbidden: bot was kicked from the group chat" }],
    ];
    for (const [chatId, refusal] of refusals)
      h.fake.failNext("sendMessage", refusal, { match: (params) => params.chat_id === chatId, times: 100 });

    expect(await curator().press("Согласовать", curatorsChat())).toBe("Ответ по сообщению № 1 согласован.");
    expect(stateOf(id)).toBe("approved");
    expect(cardIn(OFFICE.executor, id)).toMatch(/Состояние: согласовано, ждёт размещения/);
    expect(blocked(OFFICE.executor)).toBe(true);
    expect(unreachableNotices()).toHaveLength(1);
    expect(unreachableNotices()[0]).toContain(String(OFFICE.healthChat));
  });
});

describe("a bound work chat that refuses the cards", () => {
  it.each([
    { error_code: 403, description: "Forbidden: bot was kicked from the group chat" },
    { error_code: 400, description: "Bad Request: chat not found" },
    { error_code: 400, description: "Bad Request: not enough rights to send text messages to the chat" },
  ])("«$description»: the routings go through, the admins are told once which chat", async (refusal) => {
    await office();
    const first = await register(1);
    const second = await register(2);
    h.fake.failNext("sendMessage", refusal, {
      match: (params) => params.chat_id === OFFICE.healthChat,
      times: 100,
    });
    await routeToHealth(first);
    await routeToHealth(second);

    expect([stateOf(first), stateOf(second)]).toEqual(["assigned", "assigned"]);
    expect(h.texts(OFFICE.healthChat)).toEqual([]);
    for (const id of [first, second]) {
      expect(cardIn(OFFICE.curatorsChat, id)).toMatch(/Состояние: направлено/);
      expect(cardIn(OFFICE.executor, id)).toMatch(/Взять в работу|Состояние: направлено/);
    }
    expect(unreachableNotices()).toEqual([
      `Бот не может писать в чат «Минздрав: обращения» (Министерство здравоохранения, ${OFFICE.healthChat}): ` +
        "бот удалён из чата или заблокирован. Напоминания по нему идут кураторам. " +
        "Верните бота в чат или привяжите новый: /bind.",
    ]);
    expect(blocked(OFFICE.executor)).toBe(false);
  });

  it("the deadline sweep then finds the same chat refusing: the curators get its alert, the admins hear nothing new", async () => {
    await office();
    const id = await register(1);
    h.fake.setChatMember(OFFICE.healthChat, h.bot.botInfo.id, "kicked");
    await routeToHealth(id);
    expect(unreachableNotices()).toHaveLength(1);

    h.clock.set("2026-11-24T10:30:00Z"); // 15:30: half an hour left for the draft (p.9)
    await sweep(h.deps());
    expect(
      h.texts(OFFICE.curatorsChat).some((text) => text.startsWith("Не удалось доставить в рабочий чат")),
    ).toBe(true);
    expect(unreachableNotices()).toHaveLength(1);
  });
});

describe("a work chat that becomes a supergroup as its card is sent", () => {
  it("the card the new id got is the one edited at the next change: one card there, up to date", async () => {
    await office();
    const id = await register(1);
    const supergroup = -1001234567890;
    // Telegram's service message has not reached the bot yet: the routing's card goes to the old id.
    h.fake.pushUpdate(
      updates.migrateToChat(h.group(OFFICE.healthChat, "Минздрав: обращения"), admin().tg, supergroup),
    );
    await routeToHealth(id);
    expect(cardIn(supergroup, id)).toMatch(/Состояние: направлено/);

    await h.user(OFFICE.executor, "Иван").press("Взять в работу", h.group(supergroup, "Минздрав: обращения"));
    expect(stateOf(id)).toBe("in_work");
    const cards = h.texts(supergroup).filter((text) => text.startsWith(`Сообщение № ${id} · `));
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatch(/Состояние: в работе/);
    expect(h.fake.buttons(supergroup).map((b) => b.label)).not.toContain("Взять в работу");
  });
});

describe("a message Telegram rejects for what it is, not for the chat (a bug on the bot's side)", () => {
  const rejections = [
    { error_code: 400, description: "Bad Request: message is too long" },
    {
      error_code: 400,
      description: "Bad Request: can't parse entities: Unsupported start tag at byte offset 0",
    },
    { error_code: 400, description: "Bad Request: BUTTON_DATA_INVALID" },
  ];

  it.each(rejections)(
    "«$description» on the work chat's card: the routing goes through, the admins hear of no unreachable chat",
    async (rejection) => {
      await office();
      const id = await register(1);
      h.fake.failNext("sendMessage", rejection, {
        match: (params) => params.chat_id === OFFICE.healthChat,
        times: 100,
      });
      await routeToHealth(id);

      expect(stateOf(id)).toBe("assigned");
      expect(h.texts(OFFICE.healthChat)).toEqual([]);
      expect(cardIn(OFFICE.curatorsChat, id)).toMatch(/Состояние: направлено/);
      expect(unreachableNotices()).toEqual([]);
    },
  );

  it("a card Telegram rejects as too long is logged as an error naming the chat and the incident; a chat that refuses its card only as a warning", async () => {
    await office();
    const id = await seedIncidentInWork(h, health);
    const inChat = (chatId: number) => ({
      match: (params: Record<string, unknown>) => params.chat_id === chatId,
    });
    h.fake.failNext(
      "editMessageText",
      { error_code: 400, description: "Bad Request: message is too long" },
      inChat(OFFICE.healthChat),
    );
    h.fake.failNext(
      "editMessageText",
      { error_code: 403, description: "Forbidden: bot was kicked from the supergroup chat" },
      inChat(OFFICE.curatorsChat),
    );
    const lines: string[] = [];
    const log = pino({ level: "warn" }, { write: (line: string) => void lines.push(line) });
    const incident = loadIncident(h.db, id);
    if (!incident) throw new Error("no incident");

    h.clock.advance(5 * 60_000); // the cards' time left is edited
    await syncCards({ ...h.deps(), log }, incident);
    const logged = lines.map((line) => JSON.parse(line));
    expect(logged.filter((entry) => entry.level === 50)).toEqual([
      expect.objectContaining({
        msg: "card rejected by Telegram",
        chatId: OFFICE.healthChat,
        incidentId: id,
        error: "Bad Request: message is too long",
      }),
    ]);
    expect(logged.filter((entry) => entry.level === 40).map((entry) => entry.chatId)).toEqual([
      OFFICE.curatorsChat,
    ]);
    expect(unreachableNotices()).toHaveLength(1);
    expect(unreachableNotices()[0]).toContain(String(OFFICE.curatorsChat));
  });

  it("an overdue alert the work chat's Telegram rejects as too long: logged as an error; the others get theirs, the curators get no «не удалось доставить», the admins nothing", async () => {
    await office();
    await seedIncidentInWork(h, health);
    h.fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: message is too long" },
      { match: (params) => params.chat_id === OFFICE.healthChat, times: 100 },
    );
    const errors: string[] = [];
    const log = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });

    h.clock.set("2026-11-24T11:01:00Z"); // 16:01: the draft is overdue (p.9)
    await expect(sweep({ ...h.deps(), log })).resolves.toMatchObject({ sent: 2 });
    const overdue = "❗ Сообщение № 1: срок «прислать проект ответа куратору» истёк";
    for (const chatId of [OFFICE.executor, OFFICE.curatorsChat])
      expect(h.texts(chatId).filter((text) => text.includes(overdue))).toHaveLength(1);
    expect(h.texts(OFFICE.curatorsChat).some((text) => text.startsWith("Не удалось доставить"))).toBe(false);
    expect(unreachableNotices()).toEqual([]);
    expect(errors.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ chatId: OFFICE.healthChat, error: "Bad Request: message is too long" }),
    ]);

    // Sent again it would be rejected again: a later tick does not try.
    const tried = callsTo(OFFICE.healthChat);
    h.clock.set("2026-11-24T11:10:00Z");
    await sweep(h.deps());
    expect(callsTo(OFFICE.healthChat)).toBe(tried);
  });

  it("the same alert refused with «chat not found»: the curators get it instead and the admins are told which chat", async () => {
    await office();
    await seedIncidentInWork(h, health);
    h.fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: chat not found" },
      { match: (params) => params.chat_id === OFFICE.healthChat, times: 100 },
    );

    h.clock.set("2026-11-24T11:01:00Z");
    await sweep(h.deps());
    expect(
      h.texts(OFFICE.curatorsChat).some((text) => text.startsWith("Не удалось доставить в рабочий чат")),
    ).toBe(true);
    expect(unreachableNotices()).toHaveLength(1);
    expect(unreachableNotices()[0]).toContain(String(OFFICE.healthChat));
  });
});
