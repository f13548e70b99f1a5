/**
 * Telegram failing for a moment — a 500, a proxy's 502 page, a connection reset with no answer — as
 * auto-retry is installed in production. Each failure costs auto-retry's first pause of 3 s, so the
 * cases run concurrently, each with its own bot and fake Bot API.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { describe, it, type TestContext } from "vitest";
import { notifications } from "../../src/db/schema.js";
import { sweep } from "../../src/jobs/sweep.js";
import { AUTO_RETRY } from "../../src/runtime.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice, seedRegistered } from "../support/workflow.js";

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";
const APPROVED = "Состояние: согласовано, ждёт размещения";
const NOTICE = /^Ответ по сообщению № 1 согласован\. Разместите его/;

async function harness({ onTestFinished }: TestContext): Promise<Harness> {
  const h = await Harness.start({ now: TUESDAY_10, transformers: [autoRetry(AUTO_RETRY)] });
  onTestFinished(() => h.close());
  return h;
}

/** An office with a draft waiting for the curator, its cards shown in the chats. */
async function draftOnApproval(h: Harness): Promise<number> {
  const { health } = seedOffice(h);
  const id = await seedIncidentInWork(h, health);
  await seedDraft(h, id);
  return id;
}

function approve(h: Harness): Promise<string | undefined> {
  return h.user(OFFICE.curator, "Ольга").press("Согласовать", h.group(OFFICE.curatorsChat, "Кураторы"));
}

function card(h: Harness, chatId: number): string {
  return h.texts(chatId).find((text) => text.startsWith("Сообщение № 1 · ")) ?? "";
}

/** HTTP statuses of the calls of `method` to the chat since the mark (0: connection dropped). */
const statuses = (h: Harness, since: number, method: string, chatId: number) =>
  h.fake.calls
    .slice(since)
    .filter((call) => call.method === method && call.params.chat_id === chatId)
    .map((call) => call.httpStatus);

describe.concurrent("Telegram failing for a moment: the call is retried and nothing is lost", () => {
  it("a 500 on the executor's notice: it arrives once, and the approval's handling completes", async (context) => {
    const { expect } = context;
    const h = await harness(context);
    await draftOnApproval(h);
    h.fake.failNext(
      "sendMessage",
      { error_code: 500, description: "Internal Server Error" },
      { match: (params) => params.chat_id === OFFICE.executor },
    );
    const since = h.fake.mark();
    expect(await approve(h)).toBe("Ответ по сообщению № 1 согласован.");
    expect(statuses(h, since, "sendMessage", OFFICE.executor)).toEqual([500, 200]);
    expect(h.texts(OFFICE.executor).filter((text) => NOTICE.test(text))).toHaveLength(1);
    expect(card(h, OFFICE.executor)).toContain(APPROVED);
    expect(card(h, OFFICE.curatorsChat)).toContain(APPROVED);
  });

  it("a proxy's 502 Bad Gateway page on a card edit: the card still shows the approval", async (context) => {
    const { expect } = context;
    const h = await harness(context);
    await draftOnApproval(h);
    h.fake.httpErrorNext("editMessageText", { match: (params) => params.chat_id === OFFICE.curatorsChat });
    const since = h.fake.mark();
    await approve(h);
    expect(statuses(h, since, "editMessageText", OFFICE.curatorsChat)).toEqual([502, 200]);
    for (const chatId of [OFFICE.curatorsChat, OFFICE.healthChat, OFFICE.executor])
      expect(card(h, chatId)).toContain(APPROVED);
    expect(h.texts(OFFICE.executor).filter((text) => NOTICE.test(text))).toHaveLength(1);
  });

  it("a connection reset with no answer on the executor's notice: it arrives once", async (context) => {
    const { expect } = context;
    const h = await harness(context);
    await draftOnApproval(h);
    h.fake.dropNext("sendMessage", { match: (params) => params.chat_id === OFFICE.executor });
    const since = h.fake.mark();
    await approve(h);
    expect(statuses(h, since, "sendMessage", OFFICE.executor)).toEqual([0, 200]);
    expect(h.texts(OFFICE.executor).filter((text) => NOTICE.test(text))).toHaveLength(1);
  });

  it("a connection reset on a deadline alert: it arrives once and the ledger records it sent", async (context) => {
    const { expect } = context;
    const h = await harness(context);
    seedOffice(h);
    seedRegistered(h);
    h.clock.set("2026-11-24T05:31:00Z"); // 10:31 local: the routing deadline of 10:30 has passed (p.6)
    h.fake.dropNext("sendMessage", { match: (params) => params.chat_id === OFFICE.curatorsChat });
    await sweep(h.deps());
    const alerts = h.texts(OFFICE.curatorsChat).filter((text) => text.startsWith("❗"));
    expect(alerts).toEqual([expect.stringMatching(/^❗ Сообщение № 1: срок «направить исполнителю» истёк/)]);
    const ledger = h.db.select().from(notifications).all();
    expect(ledger.map((row) => [row.chatId, row.kind, row.sentAt !== null, row.failure])).toEqual([
      [OFFICE.curatorsChat, "overdue", true, null],
    ]);
  });
});
