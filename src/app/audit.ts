import { and, desc, eq, sql } from "drizzle-orm";
import { preparedPerConnection, type Tx } from "../db/client.js";
import { auditEvents } from "../db/schema.js";
import { currentUpdate } from "./update-scope.js";

export interface AuditEvent {
  actorId: number | null;
  entity: "person" | "organization" | "chat" | "invite" | "calendar" | "settings" | "incident" | "assignment";
  entityId: string | number;
  action: string;
  fromState?: string | null;
  toState?: string | null;
  details?: Record<string, unknown>;
}

/** Every change writes one: the statement is prepared once. */
const insertEvent = preparedPerConnection((db) => {
  const p = sql.placeholder;
  return db
    .insert(auditEvents)
    .values({
      at: p("at"),
      actorId: p("actorId"),
      entity: p("entity"),
      entityId: p("entityId"),
      action: p("action"),
      fromState: p("fromState"),
      toState: p("toState"),
      details: p("details"),
    })
    .prepare();
});

/** Did this update make this change? Asked only of an update handled again after a crash. */
const madeBy = preparedPerConnection((db) => {
  const p = sql.placeholder;
  return db
    .select({ at: auditEvents.at, fromState: auditEvents.fromState, details: auditEvents.details })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entity, p("entity")),
        eq(auditEvents.entityId, p("entityId")),
        eq(auditEvents.action, p("action")),
        eq(sql`json_extract(${auditEvents.details}, '$.updateId')`, p("updateId")),
      ),
    )
    .limit(1)
    .prepare();
});

/** An incident's audit events of one action, newest first: who made each and what it recorded. */
export function incidentEvents(tx: Tx, incidentId: number, action: string) {
  return tx
    .select({ at: auditEvents.at, actorId: auditEvents.actorId, details: auditEvents.details })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entity, "incident"),
        eq(auditEvents.entityId, String(incidentId)),
        eq(auditEvents.action, action),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .all();
}

/**
 * True when the update being handled again (its first handling died) already made this change: the
 * caller then reports the change as done instead of refusing it.
 */
export function alreadyMadeByThisUpdate(
  tx: Tx,
  event: Pick<AuditEvent, "entity" | "entityId" | "action">,
): boolean {
  return madeByThisUpdate(tx, event) !== undefined;
}

/** The details of the change this update, handled again, already made (see alreadyMadeByThisUpdate). */
export function madeByThisUpdate(
  tx: Tx,
  event: Pick<AuditEvent, "entity" | "entityId" | "action">,
): Record<string, unknown> | undefined {
  return eventMadeByThisUpdate(tx, event)?.details;
}

/** The audit event of the change this update, handled again, already made: when, from which state, what. */
export function eventMadeByThisUpdate(
  tx: Tx,
  event: Pick<AuditEvent, "entity" | "entityId" | "action">,
): { at: Date; fromState: string | null; details: Record<string, unknown> } | undefined {
  const update = currentUpdate();
  if (!update?.again) return undefined;
  const row = madeBy(tx).get({
    entity: event.entity,
    entityId: String(event.entityId),
    action: event.action,
    updateId: update.updateId,
  });
  return row && { at: row.at, fromState: row.fromState, details: row.details ?? {} };
}

/**
 * Writes one audit event; call it inside the transaction that makes the change. The update being
 * handled, if any, is recorded with it.
 */
export function audit(tx: Tx, at: Date, event: AuditEvent): void {
  const update = currentUpdate();
  const details = update ? { ...event.details, updateId: update.updateId } : (event.details ?? null);
  insertEvent(tx).run({
    at,
    actorId: event.actorId,
    entity: event.entity,
    entityId: String(event.entityId),
    action: event.action,
    fromState: event.fromState ?? null,
    toState: event.toState ?? null,
    details,
  });
}
