/**
 * Sends a report to Telegram as a text, a chart and a spreadsheet. The files are rendered once and
 * sent to every recipient; a chat that refuses is logged and skipped, the others still get it.
 */
import { type Api, GrammyError, InputFile } from "grammy";
import type { Logger } from "pino";
import { splitMessage } from "../bot/delivery.js";
import { tr } from "../bot/texts-reports.js";
import { reportChart } from "./chart.js";
import type { MonthlyReport } from "./figures.js";
import { monthKey } from "./month.js";
import type { Violation } from "./violations.js";
import { reportWorkbook, violationsWorkbook } from "./xlsx.js";

export interface RenderedReport {
  text: string;
  chart: Buffer | null;
  chartName: string;
  workbook: Buffer;
  workbookName: string;
  caption: string;
}

export async function renderMonthlyReport(report: MonthlyReport, log: Logger): Promise<RenderedReport> {
  const key = monthKey(report.month);
  let chart: Buffer | null = null;
  try {
    chart = await reportChart(report);
  } catch (err) {
    // The figures matter more than the picture: without a chart the text and the table still go.
    log.error({ err }, "report chart failed");
  }
  return {
    text: tr.summary(report),
    chart,
    chartName: `grafik-${key}.png`,
    workbook: await reportWorkbook(report),
    workbookName: tr.fileName("otchet", key),
    caption: tr.chartCaption(report.month),
  };
}

export async function renderViolations(
  report: MonthlyReport,
  violations: Violation[] = report.violations,
  text: string = tr.violations(report, violations),
): Promise<RenderedReport> {
  return {
    text,
    chart: null,
    chartName: "",
    workbook: await violationsWorkbook(report, violations),
    workbookName: tr.fileName("narusheniya", monthKey(report.month)),
    caption: "",
  };
}

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
