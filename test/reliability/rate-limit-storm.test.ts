/**
 * A 429 storm during a fan-out: Telegram tells the bot to slow down in several chats, several times
 * in a row, while one approval updates the cards and notifies everybody. With auto-retry as
 * production configures it, every message still arrives exactly once, and each retry waits as long
 * as Telegram asked. retry_after is 1 s, Telegram's smallest, twice in a row per call: the cards, then
 * the notices, take ~4 s. Production's throttler is left out, as in the other reliability tests: it
 * spaces each chat's calls a second apart by itself (bench/burst.ts measures the two together).
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { describe, expect, it } from "vitest";
import { replayAwareRetry } from "../../src/bot/replay-aware-retry.js";
import { auditEvents } from "../../src/db/schema.js";
import { AUTO_RETRY } from "../../src/runtime.js";
import { Harness } from "../support/bot-harness.js";
import type { ApiCall } from "../support/fake-bot-api.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice } from "../support/workflow.js";

const RETRY_AFTER = 1;
const IN_A_ROW = 2;
const TOO_MANY = {
  error_code: 429,
  description: `Too Many Requests: retry after ${RETRY_AFTER}`,
  parameters: { retry_after: RETRY_AFTER },
};

/** Where an approval's card edits go, and its new messages (the notices). */
const CARDS = [OFFICE.curatorsChat, OFFICE.healthChat, OFFICE.executor];
const NEW_MESSAGES = [OFFICE.healthChat, OFFICE.executor];

/** An office with a draft on approval, its cards shown. */
async function draftOnApproval(): Promise<Harness> {
  const h = await Harness.start({
    now: "2026-11-24T05:00:00Z",
    transformers: [autoRetry(AUTO_RETRY)],
  });
  const { health } = seedOffice(h);
  await seedDraft(h, await seedIncidentInWork(h, health));
  return h;
}

/** The curator's «Согласовать»: its pop-up and the calls the bot made meanwhile. */
async function approve(h: Harness): Promise<{ popup: string | undefined; calls: ApiCall[] }> {
  const mark = h.fake.mark();
  const popup = await h
    .user(OFFICE.curator, "Ольга")
    .press("Согласовать", h.group(OFFICE.curatorsChat, "Кураторы"));
  return { popup, calls: h.fake.calls.slice(mark) };
}

/** What each chat shows in the end: texts and buttons, in order. */
function screens(h: Harness): Record<number, unknown[]> {
  const chats = [...new Set([...CARDS, ...NEW_MESSAGES])];
  return Object.fromEntries(
    chats.map((chatId) => [
      chatId,
      h.fake.messages(chatId).map((m) => [m.text ?? m.caption, m.reply_markup]),
    ]),
  );
}

/** The calls that went through, as «method → chat», sorted. */
const delivered = (calls: ApiCall[]) =>
  calls
    .filter((call) => call.response.ok)
    .map((call) => `${call.method} → ${String(call.params.chat_id ?? "the press")}`)
    .sort();

const sameTarget = (a: ApiCall, b: ApiCall) =>
  a.method === b.method &&
  a.params.chat_id === b.params.chat_id &&
  a.params.callback_query_id === b.params.callback_query_id;

describe("a 429 storm during an approval's fan-out", () => {
  it("every card and notice arrives exactly once, each retry after the wait Telegram asked for", async () => {
    // The same approval in calm weather: what everybody should see in the end.
    const calm = await draftOnApproval();
    const withoutStorm = await approve(calm);
    const expected = screens(calm);
    await calm.close();

    const h = await draftOnApproval();
    try {
      for (const chatId of CARDS) {
        const match = (params: Record<string, unknown>) => params.chat_id === chatId;
        h.fake.failNext("editMessageText", TOO_MANY, { times: IN_A_ROW, match });
      }
      for (const chatId of NEW_MESSAGES) {
        const match = (params: Record<string, unknown>) => params.chat_id === chatId;
        h.fake.failNext("sendMessage", TOO_MANY, { times: IN_A_ROW, match });
      }
      h.fake.failNext("answerCallbackQuery", TOO_MANY, { times: IN_A_ROW });
      const { popup, calls } = await approve(h);

      expect(popup).toBe(withoutStorm.popup);
      expect(screens(h)).toEqual(expected);
      // Nothing lost, nothing twice: the same calls went through as in calm weather, each once.
      expect(delivered(calls)).toEqual(delivered(withoutStorm.calls));
      expect(new Set(delivered(calls)).size).toBe(delivered(calls).length);
      expect(
        h.db
          .select()
          .from(auditEvents)
          .all()
          .filter((e) => e.action === "approve"),
      ).toHaveLength(1);

      // The storm did hit every chat, twice in a row.
      const refused = calls.filter((call) => call.response.error_code === 429);
      expect(refused).toHaveLength(IN_A_ROW * (CARDS.length + NEW_MESSAGES.length + 1));
      // Each refused call was tried again only once retry_after had passed (timers may fire a ms early).
      for (const failed of refused) {
        const retry = calls.slice(calls.indexOf(failed) + 1).find((call) => sameTarget(call, failed));
        expect(retry, `${failed.method} to ${String(failed.params.chat_id)} retried`).toBeDefined();
        expect((retry?.at ?? 0) - failed.at).toBeGreaterThanOrEqual(RETRY_AFTER * 1000 - 5);
      }
    } finally {
      await h.close();
    }
  });
});

describe("a 429 in the middle of a dialogue", () => {
  it("is waited out once: the dialogue's next steps, which replay it, answer at once", async () => {
    const admin = 1001;
    const h = await Harness.start({
      adminIds: [admin],
      conversationTransformers: [replayAwareRetry(AUTO_RETRY)],
    });
    try {
      const anna = h.user(admin, "Анна");
      const step = async (text: string) => {
        const started = Date.now();
        await anna.send(text);
        return Date.now() - started;
      };
      h.fake.failNext("sendMessage", TOO_MANY, { times: 1 });
      expect(await step("/org_add")).toBeGreaterThanOrEqual(1000);
      expect(await step("Х")).toBeLessThan(500);
      expect(await step("Министерство здравоохранения")).toBeLessThan(500);
      expect(anna.texts()).toEqual([
        "Пришлите полное название органа (например: «Министерство здравоохранения»). Отмена — /cancel.",
        "Название должно быть текстом от 2 до 200 символов. Пришлите ещё раз или /cancel.",
        "Пришлите краткое название (например: «Минздрав») или нажмите «Пропустить».",
      ]);
    } finally {
      await h.close();
    }
  });
});
