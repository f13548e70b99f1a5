import { and, eq, isNotNull, isNull, lt } from "drizzle-orm";
import type { Update } from "grammy/types";
import type { Db } from "../db/client.js";
import { inbox } from "../db/schema.js";

/** Records an incoming update; false if it was already handled (Telegram delivered it again). */
export function receiveUpdate(db: Db, update: Update, now: Date): boolean {
  const existing = db
    .select({ doneAt: inbox.doneAt })
    .from(inbox)
    .where(eq(inbox.updateId, update.update_id))
    .get();
  if (existing) return existing.doneAt === null;
  db.insert(inbox)
    .values({
      updateId: update.update_id,
      update: update as unknown as Record<string, unknown>,
      receivedAt: now,
    })
    .run();
  return true;
}

export function markUpdateDone(db: Db, updateId: number, now: Date): void {
  db.update(inbox).set({ doneAt: now }).where(eq(inbox.updateId, updateId)).run();
}

/** Updates received but never fully handled: the process died in the middle. */
export function pendingUpdates(db: Db): Update[] {
  return db
    .select({ update: inbox.update })
    .from(inbox)
    .where(isNull(inbox.doneAt))
    .orderBy(inbox.updateId)
    .all()
    .map((row) => row.update as unknown as Update);
}

/** Handled updates are kept a while (re-deliveries come within minutes), then dropped. */
export function pruneInbox(db: Db, before: Date): void {
  db.delete(inbox)
    .where(and(lt(inbox.receivedAt, before), isNotNull(inbox.doneAt)))
    .run();
}
