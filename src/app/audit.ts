import type { Tx } from "../db/client.js";
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

/** Writes one audit event; call it inside the transaction that makes the change. */
export function audit(tx: Tx, at: Date, event: AuditEvent): void {
  tx.insert(auditEvents)
    .values({
      at,
      actorId: event.actorId,
      entity: event.entity,
      entityId: String(event.entityId),
      action: event.action,
      fromState: event.fromState ?? null,
      toState: event.toState ?? null,
      details: event.details ?? null,
    })
    .run();
}
