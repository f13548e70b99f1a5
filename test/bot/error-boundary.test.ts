import { afterEach, describe, expect, it } from "vitest";
import { t } from "../../src/bot/texts.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedOffice, seedRegistered, showCards } from "../support/workflow.js";

let h: Harness;
afterEach(() => h.close());

const curator = () => h.user(OFFICE.curator, "Ольга");

describe("error boundary", () => {
  it("a press that fails after its pop-up was answered is apologized for in the chat, not in silence", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    seedOffice(h);
    await showCards(h, seedRegistered(h));
    await curator().send("/list");
    h.fake.failNext("editMessageText", {
      error_code: 400,
      description: "Bad Request: message can't be edited",
    });
    const list = h.fake.lastMessage(OFFICE.curator)?.message_id;

    const mark = h.fake.mark();
    await curator().press("Ждут направления");

    // Telegram takes one answer per press: the apology cannot be a second pop-up.
    const answers = h.fake.calls.slice(mark).filter((call) => call.method === "answerCallbackQuery");
    expect(answers.map((call) => call.params.text)).toEqual([undefined]);
    expect(curator().lastText()).toBe(t.error);
    const apology = h.fake.calls.slice(mark).find((call) => call.params.text === t.error);
    expect(apology?.params.reply_parameters).toMatchObject({ message_id: list });
  });

  it("a press that fails before its answer gets the apology as its pop-up", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    seedOffice(h);
    await showCards(h, seedRegistered(h));
    await curator().send("/list");
    h.fake.failNext("answerCallbackQuery", { error_code: 400, description: "Bad Request: MESSAGE_TOO_LONG" });
    const mark = h.fake.mark();

    await curator().press("Ждут направления");

    const answers = h.fake.calls.slice(mark).filter((call) => call.method === "answerCallbackQuery");
    expect(answers.at(-1)?.params).toMatchObject({ text: t.error, show_alert: true });
    expect(h.fake.calls.slice(mark).filter((call) => call.method === "sendMessage")).toEqual([]);
  });

  it("in a group, the apology names whose press failed", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    seedOffice(h);
    await showCards(h, seedRegistered(h));
    const group = h.group(OFFICE.curatorsChat, "Кураторы");
    await curator().send("/list", group);
    h.fake.failNext("editMessageText", {
      error_code: 400,
      description: "Bad Request: message can't be edited",
    });
    await curator().press("Ждут направления", group);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(`Ольга: ${t.error}`);
  });
});

describe("error boundary: Telegram's flood limit", () => {
  it("a press that failed on a wait longer than the retries allow is told so, with when to try again", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    seedOffice(h);
    await showCards(h, seedRegistered(h));
    const group = h.group(OFFICE.curatorsChat, "Кураторы");
    await curator().send("/list", group);
    h.fake.failNext("editMessageText", {
      error_code: 429,
      description: "Too Many Requests: retry after 150",
      parameters: { retry_after: 150 },
    });
    await curator().press("Ждут направления", group);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Ольга: Telegram временно ограничил отправку сообщений ботом, поэтому действие могло не завершиться. " +
        "Через 3 мин проверьте карточку сообщения и при необходимости повторите.",
    );
  });
});
