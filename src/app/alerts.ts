/** The ledger of deadline alerts and the sweep's index of incidents to look at. */
import { and, asc, eq, isNotNull, isNull, lt, lte } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { incidents, notifications } from "../db/schema.js";

/** Incidents whose next action is due, oldest first: the index makes this O(due), not O(open). */
export function dueIncidentIds(db: Db, now: Date, limit: number): number[] {
  return db
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(isNotNull(incidents.nextActionAt), lte(incidents.nextActionAt, now)))
    .orderBy(asc(incidents.nextActionAt))
    .limit(limit)
    .all()
    .map((r) => r.id);
}

export function setNextAction(db: Db, incidentId: number, at: Date | null): void {
  db.update(incidents).set({ nextActionAt: at }).where(eq(incidents.id, incidentId)).run();
}

export interface AlertKey {
  incidentId: number;
  step: string;
  kind: "reminder" | "overdue" | "escalation";
  deadlineAt: Date;
  dueAt: Date;
  chatId: number;
}

/** Claims an alert for one chat; false if another tick or process already has it. */
export function claimAlert(db: Db, key: AlertKey, now: Date): number | undefined {
  const row = db
    .insert(notifications)
    .values({ ...key, claimedAt: now })
    .onConflictDoNothing()
    .returning({ id: notifications.id })
    .get();
  return row?.id;
}

export function markAlertSent(db: Db, id: number, now: Date): void {
  db.update(notifications).set({ sentAt: now }).where(eq(notifications.id, id)).run();
}

export function markAlertFailed(db: Db, id: number, failure: string, now: Date): void {
  db.update(notifications).set({ failure, sentAt: now }).where(eq(notifications.id, id)).run();
}

/**
 * Alerts claimed but never marked sent (the process died between the claim and the send): the
 * next tick sends them, so a crash delays an alert instead of losing it.
 */
export function unsentAlerts(db: Db, claimedBefore: Date): (typeof notifications.$inferSelect)[] {
  return db
    .select()
    .from(notifications)
    .where(and(isNull(notifications.sentAt), lt(notifications.claimedAt, claimedBefore)))
    .all();
}
