import { sql } from "drizzle-orm";
import { preparedPerConnection, type Tx } from "../db/client.js";
import { auditEvents } from "../db/schema.js";

export interface AuditEvent {
  actorId: number | null;
  entity: "person" | "organization" | "chat" | "invite" | "calendar" | "incident";
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

/** Writes one audit event; call it inside the transaction that makes the change. */
export function audit(tx: Tx, at: Date, event: AuditEvent): void {
  insertEvent(tx).run({
    at,
    actorId: event.actorId,
    entity: event.entity,
    entityId: String(event.entityId),
    action: event.action,
    fromState: event.fromState ?? null,
    toState: event.toState ?? null,
    details: event.details ?? null,
  });
}
