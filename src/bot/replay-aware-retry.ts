import type { AutoRetryOptions } from "@grammyjs/auto-retry";
import { HttpError, type Transformer } from "grammy";
import { asyncSlot } from "../async-scope.js";

/** Marked by the bot's fetch (http-client.ts) when a call of the one running reaches the network. */
export const networkCalls = asyncSlot<{ reached: boolean }>("network call");

/** auto-retry's first backoff and its cap, in seconds. */
const FIRST_BACKOFF = 3;
const MAX_BACKOFF = 3600;

/**
 * auto-retry's rules for a dialogue's own calls. A conversation's transformers sit above the
 * conversations plugin's recorder, which replays the dialogue's earlier calls, their 429s and
 * failures included, at each of its steps: auto-retry would wait each of them out again, holding up
 * the chat at every step. This one retries alike — a 429 after its `retry_after` (up to
 * `maxDelaySeconds`), a 5xx after a backoff of 3 s doubling (`maxRetryAttempts` times in all), a call
 * that did not reach Telegram after the same backoff until it does — but waits only before a call
 * after one that went to the network: replayed, the retries follow at once, as they were recorded.
 */
export function replayAwareRetry(
  options: Required<Pick<AutoRetryOptions, "maxRetryAttempts" | "maxDelaySeconds">>,
): Transformer {
  return async (prev, method, payload, signal) => {
    let backoff = FIRST_BACKOFF;
    let attemptsLeft = options.maxRetryAttempts;
    for (;;) {
      const call = { reached: false };
      let wait: number;
      try {
        const result = await networkCalls.run(call, () => prev(method, payload, signal));
        if (result.ok || attemptsLeft-- <= 0) return result;
        const after = result.parameters?.retry_after;
        if (typeof after === "number" && after <= options.maxDelaySeconds) {
          wait = after;
          backoff = FIRST_BACKOFF;
        } else if (result.error_code >= 500) {
          wait = backoff;
          backoff = Math.min(MAX_BACKOFF, backoff * 2);
        } else return result;
      } catch (error) {
        if (!(error instanceof HttpError) || signal?.aborted) throw error;
        wait = backoff;
        backoff = Math.min(MAX_BACKOFF, backoff * 2);
      }
      if (call.reached) await pause(wait, signal);
    }
  };
}

/** grammY's signal type (its own AbortSignal polyfill's). */
type Signal = Parameters<Transformer>[3];

function pause(seconds: number, signal: Signal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(new Error("Request aborted while waiting between retries"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, seconds * 1000);
    signal?.addEventListener("abort", abort, { once: true });
  });
}
