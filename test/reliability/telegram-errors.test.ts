import { autoRetry } from "@grammyjs/auto-retry";
import { afterEach, describe, expect, it } from "vitest";
import { AUTO_RETRY } from "../../src/runtime.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice } from "../support/workflow.js";

let h: Harness;
afterEach(() => h.close());

describe("Telegram's errors", () => {
  it("a 429 storm with retry_after: the answer still arrives, once", async () => {
    h = await Harness.start({
      now: "2026-11-24T05:00:00Z",
      transformers: [autoRetry(AUTO_RETRY)],
    });
    h.fake.failNext(
      "sendMessage",
      { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } },
      { times: 1 },
    );
    const stranger = h.user(7001, "Гость");
    await stranger.send("/start");
    expect(stranger.texts()).toHaveLength(1);
    expect(stranger.lastText()).toMatch(/ссылку-приглашение/);
    expect(h.fake.callsOf("sendMessage")).toHaveLength(2);
  });

  it("a press whose pop-up Telegram refuses as too old is still carried out and announced", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id);
    h.fake.failNext("answerCallbackQuery", {
      error_code: 400,
      description: "Bad Request: query is too old and response timeout expired or query ID is invalid",
    });
    await h.user(OFFICE.curator, "Ольга").press("Согласовать", h.group(OFFICE.curatorsChat, "Кураторы"));
    expect(h.lastText(OFFICE.executor)).toMatch(/^Ответ по сообщению № 1 согласован\. Разместите/);
    expect(h.texts(OFFICE.curatorsChat).join("\n")).not.toMatch(/Не получилось/);
  });

  it("the executor who blocked the bot does not stop the others from getting the card", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was blocked by the user" },
      { match: (params) => params.chat_id === OFFICE.executor, times: 10 },
    );
    await seedIncidentInWork(h, health);
    expect(h.texts(OFFICE.executor)).toEqual([]);
    expect(h.lastText(OFFICE.healthChat)).toMatch(/^Сообщение № 1/);
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/^Сообщение № 1/);
  });

  it("«chat not found» for a bound chat is logged and the curators' card still goes out", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    h.fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: chat not found" },
      { match: (params) => params.chat_id === OFFICE.healthChat, times: 10 },
    );
    await seedIncidentInWork(h, health);
    expect(h.texts(OFFICE.healthChat)).toEqual([]);
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/^Сообщение № 1/);
  });
});
