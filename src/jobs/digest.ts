/**
 * Morning digest to each organization's work chat at the start of every working day: its open
 * incidents with the nearest deadlines and those that went overdue since the previous working day
 * began (on a Monday: Friday and the weekend). Once per chat per day.
 */
import { TZDate } from "@date-fns/tz";
import { startOfDay } from "date-fns/startOfDay";
import { and, eq, gte, inArray, lt } from "drizzle-orm";
import { type Incident, loadIncident, openIncidents } from "../app/incidents.js";
import { claimNotice } from "../app/notices.js";
import { sendLong } from "../bot/delivery.js";
import { stepLabel, t } from "../bot/texts.js";
import { assignments, boundChats, notifications } from "../db/schema.js";
import { nextDeadline } from "../domain/incident.js";
import { formatDeadline, formatRemaining } from "../domain/time-format.js";
import type { SweepDeps } from "./sweep.js";

const MAX_LINES = 30;

export async function morningDigests(deps: SweepDeps): Promise<number> {
  const { db, sla, clock } = deps;
  const now = clock.now();
  const wt = sla.workingTime;
  if (!wt.isWorking(now)) return 0;
  const today = startOfDay(new TZDate(now.getTime(), sla.timezone));
  // The previous digest's window ended where this one begins: the last working day and the days off
  // after it are all covered, so nothing that went overdue on a Friday or before a holiday is lost.
  const previousWorkingDay = wt.addWorkingDays(wt.nextWorkingMoment(today), -1);
  const since = startOfDay(new TZDate(previousWorkingDay.getTime(), sla.timezone));
  const day = formatDeadline(now, sla.timezone).slice(0, 10);
  let sent = 0;
  const chats = db.select().from(boundChats).where(eq(boundChats.purpose, "organization")).all();
  for (const chat of chats) {
    if (chat.organizationId === null || !claimNotice(db, `morning:${chat.chatId}:${day}`, now)) continue;
    const open = openIncidents(db, { organizationIds: [chat.organizationId] })
      .map((row) => loadIncident(db, row.id))
      .filter((incident): incident is Incident => incident !== undefined)
      .map((incident) => ({
        incident,
        next: nextDeadline(incident, sla.regulation, wt, chat.organizationId ?? undefined, now),
      }))
      .sort((a, b) => (a.next?.at.getTime() ?? Infinity) - (b.next?.at.getTime() ?? Infinity));
    const lateIds = db
      .selectDistinct({ id: notifications.incidentId })
      .from(notifications)
      .innerJoin(assignments, eq(assignments.incidentId, notifications.incidentId))
      .where(
        and(
          eq(notifications.kind, "overdue"),
          eq(assignments.organizationId, chat.organizationId),
          gte(notifications.claimedAt, new Date(since.getTime())),
          lt(notifications.claimedAt, new Date(today.getTime())),
          inArray(notifications.chatId, [chat.chatId]),
        ),
      )
      .all()
      .map((r) => r.id);
    if (open.length === 0 && lateIds.length === 0) continue;
    const lines = open
      .slice(0, MAX_LINES)
      .map(({ incident, next }) =>
        next
          ? t.digest.line(
              incident.id,
              stepLabel(sla.regulation, next.step),
              formatDeadline(next.at, sla.timezone),
              formatRemaining(wt, next.at, now),
            )
          : t.digest.lineNoDeadline(incident.id, t.state[incident.row.state]),
      );
    const text = [
      t.digest.title(day, open.length),
      ...lines,
      ...(open.length > MAX_LINES ? [t.digest.more(open.length - MAX_LINES)] : []),
      ...(lateIds.length > 0
        ? ["", t.digest.overdueSince(formatDeadline(since, sla.timezone).slice(0, 10), lateIds)]
        : []),
    ].join("\n");
    if (await sendLong(deps, deps.api, chat.chatId, text)) sent++;
  }
  return sent;
}
