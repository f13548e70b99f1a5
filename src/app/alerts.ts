/** The ledger of deadline alerts and the sweep's index of incidents to look at. */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, sql } from "drizzle-orm";
import { type Db, preparedPerConnection } from "../db/client.js";
import { incidents, notifications } from "../db/schema.js";

/** The sweep's statements: a tick runs them for every due incident. */
const stmts = preparedPerConnection((db) => {
  const p = sql.placeholder;
  return {
    due: db
      .select({ id: incidents.id })
      .from(incidents)
      .where(and(isNotNull(incidents.nextActionAt), lte(incidents.nextActionAt, p("now"))))
      .orderBy(asc(incidents.nextActionAt))
      .limit(p("limit"))
      .prepare(),
    // Placeholders in SET and WHERE skip the column's Date mapping (INSERT values keep it): epoch ms here.
    next: db
      .update(incidents)
      .set({ nextActionAt: sql`${p("at")}` })
      .where(eq(incidents.id, p("id")))
      .prepare(),
    claim: db
      .insert(notifications)
      .values({
        incidentId: p("incidentId"),
        step: p("step"),
        organizationId: p("organizationId"),
        kind: p("kind"),
        deadlineAt: p("deadlineAt"),
        dueAt: p("dueAt"),
        chatId: p("chatId"),
        claimedAt: p("claimedAt"),
      })
      .onConflictDoNothing()
      .returning({ id: notifications.id })
      .prepare(),
    sent: db
      .update(notifications)
      .set({ sentAt: sql`${p("at")}`, silent: sql`${p("silent")}` })
      .where(eq(notifications.id, p("id")))
      .prepare(),
  };
});

/** Incidents whose next action is due, oldest first: the index makes this O(due), not O(open). */
export function dueIncidentIds(db: Db, now: Date, limit: number): number[] {
  return stmts(db)
    .due.all({ now: now.getTime(), limit })
    .map((r) => r.id);
}

export function setNextAction(db: Db, incidentId: number, at: Date | null): void {
  stmts(db).next.run({ at: at?.getTime() ?? null, id: incidentId });
}

export interface AlertKey {
  incidentId: number;
  step: string;
  /** The co-executor organization whose step it is; 0 for the incident's own steps. */
  organizationId: number;
  kind: "reminder" | "overdue" | "escalation";
  deadlineAt: Date;
  dueAt: Date;
  chatId: number;
}

/** Claims an alert for one chat; undefined if another tick or process already has it. */
export function claimAlert(db: Db, key: AlertKey, now: Date): number | undefined {
  return stmts(db).claim.get({ ...key, claimedAt: now })?.id;
}

/** `silent`: sent without sound (see lastSentAlert's `ringing`). */
export function markAlertSent(db: Db, id: number, now: Date, silent = false): void {
  stmts(db).sent.run({ at: now.getTime(), silent: silent ? 1 : 0, id });
}

export function markAlertFailed(db: Db, id: number, failure: string, now: Date): void {
  db.update(notifications).set({ failure, sentAt: now }).where(eq(notifications.id, id)).run();
}

/**
 * Settles a claim as `failure` as if claimed now: a reminder folded again into today's morning digest
 * is given back by it, not by the day it was first claimed (see reopenReminders, settledReminders).
 */
export function settleAlertAgain(db: Db, id: number, failure: string, now: Date): void {
  db.update(notifications)
    .set({ failure, sentAt: now, claimedAt: now })
    .where(eq(notifications.id, id))
    .run();
}

/**
 * When a chat was last sent an alert (one it got, not one settled unsent): of this kind, if given;
 * `ringing`, only one sent with sound.
 */
export function lastSentAlert(
  db: Db,
  chatId: number,
  { kind, ringing = false }: { kind?: AlertKey["kind"]; ringing?: boolean },
): Date | undefined {
  return (
    db
      .select({ sentAt: notifications.sentAt })
      .from(notifications)
      .where(
        and(
          eq(notifications.chatId, chatId),
          kind ? eq(notifications.kind, kind) : undefined,
          isNotNull(notifications.sentAt),
          isNull(notifications.failure),
          ringing ? eq(notifications.silent, false) : undefined,
        ),
      )
      .orderBy(desc(notifications.sentAt))
      .limit(1)
      .get()?.sentAt ?? undefined
  );
}

/**
 * Takes a chat's alerts settled as `failure`, of deadlines in [since, until), back to claims never
 * sent: the sweep sends them as such (see unsentAlerts).
 */
export function reopenAlerts(db: Db, chatId: number, failure: string, since: Date, until: Date): void {
  db.update(notifications)
    .set({ failure: null, sentAt: null })
    .where(
      and(
        eq(notifications.chatId, chatId),
        eq(notifications.failure, failure),
        gte(notifications.deadlineAt, since),
        lt(notifications.deadlineAt, until),
      ),
    )
    .run();
}

/**
 * Takes a chat's reminders settled as `failure`, claimed since `claimedSince`, back to claims never
 * sent, but those `kept` names (by incident, step and deadline): the sweep sends them as such.
 */
export function reopenReminders(
  db: Db,
  chatId: number,
  failure: string,
  claimedSince: Date,
  kept: { incidentId: number; step: string; deadlineAt: Date }[],
): void {
  const key = (r: (typeof kept)[number]) => `${r.incidentId}:${r.step}:${r.deadlineAt.getTime()}`;
  const said = new Set(kept.map(key));
  const reopened = db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.chatId, chatId),
        eq(notifications.failure, failure),
        eq(notifications.kind, "reminder"),
        gte(notifications.claimedAt, claimedSince),
      ),
    )
    .all()
    .filter((row) => !said.has(key(row)))
    .map((row) => row.id);
  reopenAlertsById(db, reopened);
}

/** Reminders (of any chat) settled as `failure`, claimed in [since, until): which chat each is for, and when. */
export function settledReminders(
  db: Db,
  failure: string,
  since: Date,
  until: Date,
): { id: number; chatId: number; claimedAt: Date }[] {
  return db
    .select({ id: notifications.id, chatId: notifications.chatId, claimedAt: notifications.claimedAt })
    .from(notifications)
    .where(
      and(
        eq(notifications.failure, failure),
        eq(notifications.kind, "reminder"),
        gte(notifications.claimedAt, since),
        lt(notifications.claimedAt, until),
      ),
    )
    .all();
}

/** Takes these alerts back to claims never sent: the sweep sends them as such (see unsentAlerts). */
export function reopenAlertsById(db: Db, ids: number[]): void {
  if (ids.length === 0) return;
  db.update(notifications).set({ failure: null, sentAt: null }).where(inArray(notifications.id, ids)).run();
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
