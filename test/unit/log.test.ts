import { Writable } from "node:stream";
import { Api, GrammyError } from "grammy";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";

describe("logs", () => {
  it("never carry the bot token, even inside a network error's URL", async () => {
    let written = "";
    const out = new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    });
    const token = "123456:SECRETTOKENabc";
    const log = createLogger("info", [token], out);
    const error = await new Api(token, { apiRoot: "http://127.0.0.1:1" })
      .getMe()
      .catch((err: unknown) => err);
    expect(
      JSON.stringify(error, Object.getOwnPropertyNames(error)) + String((error as { error?: unknown }).error),
    ).toContain("SECRETTOKEN");
    log.error({ err: error }, "update failed");
    expect(written).toContain("Network request for 'getMe' failed");
    expect(written).not.toContain("SECRETTOKEN");
    expect(written).toContain("[secret]");
  });

  it("carry a refused call's method and Telegram's answer, not what was sent (a post's text, names)", () => {
    let written = "";
    const out = new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    });
    const log = createLogger("info", [], out);
    const error = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
      "sendMessage",
      { chat_id: 5001, text: "Нарушения за ноябрь: Иванов Иван Иванович, Минздрав" },
    );
    log.error({ err: error }, "report not delivered");
    expect(written).toContain("Forbidden: bot was blocked by the user");
    expect(written).toContain("sendMessage");
    expect(written).not.toContain("Иванов");
  });
});
