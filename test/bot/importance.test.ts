/**
 * «Изменить сведения» on the curators' card: a post registered as ordinary (one tap, or over
 * HTTP) is raised to «социально значимое» and the head hears at once (Orenburg p.21); a topic or
 * place set later counts toward a surge.
 */
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { publishAnswer } from "../../src/app/answers.js";
import {
  acceptIncident,
  closeUnanswered,
  loadIncident,
  returnIncident,
  routeIncident,
} from "../../src/app/incidents.js";
import { findPerson, markBlocked } from "../../src/app/people.js";
import { auditEvents, roleGrants } from "../../src/db/schema.js";
import { Harness, type TestUser } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import {
  OFFICE,
  seedDraft,
  seedIncidentInWork,
  seedOffice,
  seedRegistered,
  showCards,
} from "../support/workflow.js";

let h: Harness;
let curator: TestUser;
let curator2: TestUser;
let healthId: number;

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
beforeEach(async () => {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  healthId = seedOffice(h).health;
  curator = h.user(OFFICE.curator, "Ольга");
  curator2 = h.user(OFFICE.curator2, "Светлана");
});
afterEach(() => h.close());

function must<T extends { ok: boolean }>(result: T): T {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result;
}

const curatorsChat = () => h.group(OFFICE.curatorsChat, "Кураторы");

async function register(n: number, topic: string | null = null): Promise<number> {
  const id = seedRegistered(h, {
    link: `https://vk.com/wall-1_${n}`,
    text: "Пожар в школе",
    author: null,
    topic,
  });
  await showCards(h, id);
  return id;
}

/** Presses the button with exactly this callback data, wherever it is in the chat. */
async function pressData(user: TestUser, data: string): Promise<string | undefined> {
  const button = h.fake.buttons(OFFICE.curatorsChat).find((b) => b.callbackData === data);
  if (!button) throw new Error(`no button ${data} in the curators' chat`);
  const update = await h.deliver(updates.callback(user.tg, button.message, data));
  return h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text as string | undefined;
}

const openMenu = (user: TestUser, id: number) => pressData(user, `inc.edit:${id}`);
const card = (id: number) =>
  h.texts(OFFICE.curatorsChat).find((text) => text.startsWith(`Сообщение № ${id} · `)) ?? "";
const menus = () => h.texts(OFFICE.curatorsChat).filter((text) => text.includes(": что изменить?"));
const significantNotices = () => h.texts(OFFICE.head).filter((text) => text.startsWith("Социально значимое"));
const surges = (chatId: number) => h.texts(chatId).filter((text) => text.startsWith("⚠️ Всплеск"));
/** What the bot sent the head, oldest first. */
const sentToHead = () =>
  h.fake.callsOf("sendMessage").filter((c) => Number(c.params.chat_id) === OFFICE.head);
/** The head's newest message opens the post, as the heads' notice does, and nothing else. */
function expectOpensPost(id: number): void {
  const note = h.fake.lastMessage(OFFICE.head);
  expect(h.fake.buttons(OFFICE.head).filter((b) => b.message.message_id === note?.message_id)).toEqual([
    expect.objectContaining({ label: `Открыть № ${id}` }),
  ]);
}

describe("importance", () => {
  it("a curator raises an ordinary post to «социально значимое»: the card shows it, the head hears at once", async () => {
    const id = await register(1);
    expect(card(id)).not.toContain("Важность:");
    await openMenu(curator, id);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Сообщение № 1: что изменить?\nВажность: обычное\nТема: не указана\nМесто: не указано\nДата поста: не указана",
    );
    const toast = await curator.press("Социально значимое", curatorsChat());
    expect(toast).toBe("Сообщение № 1: важность — социально значимое.");
    expect(card(id)).toContain("Важность: социально значимое");
    expect(significantNotices()).toEqual([
      "Социально значимое сообщение № 1 (п. 21)\nВКонтакте: https://vk.com/wall-1_1\n«Пожар в школе»\nОтвет разместить до 25.11.2026 11:00",
    ]);
    expect(menus().at(-1)).toContain("Важность: социально значимое");
    expect(loadIncident(h.db, id)?.row.version).toBe(2);

    await curator.press("История", curatorsChat());
    expect(curator.lastText()).toMatch(
      /24\.11\.2026 10:00 — Ольга — важность: обычное → социально значимое$/m,
    );
  });

  it("raised while Telegram drops the card's edit: the head still hears at once", async () => {
    await register(1);
    await openMenu(curator, 1);
    h.fake.dropNext("editMessageText");
    await curator.press("Социально значимое", curatorsChat());
    expect(significantNotices()).toHaveLength(1);
  });

  it("lowered, the head told of it hears so quietly, a head not told hears nothing; raised again, it is told again", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Социально значимое", curatorsChat());
    // A head given «Срочные» after the post's notice went out was not told of it.
    const DEPUTY = 5002;
    h.seedPerson(DEPUTY, "Заместитель", ["head"]);
    await curator.press("Обычное", curatorsChat());
    expect(card(id)).not.toContain("Важность:");
    expect(h.texts(OFFICE.head).slice(1)).toEqual([
      "Сообщение № 1 больше не отмечено как социально значимое: куратор изменил важность на «обычное».",
    ]);
    expect(h.texts(DEPUTY)).toEqual([]);
    // Without sound, with the notice's «Открыть № 1».
    const toHead = sentToHead();
    expect(toHead.at(-1)?.params.disable_notification).toBe(true);
    expectOpensPost(1);
    // «Важное» the heads do not hear of at once (Orenburg): nothing more to tell them.
    await curator.press("Важное", curatorsChat());
    expect(card(id)).toContain("Важность: важное");
    expect(h.texts(OFFICE.head)).toHaveLength(2);
    // Raised again, both heads hear it: the head was told it no longer is.
    await curator.press("Социально значимое", curatorsChat());
    expect(h.texts(OFFICE.head).slice(2)).toEqual([
      "Социально значимое сообщение № 1 (п. 21)\nВКонтакте: https://vk.com/wall-1_1\n«Пожар в школе»\nОтвет разместить до 25.11.2026 11:00",
    ]);
    expect(h.texts(DEPUTY)).toHaveLength(1);
  });

  it("raised from «обычное» to «важное» after the head's lowered note failed: no «больше не отмечено» on a raise", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Социально значимое", curatorsChat());
    expect(h.texts(OFFICE.head)).toHaveLength(1);
    // The lowered note does not reach the head: he stays counted as told of the post.
    h.fake.failNext(
      "sendMessage",
      { error_code: 500, description: "Internal Server Error" },
      { match: (params) => params.chat_id === OFFICE.head },
    );
    await curator.press("Обычное", curatorsChat());
    expect(h.texts(OFFICE.head)).toHaveLength(1);
    // «Важное» the heads do not hear of at once (Orenburg), but it is a raise: nothing was lowered.
    await curator.press("Важное", curatorsChat());
    expect(card(id)).toContain("Важность: важное");
    expect(h.texts(OFFICE.head)).toHaveLength(1);
  });

  it("a post raised at night goes to the head at once too", async () => {
    h.clock.set("2026-11-24T18:00:00Z");
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Социально значимое", curatorsChat());
    expect(significantNotices()).toHaveLength(1);
  });

  it("only curators change it, their rights read afresh at every press", async () => {
    const id = await register(1);
    const executor = h.user(OFFICE.executor, "Иван");
    expect(await openMenu(executor, id)).toBe("Менять сведения о сообщении может только куратор.");
    await openMenu(curator2, id);
    expect(await executor.press("Социально значимое", curatorsChat())).toBe(
      "Менять сведения о сообщении может только куратор.",
    );
    const svetlana = findPerson(h.db, OFFICE.curator2)?.id ?? 0;
    h.db
      .delete(roleGrants)
      .where(and(eq(roleGrants.personId, svetlana), eq(roleGrants.role, "curator")))
      .run();
    // Her only role gone, she has no access at all.
    expect(await curator2.press("Социально значимое", curatorsChat())).toBe(
      "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
    );
    expect(loadIncident(h.db, id)?.row.importance).toBe("normal");
    expect(significantNotices()).toEqual([]);
  });

  it("two curators at once: the second choice, made on what is no longer so, is refused and the menu shows the first", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await openMenu(curator2, id);
    expect(await pressData(curator2, `imp.set:${id}:important:1`)).toBe("Сообщение № 1: важность — важное.");
    expect(await pressData(curator, `imp.set:${id}:normal:1`)).toBe(
      "Сообщение № 1 изменилось, пока было открыто это меню. Меню обновлено: посмотрите и выберите ещё раз.",
    );
    expect(loadIncident(h.db, id)?.row.importance).toBe("important");
    expect(menus()).toEqual([
      expect.stringContaining("Важность: важное"),
      expect.stringContaining("Важность: важное"),
    ]);
    expect(await pressData(curator, `imp.set:${id}:normal:2`)).toBe("Сообщение № 1: важность — обычное.");
  });

  it("a closed post can no longer be changed: no button on its card, the open menu refuses", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Оскорбительное", curatorsChat());
    await curator.press("Да, закрыть", curatorsChat());
    expect(h.fake.buttons(OFFICE.curatorsChat).map((b) => b.callbackData)).not.toContain(`inc.edit:${id}`);
    expect(await pressData(curator, `imp.set:${id}:significant:1`)).toBe("Сообщение № 1 уже закрыто.");
    expect(h.fake.buttons(OFFICE.curatorsChat).filter((b) => b.callbackData?.startsWith("imp."))).toEqual([]);
    expect(significantNotices()).toEqual([]);
  });
});

describe("topic and place", () => {
  it("a post forwarded where the topic is asked closes the question, saying so, and sets no topic", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Тема", curatorsChat());
    await h.deliver(
      updates.forwarded(curatorsChat(), curator.tg, "Во дворе нет света", {
        type: "hidden_user",
        sender_user_name: "Мария К.",
      }),
    );
    expect(h.texts(OFFICE.curatorsChat)).toContain(
      "Пересланный пост не принят как ответ: вопрос бота закрыт, зарегистрировать пост можно, переслав его боту в личный чат. " +
        "Чтобы вернуться к вопросу, нажмите кнопку ещё раз.",
    );
    expect(loadIncident(h.db, id)?.row.topic).toBeNull();
  });

  it("a post's link pasted where the place is asked closes the question and sets no place; in the group, the bot says where posts are registered", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Место", curatorsChat());
    await curator.send("https://vk.com/wall-1_99", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Ссылка на пост не принята как ответ: вопрос бота закрыт, зарегистрировать пост можно, прислав ссылку боту в личный чат. " +
        "Чтобы вернуться к вопросу, нажмите кнопку ещё раз.",
    );
    expect(loadIncident(h.db, id)?.row.place).toBeNull();
  });

  it("a place given with a map's link is the place: only a post's link closes the question", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Место", curatorsChat());
    await curator.send("ул. Ленина, 5 (https://yandex.ru/maps/-/CDabc)", curatorsChat());
    expect(loadIncident(h.db, id)?.row.place).toBe("ул. Ленина, 5 (https://yandex.ru/maps/-/CDabc)");
  });

  it("a post's link pasted where the topic is asked in the private chat: the question closes and the post is offered for registration", async () => {
    const id = await register(1);
    await curator.send(`/find ${id}`);
    await curator.press("Изменить сведения");
    await curator.press("Тема");
    await curator.send("https://vk.com/wall-1_99");
    const said = curator.texts();
    const closed = said.indexOf(
      "Ссылка на пост не принята как ответ: вопрос бота закрыт, ниже пост можно зарегистрировать. " +
        "Чтобы вернуться к вопросу, нажмите кнопку ещё раз.",
    );
    expect(closed).toBeGreaterThan(0);
    expect(said[closed + 1]).toMatch(/^Распознано сообщение:\nВКонтакте: https:\/\/vk\.com\/wall-1_99\n/);
    expect(loadIncident(h.db, id)?.row.topic).toBeNull();
  });

  it("a topic set later is shown on the card, recorded, and completes a surge", async () => {
    for (let n = 1; n <= 4; n++) await register(n, "Снег");
    const id = await register(5);
    await openMenu(curator, id);
    await curator.press("Тема", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Ольга, сообщение № 5: напишите тему (до 300 символов). Отмена — /cancel.",
    );
    const question = h.fake.lastMessage(OFFICE.curatorsChat);
    await curator.send(" снег ", curatorsChat());
    // The question says what was done.
    expect(
      h.fake.messages(OFFICE.curatorsChat).find((m) => m.message_id === question?.message_id)?.text,
    ).toBe("Сообщение № 5: тема — «снег».");
    expect(card(id)).toContain("Тема: снег");
    expect(menus().at(-1)).toContain("Тема: снег");
    const expected = "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): «снег» — 5 (№ 1, № 2, № 3, № 4, № 5).";
    expect(surges(OFFICE.head)).toEqual([expected]);
    expect(surges(OFFICE.curatorsChat)).toEqual([expected]);
    const events = h.db.select().from(auditEvents).where(eq(auditEvents.action, "setTopic")).all();
    expect(events.map((e) => e.details?.to)).toEqual(["снег"]);
  });

  it("Orenburg p.6: the curators' card asks for the topic and place until both are given; the executors' does not", async () => {
    const id = await register(1);
    const hint = "Укажите тему и место (п. 6): «Изменить сведения».";
    expect(card(id)).toContain(hint);
    await openMenu(curator, id);
    await curator.press("Тема", curatorsChat());
    await curator.send("снег", curatorsChat());
    expect(card(id)).toContain("Укажите место (п. 6): «Изменить сведения».");
    await curator.press("Место", curatorsChat());
    await curator.send("ул. Ленина, 5", curatorsChat());
    expect(card(id)).not.toContain("Укажите");
  });

  it("the topic and the place take no message more than their questions: each question becomes its confirmation", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    const before = h.texts(OFFICE.curatorsChat).length;
    await curator.press("Тема", curatorsChat());
    await curator.send("дороги", curatorsChat());
    await curator.press("Место", curatorsChat());
    await curator.send("ул. Ленина, 5", curatorsChat());
    expect(h.texts(OFFICE.curatorsChat).slice(before)).toEqual([
      "Сообщение № 1: тема — «дороги».",
      "Сообщение № 1: место — «ул. Ленина, 5».",
    ]);
    expect(menus().at(-1)).toContain("Тема: дороги\nМесто: ул. Ленина, 5");
    expect(card(id)).not.toContain("Укажите");
    expect(h.fake.buttons(OFFICE.curatorsChat).map((b) => b.callbackData)).not.toContain("dt.cancel");
  });

  it("a question Telegram no longer lets edit, or one answered after a refusal: the confirmation comes as a message", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Тема", curatorsChat());
    const question = h.fake.lastMessage(OFFICE.curatorsChat);
    h.fake.failNext(
      "editMessageText",
      { error_code: 400, description: "Bad Request: message to edit not found" },
      { match: (params) => params.message_id === question?.message_id },
    );
    await curator.send("дороги", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe("Сообщение № 1: тема — «дороги».");

    await curator.press("Место", curatorsChat());
    await curator.send("д".repeat(301), curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Напишите одним сообщением, текстом до 300 символов. Отмена — /cancel.",
    );
    await curator.send("ул. Ленина, 5", curatorsChat());
    expect(h.texts(OFFICE.curatorsChat).slice(-2)).toEqual([
      "Напишите одним сообщением, текстом до 300 символов. Отмена — /cancel.",
      "Сообщение № 1: место — «ул. Ленина, 5».",
    ]);
    expect(loadIncident(h.db, id)?.row).toMatchObject({ topic: "дороги", place: "ул. Ленина, 5" });
  });

  it("a place typed with a full stop is confirmed, and asked again, with one full stop after the quotes", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Место", curatorsChat());
    await curator.send("Двор на Ленина, 5: снег лежит неделю.", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Сообщение № 1: место — «Двор на Ленина, 5: снег лежит неделю».",
    );
    await curator.press("Место", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toContain(
      "Сейчас: «Двор на Ленина, 5: снег лежит неделю». Отмена",
    );
  });

  it("a place is corrected and then removed; /cancel changes nothing", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Место", curatorsChat());
    await curator.send("ул. Ленина, 5", curatorsChat());
    expect(card(id)).toContain("Место: ул. Ленина, 5");
    await curator.press("Место", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/Сейчас: «ул\. Ленина, 5»/);
    await curator.send("/cancel", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe("Отменено.");
    expect(card(id)).toContain("Место: ул. Ленина, 5");
    await curator.press("Место", curatorsChat());
    await curator.press("Убрать место", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe("Сообщение № 1: место убрано.");
    expect(card(id)).not.toContain("Место:");
    await curator.press("Готово", curatorsChat());
    expect(h.fake.buttons(OFFICE.curatorsChat).filter((b) => b.callbackData?.startsWith("imp."))).toEqual([]);
  });

  it("«Убрать тему» under the topic's question, pressed once «Место» is asked, removes nothing", async () => {
    const id = await register(1, "ЖКХ");
    await openMenu(curator, id);
    await curator.press("Место", curatorsChat());
    await curator.send("ул. Ленина, 5", curatorsChat());
    await curator.press("Тема", curatorsChat());
    const topicQuestion = h.fake.findButton(OFFICE.curatorsChat, "Убрать тему");
    await curator.press("Место", curatorsChat());
    const update = await h.deliver(
      updates.callback(curator.tg, topicQuestion.message, topicQuestion.callbackData),
    );
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe(
      "Эта кнопка относится к прошлому вопросу.",
    );
    expect(card(id)).toContain("Тема: ЖКХ");
    expect(card(id)).toContain("Место: ул. Ленина, 5");
    // The open question still takes its answer.
    await curator.press("Убрать место", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe("Сообщение № 1: место убрано.");
    expect(loadIncident(h.db, id)?.row.topic).toBe("ЖКХ");
  });

  it("a topic another curator set while this one was typing is not overwritten unseen", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Тема", curatorsChat());
    await openMenu(curator2, id);
    await curator2.press("Тема", curatorsChat());
    await curator2.send("Дороги", curatorsChat());
    await curator.send("Снег", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Пока вы писали, сообщение № 1 изменилось, поэтому ничего не записано. " +
        "Меню выше обновлено: посмотрите и нажмите «Тема» ещё раз.",
    );
    expect(loadIncident(h.db, id)?.row.topic).toBe("Дороги");
    expect(menus()).toEqual([
      expect.stringContaining("Тема: Дороги"),
      expect.stringContaining("Тема: Дороги"),
    ]);
  });

  it("the post moving on meanwhile (routed, taken into work), or another detail set, refuses nothing", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Тема", curatorsChat());
    // The curator raises it in the same menu, and the organization takes it, while he types the topic.
    await curator.press("Социально значимое", curatorsChat());
    const olga = findPerson(h.db, OFFICE.curator);
    const ivan = findPerson(h.db, OFFICE.executor);
    if (!olga || !ivan) throw new Error("not seeded");
    must(
      routeIncident(h.db, {
        incidentId: id,
        leadId: healthId,
        coexecutorIds: [],
        actor: olga,
        now: h.clock.now(),
      }),
    );
    must(acceptIncident(h.db, { incidentId: id, actor: ivan, now: h.clock.now() }));
    await curator.send("Дороги", curatorsChat());
    expect(loadIncident(h.db, id)?.row.topic).toBe("Дороги");
    // A tap in the menu shown before the routing is taken too.
    expect(await curator.press("Важное", curatorsChat())).toBe("Сообщение № 1: важность — важное.");
    expect(loadIncident(h.db, id)?.row).toMatchObject({ importance: "important", topic: "Дороги" });
    // So does «Место» on a menu shown before the post moved on.
    const version = loadIncident(h.db, id)?.row.version ?? 0;
    must(
      returnIncident(h.db, {
        incidentId: id,
        actor: ivan,
        now: h.clock.now(),
        reason: "Не наша компетенция.",
      }),
    );
    const menu = h.fake.messages(OFFICE.curatorsChat).findLast((m) => m.text?.includes(": что изменить?"));
    if (!menu) throw new Error("no menu");
    const press = async (data: string) => {
      const update = await h.deliver(updates.callback(curator.tg, menu, data));
      return h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text;
    };
    await press(`imp.ask:${id}:place:${version}`);
    await curator.send("ул. Ленина, 5", curatorsChat());
    expect(loadIncident(h.db, id)?.row.place).toBe("ул. Ленина, 5");
    // A version the post never had is forged: refused.
    expect(await press(`imp.set:${id}:normal:${version + 100}`)).toBe(
      "Сообщение № 1 изменилось, пока было открыто это меню. Меню обновлено: посмотрите и выберите ещё раз.",
    );
    expect(loadIncident(h.db, id)?.row.importance).toBe("important");
  });

  it("the heads told of a significant post hear its topic and place set or changed later, each in a note of its own", async () => {
    const id = await register(1);
    const other = await register(2);
    await openMenu(curator, id);
    await curator.press("Социально значимое", curatorsChat());
    expect(h.texts(OFFICE.head)).toEqual([
      "Социально значимое сообщение № 1 (п. 21)\nВКонтакте: https://vk.com/wall-1_1\n«Пожар в школе»\nОтвет разместить до 25.11.2026 11:00",
    ]);
    await curator.press("Тема", curatorsChat());
    await curator.send("пожарная безопасность", curatorsChat());
    await curator.press("Место", curatorsChat());
    await curator.send("школа № 3, ул. Мира", curatorsChat());
    expect(h.texts(OFFICE.head).slice(1)).toEqual([
      "Тема сообщения № 1 уточнена куратором: «пожарная безопасность»",
      "Место сообщения № 1 уточнено куратором: «школа № 3, ул. Мира»",
    ]);
    // Without sound, with the notice's «Открыть № 1».
    const toHead = sentToHead();
    expect(toHead.slice(1).map((c) => c.params.disable_notification)).toEqual([true, true]);
    expectOpensPost(1);
    // The same place again changes nothing; corrected or removed, it is told.
    await curator.press("Место", curatorsChat());
    await curator.send("школа № 3, ул. Мира", curatorsChat());
    await curator.press("Место", curatorsChat());
    await curator.send("школа № 5, ул. Мира", curatorsChat());
    await curator.press("Тема", curatorsChat());
    await curator.press("Убрать тему", curatorsChat());
    expect(h.texts(OFFICE.head).slice(3)).toEqual([
      "Место сообщения № 1 уточнено куратором: «школа № 5, ул. Мира»",
      "Сообщение № 1: тема убрана куратором.",
    ]);

    // A post the heads were not told of: its topic and place are the curators' business alone.
    await openMenu(curator, other);
    await curator.press("Тема", curatorsChat());
    await curator.send("пожарная безопасность", curatorsChat());
    await curator.press("Место", curatorsChat());
    await curator.send("школа № 5", curatorsChat());
    expect(h.texts(OFFICE.head)).toHaveLength(5);
  });
});

describe("the post's text and author", () => {
  it("a curator's note registered as the post's text is corrected from the menu: every card quotes the citizen's words, audited", async () => {
    const id = seedRegistered(h, {
      link: "https://vk.com/wall-123456_789",
      text: "Вот пост про яму и сломанную ливнёвку:",
      author: null,
    });
    await showCards(h, id);
    await pressData(curator, `inc.route:${id}`);
    await curator.press(/Минздрав/, curatorsChat());
    await curator.press("Готово", curatorsChat());
    const executorsCard = () =>
      h.texts(OFFICE.healthChat).find((text) => text.startsWith(`Сообщение № ${id} · `)) ?? "";
    expect(executorsCard()).toContain("«Вот пост про яму и сломанную ливнёвку:»");

    await openMenu(curator, id);
    await curator.press("Текст поста", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Ольга, сообщение № 1: пришлите текст поста — скопируйте его из поста, карточки будут цитировать его. " +
        "Сейчас: «Вот пост про яму и сломанную ливнёвку:». Отмена — /cancel.",
    );
    const citizen = "На ул. Мира, 5 яма, ливнёвка сломана, двор затопило. Фото: https://vk.com/photo-1_2";
    await curator.send(citizen, curatorsChat());
    for (const shown of [card(id), executorsCard()]) {
      expect(shown).toContain(`«${citizen}»`);
      expect(shown).not.toContain("Вот пост про яму");
    }
    expect(loadIncident(h.db, id)?.row.text).toBe(citizen);

    await curator.press("Автор", curatorsChat());
    await curator.send("Ирина Смирнова", curatorsChat());
    expect(card(id)).toContain("Автор: Ирина Смирнова");
    expect(executorsCard()).toContain("Автор: Ирина Смирнова");

    await curator.press("История", curatorsChat());
    expect(curator.lastText()).toMatch(/— Ольга — текст поста: «На ул\. Мира, 5 яма/);
    expect(curator.lastText()).toMatch(/— Ольга — автор: «Ирина Смирнова»$/m);
    const events = h.db.select().from(auditEvents).where(eq(auditEvents.action, "setText")).all();
    expect(events.map((e) => [e.details?.from, e.details?.to])).toEqual([
      ["Вот пост про яму и сломанную ливнёвку:", citizen],
    ]);
  });

  it("the heads told of a significant post hear its corrected text in a note of its own; its author changes nothing there", async () => {
    const id = await register(1);
    const other = await register(2);
    await openMenu(curator, id);
    await curator.press("Социально значимое", curatorsChat());
    expect(h.texts(OFFICE.head)).toEqual([
      "Социально значимое сообщение № 1 (п. 21)\nВКонтакте: https://vk.com/wall-1_1\n«Пожар в школе»\nОтвет разместить до 25.11.2026 11:00",
    ]);
    await curator.press("Текст поста", curatorsChat());
    await curator.send("В школе № 3 на Мира горит спортзал, дети эвакуированы", curatorsChat());
    expect(h.texts(OFFICE.head).slice(1)).toEqual([
      "Текст сообщения № 1 уточнён куратором:\n«В школе № 3 на Мира горит спортзал, дети эвакуированы»",
    ]);
    // Without sound: nothing to do at once, the card it opens shows the rest.
    const toHead = sentToHead();
    expect(toHead.at(-1)?.params.disable_notification).toBe(true);
    expectOpensPost(1);
    await curator.press("Автор", curatorsChat());
    await curator.send("Ирина Смирнова", curatorsChat());
    await curator.press("Текст поста", curatorsChat());
    await curator.press("Убрать текст", curatorsChat());
    expect(h.texts(OFFICE.head).slice(2)).toEqual([
      "Сообщение № 1: текст, процитированный в уведомлении, убран куратором — это был не текст поста.",
    ]);

    // A post the heads were not told of: its text is the curators' and executors' business alone.
    await openMenu(curator, other);
    await curator.press("Текст поста", curatorsChat());
    await curator.send("Горит школа № 5", curatorsChat());
    expect(h.texts(OFFICE.head)).toHaveLength(3);
  });

  it("a text another curator corrected while this one was typing is not overwritten unseen", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Текст поста", curatorsChat());
    await openMenu(curator2, id);
    await curator2.press("Текст поста", curatorsChat());
    await curator2.send("Горит школа № 3", curatorsChat());
    await curator.send("Пожар в школе № 3", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Пока вы писали, сообщение № 1 изменилось, поэтому ничего не записано. " +
        "Меню выше обновлено: посмотрите и нажмите «Текст поста» ещё раз.",
    );
    expect(loadIncident(h.db, id)?.row.text).toBe("Горит школа № 3");
  });
});

describe("the post's link (deleted by its author and posted again, or registered wrong)", () => {
  const OLD = "https://vk.com/wall-1_30";
  const NEW = "https://vk.com/wall-1_31";
  const executorsCard = (id: number) =>
    h.texts(OFFICE.healthChat).find((text) => text.startsWith(`Сообщение № ${id} · `)) ?? "";

  it("changed from the menu, the post keeps its number, holder and draft: every card shows the new link, the work chat hears quietly, «История» records it", async () => {
    const id = await seedIncidentInWork(h, healthId, { link: OLD });
    const other = await register(2);
    const executor = h.user(OFFICE.executor, "Иван");
    await executor.press("Подготовить ответ");
    await executor.send("Здравствуйте! Запись к терапевту открыта с 5 мая.");
    await executor.press("Готово");

    await openMenu(curator, id);
    await curator.press("Ссылка на пост", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Ольга, сообщение № 1: пришлите новую ссылку на пост (например, автор удалил пост и опубликовал его заново). " +
        `Номер, сроки и начатая работа сохранятся. Отмена — /cancel.\nСейчас: ${OLD}`,
    );
    const question = h.fake.lastMessage(OFFICE.curatorsChat);
    await curator.send("пост перевыложен", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/^Это не похоже на ссылку\./);
    await curator.send(`https://m.vk.com/wall-1_${other}`, curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Эта ссылка уже зарегистрирована: сообщение № 2. Пришлите другую ссылку или /cancel.",
    );
    await curator.send(`Перевыложен: ${NEW}`, curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(`Сообщение № 1: новая ссылка на пост — ${NEW}`);
    expect(
      h.fake.buttons(OFFICE.curatorsChat).filter((b) => b.message.message_id === question?.message_id),
    ).toEqual([]);

    expect(loadIncident(h.db, id)?.row).toMatchObject({ link: NEW, state: "in_work" });
    for (const shown of [
      card(id),
      executorsCard(id),
      h.texts(OFFICE.executor).find((t) => t.startsWith("Сообщение № 1 · ")) ?? "",
    ]) {
      expect(shown).toContain(NEW);
      expect(shown).not.toContain(OLD);
    }
    expect(card(id)).toContain("Ответственный: Иван");
    expect(h.lastText(OFFICE.healthChat)).toBe(
      `Сообщение № 1: куратор изменил ссылку на пост, теперь: ${NEW}\n` +
        "Номер сообщения, сроки и начатая работа прежние; ответ размещается под постом по новой ссылке.",
    );
    const toWorkChat = h.fake
      .callsOf("sendMessage")
      .filter((c) => Number(c.params.chat_id) === OFFICE.healthChat);
    expect(toWorkChat.at(-1)?.params.disable_notification).toBe(true);

    await pressData(curator, `inc.hist:${id}`);
    expect(curator.lastText()).toMatch(new RegExp(`— Ольга — ссылка изменена: ${OLD} → ${NEW}$`, "m"));

    // The draft begun under the old link goes on to the curators as № 1's.
    await executor.press("Отправить на согласование");
    expect(executor.lastText()).toMatch(/^Проект отправлен на согласование: сообщение № 1\./);
  });

  it("the new link is the post's for every lookup: /find and /new find № 1 there, the old link is free", async () => {
    const id = await register(30);
    await openMenu(curator, id);
    await curator.press("Ссылка на пост", curatorsChat());
    await curator.send(NEW, curatorsChat());
    await curator.send(`/find ${NEW}`);
    expect(curator.lastText()).toMatch(new RegExp(`^Сообщение № 1 · ВКонтакте\n${NEW}\n`));
    await curator.send("/new");
    await curator.send(NEW);
    expect(curator.lastText()).toBe("Это сообщение уже зарегистрировано: № 1.");
    await curator.send(`/find ${OLD}`);
    expect(curator.lastText()).toMatch(/^Сообщение не найдено/);
    await curator.send("/new");
    await curator.send(OLD);
    expect(curator.lastText()).toMatch(/^Пришлите текст сообщения/);
  });

  it("the repost closed as a duplicate gives its link up: № 1 takes it, and each post's «История» says so", async () => {
    const id = await register(30);
    const repost = await register(31);
    const olga = findPerson(h.db, OFFICE.curator);
    if (!olga) throw new Error("no curator");
    closeUnanswered(h.db, {
      incidentId: repost,
      actor: olga,
      now: h.clock.now(),
      reason: "void",
      duplicate: true,
    });
    await openMenu(curator, id);
    await curator.press("Ссылка на пост", curatorsChat());
    await curator.send(NEW, curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(`Сообщение № 1: новая ссылка на пост — ${NEW}`);
    expect(loadIncident(h.db, id)?.row.link).toBe(NEW);
    await curator.send(`/find ${NEW}`);
    expect(curator.lastText()).toMatch(new RegExp(`^Сообщение № 1 · ВКонтакте\n${NEW}\n`));
    await pressData(curator, `inc.hist:${repost}`);
    expect(curator.lastText()).toMatch(
      /— Ольга — ссылка передана сообщению № 1 \(этот пост закрыт без ответа\)$/m,
    );
  });

  it("the heads told of a significant post hear its new link quietly, with «Открыть № 1»", async () => {
    const id = await register(30);
    await openMenu(curator, id);
    await curator.press("Социально значимое", curatorsChat());
    await curator.press("Ссылка на пост", curatorsChat());
    await curator.send(NEW, curatorsChat());
    expect(h.texts(OFFICE.head).slice(1)).toEqual([
      `Ссылка на сообщение № 1 изменена куратором:\nВКонтакте: ${NEW}`,
    ]);
    expect(sentToHead().at(-1)?.params.disable_notification).toBe(true);
    expectOpensPost(1);
  });
});

describe("the link of comments registered under one post (Одноклассники: a comment has no link of its own)", () => {
  const OK_OLD = "https://ok.ru/group/1/topic/2";
  const OK_NEW = "https://ok.ru/group/1/topic/3";

  async function comment(link: string, text: string, anotherComment = true): Promise<number> {
    const id = seedRegistered(h, { link, text, anotherComment });
    await showCards(h, id);
    return id;
  }

  async function changeLink(id: number, link: string): Promise<void> {
    await openMenu(curator, id);
    await curator.press("Ссылка на пост", curatorsChat());
    await curator.send(link, curatorsChat());
  }

  /** The numbers of the last three posts /find shows at the link, a card each. */
  async function foundAt(link: string): Promise<number[]> {
    await curator.send(`/find ${link}`);
    return h.fake
      .messages(OFFICE.curator)
      .slice(-3)
      .map((m) => Number(/^Сообщение № (\d+) · /.exec(m.text ?? "")?.[1]));
  }

  it("the post posted again: its comments moved one by one, in any order, stay comments under it", async () => {
    const first = await comment(OK_OLD, "Первый", false);
    const second = await comment(OK_OLD, "Второй");
    const third = await comment(OK_OLD, "Третий");
    for (const id of [second, first, third]) {
      await changeLink(id, OK_NEW);
      expect(h.lastText(OFFICE.curatorsChat)).toBe(`Сообщение № ${id}: новая ссылка на пост — ${OK_NEW}`);
    }
    expect(card(first)).not.toContain("Другой комментарий");
    expect(card(third)).toContain(`Другой комментарий под тем же постом, что и № ${first}`);
    expect(await foundAt(OK_NEW)).toEqual([first, second, third]);
  });

  it("a comment moved under a post whose comments are registered: another comment there, after them", async () => {
    await comment(OK_OLD, "Первый", false);
    const moved = await comment(OK_OLD, "Второй");
    const there = await comment(OK_NEW, "Третий", false);
    await comment(OK_NEW, "Четвёртый");
    await changeLink(moved, OK_NEW);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(`Сообщение № ${moved}: новая ссылка на пост — ${OK_NEW}`);
    expect(card(moved)).toContain(`Другой комментарий под тем же постом, что и № ${there}`);
    expect(await foundAt(OK_NEW)).toEqual([moved, there, there + 1]);
  });
});

describe("a repeat found after registration (Orenburg p.15)", () => {
  it("«Повторное к …» links the post to the earlier one named by its number; the cards show it; audited once", async () => {
    const earlier = await register(1);
    const id = await register(2);
    await openMenu(curator, id);
    await curator.press("Повторное к …", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Ольга, сообщение № 2: какое более раннее сообщение оно повторяет? Пришлите его номер (например, 12) или ссылку на тот пост. Отмена — /cancel.",
    );
    await curator.send("слово", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Пришлите номер сообщения (например, 12) или ссылку на пост. Отмена — /cancel.",
    );
    await curator.send("77", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe("Сообщения № 77 нет. Проверьте номер и пришлите ещё раз.");
    await curator.send("№ 2", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe("Это то же самое сообщение. Пришлите номер более раннего.");
    await curator.send(`№ ${earlier}`, curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Сообщение № 2 отмечено как повторное к № 1: на карточках видно, как было рассмотрено сообщение № 1.",
    );
    expect(loadIncident(h.db, id)?.row.repeatOfId).toBe(earlier);
    expect(card(id)).toContain("Повторное к сообщению № 1");
    expect(menus().at(-1)).toContain("Повторное к сообщению № 1");
    // Linked once: the menu no longer offers it.
    expect(h.fake.buttons(OFFICE.curatorsChat).map((b) => b.label)).not.toContain("Повторное к …");
    const events = h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "markRepeat"), eq(auditEvents.entityId, String(id))))
      .all();
    expect(events.map((e) => e.details?.repeatOfId)).toEqual([earlier]);
  });

  it("named by its link; a later post or an unknown link is refused; /cancel leaves it unlinked", async () => {
    await register(1);
    const id = await register(2);
    await register(3);
    await openMenu(curator, id);
    await curator.press("Повторное к …", curatorsChat());
    await curator.send("3", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Сообщение № 3 зарегистрировано позже № 2. Пришлите номер более раннего.",
    );
    await curator.send("https://vk.com/wall-1_99", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Пост с такой ссылкой не зарегистрирован. Пришлите номер сообщения или другую ссылку.",
    );
    await curator.send("/cancel", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe("Отменено.");
    expect(loadIncident(h.db, id)?.row.repeatOfId).toBeNull();

    await curator.press("Повторное к …", curatorsChat());
    await curator.send("https://m.vk.com/wall-1_1", curatorsChat());
    expect(loadIncident(h.db, id)?.row.repeatOfId).toBe(1);
  });

  it("named by a link where several comments under one post are registered (Одноклассники): asked by number", async () => {
    const ok = "https://ok.ru/group/1/topic/2";
    seedRegistered(h, { link: ok, text: "Первый" });
    seedRegistered(h, { link: ok, text: "Второй", anotherComment: true });
    const id = seedRegistered(h, { link: ok, text: "Третий", anotherComment: true });
    await showCards(h, id);
    await openMenu(curator, id);
    await curator.press("Повторное к …", curatorsChat());
    await curator.send(ok, curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "По этой ссылке зарегистрировано несколько комментариев: № 1, № 2. Пришлите номер нужного.",
    );
    await curator.send("2", curatorsChat());
    expect(loadIncident(h.db, id)?.row.repeatOfId).toBe(2);
  });

  it("an executor's forged press changes nothing", async () => {
    await register(1);
    const id = await register(2);
    const executor = h.user(OFFICE.executor, "Иван");
    await openMenu(curator, id);
    const toast = await pressData(executor, `imp.rep:${id}:${loadIncident(h.db, id)?.row.version}`);
    expect(toast).toBe("Менять сведения о сообщении может только куратор.");
    expect(loadIncident(h.db, id)?.row.repeatOfId).toBeNull();
  });
});

describe("the post's own date (Orenburg p.13 counts the final answer from it)", () => {
  it("a curator sets it in the menu: checked, stored, shown and in «История»", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    expect(menus().at(-1)).toContain("Дата поста: не указана");
    await curator.press("Дата поста", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Ольга, сообщение № 1: когда опубликован сам пост? Напишите дату и время, например 23.11.2026 14:30. Отмена — /cancel.",
    );
    await curator.send("вчера", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Напишите дату и время поста так: 23.11.2026 14:30. Отмена — /cancel.",
    );
    await curator.send("25.11.2026 09:00", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Пост не может быть опубликован позже, чем его обнаружили (24.11.2026 10:00). Проверьте дату и пришлите ещё раз.",
    );
    await curator.send("20.11.2026 17:45", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Сообщение № 1: пост опубликован 20.11.2026 17:45. Сроки, которые считаются от даты поста, пересчитаны.",
    );
    expect(loadIncident(h.db, id)?.row.postedAt?.toISOString()).toBe("2026-11-20T12:45:00.000Z");
    expect(menus().at(-1)).toContain("Дата поста: 20.11.2026 17:45");
    await curator.press("История", curatorsChat());
    expect(curator.lastText()).toContain("дата поста: 20.11.2026 17:45");
  });
});

describe("a post deleted by its author or registered by mistake", () => {
  it("the curator closes it from the menu after a second tap; the organization stops, the card says why", async () => {
    const id = await register(1);
    await pressData(curator, `inc.route:${id}`);
    await curator.press(/Минздрав/, curatorsChat());
    await curator.press("Готово", curatorsChat());
    await openMenu(curator, id);
    await curator.press("Закрыть: ошибка или пост удалён", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(
      /^Закрыть сообщение № 1 без ответа: пост удалён автором или зарегистрирован ошибочно/,
    );
    expect(loadIncident(h.db, id)?.row.state).toBe("assigned");
    expect(await curator.press("Да, закрыть", curatorsChat())).toBe(
      "Сообщение № 1 закрыто без ответа: пост удалён или зарегистрирован ошибочно.",
    );
    expect(loadIncident(h.db, id)?.row).toMatchObject({ state: "closed", closedReason: "void" });
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Сообщение № 1 закрыто куратором без ответа: пост удалён или зарегистрирован ошибочно. Готовить ответ не нужно.",
    );
    expect(card(id)).toContain("Состояние: закрыто без ответа: пост удалён или зарегистрирован ошибочно");
    await curator.press("История", curatorsChat());
    expect(curator.lastText()).toContain("закрыто без ответа: пост удалён или зарегистрирован ошибочно");
  });

  it("closed from the menu, the menu shows it as it is now, without buttons", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    const menu = h.fake.lastMessage(OFFICE.curatorsChat);
    await curator.press("Закрыть: ошибка или пост удалён", curatorsChat());
    await curator.press("Да, закрыть", curatorsChat());
    expect(loadIncident(h.db, id)?.row.state).toBe("closed");
    const now = h.fake.messages(OFFICE.curatorsChat).find((m) => m.message_id === menu?.message_id);
    expect(now?.text).toMatch(/^Сообщение № 1: что изменить\?/);
    expect(
      h.fake.buttons(OFFICE.curatorsChat).filter((b) => b.message.message_id === menu?.message_id),
    ).toEqual([]);
  });

  it("also once its answer is approved and cannot be posted: the deleted post's clocks stop", async () => {
    const id = await seedIncidentInWork(h, healthId, { link: "https://vk.com/wall-1_5" });
    await seedDraft(h, id, { approve: true });
    await openMenu(curator, id);
    await curator.press("Закрыть: ошибка или пост удалён", curatorsChat());
    await curator.press("Да, закрыть", curatorsChat());
    expect(loadIncident(h.db, id)?.row).toMatchObject({ state: "closed", closedReason: "void" });
    expect(h.lastText(OFFICE.healthChat)).toMatch(/^Сообщение № 1 закрыто куратором без ответа/);
  });

  it("but not once the answer is out: the menu has no such button", async () => {
    const id = await seedIncidentInWork(h, healthId, { link: "https://vk.com/wall-1_5" });
    await seedDraft(h, id, { approve: true });
    await openMenu(curator, id);
    const executor = findPerson(h.db, OFFICE.executor);
    if (!executor) throw new Error("no executor");
    publishAnswer(h.db, {
      incidentId: id,
      actor: executor,
      now: h.clock.now(),
      link: "https://vk.com/wall-1_5?reply=9",
      onTime: true,
      rules: { curatorMayPublish: false },
    });
    // The menu opened before: its buttons say why nothing changes now, naming it as the card does.
    expect(await curator.press("Важное", curatorsChat())).toBe(
      "Ответ на сообщение № 1 уже размещён: менять сведения о нём поздно.",
    );
    await showCards(h, id);
    expect(h.fake.buttons(OFFICE.curatorsChat).map((b) => b.label)).not.toContain(
      "Закрыть: ошибка или пост удалён",
    );
  });
});

describe("the heads told of a post hear how it ended", () => {
  const DEPUTY = 5002;
  const healthChat = () => h.group(OFFICE.healthChat, "Минздрав: обращения");

  /** № 1 in work, raised to «социально значимое»; then a deputy head given «Срочные», not told of it. */
  async function significantInWork(): Promise<number> {
    const id = await seedIncidentInWork(h, healthId, { link: "https://vk.com/wall-1_5" });
    await openMenu(curator, id);
    await curator.press("Социально значимое", curatorsChat());
    h.seedPerson(DEPUTY, "Заместитель", ["head"]);
    return id;
  }

  async function post(id: number, link: string, purpose?: "interim"): Promise<void> {
    await seedDraft(h, id, { approve: true, ...(purpose ? { purpose } : {}) });
    const executor = h.user(OFFICE.executor, "Иван");
    await executor.press("Размещено", healthChat());
    await executor.send(link, healthChat());
  }

  it("its interim answer and then its answer posted: the head told of it hears each quietly, with «Открыть № 1»; a head not told hears nothing", async () => {
    const id = await significantInWork();
    await post(id, "https://vk.com/wall-1_5?reply=7", "interim");
    await post(id, "https://vk.com/wall-1_5?reply=9");
    expect(loadIncident(h.db, id)?.row.state).toBe("answered");
    expect(h.texts(OFFICE.head).slice(1)).toEqual([
      "Промежуточный ответ на сообщение № 1 размещён: https://vk.com/wall-1_5?reply=7",
      "Ответ на сообщение № 1 размещён (в срок): https://vk.com/wall-1_5?reply=9",
    ]);
    const toHead = sentToHead();
    expect(toHead.slice(1).map((c) => c.params.disable_notification)).toEqual([true, true]);
    expectOpensPost(1);
    expect(h.texts(DEPUTY)).toEqual([]);
  });

  it("its answer posted after its deadline: the head hears it was late, as the curators do", async () => {
    const id = await significantInWork();
    h.clock.set("2026-11-26T05:00:00Z"); // Thursday 10:00: the answer was due Wednesday 11:00 (p.8)
    await post(id, "https://vk.com/wall-1_5?reply=9");
    expect(h.texts(OFFICE.head).at(-1)).toBe(
      "Ответ на сообщение № 1 размещён (с опозданием): https://vk.com/wall-1_5?reply=9",
    );
    expect(h.texts(OFFICE.curatorsChat).at(-1)).toContain("Ответ по сообщению № 1 размещён (с опозданием)");
  });

  it("closed without an answer: the head told of it hears why; one who heard it lowered hears nothing more", async () => {
    await significantInWork();
    await curator.press("Оскорбительное", curatorsChat());
    await curator.press("Да, закрыть", curatorsChat());
    expect(h.texts(OFFICE.head).slice(1)).toEqual(["Сообщение № 1 закрыто без ответа как оскорбительное."]);
    expect(h.texts(DEPUTY)).toEqual([]);

    const other = await seedIncidentInWork(h, healthId, { link: "https://vk.com/wall-1_6" });
    await openMenu(curator, other);
    await curator.press("Социально значимое", curatorsChat());
    await curator.press("Обычное", curatorsChat());
    const heard = h.texts(OFFICE.head).length;
    await openMenu(curator, other);
    await curator.press("Закрыть: ошибка или пост удалён", curatorsChat());
    await curator.press("Да, закрыть", curatorsChat());
    expect(loadIncident(h.db, other)?.row.state).toBe("closed");
    expect(h.texts(OFFICE.head)).toHaveLength(heard);
  });
});

describe("a post needing an urgent decision (Georgievsk p.24)", () => {
  it("marked «Важное», it goes to the head at once under Georgievsk; under Orenburg «Важное» does not", async () => {
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Важное", curatorsChat());
    expect(h.texts(OFFICE.head)).toEqual([]);

    await h.close();
    h = await Harness.start({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" });
    seedOffice(h);
    curator = h.user(OFFICE.curator, "Ольга");
    const georgievsk = await register(1);
    await openMenu(curator, georgievsk);
    await curator.press("Важное", curatorsChat());
    expect(h.texts(OFFICE.head)).toEqual([
      "Сообщение № 1 требует оперативного решения (п. 24)\nВКонтакте: https://vk.com/wall-1_1\n«Пожар в школе»\nСрок ответа считается с направления исполнителю (п. 16): сообщим его, когда сообщение направят.",
    ]);
    // Raised further, the head hears that it is significant; lowered again, nothing more.
    await curator.press("Социально значимое", curatorsChat());
    expect(h.texts(OFFICE.head).slice(1)).toEqual([
      "Социально значимое сообщение № 1 (п. 24)\nВКонтакте: https://vk.com/wall-1_1\n«Пожар в школе»\nСрок ответа считается с направления исполнителю (п. 16): сообщим его, когда сообщение направят.",
    ]);
    await curator.press("Важное", curatorsChat());
    await curator.press("Социально значимое", curatorsChat());
    expect(h.texts(OFFICE.head)).toHaveLength(2);
  });

  it("lowered to «Важное» while another head's notice is still owed: the head told it is significant hears nothing more", async () => {
    await h.close();
    h = await Harness.start({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" });
    seedOffice(h);
    curator = h.user(OFFICE.curator, "Ольга");
    const DEPUTY = 5002;
    h.seedPerson(DEPUTY, "Заместитель", ["head"]);
    const id = await register(1);
    await openMenu(curator, id);
    // The deputy's phone is out of reach for now (Telegram's 5xx).
    h.fake.failNext(
      "sendMessage",
      { error_code: 502, description: "Bad Gateway" },
      { times: 10, match: (params) => Number(params.chat_id) === DEPUTY },
    );
    await curator.press("Социально значимое", curatorsChat());
    await curator.press("Важное", curatorsChat());
    expect(h.texts(OFFICE.head)).toEqual([
      "Социально значимое сообщение № 1 (п. 24)\nВКонтакте: https://vk.com/wall-1_1\n«Пожар в школе»\nСрок ответа считается с направления исполнителю (п. 16): сообщим его, когда сообщение направят.",
    ]);
  });

  it("at night an urgent post the head cannot get (he blocks the bot) reaches the curators without sound; a significant one rings", async () => {
    await h.close();
    h = await Harness.start({ now: "2026-11-24T20:00:00Z", regulation: "georgievsk" }); // 23:00 in Moscow
    seedOffice(h);
    markBlocked(h.db, OFFICE.head, h.clock.now());
    curator = h.user(OFFICE.curator, "Ольга");
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Важное", curatorsChat());
    await curator.press("Социально значимое", curatorsChat());
    const insteadOfHead = h.fake
      .callsOf("sendMessage")
      .filter((c) => String(c.params.text).includes("Руководителю не доставлено"));
    expect(
      insteadOfHead.map((c) => [
        String(c.params.text).split(" ")[0],
        c.params.disable_notification === false,
      ]),
    ).toEqual([
      ["Сообщение", false],
      ["Социально", true],
    ]);
  });

  it("at night an urgent post reaches the head without sound; a significant one rings", async () => {
    await h.close();
    h = await Harness.start({ now: "2026-11-24T20:00:00Z", regulation: "georgievsk" }); // 23:00 in Moscow
    seedOffice(h);
    curator = h.user(OFFICE.curator, "Ольга");
    const id = await register(1);
    await openMenu(curator, id);
    await curator.press("Важное", curatorsChat());
    await curator.press("Социально значимое", curatorsChat());
    const toHead = sentToHead();
    expect(toHead.map((c) => [String(c.params.text).split(" ")[0], c.params.disable_notification])).toEqual([
      ["Сообщение", true],
      ["Социально", false],
    ]);
  });
});
