/**
 * Monthly reports sent by themselves, in working time, once each (claimed in notices_sent):
 * - the summary of last month to the heads and the curators' chat on the month's first working day
 *   (Orenburg p.20);
 * - the violations on the preset's day (Georgievsk p.23: «не позднее 5 числа» — a day off moves it
 *   to the working day before); with no day (Orenburg p.19) together with the summary, and each
 *   organization concerned gets its own share in its work chat.
 */
import { TZDate } from "@date-fns/tz";
import { chatOfOrganization, curatorChats } from "../app/chats.js";
import { claimNotice, noticeClaimed } from "../app/notices.js";
import { telegramIdsOfMembers, telegramIdsWithRole } from "../app/people.js";
import { notifyAdmins } from "../bot/delivery.js";
import { tr } from "../bot/texts-reports.js";
import type { Db } from "../db/client.js";
import type { WorkingTime } from "../domain/calendar/index.js";
import { sendRendered } from "../reports/deliver.js";
import { monthKey, monthOf, shiftMonth } from "../reports/month.js";
import type { RenderedReport, RenderedReports } from "../reports/render.js";
import type { JobDeps, SweepDeps } from "./sweep.js";

function isWorkingDay(year: number, month: number, day: number, wt: WorkingTime): boolean {
  const start = new TZDate(year, month - 1, day, wt.timezone);
  const next = new TZDate(year, month - 1, day + 1, wt.timezone);
  return wt.nextWorkingMoment(start).getTime() < next.getTime();
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function firstWorkingDay(year: number, month: number, wt: WorkingTime): number {
  for (let day = 1; day <= daysIn(year, month); day++) if (isWorkingDay(year, month, day, wt)) return day;
  return 1;
}

/**
 * The day of the month a report due «не позднее `day` числа» is sent: that day if it is worked,
 * otherwise the working day before it; if the month has none before it (January's holidays), the
 * month's first working day, since last month's report cannot go before last month is over.
 */
export function reportDay(year: number, month: number, day: number, wt: WorkingTime): number {
  for (let d = Math.min(day, daysIn(year, month)); d >= 1; d--)
    if (isWorkingDay(year, month, d, wt)) return d;
  return firstWorkingDay(year, month, wt);
}

/** Heads privately and the curators' chat (each curator privately when none is bound). */
function leadershipChats(deps: SweepDeps): number[] {
  return [...new Set([...curatorChats(deps.db), ...telegramIdsWithRole(deps.db, "head")])];
}

async function sendToAll(deps: SweepDeps, chats: number[], rendered: RenderedReport): Promise<number> {
  let sent = 0;
  for (const chatId of chats) if (await sendRendered(deps.api, chatId, rendered, deps.log)) sent++;
  return sent;
}

/** Each organization concerned gets its own violations in its work chat (Orenburg p.19). */
async function sendToOrganizations(
  deps: SweepDeps,
  byOrganization: RenderedReports["byOrganization"],
): Promise<number> {
  let sent = 0;
  for (const { organizationId, rendered } of byOrganization) {
    const chat = chatOfOrganization(deps.db, organizationId);
    const chats = chat !== undefined ? [chat] : telegramIdsOfMembers(deps.db, [organizationId]);
    sent += await sendToAll(deps, chats, rendered);
  }
  return sent;
}

/** First retry of a report that could not be rendered; each next one waits twice as long, up to MAX. */
const RETRY_MS = 15 * 60_000;
const MAX_RETRY_MS = 4 * 60 * 60_000;
/** After this many failures in a row the admins are told (once). */
const FAILURES_TOLD = 3;

/** A month's report that could not be rendered: how often in a row, and when to try again. */
interface Failure {
  count: number;
  retryAt: number;
}

/** Per database (one per bot; tests run several in one process), by month. */
const failures = new WeakMap<Db, Map<string, Failure>>();

function failuresOf(db: Db): Map<string, Failure> {
  const known = failures.get(db);
  if (known) return known;
  const map = new Map<string, Failure>();
  failures.set(db, map);
  return map;
}

/**
 * Called by the minute tick; returns how many chats got something. A report is marked sent only
 * once it is rendered, just before it goes out: a render that fails (or a stop in the middle of
 * one) leaves it to be tried again, later and later, and the admins hear of it after a few tries.
 */
export async function monthlyReports(deps: JobDeps): Promise<number> {
  const { db, sla, clock } = deps;
  const now = clock.now();
  const wt = sla.workingTime;
  if (!wt.isWorking(now)) return 0;
  const local = new TZDate(now.getTime(), sla.timezone);
  const current = monthOf(now, sla.timezone);
  const reported = shiftMonth(current, -1);
  const key = monthKey(reported);
  const summaryKey = `report:summary:${key}`;
  const violationsKey = `report:violations:${key}`;
  const today = local.getDate();
  const violationsDay = sla.regulation.violationsReport.day;
  const summaryDue = today >= firstWorkingDay(current.year, current.month, wt);
  const violationsDue =
    violationsDay === null ? summaryDue : today >= reportDay(current.year, current.month, violationsDay, wt);
  const wantSummary = summaryDue && !noticeClaimed(db, summaryKey);
  const wantViolations = violationsDue && !noticeClaimed(db, violationsKey);
  if (!wantSummary && !wantViolations) return 0;
  const failed = failuresOf(db).get(key);
  if (failed && now.getTime() < failed.retryAt) return 0;

  let rendered: RenderedReports;
  try {
    rendered = await deps.reports({
      month: reported,
      summary: wantSummary,
      violations: wantViolations,
      byOrganization: wantViolations && violationsDay === null,
    });
  } catch (err) {
    const count = (failed?.count ?? 0) + 1;
    const wait = Math.min(RETRY_MS * 2 ** (count - 1), MAX_RETRY_MS);
    failuresOf(db).set(key, { count, retryAt: now.getTime() + wait });
    deps.log.error({ err, month: key, count }, "monthly report not rendered; it will be tried again");
    if (count >= FAILURES_TOLD && claimNotice(db, `report-failed:${key}`, now))
      await notifyAdmins(deps, tr.renderFailed(reported, count));
    return 0;
  }
  failuresOf(db).delete(key);
  // Rendered, so done — also a month without data, which renders nothing and is not tried again.
  // Claimed only now, so that a second process rendering the same month at once does not send it twice.
  const sendSummary = wantSummary && claimNotice(db, summaryKey, now) ? rendered.summary : null;
  const sendViolations = wantViolations && claimNotice(db, violationsKey, now) ? rendered.violations : null;
  const chats = leadershipChats(deps);
  let sent = 0;
  if (sendSummary) sent += await sendToAll(deps, chats, sendSummary);
  if (sendViolations) {
    sent += await sendToAll(deps, chats, sendViolations);
    sent += await sendToOrganizations(deps, rendered.byOrganization);
  }
  return sent;
}
