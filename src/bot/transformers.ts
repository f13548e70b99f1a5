import type { Transformer } from "grammy";

/**
 * A button's pop-up that Telegram no longer takes (the press is older than its ~15 s window, or was
 * answered before a crash and is answered again at start) is not worth failing the press for: the
 * change is made and the cards and notices must still go out. Any other refusal (a pop-up text too
 * long, say) is still an error.
 */
const STALE_QUERY = /query is too old|query ID is invalid/i;

export const tolerateStaleCallbackAnswers: Transformer = async (prev, method, payload, signal) => {
  const result = await prev(method, payload, signal);
  if (method === "answerCallbackQuery" && !result.ok && STALE_QUERY.test(result.description))
    return { ok: true, result: true } as unknown as typeof result;
  return result;
};
