import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { cards, inbox, incidents, people, roleGrants } from "../../src/db/schema.js";
import { Harness, type HarnessOptions, type TestUser } from "../support/bot-harness.js";
import { tgUser, updates } from "../support/updates.js";

const CURATOR = 2001;
const EXECUTOR = 3001;
const HEAD = 4001;
const CURATORS_CHAT = -100;
/** Tuesday 24.11.2026 10:00 in Yekaterinburg (UTC+5): working time for the Orenburg preset. */
const TUESDAY_10 = "2026-11-24T05:00:00Z";

let h: Harness;
let curator: TestUser;
const group = () => h.group(CURATORS_CHAT, "Кураторы");

async function start(options: HarnessOptions = {}): Promise<void> {
  h = await Harness.start({ now: TUESDAY_10, ...options });
  curator = h.seedPerson(CURATOR, "Ольга", ["curator"]);
  h.seedChat(group(), null);
}

afterEach(() => h?.close());

/** /new with the link and text; author, topic and place skipped unless given; importance; «Сейчас». */
async function registerByNew(
  link: string,
  opts: {
    text?: string;
    author?: string;
    topic?: string;
    place?: string;
    importance?: string;
    chat?: ReturnType<typeof group>;
  } = {},
): Promise<void> {
  const chat = opts.chat ?? curator.chat;
  await curator.send("/new", chat);
  await curator.send(link, chat);
  await curator.send(opts.text ?? "Яма на дороге", chat);
  if (opts.author) await curator.send(opts.author, chat);
  else await curator.press("Пропустить", chat);
  if (opts.topic) await curator.send(opts.topic, chat);
  else await curator.press("Пропустить", chat);
  if (opts.place) await curator.send(opts.place, chat);
  else await curator.press("Пропустить", chat);
  await curator.press(opts.importance ?? "Обычное", chat);
  await curator.press("Сейчас", chat);
}

const incidentCount = () => h.db.select().from(incidents).all().length;
const cardIn = (chatId: number, id = 1) =>
  h.texts(chatId).find((text) => text.startsWith(`Сообщение № ${id} · `));

describe("registering a post with /new", () => {
  it("asks each field and shows the card in the curator's chat and the curators' chat", async () => {
    await start();
    await curator.send("/new");
    expect(curator.lastText()).toMatch(/^Пришлите ссылку на сообщение/);
    await curator.send("https://vk.com/wall-1_2");
    expect(curator.lastText()).toMatch(/^Пришлите текст сообщения/);
    await curator.send("На улице Ленина яма, когда заделают?");
    await curator.press("Пропустить");
    await curator.send("дороги");
    await curator.send("Оренбург, ул. Ленина");
    expect(curator.lastText()).toBe("Насколько это важно?");
    await curator.press("Обычное");
    await curator.press("Сейчас");

    const card = [
      "Сообщение № 1 · ВКонтакте",
      "https://vk.com/wall-1_2",
      "",
      "«На улице Ленина яма, когда заделают?»",
      "",
      "Тема: дороги",
      "Место: Оренбург, ул. Ленина",
      "Состояние: зарегистрировано, ждёт направления",
      "Срок: 24.11.2026 10:30 — направить исполнителю (п. 6), осталось 30 мин рабочего времени",
      "Ответ разместить до: 25.11.2026 11:00",
    ].join("\n");
    expect(curator.lastText()).toBe(card);
    expect(h.lastText(CURATORS_CHAT)).toBe(card);
  });

  it("asks again for a malformed link and takes an unknown site as «другой источник»", async () => {
    await start();
    await curator.send("/new");
    await curator.send("ссылка на пост");
    expect(curator.lastText()).toMatch(/^Это не похоже на ссылку\. Ссылка выглядит так: https:\/\/vk\.com/);
    await curator.send("ftp://files.example.org/a");
    expect(curator.lastText()).toMatch(/^Нужна ссылка на страницу в интернете/);
    await curator.send("example.org/posts/7");
    await curator.press("Нет текста");
    await curator.press("Пропустить");
    await curator.press("Пропустить");
    await curator.press("Пропустить");
    await curator.press("Важное");
    await curator.press("Сейчас");
    expect(curator.lastText()).toMatch(
      /^Сообщение № 1 · другой источник\nhttps:\/\/example\.org\/posts\/7\n/,
    );
    expect(curator.lastText()).toMatch(/Важность: важное/);
  });

  it("takes the post's link out of a message that says more, preferring the post to the author's page", async () => {
    await start();
    await curator.send("/new");
    await curator.send("Автор https://vk.com/id5 пишет вот здесь: https://vk.com/wall-1_5, про яму.");
    expect(curator.lastText()).toBe(
      "Пришлите текст сообщения (можно скопировать из поста) или нажмите «Нет текста».",
    );
    await curator.press("Нет текста");
    for (let i = 0; i < 3; i++) await curator.press("Пропустить");
    await curator.press("Обычное");
    await curator.press("Сейчас");
    expect(curator.lastText()).toMatch(/^Сообщение № 1 · ВКонтакте\nhttps:\/\/vk\.com\/wall-1_5\n/);
  });

  it("takes the post's own time in local time and refuses a wrong, future or long past one", async () => {
    await start();
    await curator.send("/new");
    await curator.send("https://vk.com/wall-1_3");
    await curator.press("Нет текста");
    for (let i = 0; i < 3; i++) await curator.press("Пропустить");
    await curator.press("Обычное");
    await curator.send("31.02.2026 10:00");
    expect(curator.lastText()).toMatch(/^Не удалось разобрать дату/);
    await curator.send("24.11.2026 11:00");
    expect(curator.lastText()).toMatch(/^Это время ещё не наступило/);
    await curator.send("24.11.1926 09:15");
    expect(curator.lastText()).toMatch(/^Это больше года назад — проверьте год/);
    await curator.send("24.11.2026 09:15");
    expect(curator.lastText()).toMatch(/^Сообщение № 1 · ВКонтакте/);
    const [row] = h.db.select().from(incidents).all();
    expect(row?.postedAt?.toISOString()).toBe("2026-11-24T04:15:00.000Z");
    expect(row?.detectedAt.toISOString()).toBe("2026-11-24T05:00:00.000Z");
  });

  it("works in the curators' chat: one card there", async () => {
    await start();
    await registerByNew("https://vk.com/wall-1_2", { chat: group() });
    expect(h.lastText(CURATORS_CHAT)).toMatch(/^Сообщение № 1 · ВКонтакте/);
    expect(h.texts(CURATORS_CHAT).filter((text) => text.startsWith("Сообщение № 1"))).toHaveLength(1);
  });

  it("/cancel leaves without registering", async () => {
    await start();
    await curator.send("/new");
    await curator.send("https://vk.com/wall-1_2");
    await curator.send("/cancel");
    expect(curator.lastText()).toBe("Регистрация отменена.");
    expect(incidentCount()).toBe(0);
  });

  it("an executor or a stranger cannot register", async () => {
    await start();
    const org = h.seedOrganization("Минстрой");
    const executor = h.seedPerson(EXECUTOR, "Пётр", [], [org]);
    const stranger = h.user(5001, "Гость");
    for (const person of [executor, stranger]) {
      await person.send("/new");
      expect(person.lastText()).toBe(
        person === executor
          ? "Регистрировать сообщения и помечать их могут только кураторы."
          : "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
      );
      await person.send("https://vk.com/wall-1_2");
    }
    expect(executor.lastText()).toBe(
      "Регистрируют сообщения кураторы: перешлите этот пост куратору. " +
        "Уже зарегистрированное сообщение можно найти по ссылке: /find и ссылка.",
    );
    expect(incidentCount()).toBe(0);
  });

  it("a curator whose role is taken away while the dialogue waits registers nothing and sees no other post", async () => {
    await start();
    await registerByNew("https://vk.com/wall-1_1");
    // A head still (someone with no access at all is refused any press before a dialogue sees it).
    const withoutRole = async () => {
      const id = h.db.select().from(people).where(eq(people.telegramId, CURATOR)).get()?.id ?? 0;
      h.db.delete(roleGrants).where(eq(roleGrants.personId, id)).run();
      h.seedPerson(CURATOR, "Ольга", ["head"]);
    };
    await curator.send("/new");
    await curator.send("https://vk.com/wall-1_2");
    await curator.send("Яма на дороге");
    for (const step of ["Пропустить", "Пропустить", "Пропустить", "Обычное"]) await curator.press(step);
    await withoutRole();
    await curator.press("Сейчас");
    expect(curator.lastText()).toBe("Регистрировать сообщения и помечать их могут только кураторы.");
    expect(incidentCount()).toBe(1);

    // Asked for the link, then the role gone: an existing post's card is not shown either.
    h.seedPerson(CURATOR, "Ольга", ["curator"]);
    await curator.send("/new");
    await withoutRole();
    const before = h.fake.callsOf("sendMessage").length;
    await curator.send("https://vk.com/wall-1_1");
    expect(
      h.fake
        .callsOf("sendMessage")
        .slice(before)
        .map((c) => c.params.text),
    ).toEqual(["Регистрировать сообщения и помечать их могут только кураторы."]);
  });
});

describe("a question's buttons", () => {
  it("a button of the same question left by an earlier /new answers nothing in this one", async () => {
    await start();
    await curator.send("/new");
    await curator.send("https://vk.com/wall-1_2");
    await curator.send("Яма на дороге");
    await curator.press("Пропустить");
    await curator.press("Пропустить");
    await curator.press("Пропустить");
    const earlier = h.fake.lastMessage(CURATOR);
    if (!earlier) throw new Error("no question");
    await curator.send("/cancel");
    await curator.send("/new");
    await curator.send("https://vk.com/wall-1_3");
    await curator.send("Нет света");
    await curator.press("Пропустить");
    await curator.press("Пропустить");
    await curator.press("Пропустить");
    expect(curator.lastText()).toBe("Насколько это важно?");

    const update = await h.deliver(updates.callback(curator.tg, earlier, "int.a:imp:significant"));
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe(
      "Эта кнопка относится к прошлому вопросу.",
    );
    expect(curator.lastText()).toBe("Насколько это важно?");
    await curator.press("Обычное");
    await curator.press("Сейчас");
    expect(curator.lastText()).toMatch(/^Сообщение № 1 · ВКонтакте\nhttps:\/\/vk.com\/wall-1_3/);
    expect(h.db.select().from(incidents).all()[0]?.importance).toBe("normal");
  });
});

describe("registering from a forwarded post or a link", () => {
  it("a message that is no post and no answer: the curator and the executor are told it goes to nobody and what they can do instead", async () => {
    await start();
    await curator.send("Посмотрите, пожалуйста, что там с дорогой");
    expect(curator.lastText()).toBe(
      "Бот не передаёт сообщения сотрудникам: напишите коллеге напрямую. Чтобы зарегистрировать сообщение, " +
        "пришлите ссылку на пост или перешлите его (или /new). Что умеет бот — /help.",
    );
    const organization = h.seedOrganization("Министерство здравоохранения", "Минздрав");
    const executor = h.seedPerson(EXECUTOR, "Иван", [], [organization]);
    await executor.send("Готово");
    expect(executor.lastText()).toBe(
      "Бот не передаёт сообщения сотрудникам: напишите куратору напрямую. С сообщениями работают кнопками " +
        "на карточках. Открыть карточку — /find и номер (например, /find 12), список — /list. Что умеет бот — /help.",
    );
  });

  it("a head's instruction typed to the bot is not taken for passed on; an unknown command keeps its answer", async () => {
    await start();
    const head = h.seedPerson(5001, "Виктор", ["head"]);
    await head.send("Прошу доложить к 12:00");
    expect(head.lastText()).toBe(
      "Бот не передаёт сообщения сотрудникам: напишите куратору напрямую. Что умеет бот — /help.",
    );
    await head.send("/doklad");
    expect(head.lastText()).toBe("Не удалось разобрать. Список команд — /help.");
  });

  it("a forwarded post is recognised and registered with one tap", async () => {
    await start();
    await h.deliver(
      updates.forwarded(curator.chat, curator.tg, "Когда починят дорогу? https://vk.com/wall-5_6", {
        type: "user",
        sender_user: tgUser(777, "Иван", { last_name: "Петров" }),
      }),
    );
    expect(curator.lastText()).toBe(
      [
        "Распознано сообщение:",
        "ВКонтакте: https://vk.com/wall-5_6",
        "Автор: Иван Петров",
        "Пост опубликован: 24.11.2026 09:00",
        "«Когда починят дорогу? https://vk.com/wall-5_6»",
        "",
        "Зарегистрировать как обычное или заполнить подробнее (тема, место, важность, время)?",
      ].join("\n"),
    );
    await curator.press("Зарегистрировать");
    expect(curator.lastText()).toMatch(/^Сообщение № 1 · ВКонтакте\nhttps:\/\/vk\.com\/wall-5_6\n/);
    expect(curator.lastText()).toMatch(/Автор: Иван Петров/);
    expect(h.lastText(CURATORS_CHAT)).toMatch(/^Сообщение № 1 · ВКонтакте/);
    const [row] = h.db.select().from(incidents).all();
    expect(row?.importance).toBe("normal");
    // The forward's date (an hour before it was forwarded) is the post's.
    expect(row?.postedAt?.toISOString()).toBe("2026-11-24T04:00:00.000Z");
  });

  it("a one-tap registration cut short by a crash after its commit: handled again, its cards go out, no duplicate", async () => {
    await start();
    await h.deliver(
      updates.forwarded(curator.chat, curator.tg, "Когда починят дорогу? https://vk.com/wall-5_6", {
        type: "user",
        sender_user: tgUser(777, "Иван", { last_name: "Петров" }),
      }),
    );
    const { message, callbackData } = h.fake.findButton(CURATOR, "Зарегистрировать");
    const press = await h.deliver(updates.callback(curator.tg, message, callbackData));
    // The process died after the registration's commit, before its cards were sent and the press
    // was marked handled.
    h.db.update(inbox).set({ doneAt: null }).where(eq(inbox.updateId, press.update_id)).run();
    h.db.delete(cards).run();
    const since = h.fake.mark();

    await h.bot.handleUpdate(press);
    const said = h.fake.calls.slice(since).map((c) => String(c.params.text ?? ""));
    expect(said.join("\n")).not.toMatch(/уже зарегистрировано|Не получилось/);
    expect(said.some((text) => text.startsWith("Сообщение № 1 · ВКонтакте"))).toBe(true);
    expect(incidentCount()).toBe(1);
  });

  it("a link pasted with words: «Заполнить подробнее» offers them as the text, then asks only what is missing", async () => {
    await start();
    await curator.send("жалоба на освещение https://ok.ru/group/1/topic/2");
    expect(curator.lastText()).toMatch(/^Распознано сообщение:\nОдноклассники: https:\/\/ok\.ru/);
    await curator.press("Заполнить подробнее");
    expect(curator.lastText()).toBe(
      "Вместе со ссылкой вы прислали: «жалоба на освещение». Если это текст поста, нажмите «Оставить». " +
        "Если нет — пришлите текст поста (можно скопировать из поста) или нажмите «Нет текста».",
    );
    await curator.press("Оставить");
    expect(curator.lastText()).toMatch(/^Кто автор\?/);
    await curator.press("Пропустить");
    await curator.send("освещение");
    await curator.press("Пропустить");
    await curator.press("Социально значимое");
    await curator.press("Сейчас");
    const card = curator.lastText();
    expect(card).toMatch(/^Сообщение № 1 · Одноклассники/);
    expect(card).toMatch(/«жалоба на освещение»/);
    expect(card).toMatch(/Тема: освещение\nВажность: социально значимое/);
  });

  it("a curator's note pasted with a link: the summary says it becomes the post's text, and «Заполнить подробнее» takes the citizen's instead", async () => {
    await start();
    await curator.send("Вот пост про яму и сломанную ливнёвку: https://vk.com/wall-123456_789");
    expect(curator.lastText()).toBe(
      [
        "Распознано сообщение:",
        "ВКонтакте: https://vk.com/wall-123456_789",
        "Текстом поста станут слова, присланные со ссылкой: «Вот пост про яму и сломанную ливнёвку:»",
        "",
        "Зарегистрировать как обычное или заполнить подробнее (текст, тема, место, важность, время)? " +
          "Если эти слова — не текст поста, нажмите «Заполнить подробнее».",
      ].join("\n"),
    );
    await curator.press("Заполнить подробнее");
    const citizen = "Во дворе дома 5 на ул. Мира яма, ливнёвка сломана, всё затопило.";
    await curator.send(citizen);
    await curator.send("Ирина Смирнова");
    await curator.press("Пропустить");
    await curator.press("Пропустить");
    await curator.press("Обычное");
    await curator.press("Сейчас");
    for (const card of [cardIn(CURATOR), cardIn(CURATORS_CHAT)]) {
      expect(card).toContain(`«${citizen}»`);
      expect(card).not.toContain("Вот пост про яму");
    }
    expect(h.db.select().from(incidents).all()[0]).toMatchObject({ text: citizen, author: "Ирина Смирнова" });
  });

  it("a forwarded post without a link: the link is asked, then the same choice", async () => {
    await start();
    await h.deliver(
      updates.forwarded(curator.chat, curator.tg, "Мусор не вывозят неделю", {
        type: "hidden_user",
        sender_user_name: "Мария К.",
      }),
    );
    expect(curator.lastText()).toMatch(/^В пересланном сообщении нет ссылки на пост/);
    await curator.send("https://t.me/city_chat/123");
    expect(curator.lastText()).toMatch(
      /^Распознано сообщение:\nTelegram: https:\/\/t\.me\/city_chat\/123\nАвтор: Мария К\./,
    );
    await curator.press("Зарегистрировать");
    expect(curator.lastText()).toMatch(/^Сообщение № 1 · Telegram/);
    expect(curator.lastText()).toMatch(/«Мусор не вывозят неделю»/);
  });

  it("another post forwarded while a link is asked: the curator hears the first one is left unregistered, and the new one is taken", async () => {
    await start();
    const forward = (text: string) =>
      h.deliver(
        updates.forwarded(curator.chat, curator.tg, text, {
          type: "hidden_user",
          sender_user_name: "Мария К.",
        }),
      );
    await forward("Мусор не вывозят неделю");
    expect(curator.lastText()).toMatch(/^В пересланном сообщении нет ссылки на пост/);
    await forward("Во дворе нет света");
    expect(curator.texts().slice(-2)).toEqual([
      "Начатая регистрация прервана: ссылку на то сообщение бот так и не получил, оно не зарегистрировано. " +
        "Теперь — пересланное сообщение.",
      curator.lastText(),
    ]);
    expect(curator.lastText()).toMatch(/^В пересланном сообщении нет ссылки на пост/);
    await curator.send("https://t.me/city_chat/124");
    await curator.press("Зарегистрировать");
    expect(curator.lastText()).toMatch(/«Во дворе нет света»/);
    expect(incidentCount()).toBe(1);
  });

  it("the same link again is not registered twice: the earlier number and card are shown", async () => {
    await start();
    await registerByNew("https://vk.com/wall-1_2");
    await curator.send("https://m.vk.com/wall-1_2?utm_source=share");
    expect(curator.lastText()).toBe("Это сообщение уже зарегистрировано: № 1.");
    await curator.send("/new");
    await curator.send("vk.com/wall-1_2/");
    expect(curator.lastText()).toBe("Это сообщение уже зарегистрировано: № 1.");
    const reply = h.fake.lastMessage(CURATOR)?.message.reply_to_message;
    expect(reply?.text).toMatch(/^Сообщение № 1 · ВКонтакте/);
    expect(incidentCount()).toBe(1);
  });

  it("registered by another curator meanwhile as ordinary, chosen here as significant: the significance stands and the heads hear", async () => {
    await start();
    h.seedPerson(HEAD, "Глава", ["head"]);
    const other = h.seedPerson(2002, "Светлана", ["curator"]);
    await curator.send("/new");
    await curator.send("https://vk.com/wall-1_2");
    await curator.send("Пожар в школе");
    for (let i = 0; i < 3; i++) await curator.press("Пропустить");
    await other.send("https://vk.com/wall-1_2");
    await other.press("Зарегистрировать");
    expect(h.texts(HEAD)).toEqual([]);
    await curator.press("Социально значимое");
    await curator.press("Сейчас");
    expect(curator.texts().slice(-2)).toEqual([
      "Это сообщение уже зарегистрировано: № 1.",
      "Важность № 1 повышена: социально значимое.",
    ]);
    expect(incidentCount()).toBe(1);
    expect(h.texts(HEAD)).toEqual([
      "Социально значимое сообщение № 1 (п. 21)\nВКонтакте: https://vk.com/wall-1_2\nОтвет разместить до 25.11.2026 11:00",
    ]);
    expect(h.lastText(CURATORS_CHAT)).toMatch(/Важность: социально значимое/);
  });

  it("another comment under the same post is a new post; the same comment written differently is not", async () => {
    await start();
    await registerByNew("https://t.me/chan/1234?comment=5678", { text: "Когда дадут воду?" });
    await curator.send("https://t.me/chan/1234?comment=9999");
    expect(curator.lastText()).toMatch(
      /^Распознано сообщение:\nTelegram: https:\/\/t\.me\/chan\/1234\?comment=9999\n/,
    );
    await curator.press("Зарегистрировать");
    expect(curator.lastText()).toMatch(
      /^Сообщение № 2 · Telegram\nhttps:\/\/t\.me\/chan\/1234\?comment=9999\n/,
    );

    await registerByNew("https://www.youtube.com/watch?v=abc&lc=UgA");
    expect(curator.lastText()).toMatch(/^Сообщение № 3 · YouTube/);
    await curator.send("https://youtu.be/abc?lc=UgB");
    expect(curator.lastText()).toMatch(/^Распознано сообщение:\nYouTube: https:\/\/youtu\.be\/abc\?lc=UgB\n/);

    await curator.send("https://t.me/s/chan/1234?comment=5678&single&utm_source=share");
    expect(curator.lastText()).toBe("Это сообщение уже зарегистрировано: № 1.");
    await curator.send("https://m.youtube.com/watch?lc=UgA&v=abc&t=42");
    expect(curator.lastText()).toBe("Это сообщение уже зарегистрировано: № 3.");
    expect(incidentCount()).toBe(3);
  });

  it("where a comment has no link of its own, the curator tells another comment under the post from the same one", async () => {
    await start();
    await registerByNew("https://ok.ru/group/1/topic/2", { text: "Когда починят дорогу?" });
    // The same text at the link: the comment registered.
    await curator.send("https://m.ok.ru/group/1/topic/2\nкогда починят  дорогу?");
    expect(curator.lastText()).toBe("Это сообщение уже зарегистрировано: № 1.");

    await curator.send("https://ok.ru/group/1/topic/2\nА у нас третий день нет света");
    await curator.press("Зарегистрировать");
    expect(curator.lastText()).toBe(
      "По этой ссылке уже зарегистрировано: № 1.\n" +
        "Где у комментария нет своей ссылки (Одноклассники, Дзен и другие), комментарии под одним постом регистрируются по ссылке на пост.\n" +
        "Это другой комментарий под тем же постом?",
    );
    await curator.press("Да, другой комментарий");
    expect(curator.lastText()).toMatch(
      /^Сообщение № 2 · Одноклассники\nhttps:\/\/ok\.ru\/group\/1\/topic\/2\nДругой комментарий под тем же постом, что и № 1\n\n«А у нас третий день нет света»/,
    );

    // A bare link tells nothing: the curator is asked, and «Нет» shows the latest card there.
    await curator.send("/new");
    await curator.send("ok.ru/group/1/topic/2");
    expect(curator.lastText()).toMatch(/^По этой ссылке уже зарегистрировано: № 1, № 2\./);
    await curator.press("Нет, уже зарегистрировано");
    expect(curator.lastText()).toBe("Это сообщение уже зарегистрировано: № 2.");
    expect(incidentCount()).toBe(2);

    await curator.send("/find https://ok.ru/group/1/topic/2");
    const found = h.fake
      .messages(CURATOR)
      .slice(-2)
      .map((m) => m.text?.split("\n")[0]);
    expect(found).toEqual(["Сообщение № 1 · Одноклассники", "Сообщение № 2 · Одноклассники"]);
  });

  it("a monitoring notice is registered under the post's link, with the text after «Текст:» and the author", async () => {
    await start();
    const monitoring = {
      type: "user",
      sender_user: tgUser(900, "Инцидент Менеджмент", { is_bot: true }),
    } as const;
    const notice = (author: string, post: string, text: string) =>
      [
        "Новый инцидент",
        `Автор: ${author}`,
        `Ссылка на пост: ${post}`,
        "Категория: ЖКХ",
        `Текст: ${text}`,
      ].join("\n");
    await h.deliver(
      updates.forwarded(
        curator.chat,
        curator.tg,
        notice("Иванов Иван https://vk.com/id1001", "https://vk.com/wall-77_101", "Во дворе не убирают снег"),
        monitoring,
      ),
    );
    expect(curator.lastText()).toBe(
      [
        "Распознано сообщение:",
        "ВКонтакте: https://vk.com/wall-77_101",
        "Автор: Иванов Иван https://vk.com/id1001",
        "«Во дворе не убирают снег»",
        "",
        "Зарегистрировать как обычное или заполнить подробнее (тема, место, важность, время)?",
      ].join("\n"),
    );
    await curator.press("Зарегистрировать");
    expect(curator.lastText()).toMatch(
      /^Сообщение № 1 · ВКонтакте\nhttps:\/\/vk\.com\/wall-77_101\n\n«Во дворе не убирают снег»\n/,
    );
    expect(curator.lastText()).toMatch(/Автор: Иванов Иван https:\/\/vk\.com\/id1001/);

    // The same author's next post is another post, not a duplicate of the first.
    await h.deliver(
      updates.forwarded(
        curator.chat,
        curator.tg,
        notice("Иванов Иван https://vk.com/id1001", "https://vk.com/wall-77_102", "И во втором дворе тоже"),
        monitoring,
      ),
    );
    expect(curator.lastText()).toMatch(/^Распознано сообщение:\nВКонтакте: https:\/\/vk\.com\/wall-77_102\n/);
    await curator.press("Зарегистрировать");
    expect(curator.lastText()).toMatch(/^Сообщение № 2 похоже на повторное\. Недавно уже были:\n№ 1 — /);
    await curator.press("Нет, новое");
    expect(curator.texts().at(-2)).toMatch(/^Сообщение № 2 · ВКонтакте\nhttps:\/\/vk\.com\/wall-77_102\n/);
    expect(incidentCount()).toBe(2);
  });

  it("a monitoring notice's topic, address and publication date are the post's; its detection date is not", async () => {
    await start();
    const notice = [
      "Новый инцидент",
      "Ссылка на пост: https://vk.com/wall-77_101",
      "Тема: Уборка снега",
      "Адрес: ул. Ленина, 5",
      "Дата публикации: 20.11.2026 09:15",
      "Дата обнаружения: 24.11.2026 09:55",
      "Текст: Во дворе не убирают снег",
    ].join("\n");
    await curator.send(notice);
    expect(curator.lastText()).toBe(
      [
        "Распознано сообщение:",
        "ВКонтакте: https://vk.com/wall-77_101",
        "Тема: Уборка снега",
        "Место: ул. Ленина, 5",
        "Пост опубликован: 20.11.2026 09:15",
        "«Во дворе не убирают снег»",
        "",
        "Зарегистрировать как обычное или заполнить подробнее (тема, место, важность, время)?",
      ].join("\n"),
    );
    await curator.press("Зарегистрировать");
    const [row] = h.db.select().from(incidents).all();
    expect(row).toMatchObject({ topic: "Уборка снега", place: "ул. Ленина, 5" });
    // 09:15 in Yekaterinburg (Orenburg preset): the final answer after an interim one counts from it (p.13).
    expect(row?.postedAt?.toISOString()).toBe("2026-11-20T04:15:00.000Z");
    expect(curator.lastText()).toMatch(/Тема: Уборка снега\nМесто: ул\. Ленина, 5/);

    // Unlabelled link and no «Текст:»: its fields still make it a notice.
    await curator.send(
      "Новый инцидент\nhttps://vk.com/wall-77_103\nТема: Освещение\nАдрес: ул. Мира, 2\nДата публикации: 21.11.2026 08:00",
    );
    expect(curator.lastText()).toMatch(
      /\nТема: Освещение\nМесто: ул\. Мира, 2\nПост опубликован: 21\.11\.2026 08:00\n/,
    );
    // A publication date more than a year back is a mistake (or the system's «no date»): left out.
    await curator.send(
      "Новый инцидент\nhttps://vk.com/wall-77_105\nТема: Освещение\nАдрес: ул. Мира, 3\nДата публикации: 01.01.1990 00:00",
    );
    expect(curator.lastText()).toMatch(
      /\nТема: Освещение\nМесто: ул\. Мира, 3\nТекстом поста станут слова, присланные со ссылкой: «/,
    );

    // A citizen's own words «Место: … / Дата: …» or «Автор: …» in a pasted post are its text, not its details.
    await curator.send("https://vk.com/wall-77_102\nМесто: двор дома 5\nДата: 14.11.2026 10:00");
    expect(curator.lastText()).toMatch(
      /^Распознано сообщение:\nВКонтакте: https:\/\/vk\.com\/wall-77_102\nТекстом поста станут слова, присланные со ссылкой: «Место: двор/,
    );
    await curator.send("https://vk.com/wall-77_104\nАвтор: сосед сверху, а сам молчит");
    expect(curator.lastText()).toMatch(
      /^Распознано сообщение:\nВКонтакте: https:\/\/vk\.com\/wall-77_104\nТекстом поста станут слова, присланные со ссылкой: «Автор: сосед сверху/,
    );
  });

  it("a pasted notice that starts with the monitoring system's own page is registered under the post", async () => {
    await start();
    await curator.send(
      [
        "Инцидент № 123: https://im.example.ru/incidents/123",
        "Сообщество: https://ok.ru/group/5",
        "Источник: https://ok.ru/group/5/topic/77",
        "Текст сообщения: Сломан светофор",
        "на перекрёстке",
        "Тональность: негативная",
      ].join("\n"),
    );
    expect(curator.lastText()).toMatch(
      /^Распознано сообщение:\nОдноклассники: https:\/\/ok\.ru\/group\/5\/topic\/77\n«Сломан светофор на перекрёстке»\n/,
    );
  });

  it("a link hidden under «Ссылка на пост» wins over the system's own link under another word", async () => {
    await start();
    const body = "Открыть в системе\nСсылка на пост\nЖалуются на свалку у реки";
    const at = (word: string) => ({ offset: body.indexOf(word), length: word.length });
    await h.deliver(
      updates.forwarded(
        curator.chat,
        curator.tg,
        body,
        { type: "user", sender_user: tgUser(900, "Инцидент Менеджмент", { is_bot: true }) },
        {
          entities: [
            { type: "text_link", url: "https://im.example.ru/incidents/9", ...at("Открыть в системе") },
            { type: "text_link", url: "https://im.example.ru/go/9", ...at("Ссылка на пост") },
          ],
        },
      ),
    );
    expect(curator.lastText()).toMatch(
      /^Распознано сообщение:\nдругой источник: https:\/\/im\.example\.ru\/go\/9\n/,
    );
  });

  it("a plain paste keeps its text without the link, and its first link when none is a post", async () => {
    await start();
    await curator.send("Жалоба на сайте администрации example.org https://example.org/feedback/5");
    expect(curator.lastText()).toMatch(
      /^Распознано сообщение:\nдругой источник: https:\/\/example\.org\/feedback\/5\nТекстом поста станут слова, присланные со ссылкой: «Жалоба на сайте администрации example\.org»/,
    );
  });

  it("a repeat is offered and linked when chosen", async () => {
    await start();
    await registerByNew("https://vk.com/wall-1_2", { topic: "дороги" });
    await registerByNew("https://vk.com/wall-1_9", { topic: "дороги", text: "Опять яма" });
    // Registered at once (a question left unanswered loses no post); asked under its card.
    expect(incidentCount()).toBe(2);
    const card = (id: number) => curator.texts().find((text) => text.startsWith(`Сообщение № ${id} · `));
    expect(curator.texts().at(-2)).toBe(card(2));
    expect(curator.lastText()).toMatch(
      /^Сообщение № 2 похоже на повторное\. Недавно уже были:\n№ 1 — та же тема «дороги»: Яма на дороге/,
    );
    expect(await curator.press("Повторное к № 1")).toBe("Отмечено: повторное к № 1.");
    // How the earlier post stands, as of this card's last update.
    expect(card(2)).toMatch(/\nПовторное к сообщению № 1 — зарегистрировано, ждёт направления\n/);
    await registerByNew("https://vk.com/wall-1_10", { topic: "дороги" });
    await curator.press("Нет, новое");
    expect(card(3)).not.toMatch(/Повторное/);
    expect(
      h.db
        .select()
        .from(incidents)
        .all()
        .map((r) => r.repeatOfId),
    ).toEqual([null, 1, null]);
  });

  it("a post pasted with the words of one registered under another link is asked about at once, by its corrected text", async () => {
    await start();
    const words = "Во дворе дома Ленина, 5 яма на дороге, машины бьются, всё разбито";
    await registerByNew("https://vk.com/wall-1_2", { text: "Яма у дома на Ленина" });
    // The curator's note registered as the text is replaced with the citizen's words from the card's menu.
    await curator.press("Изменить сведения");
    await curator.press("Текст поста");
    await curator.send(words);
    await curator.press("Готово");
    await curator.send(`${words.toUpperCase()}! https://ok.ru/group/55/topic/777`);
    await curator.press("Зарегистрировать");
    expect(curator.lastText()).toBe(
      `Сообщение № 2 похоже на повторное. Недавно уже были:\n№ 1 — тот же текст: ${words}\n\nЭто повторное?`,
    );
    expect(await curator.press("Повторное к № 1")).toBe("Отмечено: повторное к № 1.");
    expect(
      h.db
        .select()
        .from(incidents)
        .all()
        .map((r) => r.repeatOfId),
    ).toEqual([null, 1]);
  });

  it("a repeat question Telegram does not take: the post is registered and the curator sees no error", async () => {
    await start();
    await registerByNew("https://vk.com/wall-1_2", { topic: "дороги" });
    h.fake.failNext(
      "sendMessage",
      { error_code: 502, description: "Bad Gateway" },
      {
        match: (params) => String(params.text).includes("похоже на повторное"),
        times: 10,
      },
    );
    await registerByNew("https://vk.com/wall-1_9", { topic: "дороги", text: "Опять яма" });
    expect(incidentCount()).toBe(2);
    expect(curator.lastText()).toMatch(/^Сообщение № 2 · /);
    expect(curator.texts().filter((text) => text.includes("ошибк"))).toEqual([]);
  });

  it("on a busy topic the same author's earlier post is offered, however many came since: the topic's surge offers no other", async () => {
    await start();
    await registerByNew("https://vk.com/wall-1_2", { topic: "дороги", author: "Иван Петров" });
    for (const n of [3, 4, 5]) {
      await registerByNew(`https://vk.com/wall-1_${n}`, { topic: "дороги", text: `Яма № ${n}` });
      await curator.press("Нет, новое");
    }
    await registerByNew("https://vk.com/wall-1_6", { topic: "дороги", author: "иван петров" });
    // The fifth post on «дороги» today is a surge: its posts are no repeats of one another for the
    // topic alone, but the same citizen writing again is.
    expect(h.texts(CURATORS_CHAT).filter((text) => text.startsWith("⚠️ Всплеск"))).toHaveLength(1);
    expect(curator.lastText()).toBe(
      "Сообщение № 5 похоже на повторное. Недавно уже были:\n№ 1 — тот же автор: Яма на дороге\n\nЭто повторное?",
    );
  });

  it("a channel that many posts come from is no sign of a repeat: the same place is offered first; the same author at another place is another issue", async () => {
    await start();
    await registerByNew("https://vk.com/wall-1_2", {
      text: "Нет горячей воды",
      author: "Подслушано Георгиевск",
      place: "ул. Ленина, 12",
    });
    await registerByNew("https://vk.com/wall-1_3", {
      text: "Яма во дворе",
      author: "Иван Петров",
      place: "ул. Мира, 1",
    });
    for (const n of [4, 5, 6]) {
      await registerByNew(`https://t.me/georgievsk_online/${n}`, {
        text: `Новость ${n}`,
        author: "Георгиевск онлайн",
      });
      if (/похоже на повторное/.test(curator.lastText())) await curator.press("Нет, новое");
    }
    await registerByNew("https://t.me/georgievsk_online/7", {
      text: "Пятый день нет горячей воды",
      author: "Георгиевск онлайн",
      place: "ул. Ленина, 12",
    });
    expect(curator.lastText()).toBe(
      "Сообщение № 6 похоже на повторное. Недавно уже были:\n№ 1 — то же место «ул. Ленина, 12»: Нет горячей воды\n\nЭто повторное?",
    );
    // The same citizen about another place: another issue, no question.
    await registerByNew("https://vk.com/wall-1_8", {
      text: "Нет света",
      author: "Иван Петров",
      place: "ул. Ленина, 40",
    });
    expect(curator.lastText()).not.toMatch(/похоже на повторное/);
  });

  it("the same place is offered before a newer post of the same author and topic", async () => {
    await start();
    await registerByNew("https://vk.com/wall-1_2", {
      text: "Нет света",
      author: "Пётр Сидоров",
      topic: "свет",
      place: "ул. Ленина, 5",
    });
    await registerByNew("https://vk.com/wall-1_3", { text: "Яма", author: "Иван Петров", topic: "дороги" });
    if (/похоже на повторное/.test(curator.lastText())) await curator.press("Нет, новое");
    await registerByNew("https://vk.com/wall-1_4", {
      text: "Опять яма",
      author: "Иван Петров",
      topic: "дороги",
      place: "ул. Ленина, 5",
    });
    expect(curator.lastText()).toBe(
      "Сообщение № 3 похоже на повторное. Недавно уже были:\n№ 1 — то же место «ул. Ленина, 5»: Нет света\n№ 2 — тот же автор, та же тема «дороги»: Яма\n\nЭто повторное?",
    );
  });

  it("a repeat is found whatever the case of the topic, as a surge counts it", async () => {
    await start();
    await registerByNew("https://vk.com/wall-1_2", { topic: "Отопление" });
    await registerByNew("https://vk.com/wall-1_3", { topic: "отопление " });
    expect(curator.lastText()).toMatch(/^Сообщение № 2 похоже на повторное\. Недавно уже были:\n№ 1 — /);
  });

  it("the head's notice carries the topic the curator gave", async () => {
    await start();
    h.seedPerson(HEAD, "Глава", ["head"]);
    await registerByNew("https://vk.com/wall-1_2", {
      importance: "Социально значимое",
      text: "Пожар в школе",
      topic: "пожары",
    });
    expect(h.lastText(HEAD)).toBe(
      "Социально значимое сообщение № 1 (п. 21)\nВКонтакте: https://vk.com/wall-1_2\n«Пожар в школе»\nТема: пожары\nОтвет разместить до 25.11.2026 11:00",
    );
  });

  it("a significant post is told to every head at once, at night too", async () => {
    await start({ now: "2026-11-24T18:00:00Z" });
    h.seedPerson(HEAD, "Глава", ["head"]);
    h.seedPerson(4002, "Заместитель", ["head"]);
    h.fake.setChatMember(4002, h.bot.botInfo.id, "kicked");
    await registerByNew("https://vk.com/wall-1_2", {
      importance: "Социально значимое",
      text: "Пожар в школе",
    });
    expect(h.lastText(HEAD)).toBe(
      "Социально значимое сообщение № 1 (п. 21)\nВКонтакте: https://vk.com/wall-1_2\n«Пожар в школе»\nОтвет разместить до 26.11.2026 10:00",
    );
    // At 23:00 the head's phone rings: the regulation wants it known at once.
    const toHead = h.fake.callsOf("sendMessage").filter((c) => Number(c.params.chat_id) === HEAD);
    expect(toHead.map((c) => c.params.disable_notification)).toEqual([false]);
    // Its cards ring too: the curators must route it at once.
    const cards = h.fake
      .callsOf("sendMessage")
      .filter((c) => String(c.params.text).startsWith("Сообщение № 1 · "));
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(card.params.disable_notification).toBe(false);
    expect(curator.lastText()).toMatch(/^Сообщение № 1 · ВКонтакте/);
  });
});

describe("a significant post and heads who block the bot (Orenburg p.21)", () => {
  const DEPUTY = 4002;
  const FIRE =
    "Социально значимое сообщение № 1 (п. 21)\nВКонтакте: https://vk.com/wall-1_2\n«Пожар в школе»\nОтвет разместить до 25.11.2026 11:00";
  const sendsTo = (chatId: number) =>
    h.fake.callsOf("sendMessage").filter((call) => call.params.chat_id === chatId).length;
  const blocked = (telegramId: number) =>
    h.db.select().from(people).where(eq(people.telegramId, telegramId)).get()?.blockedAt != null;
  const insteadOfHeads = () =>
    h.texts(CURATORS_CHAT).filter((text) => /Руководител(ю|ям) не доставлено/.test(text));

  /** The head blocks the bot: Telegram refuses the bot in his chat from now on, and tells the bot so. */
  async function blocks(telegramId: number, name: string): Promise<void> {
    h.fake.setChatMember(telegramId, h.bot.botInfo.id, "kicked");
    const head = h.user(telegramId, name);
    await h.deliver(updates.myChatMember(head.chat, head.tg, "member", "kicked", h.fake.botUser));
  }

  const registerFire = (link = "https://vk.com/wall-1_2") =>
    registerByNew(link, { importance: "Социально значимое", text: "Пожар в школе" });

  it("a head known to block the bot is not written to; the other head is told, and the curators hear nothing more", async () => {
    await start();
    h.seedPerson(HEAD, "Глава", ["head"]);
    h.seedPerson(DEPUTY, "Заместитель", ["head"]);
    await blocks(DEPUTY, "Заместитель");
    await registerFire();
    expect(h.lastText(HEAD)).toBe(FIRE);
    expect(sendsTo(DEPUTY)).toBe(0);
    expect(insteadOfHeads()).toEqual([]);
  });

  it("every head blocks the bot: the curators get the heads' notice, naming them; no head is tried", async () => {
    await start();
    h.seedPerson(HEAD, "Глава", ["head"]);
    h.seedPerson(DEPUTY, "Заместитель", ["head"]);
    await blocks(HEAD, "Глава");
    await blocks(DEPUTY, "Заместитель");
    await registerFire();
    expect(h.lastText(CURATORS_CHAT)).toBe(
      `${FIRE}\nРуководителям не доставлено: Глава, Заместитель — бот заблокирован или аккаунт удалён.`,
    );
    expect(curator.lastText()).toMatch(/^Сообщение № 1 · ВКонтакте/);
    expect([sendsTo(HEAD), sendsTo(DEPUTY)]).toEqual([0, 0]);
  });

  it("the only head's account is deleted (a Bad Request): he is marked, the curators hear in his stead, and he is not tried again", async () => {
    await start();
    h.seedPerson(HEAD, "Глава", ["head"]);
    h.fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: user is deactivated" },
      { match: (params) => params.chat_id === HEAD },
    );
    await registerFire();
    expect(blocked(HEAD)).toBe(true);
    expect(insteadOfHeads()).toEqual([
      expect.stringMatching(/^Социально значимое сообщение № 1 .*\nРуководителю не доставлено: Глава — /s),
    ]);

    const tried = sendsTo(HEAD);
    await registerFire("https://vk.com/wall-1_3");
    expect(sendsTo(HEAD)).toBe(tried);
    expect(insteadOfHeads()).toHaveLength(2);
  });
});

describe("toxic posts and threats", () => {
  it("«Оскорбительное» is confirmed, then closes the post; a second press says it is closed", async () => {
    await start();
    await registerByNew("https://vk.com/wall-1_2");
    await curator.press("Оскорбительное", group());
    expect(h.lastText(CURATORS_CHAT)).toBe(
      "Закрыть сообщение № 1 без ответа как оскорбительное? Отменить это будет нельзя.",
    );
    // A mistaken tap is taken back: nothing closed.
    await curator.press("Отмена", group());
    expect(h.lastText(CURATORS_CHAT)).toBe("Отменено, сообщение не закрыто.");
    expect(h.db.select().from(incidents).all()[0]?.state).toBe("registered");
    await curator.press("Оскорбительное", group());
    const toast = await curator.press("Да, закрыть", group());
    expect(toast).toBe("Сообщение № 1 закрыто без ответа как оскорбительное.");
    expect(cardIn(CURATORS_CHAT)).toMatch(/Состояние: закрыто без ответа: оскорбительное \(п\. 17\)$/);
    expect(curator.lastText()).toMatch(/Состояние: закрыто без ответа: оскорбительное \(п\. 17\)$/);

    const card = h.fake.messages(CURATORS_CHAT).find((m) => m.text?.startsWith("Сообщение № 1 · "));
    if (!card) throw new Error("no card");
    const update = await h.deliver(updates.callback(curator.tg, card, "inc.toxic:1"));
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe("Уже закрыто.");
  });

  it("a card's button works in the middle of /new, and the dialogue goes on", async () => {
    await start();
    await registerByNew("https://vk.com/wall-1_2");
    await curator.send("/new");
    await curator.send("https://vk.com/wall-1_3");
    await curator.press("Оскорбительное");
    expect(await curator.press("Да, закрыть")).toBe("Сообщение № 1 закрыто без ответа как оскорбительное.");
    await curator.send("Текст второго");
    expect(curator.lastText()).toMatch(/^Кто автор\?/);
  });

  it("a threat is confirmed, closed and passed to the law-enforcement chat", async () => {
    await start({ lawEnforcementChatId: -500 });
    await registerByNew("https://vk.com/wall-1_2", { text: "Я вам всем устрою" });
    await curator.press("Угроза", group());
    expect(h.lastText(CURATORS_CHAT)).toMatch(/^Закрыть сообщение № 1 без ответа как угрозу\?/);
    expect(incidentCount()).toBe(1);
    await curator.press("Да, угроза — передать", group());
    // An outside reader: who sends it and under which act, not the bot's numbering.
    expect(h.lastText(-500)).toBe(
      [
        "Министерство региональной и информационной политики Оренбургской области направляет для рассмотрения " +
          "сообщение с угрозой (п. 17; Указ Губернатора Оренбургской области от 31.03.2020 № 156-ук).",
        "Направил: Ольга",
        "",
        "ВКонтакте: https://vk.com/wall-1_2",
        "Обнаружено: 24.11.2026 10:00",
        "",
        "«Я вам всем устрою»",
      ].join("\n"),
    );
    expect(h.lastText(CURATORS_CHAT)).toBe("Сообщение № 1 закрыто и передано в компетентные органы.");
    expect(curator.lastText()).toMatch(
      /Состояние: закрыто без ответа: угроза, передано в компетентные органы 24\.11\.2026 10:00 \(п\. 17\)/,
    );
    expect(h.db.select().from(incidents).all()[0]?.closedReason).toBe("threat");
  });

  it("the heads told of a threat hear it was passed to the competent bodies, and when", async () => {
    await start({ lawEnforcementChatId: -500 });
    h.seedPerson(HEAD, "Глава", ["head"]);
    await registerByNew("https://vk.com/wall-1_2", { text: "Подожгу", importance: "Социально значимое" });
    await curator.press("Угроза", group());
    await curator.press("Да, угроза — передать", group());
    expect(h.lastText(HEAD)).toBe(
      "Сообщение № 1 — угроза: закрыто без ответа и передано в компетентные органы 24.11.2026 10:00 (п. 17).",
    );
  });

  it("without a law-enforcement chat the curator is told to pass the threat on", async () => {
    await start();
    await registerByNew("https://vk.com/wall-1_2");
    await curator.press("Угроза");
    expect(curator.lastText()).toBe(
      "Закрыть сообщение № 1 без ответа как угрозу? Отменить это будет нельзя.",
    );
    await curator.press("Да, угроза — закрыть");
    expect(curator.lastText()).toBe(
      "Сообщение № 1 закрыто как угроза. Передайте его сами (п. 17): государственные органы в соответствии с компетенцией.",
    );
  });

  it("under the Georgievsk preset a threat is just closed", async () => {
    await start({ regulation: "georgievsk", lawEnforcementChatId: -500 });
    await registerByNew("https://vk.com/wall-1_2");
    await curator.press("Угроза", group());
    const toast = await curator.press("Да, угроза — закрыть", group());
    expect(toast).toBe("Сообщение № 1 закрыто без ответа как угроза.");
    expect(h.texts(-500)).toEqual([]);
    expect(cardIn(CURATORS_CHAT)).toMatch(/Состояние: закрыто без ответа: угроза \(п\. 22\)$/);
    expect(h.db.select().from(incidents).all()[0]?.state).toBe("closed");
  });

  it("an executor cannot press «Угроза»: a pop-up, and nothing changes", async () => {
    await start({ lawEnforcementChatId: -500 });
    const executor = h.seedPerson(EXECUTOR, "Пётр", [], [h.seedOrganization("Минстрой")]);
    await registerByNew("https://vk.com/wall-1_2");
    const before = h.lastText(CURATORS_CHAT);
    const popup = await executor.press("Угроза", group());
    expect(popup).toBe("Регистрировать сообщения и помечать их могут только кураторы.");
    expect(h.lastText(CURATORS_CHAT)).toBe(before);
    expect(h.texts(-500)).toEqual([]);
    expect(h.db.select().from(incidents).all()[0]?.state).toBe("registered");
  });
});

describe("a restart in the middle of /new", () => {
  it("resumes the dialogue from the stored state", async () => {
    const dir = mkdtempSync(join(tmpdir(), "intake-"));
    const databasePath = join(dir, "bot.db");
    try {
      await start({ databasePath });
      await curator.send("/new");
      await curator.send("https://vk.com/wall-7_8");
      await curator.send("Нет света во дворе");
      await h.close();

      h = await Harness.start({ now: TUESDAY_10, databasePath });
      curator = h.user(CURATOR, "Ольга");
      await curator.send("Анна Смирнова");
      await curator.send("освещение");
      await curator.press("Пропустить");
      await curator.press("Важное");
      await curator.press("Сейчас");
      const card = curator.lastText();
      expect(card).toMatch(/^Сообщение № 1 · ВКонтакте\nhttps:\/\/vk\.com\/wall-7_8\n\n«Нет света во дворе»/);
      expect(card).toMatch(/Автор: Анна Смирнова\nТема: освещение\nВажность: важное/);
      expect(h.lastText(CURATORS_CHAT)).toBe(card);
    } finally {
      await h.close();
      h = undefined as unknown as Harness;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
