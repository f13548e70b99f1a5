import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { submitDraft } from "../../src/app/answers.js";
import { unbindChat } from "../../src/app/chats.js";
import { acceptIncident, loadIncident, routeIncident } from "../../src/app/incidents.js";
import { findPerson, grantRole } from "../../src/app/people.js";
import { tr } from "../../src/bot/texts-reports.js";
import { auditEvents, conversationStates, drafts, people, roleGrants } from "../../src/db/schema.js";
import type { Person } from "../../src/domain/access.js";
import { remindUnpostedClaims } from "../../src/jobs/curator-posting.js";
import { morningDigests } from "../../src/jobs/digest.js";
import { sweep } from "../../src/jobs/sweep.js";
import { buildMonthlyReport } from "../../src/reports/figures.js";
import { Harness, type HarnessOptions, type TestUser } from "../support/bot-harness.js";
import { tgUser, updates } from "../support/updates.js";
import {
  diedAfter,
  OFFICE,
  seedDraft,
  seedIncidentInWork,
  seedOffice,
  seedRegistered,
  showCards,
} from "../support/workflow.js";

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";
const MINUTE = 60_000;

let h: Harness;

afterEach(() => h.close());

const curatorsChat = () => h.group(OFFICE.curatorsChat, "Кураторы");
const healthChat = () => h.group(OFFICE.healthChat, "Минздрав: обращения");
const curator = () => h.user(OFFICE.curator, "Ольга");
const curator2 = () => h.user(OFFICE.curator2, "Светлана");
const executor = () => h.user(OFFICE.executor, "Иван");

/** A staffed office with one incident taken into work at 10:00 (detection, routing and receipt). */
async function officeWithIncident(options: HarnessOptions = { now: TUESDAY_10 }): Promise<number> {
  h = await Harness.start(options);
  const { health } = seedOffice(h);
  return seedIncidentInWork(h, health);
}

function cardIn(chatId: number, id: number) {
  const card = h.fake.messages(chatId).find((m) => m.text?.startsWith(`Сообщение № ${id} · `));
  if (!card) throw new Error(`no card of № ${id} in chat ${chatId}`);
  return card;
}

function cardText(chatId: number, id: number): string {
  return cardIn(chatId, id).text ?? "";
}

function labels(chatId: number, id: number): string[] {
  const card = cardIn(chatId, id);
  return h.fake
    .buttons(chatId)
    .filter((b) => b.message.message_id === card.message_id)
    .map((b) => b.label);
}

/** Presses a button with exactly this data on the card in the chat, even one the card does not show. */
async function pressData(user: TestUser, chatId: number, data: string): Promise<string | undefined> {
  const card = h.fake.messages(chatId).find((m) => m.text?.startsWith("Сообщение № "));
  if (!card) throw new Error(`no card in chat ${chatId}`);
  const update = await h.deliver(updates.callback(user.tg, card, data));
  return h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text as string | undefined;
}

function state(id: number) {
  return loadIncident(h.db, id)?.row.state;
}

function auditActions(id: number): string[] {
  return h.db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(and(eq(auditEvents.entity, "incident"), eq(auditEvents.entityId, String(id))))
    .all()
    .map((e) => e.action);
}

describe("approval", () => {
  it("a significant post's approval at night rings: its answer is awaited at once", async () => {
    h = await Harness.start({ now: TUESDAY_10 });
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health, { importance: "significant" });
    await seedDraft(h, id);
    h.clock.set("2026-11-24T17:00:00Z"); // 22:00 in Yekaterinburg
    await curator().press("Согласовать", curatorsChat());
    const notices = h.fake
      .callsOf("sendMessage")
      .filter((c) => String(c.params.text).startsWith("Ответ по сообщению № 1 согласован. Разместите"));
    expect(notices.map((c) => c.params.disable_notification)).toEqual([false, false]);
  });

  it("approved at night, the notices go without sound; by day, with it", async () => {
    const id = await officeWithIncident();
    const organizationOfCard = () => loadIncident(h.db, id)?.assignments[0]?.organizationId ?? 0;
    await seedDraft(h, id);
    h.clock.set("2026-11-24T17:00:00Z"); // 22:00 in Yekaterinburg
    await curator().press("Согласовать", curatorsChat());
    const notices = () =>
      h.fake
        .callsOf("sendMessage")
        .filter((c) => String(c.params.text).startsWith("Ответ по сообщению № 1 согласован. Разместите"));
    expect(notices().map((c) => [Number(c.params.chat_id), c.params.disable_notification])).toEqual([
      [OFFICE.healthChat, true],
      [OFFICE.executor, true],
    ]);

    // By day the same notice rings.
    const second = await seedIncidentInWork(h, organizationOfCard(), { link: "https://vk.com/wall-1_2" });
    h.clock.set("2026-11-25T05:00:00Z"); // Wednesday 10:00
    await seedDraft(h, second);
    const button = h.fake
      .buttons(OFFICE.curatorsChat)
      .find((b) => b.callbackData?.startsWith(`inc.ok:${second}`));
    if (!button?.callbackData) throw new Error("no approve button");
    await h.deliver(updates.callback(curator().tg, button.message, button.callbackData));
    const byDay = h.fake
      .callsOf("sendMessage")
      .filter((c) =>
        String(c.params.text).startsWith(`Ответ по сообщению № ${second} согласован. Разместите`),
      );
    expect(byDay.map((c) => c.params.disable_notification)).toEqual([undefined, undefined]);
  });

  it("a curator approves in one tap: cards change and the executor is told where and by when to publish", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    expect(labels(OFFICE.curatorsChat, id)).toEqual([
      "Согласовать",
      "На доработку",
      "Переназначить",
      "Оскорбительное",
      "Угроза",
      "Изменить сведения",
      "История",
    ]);

    h.clock.advance(20 * MINUTE);
    expect(await curator().press("Согласовать", curatorsChat())).toBe("Ответ по сообщению № 1 согласован.");

    expect(state(id)).toBe("approved");
    expect(cardText(OFFICE.curatorsChat, id)).toContain("Состояние: согласовано, ждёт размещения");
    expect(labels(OFFICE.curatorsChat, id)).toEqual(["Переназначить", "Изменить сведения", "История"]);
    for (const chatId of [OFFICE.healthChat, OFFICE.executor]) {
      expect(cardText(chatId, id)).toContain("Состояние: согласовано, ждёт размещения");
      // Approved 10:20; published within 30 working minutes (p.12), before the answer deadline (p.8).
      expect(cardText(chatId, id)).toContain(
        "Срок: 24.11.2026 10:50 — разместить согласованный ответ (п. 12)",
      );
      expect(labels(chatId, id)).toEqual(["Размещено", "История"]);
      expect(h.lastText(chatId)).toBe(
        "Ответ по сообщению № 1 согласован. Разместите его во ВКонтакте и нажмите «Размещено».\n" +
          "Разместить до 24.11.2026 10:50.\n\n" +
          "Согласованный текст:\n" +
          "Здравствуйте! Снег вывезут до пятницы.",
      );
      // «Размещено» right under the text to copy, as on the card, which may be far up the chat.
      const notice = h.fake.lastMessage(chatId);
      expect(
        h.fake
          .buttons(chatId)
          .filter((b) => b.message.message_id === notice?.message_id)
          .map((b) => [b.label, b.callbackData]),
      ).toEqual([["Размещено", `inc.pub:${id}`]]);
    }
    expect(auditActions(id)).toContain("approve");
  });

  it("approved when the answer deadline has passed: the notice says so, to post it at once, and the posting's deadline still running", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    h.clock.set("2026-11-25T06:10:00Z"); // Wednesday 11:10: the answer was due at 11:00 (p.8)
    await curator().press("Согласовать", curatorsChat());
    for (const chatId of [OFFICE.healthChat, OFFICE.executor]) {
      // Posting within 30 working minutes of the approval (p.12), as the card and the reminders say.
      expect(h.lastText(chatId)).toBe(
        "Ответ по сообщению № 1 согласован. Срок ответа истёк 25.11.2026 11:00: " +
          "разместите его во ВКонтакте сразу и нажмите «Размещено».\n" +
          "Разместить до 25.11.2026 11:40.\n\n" +
          "Согласованный текст:\n" +
          "Здравствуйте! Снег вывезут до пятницы.",
      );
      expect(cardText(chatId, id)).toContain(
        "Срок: 25.11.2026 11:40 — разместить согласованный ответ (п. 12)",
      );
    }
  });

  it("approved after the answer deadline under Georgievsk, which times the posting by it (p.12, 16): the notice says the deadline is over", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id);
    h.clock.set("2026-11-24T12:10:00Z"); // 15:10: the answer was due at 15:00, 4 working hours from routing
    await curator().press("Согласовать", curatorsChat());
    expect(h.lastText(OFFICE.healthChat)).toMatch(
      /^Ответ по сообщению № 1 согласован\. Срок размещения истёк 24\.11\.2026 15:00: разместите его во ВКонтакте сразу и нажмите «Размещено»\.\n\n/,
    );
  });

  it("a long approved text comes whole in a message of its own, for a colleague to copy; its files come on request", async () => {
    const id = await officeWithIncident();
    // 4000 characters with no line break: with the notice they pass one message's 4096.
    const text = `${"Снег во дворе вывезут до пятницы, дворник назначен. ".repeat(78)}Спасибо 🙏`.slice(
      -4000,
    );
    const photo = { type: "photo" as const, fileId: "ph-1", fileUniqueId: "u-1" };
    submitDraft(h.db, {
      incidentId: id,
      actor: findPerson(h.db, OFFICE.executor) as Person,
      now: h.clock.now(),
      content: { text, attachments: [photo] },
    });
    await showCards(h, id);
    await curator().press("Согласовать", curatorsChat());
    for (const chatId of [OFFICE.healthChat, OFFICE.executor]) {
      expect(h.texts(chatId).slice(-2)).toEqual([
        "Ответ по сообщению № 1 согласован. Разместите его во ВКонтакте и нажмите «Размещено».\n" +
          "Разместить до 24.11.2026 10:30.\n" +
          "Вложений к нему: 1 — кнопка «Вложения» пришлёт их сюда.\n\n" +
          "Согласованный текст:",
        text,
      ]);
    }
    expect(h.fake.callsOf("sendPhoto")).toEqual([]);
    // A colleague standing in asks for them in the work chat; someone of another organization may not.
    const colleague = h.seedPerson(
      3002,
      "Мария",
      [],
      [loadIncident(h.db, id)?.assignments[0]?.organizationId ?? 0],
    );
    expect(await colleague.press("Вложения (1)", healthChat())).toBe("Вложения отправлены в этот чат.");
    // A double tap sends them once.
    expect(await colleague.press("Вложения (1)", healthChat())).toBe(
      "Вложения только что отправлены — они выше.",
    );
    expect(
      h.fake.callsOf("sendPhoto").map((c) => [c.params.chat_id, c.params.photo, c.params.caption]),
    ).toEqual([[OFFICE.healthChat, "ph-1", "Вложения согласованного ответа по сообщению № 1"]]);
    const other = h.seedPerson(3003, "Олег", [], [h.seedOrganization("Министерство культуры", "Минкульт")]);
    const button = h.fake.findButton(OFFICE.healthChat, "Вложения (1)");
    const refused = await h.deliver(updates.callback(other.tg, button.message, button.callbackData));
    expect(h.fake.callbackAnswer(refused.callback_query?.id ?? "")?.text).toBe(
      "Вложения ответа по сообщению № 1 получают кураторы и исполнители органа, которому оно направлено.",
    );
    expect(h.fake.callsOf("sendPhoto")).toHaveLength(1);
  });

  it("with no work chat the organization's executors are told privately, but not one who blocked the bot", async () => {
    const id = await officeWithIncident();
    const health = loadIncident(h.db, id)?.assignments[0]?.organizationId ?? 0;
    unbindChat(h.db, { chatId: OFFICE.healthChat, actorId: null, reason: "admin", now: h.clock.now() });
    const MARIA = 3002;
    const maria = h.seedPerson(MARIA, "Мария", [], [health]);
    h.fake.setChatMember(MARIA, h.bot.botInfo.id, "kicked");
    await h.deliver(updates.myChatMember(maria.chat, maria.tg, "member", "kicked", h.fake.botUser));
    await seedDraft(h, id);

    expect(await curator().press("Согласовать", curatorsChat())).toBe("Ответ по сообщению № 1 согласован.");
    expect(executor().lastText()).toMatch(/^Ответ по сообщению № 1 согласован\./);
    expect(h.fake.calls.filter((call) => call.params.chat_id === MARIA)).toEqual([]);
  });

  it("nobody at the organization can get the approval: the curators hear it, saying whose it was", async () => {
    const id = await officeWithIncident();
    unbindChat(h.db, { chatId: OFFICE.healthChat, actorId: null, reason: "admin", now: h.clock.now() });
    await seedDraft(h, id);
    // The only executor blocks the bot after sending his draft: nobody there hears the approval.
    h.fake.setChatMember(OFFICE.executor, h.bot.botInfo.id, "kicked");
    const undelivered =
      "Органу «Министерство здравоохранения» не доставлено: бот не смог написать ни в его рабочий чат, ни его исполнителям.";
    expect(await curator().press("Согласовать", curatorsChat())).toBe("Ответ по сообщению № 1 согласован.");
    const approval = h.texts(OFFICE.curatorsChat).find((text) => text.endsWith(undelivered));
    expect(approval).toMatch(/^Ответ по сообщению № 1 согласован\. Разместите его во ВКонтакте/);
    expect(approval).toContain("Разместить до 24.11.2026 10:30.");
  });

  it("news the curators get anyway is not sent them twice: a curator posting himself, the organization unreachable", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true });
    await curator().press("Размещу лично", curatorsChat());
    h.fake.setChatMember(OFFICE.healthChat, h.bot.botInfo.id, "kicked");
    h.fake.setChatMember(OFFICE.executor, h.bot.botInfo.id, "kicked");
    const mark = h.texts(OFFICE.curatorsChat).length;
    await curator().send("https://vk.com/wall-1_1?reply=5", curatorsChat());
    const after = h.texts(OFFICE.curatorsChat).slice(mark);
    expect(after.filter((text) => text.startsWith("Ответ по сообщению № 1 размещён"))).toHaveLength(1);
    expect(after.filter((text) => text.includes("не доставлено"))).toEqual([]);
  });

  it("the rework nobody at the organization can get goes to the curators too", async () => {
    const id = await officeWithIncident();
    unbindChat(h.db, { chatId: OFFICE.healthChat, actorId: null, reason: "admin", now: h.clock.now() });
    await seedDraft(h, id);
    h.fake.setChatMember(OFFICE.executor, h.bot.botInfo.id, "kicked");
    await curator().press("На доработку", curatorsChat());
    await curator().send("Уточните сроки вывоза.", curatorsChat());
    expect(h.texts(OFFICE.curatorsChat).filter((text) => text.includes("не доставлено"))).toEqual([
      expect.stringMatching(
        /^Сообщение № 1: проект ответа возвращён на доработку\.\nКомментарий куратора: «Уточните сроки вывоза»\./,
      ),
    ]);
  });

  it("an executor cannot approve, and neither can a curator his own draft", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    expect(await pressData(executor(), OFFICE.curatorsChat, `inc.ok:${id}`)).toBe(
      "Согласовывать ответы и возвращать их на доработку может только куратор.",
    );
    // The executor who wrote the draft is also made a curator: still not his own draft.
    const executorId =
      h.db.select().from(people).where(eq(people.telegramId, OFFICE.executor)).get()?.id ?? 0;
    grantRole(h.db, executorId, "curator", null, h.clock.now());
    expect(await pressData(executor(), OFFICE.curatorsChat, `inc.ok:${id}`)).toBe(
      "Это ваш проект ответа: согласовать его или вернуть может другой куратор.",
    );
    expect(await pressData(executor(), OFFICE.curatorsChat, `inc.rework:${id}`)).toBe(
      "Это ваш проект ответа: согласовать его или вернуть может другой куратор.",
    );
    expect(state(id)).toBe("on_approval");
    expect(auditActions(id)).not.toContain("approve");
  });

  it("two curators pressing at once: one approves, the other is told who already did", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    const card = cardIn(OFFICE.curatorsChat, id);
    const presses = [curator(), curator2()].map((user) => updates.callback(user.tg, card, `inc.ok:${id}`));
    const delivered = await Promise.all(presses.map((update) => h.deliver(update)));
    const answers = delivered.map(
      (update) => h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text as string | undefined,
    );

    const approved = answers.filter((a) => a === "Ответ по сообщению № 1 согласован.");
    expect(approved).toHaveLength(1);
    const other = answers.find((a) => a !== approved[0]);
    expect(other).toMatch(/^Уже согласовано: (Ольга|Светлана), 24\.11\.2026 10:00\.$/);
    expect(auditActions(id).filter((a) => a === "approve")).toHaveLength(1);
    expect(
      h.texts(OFFICE.healthChat).filter((text) => text.startsWith("Ответ по сообщению № 1 согласован")),
    ).toHaveLength(1);

    expect(labels(OFFICE.curatorsChat, id)).not.toContain("Согласовать");
    expect(await pressData(curator2(), OFFICE.curatorsChat, `inc.rework:${id}`)).toMatch(
      /^Уже согласовано: /,
    );
  });

  it("«Отмена» under an earlier rework question cancels nothing of the question open now", async () => {
    const one = await officeWithIncident();
    await seedDraft(h, one);
    const health = loadIncident(h.db, one)?.assignments[0]?.organizationId ?? 0;
    const two = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    await seedDraft(h, two);
    await pressData(
      curator(),
      OFFICE.curatorsChat,
      `inc.rework:${one}:${loadIncident(h.db, one)?.answer?.draftId}`,
    );
    const firstQuestion = h.fake.findButton(OFFICE.curatorsChat, "Отмена");
    await pressData(
      curator(),
      OFFICE.curatorsChat,
      `inc.rework:${two}:${loadIncident(h.db, two)?.answer?.draftId}`,
    );

    const update = await h.deliver(
      updates.callback(curator().tg, firstQuestion.message, firstQuestion.callbackData),
    );
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe(
      "Эта кнопка относится к прошлому вопросу.",
    );
    await curator().send("Укажите дату вывоза.", curatorsChat());
    expect([state(one), state(two)]).toEqual(["on_approval", "in_work"]);
  });

  it("a post a curator forwards while his rework comment is asked is not the comment: it is offered to register", async () => {
    const id = await officeWithIncident();
    unbindChat(h.db, { chatId: OFFICE.curatorsChat, actorId: null, reason: "admin", now: h.clock.now() });
    await seedDraft(h, id); // without a curators' chat, each curator decides privately
    await curator().send(`/find ${id}`);
    await curator().press("На доработку");
    await h.deliver(
      updates.forwarded(curator().chat, curator().tg, "Во дворе прорвало трубу", {
        type: "channel",
        chat: { id: -1009, type: "channel", title: "Город", username: "city_news" },
        message_id: 42,
      }),
    );
    const said = h.texts(OFFICE.curator).slice(-2);
    expect(said[0]).toBe(
      "Пересланный пост не принят как комментарий: вопрос бота закрыт, ниже пост можно зарегистрировать. " +
        "Чтобы вернуться к вопросу, нажмите кнопку на карточке ещё раз.",
    );
    expect(said[1]).toMatch(/^Распознано сообщение:\nTelegram: https:\/\/t\.me\/city_news\/42/);
    expect(state(id)).toBe("on_approval");
    // The comment typed after is not taken either: the question was closed.
    await curator().send("Укажите дату вывоза.");
    expect(state(id)).toBe("on_approval");
  });

  it("a rework comment counts even when its question was deleted from the chat meanwhile", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    await curator().press("На доработку", curatorsChat());
    const question = h.fake.messages(OFFICE.curatorsChat).at(-1);
    // A group admin tidies the chat up.
    await h.bot.api.deleteMessage(OFFICE.curatorsChat, question?.message_id ?? 0);
    await curator().send("Укажите дату вывоза.", curatorsChat());
    expect(state(id)).toBe("in_work");
    expect(loadIncident(h.db, id)?.answer?.reworkComment).toBe("Укажите дату вывоза.");
  });

  it("a button under an earlier draft decides nothing once a new draft came: the curator is told to see it", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id, { text: "Снег вывезут." });
    const first = loadIncident(h.db, id)?.answer?.draftId;
    await curator().press("На доработку", curatorsChat());
    await curator().send("Укажите дату.", curatorsChat());
    await seedDraft(h, id, { text: "Снег вывезут до пятницы, 27.11." });
    const stale =
      "Это прежняя версия проекта по сообщению № 1: исполнитель прислал новую. Решение примите по ней — она ниже.";

    expect(await pressData(curator2(), OFFICE.curatorsChat, `inc.ok:${id}:${first}`)).toBe(stale);
    expect(await pressData(curator2(), OFFICE.curatorsChat, `inc.rework:${id}:${first}`)).toBe(stale);
    expect(state(id)).toBe("on_approval");

    // The card's buttons name the new draft: that one is approved.
    expect(await curator2().press("Согласовать", curatorsChat())).toBe("Ответ по сообщению № 1 согласован.");
    const approved = h.db.select().from(drafts).where(eq(drafts.state, "approved")).all();
    expect(approved.map((d) => d.text)).toEqual(["Снег вывезут до пятницы, 27.11."]);
  });

  it("a decided draft loses its buttons where the curators were shown it; the next one has them", async () => {
    const id = await officeWithIncident();
    const onDrafts = () =>
      h.fake
        .buttons(OFFICE.curatorsChat)
        .filter((b) => b.message.text?.startsWith("Проект ответа"))
        .map((b) => ({ message: b.message, label: b.label, data: b.callbackData }));
    await draftInDialogue("Подготовить ответ", "Снег вывезут.");
    const first = onDrafts();
    expect(first.map((b) => b.label)).toEqual(["Согласовать", "На доработку"]);
    const rework = first[1];
    if (!rework) throw new Error("no rework button");
    await h.deliver(updates.callback(curator().tg, rework.message, rework.data ?? ""));
    await curator().send("Укажите дату.", curatorsChat());
    expect(state(id)).toBe("in_work");
    expect(onDrafts()).toEqual([]);

    await executor().press("Подготовить ответ");
    await executor().press("Начать заново");
    await executor().send("Снег вывезут до пятницы, 27.11.");
    await executor().press("Готово");
    await executor().press("Отправить на согласование");
    const second = onDrafts();
    expect(second.map((b) => b.label)).toEqual(["Согласовать", "На доработку"]);
    expect(second[0]?.message.message_id).not.toBe(rework.message.message_id);
    await curator().press("Согласовать", curatorsChat());
    expect(state(id)).toBe("approved");
    // Approved, it has the curator's optional quality marks there instead.
    expect(onDrafts().map((b) => b.label)).toEqual(["1", "2", "3", "4", "5"]);
    expect(onDrafts()[0]?.message.message_id).toBe(second[0]?.message.message_id);
  });

  it("a draft approved from the card while its message was on its way arrives without the decision buttons", async () => {
    const id = await officeWithIncident();
    await executor().press("Подготовить ответ");
    await executor().send("Снег вывезут до пятницы.");
    await executor().press("Готово");
    // The draft's message to the curators' chat is slow (a busy chat, a 429 waited out).
    h.fake.delayNext("sendMessage", 500, {
      match: (p) => p.chat_id === OFFICE.curatorsChat && String(p.text).startsWith("Проект ответа"),
    });
    const offered = h.fake.waitForCall(
      "editMessageText",
      (c) => c.params.chat_id === OFFICE.curatorsChat && JSON.stringify(c.params).includes("Согласовать"),
    );
    const sending = executor().press("Отправить на согласование");
    // The card offers the decision first: a curator takes it from there.
    await offered;
    expect(await curator().press("Согласовать", curatorsChat())).toBe("Ответ по сообщению № 1 согласован.");
    await sending;
    expect(state(id)).toBe("approved");
    const onDrafts = h.fake
      .buttons(OFFICE.curatorsChat)
      .filter((b) => b.message.text?.startsWith("Проект ответа"));
    expect(h.fake.messages(OFFICE.curatorsChat).some((m) => m.text?.startsWith("Проект ответа"))).toBe(true);
    expect(onDrafts.map((b) => b.label)).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("a draft sent again while a curator writes his rework comment is not returned with that comment", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id, { text: "Снег вывезут." });
    await curator().press("На доработку", curatorsChat());
    // Meanwhile the other curator returns it, and the executor sends a new draft.
    await curator2().press("На доработку", curatorsChat());
    await curator2().send("Укажите дату.", curatorsChat());
    await seedDraft(h, id, { text: "Снег вывезут до пятницы." });
    await curator().send("Укажите дату и место.", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/^Это прежняя версия проекта по сообщению № 1/);
    expect(state(id)).toBe("on_approval");
  });

  it("the optional quality mark is stored on the approved draft with an audit event", async () => {
    const id = await officeWithIncident();
    await draftInDialogue("Подготовить ответ", "Снег вывезут до пятницы.");
    await curator().press("Согласовать", curatorsChat());
    expect(await curator2().press("2", curatorsChat())).toBe(
      "Оценить ответ может куратор, который его согласовал.",
    );

    expect(await curator().press("4", curatorsChat())).toBe("Оценка 4 сохранена.");
    // The marks come off the draft; its text stays as it was.
    const draft = h.fake.messages(OFFICE.curatorsChat).find((m) => m.text?.startsWith("Проект ответа"));
    expect(draft?.text).toContain("Снег вывезут до пятницы.");
    expect(draft?.reply_markup).toBeUndefined();
    expect(h.db.select().from(drafts).where(eq(drafts.incidentId, id)).get()?.quality).toBe(4);
    expect(auditActions(id)).toContain("qualityMark");

    // No longer a curator: the mark stays as it was.
    const olga = h.db.select().from(people).where(eq(people.telegramId, OFFICE.curator)).get()?.id ?? 0;
    h.db.delete(roleGrants).where(eq(roleGrants.personId, olga)).run();
    await pressData(curator(), OFFICE.curatorsChat, `inc.q:${id}:1`);
    expect(h.db.select().from(drafts).where(eq(drafts.incidentId, id)).get()?.quality).toBe(4);
  });

  it("the quality mark is offered under the approved draft, not in a message of its own", async () => {
    await officeWithIncident();
    await draftInDialogue("Подготовить ответ", "Снег вывезут до пятницы.");
    const mark = h.fake.mark();
    expect(await curator().press("Согласовать", curatorsChat())).toBe("Ответ по сообщению № 1 согласован.");
    const toCurators = h.fake.calls
      .slice(mark)
      .filter((c) => c.method === "sendMessage")
      .filter((c) => c.params.chat_id === OFFICE.curator || c.params.chat_id === OFFICE.curatorsChat);
    expect(toCurators).toEqual([]);
    const marks = h.fake
      .buttons(OFFICE.curatorsChat)
      .filter((b) => b.message.text?.startsWith("Проект ответа"))
      .map((b) => b.label);
    expect(marks).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("without a curators' chat only the deciding curator's copy of the draft gets the marks; the others lose their buttons", async () => {
    await officeWithIncident();
    unbindChat(h.db, { chatId: OFFICE.curatorsChat, actorId: null, reason: "admin", now: h.clock.now() });
    await draftInDialogue("Подготовить ответ", "Снег вывезут до пятницы.");
    const draftButtons = (chatId: number) =>
      h.fake
        .buttons(chatId)
        .filter((b) => b.message.text?.startsWith("Проект ответа"))
        .map((b) => b.label);
    expect(draftButtons(OFFICE.curator2)).toContain("Согласовать");
    expect(await curator().press("Согласовать")).toBe("Ответ по сообщению № 1 согласован.");
    expect(draftButtons(OFFICE.curator)).toEqual(["1", "2", "3", "4", "5"]);
    expect(draftButtons(OFFICE.curator2)).toEqual([]);
  });
});

describe("the quality mark pressed late", () => {
  it("marks the draft it was offered for, never a newer one approved since (the post taken to another organization)", async () => {
    const id = await officeWithIncident();
    const education = h.seedOrganization("Министерство образования", "Минобр");
    h.seedPerson(3002, "Пётр", [], [education]);
    await draftInDialogue("Подготовить ответ", "Ответ Минздрава");
    await curator().press("Согласовать", curatorsChat());
    const firstMark = h.fake.buttons(OFFICE.curatorsChat).find((b) => b.label === "1");
    if (!firstMark?.callbackData) throw new Error("no mark offered");

    const olga = findPerson(h.db, OFFICE.curator) as Person;
    const petr = findPerson(h.db, 3002) as Person;
    routeIncident(h.db, {
      incidentId: id,
      leadId: education,
      coexecutorIds: [],
      actor: olga,
      now: h.clock.now(),
    });
    acceptIncident(h.db, { incidentId: id, actor: petr, now: h.clock.now() });
    submitDraft(h.db, {
      incidentId: id,
      actor: petr,
      now: h.clock.now(),
      content: { text: "Ответ Минобра", attachments: [] },
    });
    await showCards(h, id);
    await curator().press("Согласовать", curatorsChat());

    const pressed = await h.deliver(
      updates.callback(curator().tg, firstMark.message, firstMark.callbackData),
    );
    expect(h.fake.callbackAnswer(pressed.callback_query?.id ?? "")?.text).toBe(
      "Этот ответ уже не ждёт оценки: по сообщению есть новый проект.",
    );
    const marks = h.db.select().from(drafts).where(eq(drafts.incidentId, id)).all();
    expect(marks.map((d) => [d.text, d.quality])).toEqual([
      ["Ответ Минздрава", null],
      ["Ответ Минобра", null],
    ]);
  });
});

describe("rework", () => {
  it("the curator's comment goes to the executor and the work chat with the rework deadline", async () => {
    const id = await officeWithIncident();
    h.clock.advance(150 * MINUTE); // 12:30
    await seedDraft(h, id, { text: "Здравствуйте! Снег вывезут до пятницы." });

    await curator().press("На доработку", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Ольга, сообщение № 1: что нужно доработать? Напишите комментарий для исполнителя (от 3 до 1000 символов). " +
        "Отмена — /cancel.",
    );
    // In the curators' chat it names whom it asks (a mention), and keeps its «Отмена».
    const question = h.fake.lastMessage(OFFICE.curatorsChat);
    expect(question?.entities?.[0]).toMatchObject({
      type: "text_mention",
      offset: 0,
      length: 5,
      user: { id: OFFICE.curator },
    });
    expect(
      h.fake
        .buttons(OFFICE.curatorsChat)
        .filter((b) => b.message.message_id === question?.message_id)
        .map((b) => b.label),
    ).toEqual(["Отмена"]);
    await curator().send("ну", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Комментарий — текст от 3 до 1000 символов. Напишите ещё раз или нажмите «Отмена».",
    );
    await curator().send("Укажите точную дату вывоза снега.", curatorsChat());

    // 12:30 + 1 working hour (p.11) across the 13:00–14:00 lunch.
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Проект ответа по сообщению № 1 возвращён на доработку, исполнитель доработает до 24.11.2026 14:30.",
    );
    const notice =
      "Сообщение № 1: проект ответа возвращён на доработку.\n" +
      "Комментарий куратора: «Укажите точную дату вывоза снега».\n" +
      "Доработать до 24.11.2026 14:30 — кнопка «Подготовить ответ» ниже или на карточке: прежний проект можно поправить.\n\n" +
      "Проект ответа:\nЗдравствуйте! Снег вывезут до пятницы.";
    expect(h.lastText(OFFICE.executor)).toBe(notice);
    expect(h.lastText(OFFICE.healthChat)).toBe(notice);
    expect(state(id)).toBe("in_work");
    // The notice carries the button that reopens the draft: the card may be far up the chat.
    const under = h.fake.buttons(OFFICE.executor).filter((b) => b.message.text === notice);
    expect(under.map((b) => `${b.label}=${b.callbackData}`)).toEqual([
      `Подготовить ответ=inc.draft:${id}`,
      `Промежуточный ответ=inc.interim:${id}`,
    ]);
    // The card says it too, until a new draft comes.
    expect(h.texts(OFFICE.healthChat).find((text) => text.startsWith("Сообщение № 1 · "))).toContain(
      "Проект ответа на доработке: Укажите точную дату вывоза снега.",
    );
    expect(cardText(OFFICE.healthChat, id)).toContain("Срок: 24.11.2026 14:30 — доработать ответ (п. 11)");
  });

  it("a command typed while the comment is asked ends the question: a remark written after is not the comment", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    const onApproval = state(id);
    await curator().press("На доработку", curatorsChat());
    await curator().send("/list", curatorsChat());
    await curator().send("Коллеги, кто возьмёт № 2?", curatorsChat());
    expect(h.texts(OFFICE.healthChat).filter((text) => text.includes("возвращён на доработку"))).toEqual([]);
    expect(state(id)).toBe(onApproval);
    expect(loadIncident(h.db, id)?.answer?.reworkComment ?? null).toBeNull();
  });

  it("a command to another bot of the group leaves the comment question open and is not answered", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    await curator().press("На доработку", curatorsChat());
    const mark = h.fake.mark();
    await curator().send("/poll@other_bot", curatorsChat());
    await curator().send("/cancel@other_bot", curatorsChat());
    expect(h.fake.calls.slice(mark).filter((call) => call.method === "sendMessage")).toEqual([]);
    await curator().send("Укажите точную дату вывоза снега.", curatorsChat());
    expect(state(id)).toBe("in_work");
    expect(h.lastText(OFFICE.healthChat)).toMatch(
      /^Сообщение № 1: проект ответа возвращён на доработку\.\nКомментарий куратора: «Укажите точную дату вывоза снега»\./,
    );
  });

  it("in the curators' chat only the curator asked gives the comment: a colleague's reply to her question is told so", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    const health = loadIncident(h.db, id)?.assignments[0]?.organizationId ?? 0;
    const other = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    await seedDraft(h, other);
    const rework = (n: number) => `inc.rework:${n}:${loadIncident(h.db, n)?.answer?.draftId}`;
    await pressData(curator(), OFFICE.curatorsChat, rework(id));
    const question = h.fake.lastMessage(OFFICE.curatorsChat);
    if (!question) throw new Error("no question");
    // Светлана, with a rework question of her own open, replies to Ольга's.
    await pressData(curator2(), OFFICE.curatorsChat, rework(other));
    const reply = await h.deliver(
      updates.replyTo(curatorsChat(), curator2().tg, "Укажите дату вывоза снега.", question),
    );
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Извините, этот вопрос бот задал не вам: ответить на него может только Ольга.",
    );
    expect([state(id), state(other)]).toEqual(["on_approval", "on_approval"]);
    // Ольга thanks her colleague: that is not the comment either.
    if (!reply.message) throw new Error("no reply");
    await h.deliver(updates.replyTo(curatorsChat(), curator().tg, "Светлана, спасибо!", reply.message));
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/^Бот не принял это за ответ на свой вопрос/);
    expect(state(id)).toBe("on_approval");
    await h.deliver(updates.replyTo(curatorsChat(), curator().tg, "Укажите дату вывоза снега.", question));
    expect(state(id)).toBe("in_work");
    expect(state(other)).toBe("on_approval");
  });

  it("a colleague's reply to a question already answered is left alone: nobody can answer it any more", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    await curator().press("На доработку", curatorsChat());
    const question = h.fake.lastMessage(OFFICE.curatorsChat);
    if (!question) throw new Error("no question");
    await curator().send("Укажите точную дату вывоза снега.", curatorsChat());
    expect(state(id)).toBe("in_work");
    const mark = h.fake.mark();
    await h.deliver(updates.replyTo(curatorsChat(), curator2().tg, "Ольга, они уже ответили?", question));
    expect(h.fake.calls.slice(mark).filter((call) => call.method === "sendMessage")).toEqual([]);
  });

  it("an anonymous administrator's chatter long after a question went unanswered is left alone", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    await curator().press("На доработку", curatorsChat());
    h.clock.advance(3 * 60 * 60_000);
    const anonymous = tgUser(1087968824, "Group", { is_bot: true, username: "GroupAnonymousBot" });
    const mark = h.fake.mark();
    await h.deliver(
      updates.text(curatorsChat(), anonymous, "Коллеги, планёрка в 15:00.", { sender_chat: curatorsChat() }),
    );
    expect(h.fake.calls.slice(mark).filter((call) => call.method === "sendMessage")).toEqual([]);
  });

  it("a reply under another post's card is not the comment: she is told which question waits, and it stays open", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    const health = loadIncident(h.db, id)?.assignments[0]?.organizationId ?? 0;
    const other = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    // № 2's draft comes to the curators' chat from Иван's dialogue.
    const privateCard = h.fake
      .messages(OFFICE.executor)
      .findLast((m) => m.text?.startsWith(`Сообщение № ${other} · `));
    if (!privateCard) throw new Error("no private card of № 2");
    await h.deliver(updates.callback(executor().tg, privateCard, `inc.draft:${other}`));
    await executor().send("Яму заделают.");
    await executor().press("Готово");
    await executor().press("Отправить на согласование");
    await pressData(
      curator(),
      OFFICE.curatorsChat,
      `inc.rework:${id}:${loadIncident(h.db, id)?.answer?.draftId}`,
    );
    // A remark about № 2, replying to its card, as one does in a busy group.
    await h.deliver(
      updates.replyTo(
        curatorsChat(),
        curator().tg,
        "Светлана, этот согласуй ты",
        cardIn(OFFICE.curatorsChat, other),
      ),
    );
    const told =
      "Бот не принял это за ответ: сейчас он ждёт ответа на свой вопрос по сообщению № 1. " +
      "Ответьте на этот вопрос или напишите, не отвечая ни на чьё сообщение.";
    expect(h.lastText(OFFICE.curatorsChat)).toBe(told);
    // Nor is a reply under № 2's draft.
    const draft = h.fake
      .messages(OFFICE.curatorsChat)
      .findLast((m) => m.text?.startsWith(`Проект ответа по сообщению № ${other}`));
    if (!draft) throw new Error("no draft of № 2");
    await h.deliver(updates.replyTo(curatorsChat(), curator().tg, "Укажите, когда заделают яму.", draft));
    expect(h.lastText(OFFICE.curatorsChat)).toBe(told);
    expect([state(id), state(other)]).toEqual(["on_approval", "on_approval"]);
    // A reply to what the question itself said again counts, as a message replying to nobody would.
    await curator().send("ну", curatorsChat());
    const hint = h.fake.lastMessage(OFFICE.curatorsChat);
    if (!hint) throw new Error("no hint");
    await h.deliver(updates.replyTo(curatorsChat(), curator().tg, "Укажите дату вывоза снега.", hint));
    expect([state(id), state(other)]).toEqual(["in_work", "on_approval"]);
    expect(loadIncident(h.db, id)?.answer?.reworkComment).toBe("Укажите дату вывоза снега.");
  });

  it("a question replaced by another post's loses its «Отмена», and a reply to it is not the new one's comment", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    const health = loadIncident(h.db, id)?.assignments[0]?.organizationId ?? 0;
    const other = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    await seedDraft(h, other, { text: "Яму заделают." });
    const rework = (n: number) => `inc.rework:${n}:${loadIncident(h.db, n)?.answer?.draftId}`;
    await pressData(curator(), OFFICE.curatorsChat, rework(id));
    const first = h.fake.lastMessage(OFFICE.curatorsChat);
    if (!first) throw new Error("no question");
    await pressData(curator(), OFFICE.curatorsChat, rework(other));
    const second = h.fake.lastMessage(OFFICE.curatorsChat);
    if (!second) throw new Error("no question");
    expect(second.text).toMatch(/^Ольга, сообщение № 2: что нужно доработать/);
    const under = (m: { message_id: number }) =>
      h.fake
        .buttons(OFFICE.curatorsChat)
        .filter((b) => b.message.message_id === m.message_id)
        .map((b) => b.label);
    expect([under(first), under(second)]).toEqual([[], ["Отмена"]]);

    // She answers № 1's question, replying to it: № 2 does not get the comment.
    await h.deliver(updates.replyTo(curatorsChat(), curator().tg, "Укажите дату вывоза снега.", first));
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Бот не принял это за ответ: сейчас он ждёт ответа на свой вопрос по сообщению № 2. " +
        "Ответьте на этот вопрос или напишите, не отвечая ни на чьё сообщение.",
    );
    expect([state(id), state(other)]).toEqual(["on_approval", "on_approval"]);
    await h.deliver(updates.replyTo(curatorsChat(), curator().tg, "Укажите, когда заделают яму.", second));
    expect([state(id), state(other)]).toEqual(["on_approval", "in_work"]);
  });

  it("a reply under the card of the post asked about is the comment", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    await curator().press("На доработку", curatorsChat());
    await h.deliver(
      updates.replyTo(
        curatorsChat(),
        curator().tg,
        "Укажите дату вывоза снега.",
        cardIn(OFFICE.curatorsChat, id),
      ),
    );
    expect(state(id)).toBe("in_work");
    expect(loadIncident(h.db, id)?.answer?.reworkComment).toBe("Укажите дату вывоза снега.");
  });

  it("in a private chat, a reply under another post's card is not the reason asked for either", async () => {
    const id = await officeWithIncident();
    const health = loadIncident(h.db, id)?.assignments[0]?.organizationId ?? 0;
    const other = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    const privateCard = (n: number) => {
      const card = h.fake
        .messages(OFFICE.executor)
        .findLast((m) => m.text?.startsWith(`Сообщение № ${n} · `));
      if (!card) throw new Error(`no private card of № ${n}`);
      return card;
    };
    await h.deliver(updates.callback(executor().tg, privateCard(id), `inc.return:${id}`));
    expect(h.lastText(OFFICE.executor)).toMatch(/сообщение № 1\?/);
    await h.deliver(
      updates.replyTo(executor().chat, executor().tg, "Это вопрос управляющей компании", privateCard(other)),
    );
    expect(h.lastText(OFFICE.executor)).toBe(
      "Бот не принял это за ответ: сейчас он ждёт ответа на свой вопрос по сообщению № 1. " +
        "Ответьте на этот вопрос или напишите, не отвечая ни на чьё сообщение.",
    );
    expect([state(id), state(other)]).toEqual(["in_work", "in_work"]);
  });

  it("«Согласовать» pressed after «На доработку» ends the comment question: the next remark is not the comment", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    await curator().press("На доработку", curatorsChat());
    const question = h.fake.messages(OFFICE.curatorsChat).at(-1);
    expect(await curator().press("Согласовать", curatorsChat())).toBe("Ответ по сообщению № 1 согласован.");
    const mark = h.fake.mark();
    await curator().send("Коллеги, кто возьмёт № 2?", curatorsChat());
    expect(h.fake.calls.slice(mark).filter((call) => call.method === "sendMessage")).toEqual([]);
    expect(state(id)).toBe("approved");
    // The question's «Отмена» is gone: nothing is asked any more.
    expect(
      h.fake.messages(OFFICE.curatorsChat).find((m) => m.message_id === question?.message_id)?.reply_markup,
    ).toBeUndefined();
  });

  it("a comment written anonymously (as the group) is told the bot cannot tell who wrote it; the curator's own is taken", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    await curator().press("На доработку", curatorsChat());
    const anonymous = tgUser(1087968824, "Group", { is_bot: true, username: "GroupAnonymousBot" });
    await h.deliver(
      updates.text(curatorsChat(), anonymous, "Уточните сроки вывоза.", { sender_chat: curatorsChat() }),
    );
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Бот не может узнать, кто из администраторов пишет анонимно. Чтобы бот принял сообщение, " +
        "отключите для себя «Анонимность» в правах администратора или напишите от своего аккаунта.",
    );
    await curator().send("Уточните сроки вывоза.", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/^Проект ответа по сообщению № 1 возвращён на доработку/);
  });

  it("an answer due before the rework is said beside it: rework does not move it (p.8)", async () => {
    const id = await officeWithIncident();
    h.clock.set("2026-11-25T05:30:00Z"); // Wednesday 10:30: the answer is due at 11:00
    await seedDraft(h, id);
    await curator().press("На доработку", curatorsChat());
    await curator().send("Укажите точную дату вывоза снега.", curatorsChat());
    const sooner =
      "Ответ нужно разместить до 25.11.2026 11:00 (п. 8 регламента): доработка этот срок не продлевает.";
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      `Проект ответа по сообщению № 1 возвращён на доработку, исполнитель доработает до 25.11.2026 11:30. ${sooner}`,
    );
    expect(h.lastText(OFFICE.executor)).toContain(
      "Доработать до 25.11.2026 11:30 — кнопка «Подготовить ответ» ниже или на карточке: прежний проект можно поправить.\n" +
        sooner,
    );
  });

  it("Telegram unreachable for one card's edit: the rework is still told to the executor and the curator", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    await curator().press("На доработку", curatorsChat());
    // The connection to Telegram drops on the curators' card: the rework is made, the rest still told.
    h.fake.dropNext("editMessageText", { match: (params) => params.chat_id === OFFICE.curatorsChat });
    await curator().send("Укажите точную дату вывоза снега.", curatorsChat());
    expect(state(id)).toBe("in_work");
    expect(h.lastText(OFFICE.executor)).toMatch(
      /^Сообщение № 1: проект ответа возвращён на доработку\.\nКомментарий куратора: «Укажите/,
    );
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(
      /^Проект ответа по сообщению № 1 возвращён на доработку, исполнитель/,
    );
  });

  it("a question left for over 30 minutes is closed: a message written later is not taken as its answer, and is told so", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    await curator().press("На доработку", curatorsChat());
    h.clock.advance(31 * MINUTE);
    await curator().send("https://vk.com/wall-1_999 жалоба на дороги", curatorsChat());

    expect(h.texts(OFFICE.curatorsChat)).toContain(
      "Вопрос бота ждал ответа дольше 30 минут и закрыт, поэтому ваш текст не принят как ответ на него. " +
        "Если вы отвечали на вопрос, нажмите кнопку на карточке ещё раз.",
    );
    expect(state(id)).toBe("on_approval");

    // The executor's «Размещено» left open: a colleague's link shared hours later is no answer.
    await curator2().press("Согласовать", curatorsChat());
    await executor().press("Размещено", healthChat());
    h.clock.advance(3 * 60 * MINUTE);
    await executor().send("https://vk.com/wall-1_555", healthChat());
    expect(h.lastText(OFFICE.healthChat)).toMatch(/^Вопрос бота ждал ответа дольше 30 минут и закрыт/);
    expect(state(id)).toBe("approved");
  });

  it("a comment written within the 30 minutes is taken, though the bot gets it an hour later (it was stopped meanwhile)", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    await curator().press("На доработку", curatorsChat());
    h.clock.advance(5 * MINUTE);
    const typed = updates.text(curatorsChat(), curator().tg, "Укажите точную дату вывоза снега.");
    h.clock.advance(60 * MINUTE);
    await h.deliver(typed);
    expect(state(id)).toBe("in_work");
    expect(h.lastText(OFFICE.executor)).toMatch(
      /^Сообщение № 1: проект ответа возвращён на доработку\.\nКомментарий куратора: «Укажите точную дату вывоза снега»\./,
    );
  });

  it("within 30 minutes the comment is taken; the clock restarts at each question", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    await curator().press("На доработку", curatorsChat());
    h.clock.advance(20 * MINUTE);
    await curator().send("ну", curatorsChat()); // too short: asked again
    h.clock.advance(20 * MINUTE);
    await curator().send("Укажите дату вывоза.", curatorsChat());
    expect(state(id)).toBe("in_work");
  });

  it("a cancelled rework changes nothing", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    await curator().press("На доработку", curatorsChat());
    await curator().press("Отмена", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe("Отменено.");
    expect(state(id)).toBe("on_approval");
    // In a group, tapping «/cancel» in the bot's question sends it with the bot's name.
    await curator().press("На доработку", curatorsChat());
    await curator().send(`/cancel@${h.fake.botInfo.username}`, curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe("Отменено.");
    expect(state(id)).toBe("on_approval");
  });

  it("a double tap on «На доработку» asks once; after «Отмена», or later, the button asks again", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    const asked = () =>
      h.texts(OFFICE.curatorsChat).filter((text) => text.includes("что нужно доработать")).length;
    await curator().press("На доработку", curatorsChat());
    expect(await curator().press("На доработку", curatorsChat())).toBe(
      "Этот вопрос уже задан выше: ответьте на него или отмените — /cancel.",
    );
    expect(asked()).toBe(1);
    await curator().press("Отмена", curatorsChat());
    await curator().press("На доработку", curatorsChat());
    expect(asked()).toBe(2);
    // Pressed again a minute later, the button means to start afresh.
    h.clock.advance(60_000);
    await curator().press("На доработку", curatorsChat());
    expect(asked()).toBe(3);
    await curator().send("Уточните адрес.", curatorsChat());
    expect(state(id)).toBe("in_work");
  });

  describe("«Промежуточный ответ» under the rework notice", () => {
    /** 24.11.2026: 12:00 in Yekaterinburg (Orenburg), 10:00 in Moscow (Georgievsk). */
    const NOW = "2026-11-24T07:00:00Z";
    const INTERIM_ASKED = "Ремонт может затянуться — дайте промежуточный ответ, окончательный потом.";

    /** The curator returns the draft on approval with this comment. */
    async function returnDraft(comment = INTERIM_ASKED): Promise<void> {
      await curator().press("На доработку", curatorsChat());
      await curator().send(comment, curatorsChat());
    }

    /** The buttons under the newest rework notice in the chat, as «label=data». */
    function noticeButtons(chatId: number): string[] {
      const notice = h.fake
        .messages(chatId)
        .findLast((m) => m.text?.includes("возвращён на доработку.\nКомментарий куратора"));
      if (!notice) throw new Error(`no rework notice in chat ${chatId}`);
      return h.fake
        .buttons(chatId)
        .filter((b) => b.message.message_id === notice.message_id)
        .map((b) => `${b.label}=${b.callbackData}`);
    }

    it.each(["orenburg", "georgievsk"] as const)(
      "%s: an answer returned comes with «Промежуточный ответ» beside «Подготовить ответ», as on the card; pressed, it opens the interim answer's draft",
      async (regulation) => {
        const id = await officeWithIncident({ regulation, now: NOW });
        await seedDraft(h, id);
        await returnDraft();

        for (const chat of [OFFICE.executor, OFFICE.healthChat]) {
          expect(noticeButtons(chat)).toEqual([
            `Подготовить ответ=inc.draft:${id}`,
            `Промежуточный ответ=inc.interim:${id}`,
          ]);
        }
        expect(labels(OFFICE.healthChat, id)).toContain("Промежуточный ответ");
        await executor().press("Промежуточный ответ");
        expect(executor().lastText()).toMatch(
          new RegExp(`^Сообщение № ${id}: пришлите текст промежуточного ответа одним сообщением`),
        );
      },
    );

    it.each(["orenburg", "georgievsk"] as const)(
      "%s: once the interim answer is posted, the final answer returned comes with its own button only",
      async (regulation) => {
        const id = await officeWithIncident({ regulation, now: NOW });
        await seedDraft(h, id, { purpose: "interim", approve: true });
        await executor().press("Размещено", healthChat());
        await executor().send("https://vk.com/wall-1_1?reply=3", healthChat());
        await seedDraft(h, id, { text: "Здравствуйте! Ремонт завершён." });
        await returnDraft("Укажите дату окончания ремонта.");

        expect(noticeButtons(OFFICE.executor)).toEqual([`Подготовить окончательный ответ=inc.draft:${id}`]);
        expect(noticeButtons(OFFICE.healthChat)).toEqual([`Подготовить окончательный ответ=inc.draft:${id}`]);
      },
    );

    it("a question to the author or an interim answer returned comes with its own button only", async () => {
      const id = await officeWithIncident({ regulation: "georgievsk", now: NOW });
      await seedDraft(h, id, { purpose: "clarification", text: "Уточните адрес." });
      await returnDraft("Спросите и номер дома.");
      expect(noticeButtons(OFFICE.executor)).toEqual([`Запрос автору=inc.clarify:${id}`]);

      await seedDraft(h, id, { purpose: "interim", text: "Здравствуйте! Вопрос изучается." });
      await returnDraft("Назовите срок ответа.");
      expect(noticeButtons(OFFICE.executor)).toEqual([`Промежуточный ответ=inc.interim:${id}`]);
    });

    it("a preset that times no final answer after an interim one offers none under the notice", async () => {
      h = await Harness.start({ now: NOW });
      delete h.sla.regulation.steps.finalAfterInterim;
      const { health } = seedOffice(h);
      const id = await seedIncidentInWork(h, health);
      await seedDraft(h, id);
      await returnDraft();

      expect(noticeButtons(OFFICE.executor)).toEqual([`Подготовить ответ=inc.draft:${id}`]);
      expect(noticeButtons(OFFICE.healthChat)).toEqual([`Подготовить ответ=inc.draft:${id}`]);
    });
  });
});

describe("publication", () => {
  it("Telegram unreachable for the curators' card: the publication is still told to them and thanked for", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id, { approve: true });
    await executor().press("Размещено", healthChat());
    h.fake.dropNext("editMessageText", { match: (params) => params.chat_id === OFFICE.curatorsChat });
    await executor().send("https://vk.com/wall-1_1?reply=77", healthChat());
    expect(state(id)).toBe("answered");
    expect(h.lastText(OFFICE.healthChat)).toBe("Ответ по сообщению № 1 размещён в срок. Спасибо!");
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Ответ по сообщению № 1 размещён (в срок): https://vk.com/wall-1_1?reply=77\nКто разместил: Иван",
    );
  });

  it("the link given with words around it («Разместил: …») is taken, and recorded alone", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id, { approve: true });
    await executor().press("Размещено", healthChat());
    await executor().send("Разместил: https://vk.com/wall-1_1?reply=77.", healthChat());
    expect(state(id)).toBe("answered");
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Ответ по сообщению № 1 размещён (в срок): https://vk.com/wall-1_1?reply=77\nКто разместил: Иван",
    );
  });

  it("Одноклассники: an answer posted as a comment with no link of its own is recorded with the post's link once the executor says so", async () => {
    h = await Harness.start({ now: TUESDAY_10 });
    const { health } = seedOffice(h);
    const post = "https://ok.ru/group/5/topic/77";
    const id = await seedIncidentInWork(h, health, { link: post });
    await seedDraft(h, id, { approve: true });
    await executor().press("Размещено", healthChat());
    await executor().send(post, healthChat());
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Это ссылка на само сообщение автора. Если вы разместили комментарий под ним и своей ссылки у комментария нет, " +
        "нажмите «Размещено комментарием под сообщением». Иначе пришлите ссылку на комментарий или запись.",
    );
    expect(state(id)).toBe("approved");
    await executor().press("Размещено комментарием под сообщением", healthChat());
    expect(state(id)).toBe("answered");
    expect(h.lastText(OFFICE.healthChat)).toBe("Ответ по сообщению № 1 размещён в срок. Спасибо!");
    expect(cardText(OFFICE.curatorsChat, id)).toContain(`Ответ размещён: ${post} (в срок)`);
  });

  it("Одноклассники: the answer to another comment registered at the post's link may be posted under that post too", async () => {
    h = await Harness.start({ now: TUESDAY_10 });
    const { health } = seedOffice(h);
    const post = "https://ok.ru/group/5/topic/77";
    seedRegistered(h, { link: post, text: "Первый комментарий" });
    const id = await seedIncidentInWork(h, health, { link: post, text: "Второй", anotherComment: true });
    await seedDraft(h, id, { approve: true });
    await executor().press("Размещено", healthChat());
    await executor().send("https://m.ok.ru/group/5/topic/77", healthChat());
    expect(h.lastText(OFFICE.healthChat)).toMatch(/^Это ссылка на само сообщение автора. Если вы разместили/);
    await executor().press("Размещено комментарием под сообщением", healthChat());
    expect(state(id)).toBe("answered");
    expect(cardText(OFFICE.curatorsChat, id)).toContain(
      "Ответ размещён: https://m.ok.ru/group/5/topic/77 (в срок)",
    );
  });

  it("a link in another network is refused; the right one marks the answer published on time", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id, { approve: true });
    h.clock.advance(25 * MINUTE);

    await executor().press("Размещено", healthChat());
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Иван, сообщение № 1: пришлите ссылку на размещённый ответ во ВКонтакте. Отмена — /cancel.",
    );
    await executor().send("https://t.me/minzdrav/15", healthChat());
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Это ссылка в Telegram, а сообщение размещено во ВКонтакте. Отвечают в той же сети: пришлите ссылку во ВКонтакте.",
    );
    await executor().send("просто текст", healthChat());
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Это не похоже на ссылку. Пришлите ссылку вида https://… или нажмите «Отмена».",
    );
    // A message corrected in place (here in the private chat) is answered: the bot does not see edits.
    const typo = await h.deliver(
      updates.text(executor().chat, executor().tg, "htps://vk.com/wall-1_1?reply=77"),
    );
    if (!typo.message) throw new Error("no message");
    await h.deliver(updates.edited(typo.message, "https://vk.com/wall-1_1?reply=77"));
    expect(executor().lastText()).toBe(
      "Исправления в уже отправленных сообщениях бот не видит: пришлите исправленный текст новым сообщением.",
    );
    expect(state(id)).toBe("approved");
    // The post itself, however its address is written, is not the answer.
    for (const post of [
      "https://vk.com/wall-1_1",
      "https://m.vk.com/wall-1_1",
      "https://vk.com/club1?w=wall-1_1",
    ]) {
      await executor().send(post, healthChat());
      expect(h.lastText(OFFICE.healthChat)).toBe(
        "Это ссылка на само сообщение автора. Пришлите ссылку на ваш ответ: комментарий или запись.",
      );
    }
    expect(state(id)).toBe("approved");
    await executor().send("https://vk.com/wall-1_1?reply=77", healthChat());

    expect(h.lastText(OFFICE.healthChat)).toBe("Ответ по сообщению № 1 размещён в срок. Спасибо!");
    expect(state(id)).toBe("answered");
    for (const chatId of [OFFICE.curatorsChat, OFFICE.healthChat]) {
      expect(cardText(chatId, id)).toContain("Состояние: ответ размещён");
      expect(cardText(chatId, id)).toContain("Ответ размещён: https://vk.com/wall-1_1?reply=77 (в срок)");
    }
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Ответ по сообщению № 1 размещён (в срок): https://vk.com/wall-1_1?reply=77\nКто разместил: Иван",
    );
    expect(await pressData(executor(), OFFICE.healthChat, `inc.pub:${id}`)).toBe(
      "Ответ по сообщению № 1 уже размещён: https://vk.com/wall-1_1?reply=77",
    );
    // The history tells every step in words.
    await executor().press("История", healthChat());
    expect(executor().lastText().split("\n").slice(-3)).toEqual([
      "24.11.2026 10:00 — Иван — проект ответа отправлен на согласование (в работе → на согласовании)",
      "24.11.2026 10:00 — Ольга — ответ согласован (на согласовании → согласовано)",
      "24.11.2026 10:25 — Иван — ответ размещён: https://vk.com/wall-1_1?reply=77 (согласовано → ответ размещён)",
    ]);
  });

  it("an answer published after the answer deadline is marked late", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id, { approve: true });
    h.clock.set("2026-11-25T07:00:00Z"); // Wednesday 12:00, the answer was due at 11:00 (p.8)
    await executor().press("Размещено");
    await executor().send("vk.com/wall-1_1?reply=90");
    expect(executor().lastText()).toBe("Ответ по сообщению № 1 размещён с опозданием. Спасибо!");
    expect(cardText(OFFICE.curatorsChat, id)).toContain(
      "Ответ размещён: https://vk.com/wall-1_1?reply=90 (с опозданием)",
    );
  });

  it("posted at the weekend after a deadline that ran out at Friday's close: in time, not a working minute went by", async () => {
    const id = await officeWithIncident({ now: "2026-11-27T11:00:00Z" }); // Friday 16:00
    h.clock.set("2026-11-27T12:30:00Z"); // 17:30: approved, to be posted by 18:00 (p.12)
    await seedDraft(h, id, { approve: true });
    h.clock.set("2026-11-28T05:00:00Z"); // Saturday 10:00
    await executor().press("Размещено", healthChat());
    await executor().send("https://vk.com/wall-1_1?reply=77", healthChat());
    expect(h.lastText(OFFICE.healthChat)).toBe("Ответ по сообщению № 1 размещён в срок. Спасибо!");
    expect(cardText(OFFICE.curatorsChat, id)).toContain(
      "Ответ размещён: https://vk.com/wall-1_1?reply=77 (в срок)",
    );
  });

  it("Orenburg: an answer posted in its deadline but over 30 minutes after approval is told it was posted late after approval (p.12)", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id, { approve: true });
    h.clock.advance(40 * MINUTE);
    await executor().press("Размещено", healthChat());
    await executor().send("https://vk.com/wall-1_1?reply=77", healthChat());
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Ответ по сообщению № 1 размещён в срок ответа, но позже срока размещения после согласования по п. 12. Спасибо!",
    );
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Ответ по сообщению № 1 размещён (в срок ответа, но позже срока размещения после согласования по п. 12): " +
        "https://vk.com/wall-1_1?reply=77\nКто разместил: Иван",
    );
  });

  it("a screenshot captioned with the link is told to send the link as a text, not «Это не похоже на ссылку»", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id, { approve: true });
    await executor().press("Размещено");
    const file = h.fake.addFile("jpeg", "shot.jpg", { kind: "photo" });
    await h.deliver(updates.photo(executor().chat, executor().tg, file, "https://vk.com/wall-1_1?reply=77"));
    expect(executor().lastText()).toBe(
      "Подпись к фото или файлу здесь не читается: пришлите текст отдельным сообщением, без вложения.",
    );
    await executor().send("https://vk.com/wall-1_1?reply=77");
    expect(state(id)).toBe("answered");
  });

  it("a link sent in time while the bot was stopped counts when it was sent (p.12), not when the bot got it", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id, { approve: true }); // 10:00: to be posted by 10:30 (p.12)
    h.clock.advance(20 * MINUTE);
    await executor().press("Размещено", healthChat());
    h.clock.advance(5 * MINUTE);
    const sent = updates.text(healthChat(), executor().tg, "https://vk.com/wall-1_1?reply=77"); // 10:25
    h.clock.advance(15 * MINUTE); // the bot, stopped for an upgrade, gets it at 10:40
    await h.deliver(sent);
    expect(h.lastText(OFFICE.healthChat)).toBe("Ответ по сообщению № 1 размещён в срок. Спасибо!");
  });

  it("Georgievsk: the curator may publish the approved answer himself (p.12)", async () => {
    // Tuesday 24.11.2026 10:00 in Moscow.
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true });
    expect(labels(OFFICE.curatorsChat, id)).toEqual([
      "Размещу лично",
      "Переназначить",
      "Изменить сведения",
      "История",
    ]);
    await curator().press("Размещу лично", curatorsChat());
    // The executors hear it at once, so that the answer does not appear twice.
    const posting =
      "Согласованный ответ по сообщению № 1 размещает куратор Ольга. " +
      "Не размещайте его, чтобы он не появился дважды: когда он будет размещён, вам придёт ссылка.";
    expect(h.lastText(OFFICE.healthChat)).toBe(posting);
    expect(h.lastText(OFFICE.executor)).toBe(posting);
    // Given up, they are told to post it after all; pressed again, told again.
    await curator().press("Отмена", curatorsChat());
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Согласованный ответ по сообщению № 1 куратор Ольга размещать не будет: разместите его и нажмите «Размещено» на карточке.",
    );
    await curator().press("Размещу лично", curatorsChat());
    expect(h.lastText(OFFICE.healthChat)).toBe(posting);
    await curator().send("https://vk.com/wall-1_1?reply=5", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe("Ответ по сообщению № 1 размещён в срок. Спасибо!");
    expect(state(id)).toBe("answered");
    expect(h.lastText(OFFICE.executor)).toBe(
      "Ответ по сообщению № 1 размещён (в срок): https://vk.com/wall-1_1?reply=5\nКто разместил: Ольга",
    );
  });

  it("Georgievsk: «Размещу лично» ended without a link — the question closes, the executors are told once to post it after all", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true });
    await curator().press("Размещу лично", curatorsChat());
    // Another command ends the link question; the executors still hold off.
    await curator().send("/list", curatorsChat());
    h.clock.set("2026-11-24T07:29:00Z");
    expect(await remindUnpostedClaims(h.deps())).toBe(0);
    h.clock.set("2026-11-24T07:31:00Z"); // the question has closed (30 minutes)
    expect(await remindUnpostedClaims(h.deps())).toBe(1);
    const silent =
      "Ссылка на ответ по сообщению № 1 от куратора (Ольга) не пришла. " +
      "Если ответ уже размещён, нажмите «Размещено» на карточке и пришлите ссылку; если нет — разместите его.";
    expect(h.lastText(OFFICE.healthChat)).toBe(silent);
    expect(h.lastText(OFFICE.executor)).toBe(silent);
    expect(await remindUnpostedClaims(h.deps())).toBe(0);
    await curator().press("История", curatorsChat());
    expect(curator().lastText()).toContain("«Размещу лично»: согласованный ответ размещает куратор");
  });

  it("Georgievsk: «Размещу лично» whose link question another dialogue or a command closes — the curator hears the link is still owed", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true });
    await curator().press("Размещу лично", curatorsChat());
    const owed =
      "Ольга, ссылка на ответ по сообщению № 1 ещё нужна: нажмите «Размещу лично» на карточке " +
      "и пришлите её до 24.11.2026 10:30, иначе размещение вернётся исполнителю.";
    h.clock.advance(5 * MINUTE);
    await curator().press("Изменить сведения", curatorsChat());
    await curator().press("Тема", curatorsChat());
    const told = h.texts(OFFICE.curatorsChat);
    expect(told.at(-2)).toBe(owed);
    expect(told.at(-1)).toMatch(/^Ольга, сообщение № 1: /);
    // Asked the same link again, she is not told it is owed; a command closing it tells her once more,
    // by the same time: the claim stands as it was.
    h.clock.advance(MINUTE);
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("/list", curatorsChat());
    expect(h.texts(OFFICE.curatorsChat).filter((text) => text === owed)).toHaveLength(2);
    // Her colleague's dialogue is hers alone, and a claim given up is owed no more.
    await curator2().send("/list", curatorsChat());
    await curator().press("Размещу лично", curatorsChat());
    await curator().press("Отмена", curatorsChat());
    await curator().send("/list", curatorsChat());
    expect(h.texts(OFFICE.curatorsChat).filter((text) => text.includes("ещё нужна"))).toHaveLength(2);
  });

  it("Georgievsk: «Размещу лично» left without a link — the curator hears it first, privately, then the executors", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true });
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("/list", curatorsChat());
    h.clock.set("2026-11-24T07:31:00Z");
    const mark = h.fake.mark();
    expect(await remindUnpostedClaims(h.deps())).toBe(1);
    const told = h.fake.calls
      .slice(mark)
      .filter((call) => call.method === "sendMessage")
      .map((call) => [call.params.chat_id, String(call.params.text).split(".")[0]]);
    expect(told).toEqual([
      [OFFICE.curator, "Ссылка на ответ по сообщению № 1 не получена"],
      [OFFICE.healthChat, "Ссылка на ответ по сообщению № 1 от куратора (Ольга) не пришла"],
      [OFFICE.executor, "Ссылка на ответ по сообщению № 1 от куратора (Ольга) не пришла"],
    ]);
    expect(curator().lastText()).toBe(
      "Ссылка на ответ по сообщению № 1 не получена. Размещение возвращено исполнителю. " +
        "Если вы уже разместили ответ, нажмите «Прислать ссылку».",
    );
    expect(await remindUnpostedClaims(h.deps())).toBe(0);
    expect(
      curator()
        .texts()
        .filter((text) => text.includes("не получена")),
    ).toHaveLength(1);
  });

  it("Georgievsk: «Размещу лично» pressed again while her claim holds asks the link again: the executors are not told again, the claim ends when it would", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true });
    const posting = (chatId: number) => h.texts(chatId).filter((text) => text.includes("Не размещайте его"));
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("/list", curatorsChat());
    h.clock.set("2026-11-24T07:10:00Z");
    await curator().press("Размещу лично", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(
      /^Ольга, сообщение № 1: пришлите ссылку на размещённый ответ/,
    );
    expect([posting(OFFICE.healthChat), posting(OFFICE.executor)].map((told) => told.length)).toEqual([1, 1]);
    // The window is still the first press's: closed at 10:30, the executors hear it is theirs.
    h.clock.set("2026-11-24T07:31:00Z");
    expect(await remindUnpostedClaims(h.deps())).toBe(1);
    expect(h.lastText(OFFICE.healthChat)).toMatch(
      /^Ссылка на ответ по сообщению № 1 от куратора \(Ольга\) не пришла/,
    );
    expect(auditActions(id).filter((action) => action === "curatorPosts")).toHaveLength(1);
  });

  it("Georgievsk: a claim lapsed, the curator gives the link with «Прислать ссылку»: the answer is posted, the executors are not told to hold off", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true });
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("/list", curatorsChat());
    h.clock.set("2026-11-24T07:31:00Z");
    await remindUnpostedClaims(h.deps());
    const posting = (chatId: number) => h.texts(chatId).filter((text) => text.includes("Не размещайте его"));
    await curator().press("Прислать ссылку");
    expect(curator().lastText()).toMatch(/^Сообщение № 1: пришлите ссылку на размещённый ответ/);
    await curator().send("https://vk.com/wall-1_1?reply=5");
    expect(curator().lastText()).toMatch(/^Ответ по сообщению № 1 размещён/);
    expect(state(id)).toBe("answered");
    expect(posting(OFFICE.healthChat)).toHaveLength(1);
    expect(auditActions(id).filter((action) => action === "curatorPosts")).toHaveLength(1);
  });

  it("Georgievsk: «Прислать ссылку» pressed after the executors posted the answer says it is posted, with its link", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true });
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("/list", curatorsChat());
    h.clock.set("2026-11-24T07:31:00Z");
    await remindUnpostedClaims(h.deps());
    await executor().press("Размещено", healthChat());
    await executor().send("https://vk.com/wall-1_1?reply=7", healthChat());
    expect(state(id)).toBe("answered");
    expect(await curator().press("Прислать ссылку")).toBe(
      "Ответ по сообщению № 1 уже размещён: https://vk.com/wall-1_1?reply=7",
    );
  });

  it("Georgievsk: a curator who is also the organization's executor gets both notices of his claim left without a link", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    const health = loadIncident(h.db, id)?.assignments[0]?.organizationId ?? 0;
    unbindChat(h.db, { chatId: OFFICE.healthChat, actorId: null, reason: "admin", now: h.clock.now() });
    h.seedPerson(OFFICE.curator, "Ольга", [], [health]);
    await seedDraft(h, id, { approve: true });
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("/list", curatorsChat());
    h.clock.set("2026-11-24T07:31:00Z");
    expect(await remindUnpostedClaims(h.deps())).toBe(1);
    expect(curator().texts().slice(-2)).toEqual([
      "Ссылка на ответ по сообщению № 1 не получена. Размещение возвращено исполнителю. " +
        "Если вы уже разместили ответ, нажмите «Прислать ссылку».",
      "Ссылка на ответ по сообщению № 1 от куратора (Ольга) не пришла. " +
        "Если ответ уже размещён, нажмите «Размещено» на карточке и пришлите ссылку; если нет — разместите его.",
    ]);
    expect(await remindUnpostedClaims(h.deps())).toBe(0);
    expect(
      curator()
        .texts()
        .filter((text) => text.startsWith("Ссылка на ответ")),
    ).toHaveLength(2);
  });

  it("Georgievsk: while a curator's «Размещу лично» holds, the answer's reminders are the curators' alone", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true }); // the answer is due 15:00 (p.16, 4 working hours)
    const reminders = (chatId: number) => h.texts(chatId).filter((text) => /^(⏰|❗|‼️)/.test(text));
    for (const at of ["2026-11-24T09:01:00Z", "2026-11-24T11:13:00Z"]) {
      h.clock.set(at); // 12:01 and 14:13: half and 80% of the time gone
      await sweep(h.deps());
    }
    expect(reminders(OFFICE.healthChat)).toHaveLength(2);
    h.clock.set("2026-11-24T11:25:00Z"); // 14:25
    await curator().press("Размещу лично", curatorsChat());
    for (const at of ["2026-11-24T11:31:00Z", "2026-11-24T11:51:00Z"]) {
      h.clock.set(at); // 14:31 and 14:51: 30 and 10 minutes left, during the claim
      await sweep(h.deps());
    }
    expect(reminders(OFFICE.healthChat)).toHaveLength(2);
    expect(reminders(OFFICE.executor)).toHaveLength(2);
    expect(reminders(OFFICE.curatorsChat)).toEqual([
      "⏰ Сообщение № 1: разместить ответ до 24.11.2026 15:00 (п. 16 регламента) — осталось 29 мин рабочего времени.",
      "⏰ Сообщение № 1: разместить ответ до 24.11.2026 15:00 (п. 16 регламента) — осталось 9 мин рабочего времени.",
    ]);
    // The claim's question closed at 14:55 without a link: the answer is the executors' again.
    h.clock.set("2026-11-24T12:01:00Z"); // 15:01
    await remindUnpostedClaims(h.deps());
    await sweep(h.deps());
    expect(reminders(OFFICE.healthChat).at(-1)).toMatch(/^❗ Сообщение № 1: срок «разместить ответ» истёк/);
  });

  it("Georgievsk: the link asked again after «Размещу лично» does not hold the claim past its 30 minutes", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true });
    await curator().press("Размещу лично", curatorsChat());
    h.clock.set("2026-11-24T07:25:00Z");
    await curator().send("https://vk.com/wall-1_1", curatorsChat()); // the post itself: asked again
    h.clock.set("2026-11-24T07:31:00Z");
    expect(await remindUnpostedClaims(h.deps())).toBe(1);
    await curator().send("https://vk.com/wall-1_1?reply=5", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/^Вопрос бота ждал ответа дольше 30 минут и закрыт/);
    expect(state(id)).toBe("approved");
  });

  it("Georgievsk: the executors' notice after a claim left without a link is sent again where Telegram failed for now", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true });
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("/list", curatorsChat());
    h.clock.set("2026-11-24T07:31:00Z");
    h.fake.httpErrorNext("sendMessage", { status: 502, match: (p) => p.chat_id !== OFFICE.curator });
    await remindUnpostedClaims(h.deps());
    const silent = (chatId: number) =>
      h.texts(chatId).filter((text) => text.includes("от куратора (Ольга) не пришла"));
    expect(silent(OFFICE.healthChat).length + silent(OFFICE.executor).length).toBe(1);
    h.clock.set("2026-11-24T07:32:00Z");
    await remindUnpostedClaims(h.deps());
    expect([silent(OFFICE.healthChat).length, silent(OFFICE.executor).length]).toEqual([1, 1]);
    await remindUnpostedClaims(h.deps());
    expect([silent(OFFICE.healthChat).length, silent(OFFICE.executor).length]).toEqual([1, 1]);
  });

  it("Georgievsk: «Размещу лично» by a second curator while the first one's holds is refused, naming him", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true });
    await curator().press("Размещу лично", curatorsChat());
    const posting = (chatId: number) => h.texts(chatId).filter((text) => text.includes("Не размещайте его"));
    const svetlana = h.user(OFFICE.curator2, "Светлана");
    expect(await svetlana.press("Размещу лично", curatorsChat())).toBe(
      "Ответ по сообщению № 1 уже размещает куратор Ольга: дождитесь ссылки от него.",
    );
    expect(posting(OFFICE.healthChat)).toHaveLength(1);
    // Her own claim after his has closed is hers, with its own window for the link.
    h.clock.set("2026-11-24T07:31:00Z");
    await svetlana.press("Размещу лично", curatorsChat());
    expect(posting(OFFICE.healthChat)).toHaveLength(2);
    await svetlana.send("https://vk.com/wall-1_1?reply=5", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/^Ответ по сообщению № 1 размещён/);
    expect(loadIncident(h.db, id)?.row.state).toBe("answered");
  });

  it("Georgievsk p.15: a question to the author returned late after the interim answer names the final draft's deadline, not a posting", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    h.clock.set("2026-11-25T07:00:00Z");
    await seedDraft(h, id, { purpose: "interim", approve: true });
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("https://vk.com/wall-1_1?reply=8", curatorsChat());
    // Friday 04.12 17:45: 15 minutes of p.15's 7 working days left.
    h.clock.set("2026-12-04T14:45:00Z");
    await seedDraft(h, id, { purpose: "clarification", text: "Уточните адрес." });
    await curator().press("На доработку", curatorsChat());
    await curator().send("Спросите и номер дома.", curatorsChat());
    const notice = h
      .texts(OFFICE.healthChat)
      .find((text) => text.startsWith("Сообщение № 1: проект запроса автору возвращён"));
    expect(notice).toContain(
      "Проект окончательного ответа нужно прислать куратору до 04.12.2026 18:00 (п. 15 регламента): доработка этот срок не продлевает.",
    );
    expect(notice).not.toContain("Ответ нужно разместить");
  });

  it("Georgievsk: a question to the author a curator posts himself: the executors get its link, as promised", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true, purpose: "clarification" });
    await curator().press("Размещу лично", curatorsChat());
    expect(h.lastText(OFFICE.healthChat)).toMatch(/когда он будет размещён, вам придёт ссылка/);
    await curator().send("https://vk.com/wall-1_1?reply=8", curatorsChat());
    const told =
      "По сообщению № 1 автору задан вопрос: https://vk.com/wall-1_1?reply=8\nЖдём уточнения; срок ответа не останавливается.";
    expect(h.lastText(OFFICE.healthChat)).toBe(told);
    expect(h.lastText(OFFICE.executor)).toBe(told);
  });

  it("Georgievsk: «Размещу лично» cancelled or done brings no later reminder", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true });
    await curator().press("Размещу лично", curatorsChat());
    await curator().press("Отмена", curatorsChat());
    h.clock.set("2026-11-24T08:00:00Z");
    expect(await remindUnpostedClaims(h.deps())).toBe(0);
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("https://vk.com/wall-1_1?reply=5", curatorsChat());
    h.clock.set("2026-11-24T09:00:00Z");
    expect(await remindUnpostedClaims(h.deps())).toBe(0);
    expect(state(id)).toBe("answered");
  });

  it("Orenburg: the curator has no «Размещу лично», and a forged press is refused", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id, { approve: true });
    expect(labels(OFFICE.curatorsChat, id)).toEqual(["Переназначить", "Изменить сведения", "История"]);
    expect(await pressData(curator(), OFFICE.curatorsChat, `inc.pubself:${id}`)).toBe(
      "По регламенту (п. 12) согласованный ответ размещает исполнитель, куратор — не размещает.",
    );
    // Nor does the lead's executor claim it with crafted data.
    const card = h.fake.messages(OFFICE.executor).find((m) => m.text?.startsWith("Сообщение № "));
    if (!card) throw new Error("no card");
    const forged = await h.deliver(updates.callback(executor().tg, card, `inc.pubself:${id}`));
    expect(h.fake.callbackAnswer(forged.callback_query?.id ?? "")?.text).toBe(
      "«Размещу лично» — кнопка куратора. Исполнитель размещает согласованный ответ и нажимает «Размещено».",
    );
    expect(state(id)).toBe("approved");
    expect(h.texts(OFFICE.healthChat).some((text) => text.includes("Не размещайте его"))).toBe(false);
  });

  it("Georgievsk: an executor in the curators' chat pressing «Размещу лично» is refused; his organization still hears the reminders", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { approve: true });
    expect(await executor().press("Размещу лично", curatorsChat())).toBe(
      "«Размещу лично» — кнопка куратора. Исполнитель размещает согласованный ответ и нажимает «Размещено».",
    );
    expect(h.texts(OFFICE.healthChat).some((text) => text.includes("Не размещайте его"))).toBe(false);
    const claims = h.db.select().from(auditEvents).where(eq(auditEvents.action, "curatorPosts")).all();
    expect(claims).toEqual([]);
  });
});

describe("approved to be posted by the curator (Georgievsk p.12)", () => {
  const APPROVE_POST_SELF = "Согласовать и разместить лично";
  /** What the lead organization's chat and its executor were sent since `mark` (texts of each). */
  const toldSince = (mark: { health: number; executor: number }) => [
    ...h.texts(OFFICE.healthChat).slice(mark.health),
    ...h.texts(OFFICE.executor).slice(mark.executor),
  ];
  const markTold = () => ({
    health: h.texts(OFFICE.healthChat).length,
    executor: h.texts(OFFICE.executor).length,
  });
  const claimsAndApprovals = (id: number) =>
    auditActions(id).filter((action) => action === "approve" || action === "curatorPosts");

  it("«Согласовать и разместить лично» approves and claims the posting in one tap: the executors are told once, the curator is asked the link", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await draftInDialogue("Подготовить ответ", "Здравствуйте! Снег вывезут до пятницы.");
    // Under the draft shown to the curators, and on their card.
    const draft = h.fake
      .messages(OFFICE.curatorsChat)
      .find((m) => m.text?.includes("Снег вывезут до пятницы"));
    expect(
      h.fake
        .buttons(OFFICE.curatorsChat)
        .filter((b) => b.message.message_id === draft?.message_id)
        .map((b) => b.label),
    ).toEqual(["Согласовать", "На доработку", APPROVE_POST_SELF]);
    expect(labels(OFFICE.curatorsChat, id).slice(0, 3)).toEqual([
      "Согласовать",
      "На доработку",
      APPROVE_POST_SELF,
    ]);

    const mark = markTold();
    await curator().press(APPROVE_POST_SELF, curatorsChat());
    expect(state(id)).toBe("approved");
    expect(claimsAndApprovals(id)).toEqual(["approve", "curatorPosts"]);
    const told =
      "Ответ по сообщению № 1 согласован. Разместит его куратор Ольга — вам размещать не нужно: " +
      "когда он будет размещён, вам придёт ссылка.";
    // Once, and never «Разместите»: nothing for an executor to act on before the curator's word.
    expect(toldSince(mark)).toEqual([told, told]);
    const notice = h.fake.lastMessage(OFFICE.healthChat);
    expect(
      h.fake.buttons(OFFICE.healthChat).filter((b) => b.message.message_id === notice?.message_id),
    ).toEqual([]);
    // The curator gets what «Размещу лично» brings: the link question.
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Ольга, сообщение № 1: пришлите ссылку на размещённый ответ во ВКонтакте. Отмена — /cancel.",
    );
    await curator().send("https://vk.com/wall-1_1?reply=5", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe("Ответ по сообщению № 1 размещён в срок. Спасибо!");
    expect(state(id)).toBe("answered");
    expect(h.lastText(OFFICE.executor)).toBe(
      "Ответ по сообщению № 1 размещён (в срок): https://vk.com/wall-1_1?reply=5\nКто разместил: Ольга",
    );
  });

  it("a double tap approves and claims once, and points to the link question asked", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id);
    const mark = markTold();
    const { message, callbackData } = h.fake.findButton(OFFICE.curatorsChat, APPROVE_POST_SELF);
    await h.deliver(updates.callback(curator().tg, message, callbackData));
    const again = await h.deliver(updates.callback(curator().tg, message, callbackData));
    expect(h.fake.callbackAnswer(again.callback_query?.id ?? "")?.text).toBe(
      "Этот вопрос уже задан выше: ответьте на него или отмените — /cancel.",
    );
    expect(claimsAndApprovals(id)).toEqual(["approve", "curatorPosts"]);
    expect(toldSince(mark)).toHaveLength(2);
    expect(h.texts(OFFICE.curatorsChat).filter((text) => text.includes("пришлите ссылку"))).toHaveLength(1);
  });

  it("two curators pressing at once: one approves and posts, the other is told who posts it", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id);
    const mark = markTold();
    const { message, callbackData } = h.fake.findButton(OFFICE.curatorsChat, APPROVE_POST_SELF);
    const delivered = await Promise.all(
      [curator(), curator2()].map((user) => h.deliver(updates.callback(user.tg, message, callbackData))),
    );
    const answers = delivered.map((update) => h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text);
    expect(claimsAndApprovals(id)).toEqual(["approve", "curatorPosts"]);
    expect(answers.filter((text) => text !== undefined)).toEqual([
      expect.stringMatching(
        /^Ответ по сообщению № 1 уже размещает куратор (Ольга|Светлана): дождитесь ссылки от него\.$/,
      ),
    ]);
    expect(toldSince(mark)).toHaveLength(2);
    // The plain «Согласовать» of the two-step path is refused the same way as ever.
    expect(await pressData(curator2(), OFFICE.curatorsChat, `inc.ok:${id}`)).toMatch(/^Уже согласовано: /);
  });

  /** What the approval notice says of the seeded draft approved at 10:00 on Tuesday (Georgievsk p.16). */
  const approvalNotice =
    "Ответ по сообщению № 1 согласован. Разместите его во ВКонтакте и нажмите «Размещено».\n" +
    "Разместить до 24.11.2026 15:00.\n\n" +
    "Согласованный текст:\n" +
    "Здравствуйте! Снег вывезут до пятницы.";
  /** The buttons under the latest message of a chat. */
  const lastButtons = (chatId: number) => {
    const last = h.fake.lastMessage(chatId);
    return h.fake
      .buttons(chatId)
      .filter((b) => b.message.message_id === last?.message_id)
      .map((b) => b.label);
  };
  const approvedTexts = (chatId: number) =>
    h.texts(chatId).filter((text) => text.includes("Согласованный текст:"));

  it("approved and claimed in one tap, then cancelled: the executors get the approved text with «Размещено» and its files, once", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    const photo = { type: "photo" as const, fileId: "ph-1", fileUniqueId: "u-1" };
    submitDraft(h.db, {
      incidentId: id,
      actor: findPerson(h.db, OFFICE.executor) as Person,
      now: h.clock.now(),
      content: { text: "Здравствуйте! Снег вывезут до пятницы.", attachments: [photo] },
    });
    await showCards(h, id);
    await curator().press(APPROVE_POST_SELF, curatorsChat());
    await curator().send("/cancel", curatorsChat());
    const handedBack =
      "Согласованный ответ по сообщению № 1 куратор Ольга размещать не будет.\n\n" +
      approvalNotice.replace("\n\n", "\nВложений к нему: 1 — кнопка «Вложения» пришлёт их сюда.\n\n");
    for (const chatId of [OFFICE.healthChat, OFFICE.executor]) {
      expect(h.lastText(chatId)).toBe(handedBack);
      expect(lastButtons(chatId)).toEqual(["Размещено", "Вложения (1)"]);
    }
    expect(await executor().press("Вложения (1)", healthChat())).toBe("Вложения отправлены в этот чат.");
    // Claimed again and given up again: they have the text already.
    await curator().press("Размещу лично", curatorsChat());
    await curator().press("Отмена", curatorsChat());
    expect(h.lastText(OFFICE.executor)).toBe(
      "Согласованный ответ по сообщению № 1 куратор Ольга размещать не будет: разместите его и нажмите «Размещено» на карточке.",
    );
    expect(approvedTexts(OFFICE.healthChat)).toHaveLength(1);
  });

  it("approved and claimed in one tap: the link is asked, the quality marks wait under the draft, nothing comes privately", async () => {
    await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await draftInDialogue("Подготовить ответ", "Снег вывезут до пятницы.");
    const privately = h.texts(OFFICE.curator).length;
    await curator().press(APPROVE_POST_SELF, curatorsChat());
    expect(h.texts(OFFICE.curator)).toHaveLength(privately);
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/^Ольга, сообщение № 1: пришлите ссылку/);
    const marks = h.fake
      .buttons(OFFICE.curatorsChat)
      .filter((b) => b.message.text?.startsWith("Проект ответа"));
    expect(marks.map((b) => b.label)).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("approved and claimed in one tap, then the link never came: the executors' notice brings the approved text with «Размещено»", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id);
    await curator().press(APPROVE_POST_SELF, curatorsChat());
    await curator().send("/list", curatorsChat()); // another command ends the link question
    h.clock.set("2026-11-24T07:31:00Z");
    expect(await remindUnpostedClaims(h.deps())).toBe(1);
    const silent =
      "Ссылка на ответ по сообщению № 1 от куратора (Ольга) не пришла. " +
      "Если ответ уже размещён, нажмите «Размещено» и пришлите ссылку.\n\n" +
      approvalNotice;
    for (const chatId of [OFFICE.healthChat, OFFICE.executor]) {
      expect(h.lastText(chatId)).toBe(silent);
      expect(lastButtons(chatId)).toEqual(["Размещено"]);
    }
    expect(await remindUnpostedClaims(h.deps())).toBe(0);
    expect(approvedTexts(OFFICE.healthChat)).toHaveLength(1);
  });

  it("a claim left without a link at night: a significant post's executors hear it then, with sound; an ordinary one's in the morning", async () => {
    // 17:50 in Moscow: the link questions close at 18:20, after the working day.
    h = await Harness.start({ regulation: "georgievsk", now: "2026-11-24T14:50:00Z" });
    const { health } = seedOffice(h);
    const significant = await seedIncidentInWork(h, health, { importance: "significant" });
    const ordinary = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    for (const id of [significant, ordinary]) {
      await seedDraft(h, id);
      await curator().press(APPROVE_POST_SELF, curatorsChat());
      await curator().send("/list", curatorsChat()); // another command ends the link question
    }
    const handedBack = (id: number) =>
      h.fake.calls.filter(
        (call) =>
          call.method === "sendMessage" &&
          call.params.chat_id === OFFICE.healthChat &&
          String(call.params.text).startsWith(`Ссылка на ответ по сообщению № ${id} `),
      );
    h.clock.set("2026-11-24T15:25:00Z");
    expect(await remindUnpostedClaims(h.deps())).toBe(1);
    expect(handedBack(significant).map((call) => call.params.disable_notification)).toEqual([false]);
    expect(handedBack(ordinary)).toEqual([]);
    h.clock.set("2026-11-25T06:01:00Z");
    expect(await remindUnpostedClaims(h.deps())).toBe(1);
    expect(handedBack(ordinary)).toHaveLength(1);
  });

  it("approved and claimed in one tap, cancelled at once while Telegram is slow on the cards: the executors' last word is the approved text", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id);
    h.fake.delayNext("editMessageText", 300, { times: 10 });
    const { message, callbackData } = h.fake.findButton(OFFICE.curatorsChat, APPROVE_POST_SELF);
    const press = h.deliver(updates.callback(curator().tg, message, callbackData));
    await h.deliver(updates.text(curatorsChat(), curator().tg, "/cancel"));
    await press;
    for (const chatId of [OFFICE.healthChat, OFFICE.executor]) {
      expect(h.lastText(chatId)).toContain("куратор Ольга размещать не будет");
      expect(approvedTexts(chatId)).toHaveLength(1);
    }
  });

  it("«Размещу лично» cancelled at once while Telegram is slow to take its notice: the executors hear last that they post it", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id);
    await curator().press("Согласовать", curatorsChat());
    h.fake.delayNext("sendMessage", 300, {
      times: 2,
      match: (params) => String(params.text).includes("размещает куратор Ольга"),
    });
    const { message, callbackData } = h.fake.findButton(OFFICE.curatorsChat, "Размещу лично");
    const press = h.deliver(updates.callback(curator().tg, message, callbackData));
    await h.deliver(updates.text(curatorsChat(), curator().tg, "/cancel"));
    await press;
    for (const chatId of [OFFICE.healthChat, OFFICE.executor])
      expect(h.lastText(chatId)).toContain("куратор Ольга размещать не будет");
  });

  it("approved and claimed in one tap, the cancel committed just before a crash: handled again, the executors get the approved text", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id);
    await curator().press(APPROVE_POST_SELF, curatorsChat());
    const dialogue = h.db.select().from(conversationStates).all();
    const cancel = await h.deliver(updates.text(curatorsChat(), curator().tg, "/cancel"));
    // The process died after the commit: the dialogue as before, what it sent lost.
    h.db.delete(conversationStates).run();
    for (const row of dialogue) h.db.insert(conversationStates).values(row).run();
    diedAfter(h, cancel, "the commit");
    const mark = markTold();
    await h.bot.handleUpdate(cancel);
    expect(toldSince(mark)).toEqual([
      expect.stringContaining(approvalNotice),
      expect.stringContaining(approvalNotice),
    ]);
    expect(auditActions(id).filter((action) => action === "curatorGaveUp")).toHaveLength(1);
  });

  it("approved with «Согласовать», then «Размещу лично» cancelled: the approved text is not sent again", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id);
    await curator().press("Согласовать", curatorsChat());
    expect(h.lastText(OFFICE.healthChat)).toBe(approvalNotice);
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("/cancel", curatorsChat());
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Согласованный ответ по сообщению № 1 куратор Ольга размещать не будет: разместите его и нажмите «Размещено» на карточке.",
    );
    expect(approvedTexts(OFFICE.healthChat)).toHaveLength(1);
    expect(approvedTexts(OFFICE.executor)).toHaveLength(1);
  });

  it("Orenburg: curators do not post, so the draft has no such button, and a forged press changes nothing", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id);
    expect(labels(OFFICE.curatorsChat, id)).not.toContain(APPROVE_POST_SELF);
    const draftId = loadIncident(h.db, id)?.answer?.draftId;
    expect(await pressData(curator(), OFFICE.curatorsChat, `inc.okself:${id}:${draftId}`)).toBe(
      "По регламенту (п. 12) согласованный ответ размещает исполнитель, куратор — не размещает.",
    );
    expect(state(id)).toBe("on_approval");
    expect(claimsAndApprovals(id)).toEqual([]);
  });
});

/** The executor prepares a text-only draft in the private chat from the card's button and sends it. */
async function draftInDialogue(button: string, text: string): Promise<void> {
  await executor().press(button);
  await executor().send(text);
  await executor().press("Готово");
  await executor().press("Отправить на согласование");
}

describe("interim answer and clarification", () => {
  it("an interim answer is drafted, approved and posted (p.9–12); it starts the final answer's clock (p.13)", async () => {
    const id = await officeWithIncident();
    await executor().press("Промежуточный ответ");
    expect(executor().lastText()).toMatch(
      /^Сообщение № 1: пришлите текст промежуточного ответа одним сообщением/,
    );
    await executor().send("Здравствуйте! Вопрос изучается, ответим до 03.12.");
    await executor().press("Готово");
    await executor().press("Отправить на согласование");
    expect(h.texts(OFFICE.curatorsChat)).toContain(
      "Проект промежуточного ответа по сообщению № 1 (исполнитель: Иван, Министерство здравоохранения)\n\n" +
        "Здравствуйте! Вопрос изучается, ответим до 03.12.",
    );
    expect(cardText(OFFICE.curatorsChat, id)).toContain("Состояние: на согласовании: промежуточный ответ");
    expect(state(id)).toBe("on_approval");

    const privateBefore = h.texts(OFFICE.curator).length;
    expect(await curator().press("Согласовать", curatorsChat())).toBe(
      "Промежуточный ответ по сообщению № 1 согласован.",
    );
    // The quality mark is the answer's: none is asked for an interim one.
    expect(h.texts(OFFICE.curator).length).toBe(privateBefore);
    const onDraft = h.fake.buttons(OFFICE.curatorsChat).filter((b) => b.message.text?.startsWith("Проект"));
    expect(onDraft).toEqual([]);
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Промежуточный ответ по сообщению № 1 согласован. Разместите его во ВКонтакте и нажмите «Размещено».\n" +
        "Разместить до 24.11.2026 10:30.\n\n" +
        "Согласованный текст:\n" +
        "Здравствуйте! Вопрос изучается, ответим до 03.12.",
    );
    expect(cardText(OFFICE.healthChat, id)).toContain(
      "Состояние: согласовано, ждёт размещения: промежуточный ответ",
    );
    await executor().press("Размещено", healthChat());
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Иван, сообщение № 1: пришлите ссылку на промежуточный ответ во ВКонтакте. Отмена — /cancel.",
    );
    await executor().send("https://ok.ru/group/1/topic/2", healthChat());
    expect(h.lastText(OFFICE.healthChat)).toMatch(
      /^Это ссылка в Одноклассниках, а сообщение размещено во ВКонтакте/,
    );
    await executor().send("https://vk.com/wall-1_1?reply=3", healthChat());

    // The post's date is unknown, so the detection day (Tue 24.11) counts: 7 working days from the
    // next day are 25, 26, 27.11, 30.11, 1, 2, 3.12 — to the end of Thursday 03.12.2026.
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Промежуточный ответ по сообщению № 1 записан.\n" +
        "Срок: 03.12.2026 18:00 — дать окончательный ответ (п. 13).\n" +
        "Окончательный ответ готовят кнопкой «Подготовить окончательный ответ» на карточке.",
    );
    expect(state(id)).toBe("awaiting_final");
    const card = cardText(OFFICE.healthChat, id);
    expect(card).toContain("Промежуточный ответ: https://vk.com/wall-1_1?reply=3");
    expect(card).toContain("Срок: 03.12.2026 18:00 — дать окончательный ответ (п. 13)");
    expect(labels(OFFICE.healthChat, id)).toEqual([
      "Подготовить окончательный ответ",
      "Запрос автору",
      "История",
    ]);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "По сообщению № 1 дан промежуточный ответ: https://vk.com/wall-1_1?reply=3\n" +
        "Срок: 03.12.2026 18:00 — дать окончательный ответ (п. 13).",
    );
    // One interim answer: then the final one is due.
    expect(await pressData(executor(), OFFICE.healthChat, `inc.interim:${id}`)).toBe(
      "По сообщению № 1 промежуточный ответ уже дан: теперь готовят окончательный ответ.",
    );

    h.clock.set("2026-11-30T05:00:00Z"); // Monday 30.11 10:00, after the first answer deadline
    await draftInDialogue("Подготовить окончательный ответ", "Снег вывезен 27.11.");
    expect(h.texts(OFFICE.curatorsChat)).toContain(
      "Проект окончательного ответа по сообщению № 1 (исполнитель: Иван, Министерство здравоохранения)\n" +
        "Промежуточный ответ размещён 24.11.2026 10:00: https://vk.com/wall-1_1?reply=3\n\n" +
        "Снег вывезен 27.11.",
    );
    await curator().press("Согласовать", curatorsChat());
    // The final answer is held to its own clock, not to the first answer's p.8 deadline long past.
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Ответ по сообщению № 1 согласован. Разместите его во ВКонтакте и нажмите «Размещено».\n" +
        "Разместить до 30.11.2026 10:30.\n\n" +
        "Согласованный текст:\n" +
        "Снег вывезен 27.11.",
    );
    await executor().press("Размещено", healthChat());
    await executor().send("https://vk.com/wall-1_1?reply=4", healthChat());
    expect(state(id)).toBe("answered");
    expect(cardText(OFFICE.curatorsChat, id)).toContain(
      "Ответ размещён: https://vk.com/wall-1_1?reply=4 (в срок)",
    );
    expect(cardText(OFFICE.curatorsChat, id)).toContain(
      "Промежуточный ответ: https://vk.com/wall-1_1?reply=3",
    );
  });

  it("an interim draft returned for rework comes back to the executor as the interim one", async () => {
    const id = await officeWithIncident();
    await draftInDialogue("Промежуточный ответ", "Изучаем.");
    await curator().press("На доработку", curatorsChat());
    await curator().send("Укажите, когда будет ответ.", curatorsChat());
    expect(state(id)).toBe("in_work");
    await executor().press("Промежуточный ответ");
    expect(executor().lastText()).toBe(
      "Сообщение № 1: взять за основу проект, который вернули на доработку, или начать заново?",
    );
    await executor().press("Начать заново");
    await executor().send("Изучаем, ответим до 03.12.");
    await executor().press("Готово");
    await executor().press("Отправить на согласование");
    expect(h.texts(OFFICE.curatorsChat).at(-1)).toMatch(
      /^Проект промежуточного ответа по сообщению № 1 \(исполнитель: Иван, Министерство здравоохранения\)\nДоработанный проект, версия 2\./,
    );
  });

  it("nobody posts an interim answer unapproved: the curators' card has no such button, a forged press is refused", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    expect(labels(OFFICE.curatorsChat, id)).not.toContain("Промежуточный ответ");
    expect(await pressData(curator(), OFFICE.curatorsChat, `inc.interim:${id}`)).toBe(
      "Проект ответа по сообщению № 1 готовит исполнитель органа, который взял его в работу.",
    );
    expect(await pressData(executor(), OFFICE.healthChat, `inc.pub:${id}`)).toBe(
      "Сообщение № 1: в работе. Это действие уже недоступно.",
    );
    expect(state(id)).toBe("in_work");
  });

  it("Georgievsk: the curator may post the approved interim answer himself; the final draft is due 7 working days after it (p.15)", async () => {
    // Tuesday 24.11.2026 10:00 in Moscow; the interim answer is posted on Wednesday 25.11.
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    h.clock.set("2026-11-25T07:00:00Z");
    await seedDraft(h, id, { purpose: "interim", approve: true });
    await curator().press("Размещу лично", curatorsChat());
    expect(h.lastText(OFFICE.healthChat)).toMatch(
      /^Согласованный промежуточный ответ по сообщению № 1 размещает куратор Ольга\./,
    );
    await curator().send("https://vk.com/wall-1_1?reply=8", curatorsChat());
    // From the next day: 26, 27.11, 30.11, 1, 2, 3, 4.12 — to the end of Friday 04.12.2026.
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Промежуточный ответ по сообщению № 1 записан.\n" +
        "Срок: 04.12.2026 18:00 — прислать проект окончательного ответа куратору (п. 15).\n" +
        "Окончательный ответ готовит исполнитель, ведущий сообщение: ему сообщено.",
    );
    expect(cardText(OFFICE.healthChat, id)).toContain(
      "Срок: 04.12.2026 18:00 — прислать проект окончательного ответа куратору (п. 15)",
    );
    expect(h.lastText(OFFICE.executor)).toBe(
      "По сообщению № 1 дан промежуточный ответ: https://vk.com/wall-1_1?reply=8\n" +
        "Срок: 04.12.2026 18:00 — прислать проект окончательного ответа куратору (п. 15).",
    );
  });

  it("Georgievsk: a final draft not sent 7 working days after the interim answer is overdue as that draft (p.15)", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    h.clock.set("2026-11-25T07:00:00Z");
    await seedDraft(h, id, { purpose: "interim", approve: true });
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("https://vk.com/wall-1_1?reply=8", curatorsChat());

    h.clock.set("2026-12-07T06:00:00Z"); // Monday 07.12 09:00 (Moscow): the morning's digests go out
    await morningDigests(h.deps());
    h.clock.set("2026-12-07T07:00:00Z"); // 10:00, after 04.12 18:00
    await sweep(h.deps());
    expect(h.texts(OFFICE.healthChat).filter((text) => text.startsWith("❗"))).toEqual([
      "❗ Сообщение № 1: срок «прислать проект окончательного ответа куратору» истёк 04.12.2026 18:00 " +
        "(п. 15 регламента) — просрочено на 1 ч рабочего времени. Подготовьте окончательный ответ сейчас.",
    ]);
  });

  it("Georgievsk: the final draft sent in time meets p.15; rework, a question to the author, approval and publication bring no false overdue", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    h.clock.set("2026-11-25T07:00:00Z");
    await seedDraft(h, id, { purpose: "interim", approve: true });
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("https://vk.com/wall-1_1?reply=8", curatorsChat());
    h.clock.set("2026-12-02T07:00:00Z"); // the final draft on Wednesday 02.12, in time for 04.12 18:00
    await seedDraft(h, id, { text: "Снег вывезут." });
    await curator2().press("На доработку", curatorsChat());
    await curator2().send("Укажите дату.", curatorsChat());
    expect(cardText(OFFICE.healthChat, id)).toContain("Срок: 02.12.2026 10:30 — доработать ответ (п. 14)");
    expect(cardText(OFFICE.healthChat, id)).not.toContain("окончательный ответ");
    // Its interim answer is public: the post still waits for the final one, and cannot be returned.
    expect(state(id)).toBe("awaiting_final");
    expect(cardText(OFFICE.healthChat, id)).toContain("Проект ответа на доработке: Укажите дату.");
    expect(labels(OFFICE.healthChat, id)).not.toContain("Вернуть");

    await seedDraft(h, id, { text: "Снег вывезен 02.12." });
    h.clock.set("2026-12-07T07:00:00Z"); // approved on Monday, after 04.12
    await curator2().press("Согласовать", curatorsChat());
    expect(cardText(OFFICE.healthChat, id)).not.toMatch(/истёк|просрочено/);
    // P.15 was met by the draft and no clause times the posting: no deadline is promised, none is "passed".
    expect(h.texts(OFFICE.healthChat)).toContain(
      "Ответ по сообщению № 1 согласован. Разместите его во ВКонтакте и нажмите «Размещено».\n\n" +
        "Согласованный текст:\nСнег вывезен 02.12.",
    );
    expect(cardText(OFFICE.healthChat, id)).toContain(
      "Проект окончательного ответа направлен 02.12.2026 10:00 — в срок (п. 15)",
    );
    expect(cardText(OFFICE.curatorsChat, id)).toContain(
      "Проект окончательного ответа направлен 02.12.2026 10:00 — в срок (п. 15)",
    );
    await sweep(h.deps());
    expect(h.texts(OFFICE.healthChat).filter((text) => text.startsWith("❗"))).toEqual([]);

    await executor().press("Размещено", healthChat());
    await executor().send("https://vk.com/wall-1_1?reply=12", healthChat());
    expect(h.lastText(OFFICE.healthChat)).toContain("в срок");
  });

  it("Georgievsk: a question to the author after the interim answer promises no posting time: p.15 times the final draft", async () => {
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    h.clock.set("2026-11-25T07:00:00Z");
    await seedDraft(h, id, { purpose: "interim", approve: true });
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("https://vk.com/wall-1_1?reply=8", curatorsChat());
    h.clock.set("2026-11-26T07:00:00Z");
    await seedDraft(h, id, { purpose: "clarification", text: "Уточните адрес." });
    await curator2().press("Согласовать", curatorsChat());
    expect(h.texts(OFFICE.healthChat)).toContain(
      "Запрос автору по сообщению № 1 согласован. Разместите его во ВКонтакте и нажмите «Размещено».\n\n" +
        "Согласованный текст:\nУточните адрес.",
    );
    await curator().press("Размещу лично", curatorsChat());
    await curator().send("https://vk.com/wall-1_1?reply=9", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Запрос автору по сообщению № 1 записан. Срок на время ожидания не останавливается: " +
        "прислать проект окончательного ответа куратору до 04.12.2026 18:00.",
    );
  });

  it("a question to the author returned and approved: the card, «История» and its deadlines name the question, not an answer", async () => {
    const id = await officeWithIncident();
    await seedDraft(h, id, { purpose: "clarification", text: "Уточните адрес." });
    await curator().press("На доработку", curatorsChat());
    await curator().send("Спросите и номер дома.", curatorsChat());
    const returned = cardText(OFFICE.healthChat, id);
    expect(returned).toContain("Проект запроса автору на доработке: Спросите и номер дома.");
    expect(returned).toMatch(/— доработать запрос автору \(п\. 11\)/);
    await executor().press("История", healthChat());
    expect(executor().lastText()).toContain("запрос автору возвращён на доработку: «Спросите и номер дома.»");

    await seedDraft(h, id, { purpose: "clarification", text: "Уточните адрес и номер дома." });
    await curator().press("Согласовать", curatorsChat());
    expect(cardText(OFFICE.healthChat, id)).toMatch(/— разместить запрос автору \(п\. 12\)/);
  });

  it("a question to the author is drafted, approved and posted (Orenburg p.9–12); the clock does not stop", async () => {
    const id = await officeWithIncident();
    await draftInDialogue("Запрос автору", "Уточните, пожалуйста, адрес.");
    expect(h.texts(OFFICE.curatorsChat)).toContain(
      "Проект запроса автору по сообщению № 1 (исполнитель: Иван, Министерство здравоохранения)\n\n" +
        "Уточните, пожалуйста, адрес.",
    );
    expect(await curator().press("Согласовать", curatorsChat())).toBe(
      "Запрос автору по сообщению № 1 согласован.",
    );
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Запрос автору по сообщению № 1 согласован. Разместите его во ВКонтакте и нажмите «Размещено».\n" +
        "Разместить до 24.11.2026 10:30.\n\n" +
        "Согласованный текст:\n" +
        "Уточните, пожалуйста, адрес.",
    );
    await executor().press("Размещено");
    expect(executor().lastText()).toBe(
      "Сообщение № 1: пришлите ссылку на размещённый запрос автору во ВКонтакте. Отмена — /cancel.",
    );
    await executor().send("https://vk.com/wall-1_1");
    expect(executor().lastText()).toBe(
      "Это ссылка на само сообщение автора. Пришлите ссылку на ваш ответ: комментарий или запись.",
    );
    await executor().send("https://vk.com/wall-1_1?reply=2");
    expect(executor().lastText()).toBe(
      "Запрос автору по сообщению № 1 записан. Срок на время ожидания не останавливается: разместить ответ до 25.11.2026 11:00.",
    );
    const card = cardText(OFFICE.healthChat, id);
    expect(card).toContain("Запрос автору: https://vk.com/wall-1_1?reply=2");
    expect(card).toContain("Ожидает уточнения от автора");
    // The draft was sent (p.9): the answer's own deadline is the one left.
    expect(card).toContain("Срок: 25.11.2026 11:00 — разместить ответ (п. 8)");
    expect(state(id)).toBe("in_work");
    expect(labels(OFFICE.healthChat, id)).toEqual([
      "Подготовить ответ",
      "Промежуточный ответ",
      "Запрос автору",
      "Вернуть",
      "История",
    ]);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "По сообщению № 1 автору задан вопрос: https://vk.com/wall-1_1?reply=2\nЖдём уточнения; срок ответа не останавливается.",
    );
    await executor().press("История", healthChat());
    expect(executor().lastText()).toContain("запрос автору размещён: https://vk.com/wall-1_1?reply=2");
  });

  it("Georgievsk p.11: a question to the author posted is no draft of the answer, which stays due within the hour (card, alerts, report)", async () => {
    // Tuesday 24.11.2026 10:00 Moscow: taken into work; the answer's draft due 11:00 (p.11).
    const id = await officeWithIncident({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    h.clock.set("2026-11-24T07:20:00Z");
    await seedDraft(h, id, { purpose: "clarification", text: "Уточните номер дома.", approve: true });
    await executor().press("Размещено");
    await executor().send("https://vk.com/wall-1_1?reply=2");
    expect(executor().lastText()).toBe(
      "Запрос автору по сообщению № 1 записан. Срок на время ожидания не останавливается: " +
        "прислать проект ответа куратору до 24.11.2026 11:00.",
    );
    const card = cardText(OFFICE.healthChat, id);
    expect(card).toContain("Ожидает уточнения от автора");
    expect(card).toContain("Срок: 24.11.2026 11:00 — прислать проект ответа куратору (п. 11)");
    // A question posted after that hour is told the deadline ran out, not «до» a time past.
    h.clock.set("2026-11-24T08:10:00Z");
    await seedDraft(h, id, { purpose: "clarification", text: "Уточните подъезд.", approve: true });
    await executor().press("Размещено");
    await executor().send("https://vk.com/wall-1_1?reply=3");
    expect(executor().lastText()).toBe(
      "Запрос автору по сообщению № 1 записан. Срок на время ожидания не останавливается: " +
        "«прислать проект ответа куратору» — срок истёк 24.11.2026 11:00.",
    );

    h.clock.set("2026-11-24T08:30:00Z"); // 11:30: no draft of the answer yet
    await sweep(h.deps());
    expect(h.texts(OFFICE.healthChat)).toContainEqual(
      expect.stringMatching(
        /^❗ Сообщение № 1: срок «прислать проект ответа куратору» истёк в 11:00 \(п\. 11/,
      ),
    );

    h.clock.set("2026-11-24T09:30:00Z"); // 12:30: the answer's draft comes
    await seedDraft(h, id, { text: "Снег вывезут завтра.", approve: true });
    h.clock.set("2026-12-01T07:00:00Z");
    const report = buildMonthlyReport(h.db, h.sla, { year: 2026, month: 11 });
    expect(tr.violations(report).split("\n")).toContain(
      "№ 1 · Минздрав · Иван — прислать проект ответа куратору (п. 11): срок 24.11.2026 11:00, " +
        "выполнено 24.11.2026 12:30, опоздание 1 ч 30 мин",
    );
  });
});

describe("a repeat of a post whose answer is posted", () => {
  it("the repeat's cards show the earlier answer at once (Orenburg p.15)", async () => {
    const first = await officeWithIncident();
    await seedDraft(h, first, { approve: true });
    const second = seedRegistered(h, { link: "https://vk.com/wall-1_2", repeatOfId: first });
    await showCards(h, second);
    expect(cardText(OFFICE.curatorsChat, second)).toContain(`Повторное к сообщению № ${first} — согласовано`);
    h.clock.advance(25 * MINUTE);
    await executor().press("Размещено");
    await executor().send("https://vk.com/wall-1_1?reply=77");
    expect(state(first)).toBe("answered");
    expect(cardText(OFFICE.curatorsChat, second)).toContain(
      `Повторное к сообщению № ${first} — ответ размещён 24.11.2026 10:25: https://vk.com/wall-1_1?reply=77`,
    );
  });
});
