/**
 * A month's reports made ready to send: the figures are built once from the audit events and every
 * form a job asks for (summary, violations, each organization's own violations) is rendered from
 * them as text, chart and spreadsheet. Where this runs is the caller's choice (see renderer.ts):
 * nothing here touches Telegram.
 */
import type { Logger } from "pino";
import type { SlaRuntime } from "../app/sla.js";
import { tr } from "../bot/texts-reports.js";
import type { Db } from "../db/client.js";
import { reportChart } from "./chart.js";
import { buildMonthlyReport, type CarriedViolation, hasData, type MonthlyReport } from "./figures.js";
import { monthKey, type ReportMonth } from "./month.js";
import type { Violation } from "./violations.js";
import { reportWorkbook, violationsWorkbook } from "./xlsx.js";

export interface RenderedReport {
  text: string;
  chart: Buffer | null;
  chartName: string;
  workbook: Buffer;
  workbookName: string;
  /** Under the chart. */
  caption: string;
  /** Under the spreadsheet: what it is. */
  workbookCaption: string;
}

/** The summary also as a recipient without its workbook gets it: see summaryForOrganizationHead. */
export interface RenderedSummary extends RenderedReport {
  /** Every line, not cut to one message (the cut ones point to the workbook). */
  wholeText: string;
}

export interface ReportJob {
  month: ReportMonth;
  summary: boolean;
  violations: boolean;
  /** Each organization's own violations, for its work chat (Orenburg p.19). */
  byOrganization: boolean;
  /** A month still running, reported so far (`/report` for the current month); never for automatic reports. */
  asOf?: Date;
  /** When it was asked for: the workbooks say when they were made. */
  madeAt?: Date;
}

/** All null and empty when the month has nothing to report. */
export interface RenderedReports {
  summary: RenderedSummary | null;
  violations: RenderedReport | null;
  byOrganization: { organizationId: number; rendered: RenderedReport }[];
}

/** Renders what a job asks for; the callers that may run it elsewhere all share this type. */
export type RenderReports = (job: ReportJob) => Promise<RenderedReports>;

export async function renderReports(
  db: Db,
  sla: SlaRuntime,
  job: ReportJob,
  log: Logger,
): Promise<RenderedReports> {
  const report = { ...buildMonthlyReport(db, sla, job.month, job.asOf), madeAt: job.madeAt };
  if (!hasData(report)) return { summary: null, violations: null, byOrganization: [] };
  return {
    summary: job.summary ? await renderMonthlyReport(report, log) : null,
    violations: job.violations ? await renderViolations(report) : null,
    byOrganization: job.byOrganization ? await renderByOrganization(report) : [],
  };
}

/** Renders in this process: tests, and a database in memory that no other process can open. */
export function renderHere(db: Db, sla: SlaRuntime, log: Logger): RenderReports {
  return (job) => renderReports(db, sla, job, log);
}

async function renderMonthlyReport(report: MonthlyReport, log: Logger): Promise<RenderedSummary> {
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
    wholeText: tr.summary(report, true),
    chart,
    chartName: `grafik-${key}.png`,
    workbook: await reportWorkbook(report),
    workbookName: tr.fileName("otchet", key),
    caption: tr.chartCaption(report),
    workbookCaption: tr.workbookCaption("otchet", report),
  };
}

async function renderViolations(
  report: MonthlyReport,
  violations: Violation[] = report.violations,
  text: string = tr.violations(report, violations),
  carried: CarriedViolation[] = report.carriedOver,
): Promise<RenderedReport> {
  return {
    text,
    chart: null,
    chartName: "",
    workbook: await violationsWorkbook(report, violations, carried),
    workbookName: tr.fileName("narusheniya", monthKey(report.month)),
    caption: "",
    workbookCaption: tr.workbookCaption("narusheniya", report),
  };
}

async function renderByOrganization(report: MonthlyReport): Promise<RenderedReports["byOrganization"]> {
  const rendered: RenderedReports["byOrganization"] = [];
  for (const { organizationId, name } of report.organizations) {
    const own = report.violations.filter((v) => v.organizationId === organizationId);
    // Only those set aside (a restore's): the month is clean for it, as for one with none.
    if (own.every((v) => v.lostWithRestore)) continue;
    const text = tr.violationsForOrganization(report, name, own);
    const carried = report.carriedOver.filter((v) => v.organizationId === organizationId);
    rendered.push({ organizationId, rendered: await renderViolations(report, own, text, carried) });
  }
  return rendered;
}
