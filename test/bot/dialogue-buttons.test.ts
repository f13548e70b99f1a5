import { afterEach, describe, expect, it } from "vitest";
import { acceptIncident, loadIncident, routeIncident } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { Harness } from "../support/bot-harness.js";
import type { StoredMessage } from "../support/fake-bot-api.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedOffice, seedRegistered, showCards } from "../support/workflow.js";

let h: Harness;
let health: number;
let education: number;

const EDUCATION_EXECUTOR = 3002;
const healthChat = () => h.group(OFFICE.healthChat, "Минздрав: обращения");
const educationChat = () => h.group(-300, "Минобр: обращения");
const executor = () => h.user(OFFICE.executor, "Иван");
const educationExecutor = () => h.user(EDUCATION_EXECUTOR, "Мария");

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";

async function office(): Promise<void> {
  h = await Harness.start({ now: TUESDAY_10 });
  ({ health } = seedOffice(h));
  education = h.seedOrganization("Министерство образования", "Минобр");
  h.seedChat(educationChat(), education);
  h.seedPerson(EDUCATION_EXECUTOR, "Мария", [], [education]);
}

afterEach(() => h.close());

function person(telegramId: number) {
  const found = findPerson(h.db, telegramId);
  if (!found) throw new Error(`no person ${telegramId}`);
  return found;
}

/** № n routed by the curator to the health ministry, with the education ministry as co-executor if asked. */
async function routed(n: number, opts: { coexecutor?: boolean } = {}): Promise<number> {
  const id = seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
  const coexecutorIds = opts.coexecutor ? [education] : [];
  const now = h.clock.now();
  const result = routeIncident(h.db, {
    incidentId: id,
    leadId: health,
    coexecutorIds,
    actor: person(OFFICE.curator),
    now,
  });
  if (!result.ok) throw new Error(result.refusal);
  if (opts.coexecutor) {
    const taken = acceptIncident(h.db, {
      incidentId: id,
      organizationId: education,
      actor: person(EDUCATION_EXECUTOR),
      now,
    });
    if (!taken.ok) throw new Error(taken.refusal);
  }
  await showCards(h, id);
  return id;
}

/** The bot's newest message in the chat whose text starts so. */
function message(chatId: number, start: string): StoredMessage {
  const found = h.fake
    .messages(chatId)
    .filter((m) => m.text?.startsWith(start))
    .at(-1);
  if (!found) throw new Error(`no message «${start}» in chat ${chatId}`);
  return found;
}

/** Presses the button with this label on this message; returns the pop-up text, if any. */
async function pressOn(userId: number, chatId: number, on: StoredMessage, label: string) {
  const button = h.fake
    .buttons(chatId)
    .find((b) => b.message.message_id === on.message_id && b.label === label);
  if (!button?.callbackData) throw new Error(`no button «${label}» on message ${on.message_id}`);
  return await pressData(userId, on, button.callbackData);
}

/** The labels of the buttons the message has now. */
const buttonsOn = (chatId: number, on: StoredMessage) =>
  h.fake
    .buttons(chatId)
    .filter((b) => b.message.message_id === on.message_id)
    .map((b) => b.label);

/** The data of the button with this label on this message. */
function dataOf(chatId: number, on: StoredMessage, label: string): string {
  const data = h.fake
    .buttons(chatId)
    .find((b) => b.message.message_id === on.message_id && b.label === label)?.callbackData;
  if (!data) throw new Error(`no button «${label}» on message ${on.message_id}`);
  return data;
}

/** Presses a button with exactly this data on the message (as an older card could carry). */
async function pressData(userId: number, on: StoredMessage, data: string) {
  const from = userId === EDUCATION_EXECUTOR ? educationExecutor() : executor();
  const update = await h.deliver(updates.callback(from.tg, on, data));
  return h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text as string | undefined;
}

const card = (chatId: number, id: number) => message(chatId, `Сообщение № ${id} · `);
const state = (id: number) => loadIncident(h.db, id)?.row.state;
const STALE = "Эта кнопка относится к прошлому вопросу.";

describe("a dialogue's buttons act only in their own dialogue", () => {
  it("a reason under an earlier return's question does not return the post of the question open now", async () => {
    await office();
    const first = await routed(1);
    const second = await routed(2);
    await pressOn(OFFICE.executor, OFFICE.healthChat, card(OFFICE.healthChat, first), "Вернуть");
    const firstQuestion = message(OFFICE.healthChat, "Иван, почему вы возвращаете сообщение № 1?");
    const firstReason = dataOf(OFFICE.healthChat, firstQuestion, "Не наша компетенция");
    await pressOn(OFFICE.executor, OFFICE.healthChat, card(OFFICE.healthChat, second), "Вернуть");
    const secondQuestion = message(OFFICE.healthChat, "Иван, почему вы возвращаете сообщение № 2?");

    // The replaced question loses its buttons; one pressed all the same (a client slow to redraw,
    // or a bot restarted meanwhile) does nothing.
    expect(buttonsOn(OFFICE.healthChat, firstQuestion)).toEqual([]);
    expect(await pressData(OFFICE.executor, firstQuestion, firstReason)).toBe(STALE);
    expect([state(first), state(second)]).toEqual(["assigned", "assigned"]);

    await pressOn(OFFICE.executor, OFFICE.healthChat, secondQuestion, "Не наша компетенция");
    const whose = message(OFFICE.healthChat, "Иван, «Не наша компетенция». Уточните");
    await pressOn(OFFICE.executor, OFFICE.healthChat, whose, "Вернуть без уточнения");
    expect(h.lastText(OFFICE.healthChat)).toBe("Сообщение № 2 возвращено куратору.");
    expect([state(first), state(second)]).toEqual(["assigned", "registered"]);
  });

  it("«Отмена» under an earlier dialogue is taken off, and does not cancel the part being written now", async () => {
    await office();
    const first = await routed(1, { coexecutor: true });
    await routed(2, { coexecutor: true });
    const chat = educationChat();
    await pressOn(EDUCATION_EXECUTOR, chat.id, card(chat.id, first), "Отправить информацию");
    const firstPrompt = message(chat.id, "Мария, пришлите информацию по сообщению № 1");
    const firstCancel = dataOf(chat.id, firstPrompt, "Отмена");
    await pressOn(EDUCATION_EXECUTOR, chat.id, card(chat.id, 2), "Отправить информацию");

    expect(buttonsOn(chat.id, firstPrompt)).toEqual([]);
    expect(await pressData(EDUCATION_EXECUTOR, firstPrompt, firstCancel)).toBe(STALE);
    await educationExecutor().send("Снег во дворе школы уберут до пятницы.", chat);
    expect(h.lastText(chat.id)).toBe(
      "Информация по сообщению № 2 отправлена куратору и основному исполнителю.",
    );
  });

  it("a command that ends a dialogue takes its question's buttons off", async () => {
    await office();
    const id = await routed(1);
    await pressOn(OFFICE.executor, OFFICE.healthChat, card(OFFICE.healthChat, id), "Вернуть");
    const question = message(OFFICE.healthChat, "Иван, почему вы возвращаете сообщение № 1?");
    await executor().send("/list", healthChat());
    expect(buttonsOn(OFFICE.healthChat, question)).toEqual([]);
    expect(state(id)).toBe("assigned");
  });

  it("buttons of the older kind, which named no dialogue, do nothing in an open one", async () => {
    await office();
    const id = await routed(1, { coexecutor: true });
    await pressOn(OFFICE.executor, OFFICE.healthChat, card(OFFICE.healthChat, id), "Вернуть");
    const question = message(OFFICE.healthChat, "Иван, почему вы возвращаете сообщение № 1?");
    expect(await pressData(OFFICE.executor, question, "ans.reason:0")).toBe(STALE);
    expect(await pressData(OFFICE.executor, question, "ans.cancel")).toBe(STALE);
    expect(state(id)).toBe("assigned");
    await executor().send("/cancel", healthChat());

    const chat = educationChat();
    await pressOn(EDUCATION_EXECUTOR, chat.id, card(chat.id, id), "Отправить информацию");
    const prompt = message(chat.id, "Мария, пришлите информацию по сообщению № 1");
    expect(await pressData(EDUCATION_EXECUTOR, prompt, "ans.cancel")).toBe(STALE);
    await educationExecutor().send("Снег во дворе школы уберут до пятницы.", chat);
    expect(h.lastText(chat.id)).toBe(
      "Информация по сообщению № 1 отправлена куратору и основному исполнителю.",
    );
  });
});
