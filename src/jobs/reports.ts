/**
 * Monthly reports sent by themselves, in working time, once each (claimed in notices_sent):
 * - the summary of last month to the heads and the curators' chat on the month's first working day
 *   (Orenburg p.20);
 * - the violations on the preset's day (Georgievsk p.23: «не позднее 5 числа» — a day off moves it
 *   to the working day before); with no day (Orenburg p.19) together with the summary, and each
 *   organization concerned gets its own share in its work chat.
 */
import { TZDate } from "@date-fns/tz";
import { chatOfOrganization, findBoundChatByPurpose } from "../app/chats.js";
import { claimNotice, releaseNotice } from "../app/notices.js";
import { telegramIdsOfMembers, telegramIdsWithRole } from "../app/people.js";
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
  const curators = findBoundChatByPurpose(deps.db, "curators");
  const chats = curators !== undefined ? [curators] : telegramIdsWithRole(deps.db, "curator");
  return [...new Set([...chats, ...telegramIdsWithRole(deps.db, "head")])];
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

/** Called by the minute tick; returns how many chats got something. */
export async function monthlyReports(deps: JobDeps): Promise<number> {
  const { db, sla, clock } = deps;
  const now = clock.now();
  const wt = sla.workingTime;
  if (!wt.isWorking(now)) return 0;
  const local = new TZDate(now.getTime(), sla.timezone);
  const current = monthOf(now, sla.timezone);
  const reported = shiftMonth(current, -1);
  const key = monthKey(reported);
  const today = local.getDate();
  const violationsDay = sla.regulation.violationsReport.day;
  const summaryDue = today >= firstWorkingDay(current.year, current.month, wt);
  const violationsDue =
    violationsDay === null ? summaryDue : today >= reportDay(current.year, current.month, violationsDay, wt);
  const sendSummary = summaryDue && claimNotice(db, `report:summary:${key}`, now);
  const sendViolations = violationsDue && claimNotice(db, `report:violations:${key}`, now);
  if (!sendSummary && !sendViolations) return 0;
  let rendered: RenderedReports;
  try {
    rendered = await deps.reports({
      month: reported,
      summary: sendSummary,
      violations: sendViolations,
      byOrganization: sendViolations && violationsDay === null,
    });
  } catch (error) {
    // Not rendered, so not sent: the next tick tries again.
    if (sendSummary) releaseNotice(db, `report:summary:${key}`);
    if (sendViolations) releaseNotice(db, `report:violations:${key}`);
    throw error;
  }
  const chats = leadershipChats(deps);
  let sent = 0;
  if (rendered.summary) sent += await sendToAll(deps, chats, rendered.summary);
  if (rendered.violations) sent += await sendToAll(deps, chats, rendered.violations);
  sent += await sendToOrganizations(deps, rendered.byOrganization);
  return sent;
}
