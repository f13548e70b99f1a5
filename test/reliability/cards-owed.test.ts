/**
 * A card Telegram puts off for longer than auto-retry waits (a 429 in a crisis, the connection
 * dropped): the minute job brings it up to date once the wait is over, rather than the post's next
 * change hours later. auto-retry is installed as in production; its 60 s limit makes a 5-minute
 * retry_after come back to the bot at once, so nothing here sleeps.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { afterEach, describe, expect, it } from "vitest";
import { startJobs } from "../../src/jobs/index.js";
import { AUTO_RETRY } from "../../src/runtime.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedOffice, seedRegistered, showCards } from "../support/workflow.js";

/** Five minutes: longer than auto-retry waits (AUTO_RETRY.maxDelaySeconds). */
const RETRY_AFTER = 300;
const TOO_MANY = {
  error_code: 429,
  description: `Too Many Requests: retry after ${RETRY_AFTER}`,
  parameters: { retry_after: RETRY_AFTER },
};

let h: Harness;
afterEach(() => h.close());

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset), a post registered. */
async function office(): Promise<number> {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z", transformers: [autoRetry(AUTO_RETRY)] });
  seedOffice(h);
  const id = seedRegistered(h);
  await showCards(h, id);
  return id;
}

const curator = () => h.user(OFFICE.curator, "Ольга");
const executor = () => h.user(OFFICE.executor, "Иван");
const curatorsChat = () => h.group(OFFICE.curatorsChat, "Кураторы");
const workChat = () => h.group(OFFICE.healthChat, "Минздрав: обращения");
const toWorkChat = (params: Record<string, unknown>) => params.chat_id === OFFICE.healthChat;
const cards = (chatId: number, id: number) =>
  h.texts(chatId).filter((text) => text.startsWith(`Сообщение № ${id} · `));
const labels = (chatId: number) => h.fake.buttons(chatId).map((b) => b.label);
/** The work chat's card calls since the mark (its morning digest goes on as ever). */
const cardCallsToWorkChat = (since: number) =>
  h.fake.calls
    .slice(since)
    .filter((call) => toWorkChat(call.params) && String(call.params.text).startsWith("Сообщение № ")).length;

/** The curator routes the post to the health ministry from its card in the curators' chat. */
async function routeToHealth(id: number): Promise<void> {
  const route = h.fake.buttons(OFFICE.curatorsChat).find((b) => b.callbackData === `inc.route:${id}`);
  if (!route?.callbackData) throw new Error(`no «Направить» on № ${id}`);
  await h.deliver(updates.callback(curator().tg, route.message, route.callbackData));
  await curator().press(/Минздрав/, curatorsChat());
  await curator().press("Готово", curatorsChat());
}

/** The minute's jobs at `at` (UTC). */
async function tickAt(at: string): Promise<void> {
  h.clock.set(at);
  const jobs = startJobs(h.deps());
  await jobs.tick();
  await jobs.stop();
}

describe("a card Telegram put off (429 beyond auto-retry, the connection dropped)", () => {
  it("a routed post's card refused with a 5-minute 429 reaches the work chat at the first minute job after the wait, once", async () => {
    const id = await office();
    h.fake.failNext("sendMessage", TOO_MANY, { match: toWorkChat });
    await routeToHealth(id);
    expect(cards(OFFICE.healthChat, id)).toEqual([]);
    expect(cards(OFFICE.executor, id)).toHaveLength(1);

    // Within Telegram's wait the chat is left alone.
    const mark = h.fake.mark();
    await tickAt("2026-11-24T05:02:00Z");
    expect(cardCallsToWorkChat(mark)).toBe(0);

    await tickAt("2026-11-24T05:05:00Z");
    expect(cards(OFFICE.healthChat, id)).toHaveLength(1);
    expect(cards(OFFICE.healthChat, id)[0]).toMatch(/Состояние: направлено/);
    expect(labels(OFFICE.healthChat)).toContain("Взять в работу");

    await tickAt("2026-11-24T05:06:00Z");
    await tickAt("2026-11-24T05:07:00Z");
    expect(cards(OFFICE.healthChat, id)).toHaveLength(1);
  });

  it("a card edit refused the same way is redone: no stale «Взять в работу» on a post already taken", async () => {
    const id = await office();
    await routeToHealth(id);
    expect(labels(OFFICE.healthChat)).toContain("Взять в работу");
    h.fake.failNext("editMessageText", TOO_MANY, { match: toWorkChat });
    await executor().press("Взять в работу", workChat());
    expect(labels(OFFICE.healthChat)).toContain("Взять в работу");

    await tickAt("2026-11-24T05:05:00Z");
    expect(cards(OFFICE.healthChat, id)).toHaveLength(1);
    expect(cards(OFFICE.healthChat, id)[0]).toMatch(/Состояние: в работе/);
    expect(cards(OFFICE.healthChat, id)[0]).toMatch(/Ответственный: Иван/);
    expect(labels(OFFICE.healthChat)).not.toContain("Взять в работу");
  });

  it("a 429 holds back the chat's other owed cards until its wait is over, then each arrives once", async () => {
    const first = await office();
    const second = seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    await showCards(h, second);
    h.fake.failNext("sendMessage", TOO_MANY, { match: toWorkChat });
    await routeToHealth(first);
    h.clock.set("2026-11-24T05:01:00Z");
    h.fake.failNext("sendMessage", TOO_MANY, { match: toWorkChat });
    await routeToHealth(second);

    // № 1's wait is over at 10:05, but № 2's 429 at 10:01 holds the chat until 10:06.
    const mark = h.fake.mark();
    await tickAt("2026-11-24T05:05:00Z");
    expect(cardCallsToWorkChat(mark)).toBe(0);
    await tickAt("2026-11-24T05:06:00Z");
    await tickAt("2026-11-24T05:07:00Z");
    expect(cards(OFFICE.healthChat, first)).toHaveLength(1);
    expect(cards(OFFICE.healthChat, second)).toHaveLength(1);
  });

  it("a card whose connection dropped goes out at the next minute job", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    seedOffice(h);
    const id = seedRegistered(h);
    await showCards(h, id);
    h.fake.dropNext("sendMessage", { match: toWorkChat });
    await routeToHealth(id);
    expect(cards(OFFICE.healthChat, id)).toEqual([]);

    await tickAt("2026-11-24T05:01:00Z");
    expect(cards(OFFICE.healthChat, id)).toHaveLength(1);
  });
});
