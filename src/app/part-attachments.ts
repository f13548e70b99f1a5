/**
 * The photos, videos and files a co-executor sends with its part (Orenburg p.16 and Georgievsk p.20
 * expect supporting photos and videos). The assignment keeps only the part's text, so the files of
 * each sending are kept in an audit event of the assignment: Telegram's file ids, which the bot may
 * send again, to the lead when a curator passes the part on (Georgievsk p.18).
 */
import { and, desc, eq } from "drizzle-orm";
import type { Db, Tx } from "../db/client.js";
import { type Attachment, auditEvents } from "../db/schema.js";
import { audit } from "./audit.js";

const ACTION = "partAttachments";

interface Sending {
  /** The assignment whose part it is. */
  id: number;
  /** When the part was sent: a part sent again after rework is another sending. */
  partSentAt?: Date | null | undefined;
}

function recorded(db: Tx, part: Sending): Attachment[] | undefined {
  const sentAt = part.partSentAt?.getTime();
  if (sentAt === undefined) return undefined;
  const events = db
    .select({ details: auditEvents.details })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entity, "assignment"),
        eq(auditEvents.entityId, String(part.id)),
        eq(auditEvents.action, ACTION),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .all();
  const event = events.find((e) => e.details?.sentAt === sentAt);
  return event?.details?.attachments as Attachment[] | undefined;
}

/** Records the files sent with this sending of the part, once (a sending handled again adds nothing). */
export function recordPartAttachments(
  db: Db,
  input: { part: Sending; incidentId: number; actorId: number; attachments: Attachment[]; now: Date },
): void {
  const { part, attachments } = input;
  if (attachments.length === 0 || !part.partSentAt) return;
  const sentAt = part.partSentAt.getTime();
  db.transaction((tx) => {
    if (recorded(tx, part)) return;
    audit(tx, input.now, {
      actorId: input.actorId,
      entity: "assignment",
      entityId: part.id,
      action: ACTION,
      details: { incidentId: input.incidentId, sentAt, attachments },
    });
  });
}

/** A part given before a re-routing, carried into the new one: its files go with it. */
export function carryPartAttachments(
  tx: Tx,
  from: Sending,
  toId: number,
  incidentId: number,
  now: Date,
): void {
  const attachments = recorded(tx, from);
  if (!attachments || !from.partSentAt) return;
  audit(tx, now, {
    actorId: null,
    entity: "assignment",
    entityId: toId,
    action: ACTION,
    details: { incidentId, sentAt: from.partSentAt.getTime(), attachments },
  });
}

/** The files of the part's current sending; none when it was sent as text alone. */
export function partAttachments(db: Tx, part: Sending): Attachment[] {
  return recorded(db, part) ?? [];
}
