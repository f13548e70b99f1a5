/**
 * Sends a rendered report to Telegram as a text, a chart and a spreadsheet. The files are rendered
 * once and sent to every recipient; a chat that refuses is logged and skipped, the others still get it.
 */
import { type Api, GrammyError, InputFile } from "grammy";
import type { Logger } from "pino";
import { splitMessage } from "../bot/delivery.js";
import type { RenderedReport } from "./render.js";

/** Returns false when the chat refused (the bot blocked or removed). */
export async function sendRendered(
  api: Api,
  chatId: number,
  rendered: RenderedReport,
  log: Logger,
): Promise<boolean> {
  try {
    for (const part of splitMessage(rendered.text)) await api.sendMessage(chatId, part);
    if (rendered.chart) {
      await api.sendPhoto(chatId, new InputFile(rendered.chart, rendered.chartName), {
        caption: rendered.caption,
      });
    }
    await api.sendDocument(chatId, new InputFile(rendered.workbook, rendered.workbookName));
    return true;
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    log.warn({ chatId, error: error.description }, "report not delivered");
    return false;
  }
}
