import { afterEach, describe, expect, it } from "vitest";
import { incidents } from "../../src/db/schema.js";
import { Harness, type TestUser } from "../support/bot-harness.js";
import { tgUser, updates } from "../support/updates.js";
import { OFFICE, seedOffice, seedRegistered } from "../support/workflow.js";

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (UTC+5): working time for the Orenburg preset. */
const TUESDAY_10 = "2026-11-24T05:00:00Z";
const MONITORING = {
  type: "user",
  sender_user: tgUser(900, "Инцидент Менеджмент", { is_bot: true }),
} as const;
const NOTICE = ["Ссылка на пост: https://vk.com/wall-5_6", "Текст: Когда починят дорогу на Советской?"].join(
  "\n",
);

let h: Harness;
let curator: TestUser;
let executor: TestUser;

afterEach(() => h?.close());

async function start(): Promise<void> {
  h = await Harness.start({ now: TUESDAY_10 });
  seedOffice(h);
  curator = h.user(OFFICE.curator, "Ольга");
  executor = h.user(OFFICE.executor, "Иван");
}

const curatorsChat = () => h.group(OFFICE.curatorsChat, "Кураторы");
const forward = (user: TestUser, text: string, chat = curatorsChat()) =>
  h.deliver(updates.forwarded(chat, user.tg, text, MONITORING));
const incidentCount = () => h.db.select().from(incidents).all().length;

describe("a post handed over in the curators' chat", () => {
  it("a curator's forwarded monitoring notice gets the offer there, and registers with one tap", async () => {
    await start();
    await forward(curator, NOTICE);
    const offer = h.fake.messages(OFFICE.curatorsChat).at(-1);
    expect(offer?.text).toMatch(
      /^Распознано сообщение:\nВКонтакте: https:\/\/vk\.com\/wall-5_6\n«Когда починят дорогу на Советской\?»\n/,
    );
    expect(offer?.message.reply_to_message?.text).toBe(NOTICE);

    // Its buttons are curators' only.
    expect(await executor.press("Зарегистрировать", curatorsChat())).toBe(
      "Регистрировать сообщения и помечать их могут только кураторы.",
    );
    expect(incidentCount()).toBe(0);
    await curator.press("Зарегистрировать", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(
      /^Сообщение № 1 · ВКонтакте\nhttps:\/\/vk\.com\/wall-5_6\n/,
    );
    expect(incidentCount()).toBe(1);
  });

  it("a curator's pasted link of a post not registered yet gets the offer", async () => {
    await start();
    await curator.send("Новый пост про свалку https://ok.ru/group/1/topic/2", curatorsChat());
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(
      /^Распознано сообщение:\nОдноклассники: https:\/\/ok\.ru\/group\/1\/topic\/2\n/,
    );
  });

  it("talk is left alone: a non-curator's forward, an organization's chat, no post's link, a registered post's link", async () => {
    await start();
    seedRegistered(h, { link: "https://vk.com/wall-1_1" });
    const since = h.fake.messages(OFFICE.curatorsChat).length;
    await forward(executor, NOTICE);
    await forward(curator, NOTICE, h.group(OFFICE.healthChat, "Минздрав: обращения"));
    await curator.send("Коллеги, кто сегодня дежурит?", curatorsChat());
    await curator.send("Сайт ведомства: https://example.org/about", curatorsChat());
    await curator.send("По https://vk.com/wall-1_1 ответ уже готовят?", curatorsChat());
    await forward(
      curator,
      "Ссылка на пост: https://vk.com/wall-1_1\nТекст: Во дворе на Ленина, 5 третью неделю не убирают снег.",
    );
    await forward(curator, NOTICE);
    // Only the last one, a curator's forward of a post not registered yet, is answered.
    const said = h.fake.messages(OFFICE.curatorsChat).slice(since);
    expect(said.map((m) => m.text?.split("\n")[1])).toEqual(["ВКонтакте: https://vk.com/wall-5_6"]);
    expect(h.texts(OFFICE.healthChat)).toEqual([]);
    expect(incidentCount()).toBe(1);
  });

  it("a curator's forward without a post's link is told, quietly and in reply, how to register it", async () => {
    await start();
    await curator.send("Коллеги, во дворе на Ленина, 5 снег не убран.", curatorsChat());
    // One of the bot's own messages forwarded back is talk about it, no post.
    await h.deliver(
      updates.forwarded(curatorsChat(), curator.tg, "Доброе утро! Сроки по сообщениям: …", {
        type: "user",
        sender_user: h.fake.botUser,
      }),
    );
    expect(sentToCurators()).toEqual([]);
    await h.deliver(
      updates.forwarded(curatorsChat(), curator.tg, "Во дворе на Ленина, 5 третью неделю не убирают снег.", {
        type: "hidden_user",
        sender_user_name: "Житель",
      }),
    );
    const [hint, ...more] = sentToCurators();
    expect(more).toEqual([]);
    expect(hint?.params.text).toBe(
      "В пересланном сообщении нет ссылки на пост, поэтому здесь оно не зарегистрировано. " +
        "Пришлите сюда ссылку на пост или перешлите сообщение боту в личный чат — бот спросит ссылку.",
    );
    expect(hint?.params.disable_notification).toBe(true);
    expect(h.fake.messages(OFFICE.curatorsChat).at(-1)?.message.reply_to_message?.text).toMatch(/^Во дворе/);
    expect(incidentCount()).toBe(0);
  });

  it("a curator's forward with a link to another site is told to register it privately, a pasted one is not", async () => {
    await start();
    await curator.send("Новость: https://news.example.org/2026/11/24/snow", curatorsChat());
    expect(sentToCurators()).toEqual([]);
    await forward(curator, "Пишут: https://news.example.org/2026/11/24/snow — во дворах не убран снег.");
    expect(sentToCurators().map((call) => call.params.text)).toEqual([
      "Ссылка в пересланном сообщении ведёт не на пост соцсети, поэтому здесь оно не зарегистрировано. " +
        "Если это обращение, перешлите его боту в личный чат: там регистрируются и сообщения с других сайтов.",
    ]);
    expect(incidentCount()).toBe(0);
  });
});

/** The bot's messages to the curators' chat. */
function sentToCurators() {
  return h.fake.calls.filter(
    (call) => call.method === "sendMessage" && Number(call.params.chat_id) === OFFICE.curatorsChat,
  );
}
