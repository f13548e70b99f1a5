import { HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { networkCalls, replayAwareRetry } from "../../src/bot/replay-aware-retry.js";

type Prev = Parameters<ReturnType<typeof replayAwareRetry>>[0];
const retry = replayAwareRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 });
const ok = { ok: true as const, result: true };
const serverError = { ok: false as const, error_code: 502, description: "Bad Gateway" };

/** A conversation's calls as its recorder gives them back: answered without reaching the network. */
function replayed(...results: unknown[]): { prev: Prev; calls: () => number } {
  let calls = 0;
  const prev = (async () => {
    const next = results[calls++];
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as Prev;
  return { prev, calls: () => calls };
}

describe("a dialogue's retries replayed", () => {
  it("follow at once, a dropped connection and a 5xx alike, until the recorded success", async () => {
    const drop = new HttpError("Network request for 'sendMessage' failed!", new Error("socket hang up"));
    const { prev, calls } = replayed(drop, serverError, ok);
    const started = Date.now();
    expect(await retry(prev, "sendMessage", { chat_id: 1, text: "…" } as never)).toEqual(ok);
    expect(calls()).toBe(3);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("a refusal that is no reason to retry is returned as it is", async () => {
    const refused = {
      ok: false as const,
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    };
    const { prev, calls } = replayed(refused, ok);
    expect(await retry(prev, "sendMessage", {} as never)).toEqual(refused);
    expect(calls()).toBe(1);
  });

  it("a call that reached the network is waited after, as Telegram asked", async () => {
    const tooMany = {
      ok: false as const,
      error_code: 429,
      description: "Too Many Requests",
      parameters: { retry_after: 1 },
    };
    const { prev: recorded } = replayed(tooMany, ok);
    const live = ((...args: Parameters<Prev>) => {
      const call = networkCalls.getStore();
      if (call) call.reached = true;
      return recorded(...args);
    }) as Prev;
    const started = Date.now();
    expect(await retry(live, "sendMessage", {} as never)).toEqual(ok);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });
});
