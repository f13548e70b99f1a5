import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageOrigin } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { acceptIncident, loadIncident, routeIncident } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { Harness, type HarnessOptions, type TestUser } from "../support/bot-harness.js";
import { channelChat, tgUser, updates } from "../support/updates.js";
import { OFFICE, seedDraft, seedOffice, showCards } from "../support/workflow.js";

/** Monday 23.11.2026 10:00 in Yekaterinburg (UTC+5): the curator registers the post. */
const MONDAY_10 = "2026-11-23T05:00:00Z";
/** Friday 20.11.2026 20:00 there, after working hours: the channel published the post. */
const FRIDAY_20 = Date.parse("2026-11-20T15:00:00Z");
const POST = "https://t.me/orenburg_news/55";

let h: Harness;
let curator: TestUser;
let health: number;

afterEach(() => h?.close());

async function start(options: HarnessOptions = {}): Promise<void> {
  h = await Harness.start({ now: MONDAY_10, ...options });
  ({ health } = seedOffice(h));
  curator = h.user(OFFICE.curator, "Ольга");
}

/** The curator forwards a post of the public channel @orenburg_news, published at `at` (ms). */
function forwardChannelPost(at: number, text = "Когда отремонтируют мост на Советской?") {
  return h.deliver(
    updates.forwarded(curator.chat, curator.tg, text, {
      type: "channel",
      chat: channelChat(-1001234, "Новости Оренбурга", "orenburg_news"),
      message_id: 55,
      date: at / 1000,
    }),
  );
}

function forward(text: string, origin: MessageOrigin) {
  return h.deliver(updates.forwarded(curator.chat, curator.tg, text, origin));
}

const postedAt = (id: number) => loadIncident(h.db, id)?.row.postedAt?.toISOString() ?? null;

function person(telegramId: number) {
  const found = findPerson(h.db, telegramId);
  if (!found) throw new Error(`no person ${telegramId}`);
  return found;
}

/** Routed to the ministry, taken into work, an interim answer approved and posted by the executor. */
async function postInterimAnswer(id: number, link: string): Promise<void> {
  const now = h.clock.now();
  routeIncident(h.db, {
    incidentId: id,
    leadId: health,
    coexecutorIds: [],
    actor: person(OFFICE.curator),
    now,
  });
  acceptIncident(h.db, { incidentId: id, actor: person(OFFICE.executor), now });
  await showCards(h, id);
  await seedDraft(h, id, { purpose: "interim", approve: true });
  const executor = h.user(OFFICE.executor, "Иван");
  const published = h.fake.buttons(OFFICE.healthChat).find((b) => b.callbackData === `inc.pub:${id}`);
  if (!published) throw new Error("no button to say the interim answer is published");
  await h.deliver(updates.callback(executor.tg, published.message, `inc.pub:${id}`));
  await executor.send(link, h.group(OFFICE.healthChat, "Минздрав: обращения"));
}

describe("a forwarded post's date is the post's (Orenburg p.13)", () => {
  it("a channel post registered with one tap counts the final answer from its own date, not from its detection", async () => {
    await start();
    await forwardChannelPost(FRIDAY_20);
    expect(curator.lastText()).toBe(
      [
        "Распознано сообщение:",
        `Telegram: ${POST}`,
        "Автор: Новости Оренбурга",
        "Пост опубликован: 20.11.2026 20:00",
        "«Когда отремонтируют мост на Советской?»",
        "",
        "Зарегистрировать как обычное или заполнить подробнее (тема, место, важность, время)?",
      ].join("\n"),
    );
    await curator.press("Зарегистрировать");
    expect(curator.lastText()).toMatch(/^Сообщение № 1 · Telegram\n/);
    expect(postedAt(1)).toBe("2026-11-20T15:00:00.000Z");
    expect(loadIncident(h.db, 1)?.row.detectedAt.toISOString()).toBe("2026-11-23T05:00:00.000Z");

    await postInterimAnswer(1, `${POST}?comment=7`);
    // 7 working days from Friday 20.11: 23, 24, 25, 26, 27, 30.11 and 1.12 — to the end of Tuesday
    // 01.12 (from the detection on Monday 23.11 it would be a day later, 02.12).
    const card = h.texts(OFFICE.healthChat).find((text) => text.startsWith("Сообщение № 1 · "));
    expect(card).toMatch(/\nСрок: 01\.12\.2026 18:00 — .*\(п\. 13\)/);
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/01\.12\.2026 18:00 .*\(п\. 13\)/);
  });

  it("only a forward brings a date: the same post pasted as a link counts from its detection", async () => {
    await start();
    await forwardChannelPost(FRIDAY_20);
    await curator.press("Зарегистрировать");
    await curator.send("Жалоба на мост https://t.me/orenburg_news/56");
    expect(curator.lastText()).not.toMatch(/Пост опубликован:/);
    await curator.press("Зарегистрировать");
    expect(curator.lastText()).toMatch(/^Сообщение № 2 · Telegram\n/);
    expect([postedAt(1), postedAt(2)]).toEqual(["2026-11-20T15:00:00.000Z", null]);
  });

  it("every kind of forward gives its date: a person's, a hidden author's, a group's", async () => {
    await start();
    const at = FRIDAY_20 / 1000;
    await forward("Яма https://vk.com/wall-1_1", {
      type: "user",
      sender_user: tgUser(777, "Иван"),
      date: at,
    });
    await curator.press("Зарегистрировать");
    await forward("Мусор https://vk.com/wall-1_2", {
      type: "hidden_user",
      sender_user_name: "Мария К.",
      date: at,
    });
    await curator.press("Зарегистрировать");
    await forward("Свет https://vk.com/wall-1_3", {
      type: "chat",
      sender_chat: { id: -300, type: "supergroup", title: "Жители Степного" },
      date: at,
    });
    expect(curator.lastText()).toMatch(/\nПост опубликован: 20\.11\.2026 20:00\n/);
    await curator.press("Зарегистрировать");
    expect([postedAt(1), postedAt(2), postedAt(3)]).toEqual(Array(3).fill("2026-11-20T15:00:00.000Z"));
  });

  it("«Заполнить подробнее» offers the forward's date: kept with a tap", async () => {
    await start();
    await forwardChannelPost(FRIDAY_20);
    await curator.press("Заполнить подробнее");
    await curator.send("мосты");
    await curator.press("Пропустить");
    await curator.press("Важное");
    expect(curator.lastText()).toBe(
      "Когда опубликован пост? Распознано: 20.11.2026 20:00 (местное время). " +
        "Нажмите «Оставить», если это так, или пришлите другие дату и время в виде 24.11.2026 09:15.",
    );
    await curator.press("Оставить 20.11.2026 20:00");
    expect(curator.lastText()).toMatch(/^Сообщение № 1 · Telegram\n/);
    expect(postedAt(1)).toBe("2026-11-20T15:00:00.000Z");
  });

  /** A post forwarded from a hidden account on Friday 20:00, its link sent after it. */
  async function forwardWithoutLink(): Promise<void> {
    await start();
    await forward("Мусор не вывозят неделю", {
      type: "hidden_user",
      sender_user_name: "Мария К.",
      date: FRIDAY_20 / 1000,
    });
    await curator.send("https://vk.com/wall-3_4");
  }

  it("a forward without a link: its date is on the summary once the link is given, and may be changed in «Заполнить подробнее»", async () => {
    await forwardWithoutLink();
    expect(curator.lastText()).toMatch(
      /^Распознано сообщение:\nВКонтакте: https:\/\/vk\.com\/wall-3_4\nАвтор: Мария К\.\nПост опубликован: 20\.11\.2026 20:00\n/,
    );
    await curator.press("Заполнить подробнее");
    await curator.send("вывоз мусора");
    await curator.press("Пропустить");
    await curator.press("Обычное");
    expect(curator.lastText()).toMatch(/^Когда опубликован пост\? Распознано: 20\.11\.2026 20:00/);
    await curator.send("21.11.2026 08:30");
    expect(curator.lastText()).toMatch(/^Сообщение № 1 · ВКонтакте\n/);
    expect(postedAt(1)).toBe("2026-11-21T03:30:00.000Z");
  });

  it("the same forward without a link, registered with one tap, keeps its date", async () => {
    await forwardWithoutLink();
    await curator.press("Зарегистрировать");
    expect(curator.lastText()).toMatch(/^Сообщение № 1 · ВКонтакте\n/);
    expect(postedAt(1)).toBe("2026-11-20T15:00:00.000Z");
  });

  it("a forward dated in the future is not taken, as a typed date would not be; one of this very minute is", async () => {
    await start();
    const now = h.clock.now().getTime();
    await forwardChannelPost(now + 60_000);
    expect(curator.lastText()).not.toMatch(/Пост опубликован:/);
    await curator.press("Заполнить подробнее");
    await curator.press("Пропустить");
    await curator.press("Пропустить");
    await curator.press("Обычное");
    expect(curator.lastText()).toMatch(/^Когда опубликован пост\? Пришлите дату и время/);
    expect(h.fake.buttons(OFFICE.curator).map((b) => b.label)).not.toContain("Оставить 23.11.2026 10:01");
    await curator.press("Сейчас");
    expect(postedAt(1)).toBeNull();

    await forward("Мост https://vk.com/wall-9_9", {
      type: "user",
      sender_user: tgUser(777, "Иван"),
      date: now / 1000,
    });
    expect(curator.lastText()).toMatch(/\nПост опубликован: 23\.11\.2026 10:00\n/);
    await curator.press("Зарегистрировать");
    expect(postedAt(2)).toBe("2026-11-23T05:00:00.000Z");
  });

  it("a monitoring bot's notice: its own date is when the bot noticed, not the post's, and is not taken", async () => {
    await start();
    const at = FRIDAY_20 / 1000;
    const notice = "Новый инцидент\nСсылка на пост: https://vk.com/wall-77_1\nТекст: Сломан светофор";
    await forward(notice, {
      type: "user",
      sender_user: tgUser(900, "Инцидент Менеджмент", { is_bot: true }),
      date: at,
    });
    expect(curator.lastText()).not.toMatch(/Пост опубликован:/);
    await curator.press("Зарегистрировать");
    await forward("Светофор https://vk.com/wall-77_2", {
      type: "user",
      sender_user: tgUser(777, "Иван"),
      date: at,
    });
    await curator.press("Зарегистрировать");
    expect([postedAt(1), postedAt(2)]).toEqual([null, "2026-11-20T15:00:00.000Z"]);
  });

  it("a restart in «Заполнить подробнее» keeps the forward's date on offer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "intake-forward-"));
    const databasePath = join(dir, "bot.db");
    try {
      await start({ databasePath });
      await forwardChannelPost(FRIDAY_20);
      await curator.press("Заполнить подробнее");
      await curator.send("мосты");
      await h.close();

      h = await Harness.start({ now: MONDAY_10, databasePath });
      curator = h.user(OFFICE.curator, "Ольга");
      await curator.send("Оренбург, ул. Советская");
      await curator.press("Обычное");
      await curator.press("Оставить 20.11.2026 20:00");
      expect(curator.lastText()).toMatch(/^Сообщение № 1 · Telegram\n/);
      expect(postedAt(1)).toBe("2026-11-20T15:00:00.000Z");
    } finally {
      await h.close();
      h = undefined as unknown as Harness;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
