import type { Transformer } from "grammy";

/**
 * A button's pop-up that Telegram no longer takes (the press is older than its ~15 s window, or was
 * answered before a crash and is answered again at start) is not worth failing the press for: the
 * change is made and the cards and notices must still go out. Telegram answers such a call with 400.
 */
export const tolerateStaleCallbackAnswers: Transformer = async (prev, method, payload, signal) => {
  const result = await prev(method, payload, signal);
  if (method === "answerCallbackQuery" && !result.ok && result.error_code === 400)
    return { ok: true, result: true } as unknown as typeof result;
  return result;
};
