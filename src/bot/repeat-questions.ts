/**
 * The repeat question's copies (one in the curators' chat, or one for each curator; see
 * repeatQuestionCopies) once the post's question is decided, wherever it was decided: its own buttons,
 * the card's «Повторное к …», the post closed.
 */
import { type Api, GrammyError, HttpError } from "grammy";
import type { Logger } from "pino";
import { repeatQuestionCopies } from "../app/intake.js";
import type { Db } from "../db/client.js";

/**
 * Every copy says what was decided and by whom (without `decided`, keeps its text) and loses its
 * buttons: nobody answers it twice. The decision stands; a copy Telegram no longer lets edit is
 * logged, and hears what was decided when pressed.
 */
export async function settleRepeatQuestion(
  deps: { api: Api; db: Db; log: Logger },
  incidentId: number,
  decided?: string,
): Promise<void> {
  for (const { chatId, messageId } of repeatQuestionCopies(deps.db, incidentId)) {
    try {
      if (decided) await deps.api.editMessageText(chatId, messageId, decided);
      else await deps.api.editMessageReplyMarkup(chatId, messageId);
    } catch (error) {
      if (!(error instanceof GrammyError) && !(error instanceof HttpError)) throw error;
      deps.log.warn({ chatId, messageId, incidentId, error: error.message }, "repeat question not settled");
    }
  }
}
