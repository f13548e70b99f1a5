import { and, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Update } from "grammy/types";
import { type Db, preparedPerConnection, type Tx } from "../db/client.js";
import { inbox } from "../db/schema.js";
import { forgetUpdateNotices } from "./notices.js";

/**
 * Every update passes through the inbox twice: on arrival and when its handling ends.
 *
 * An arrival must be on disk before Telegram is told the update was received: with getUpdates that
 * is the next fetch, which, as every Bot API call, waits until the commits before it are synced
 * (db/durability.ts) — one sync for a batch; a webhook's update waits for it before it is handled.
 * A handling's end lost at a power cut only means the update is handled again at start, which finds
 * its change made (update-scope.ts) and tells whoever its notices had not reached (bot/delivery.ts,
 * oncePerUpdate).
 */
const inboxQueries = preparedPerConnection((db) => {
  const p = sql.placeholder;
  return {
    find: db
      .select({ doneAt: inbox.doneAt })
      .from(inbox)
      .where(eq(inbox.updateId, p("updateId")))
      .prepare(),
    record: db
      .insert(inbox)
      .values({ updateId: p("updateId"), update: p("update"), receivedAt: p("receivedAt") })
      .prepare(),
    // A placeholder in SET skips the column's Date mapping: epoch ms here.
    done: db
      .update(inbox)
      .set({ doneAt: sql`${p("at")}` })
      .where(eq(inbox.updateId, p("updateId")))
      .prepare(),
  };
});

/**
 * Records an incoming update: "new"; "again" when it was received before but its handling never
 * finished (the process died); "done" when it was handled already (Telegram delivered it again).
 */
export function receiveUpdate(db: Db, update: Update, now: Date): "new" | "again" | "done" {
  const queries = inboxQueries(db);
  const existing = queries.find.get({ updateId: update.update_id });
  if (existing) return existing.doneAt === null ? "again" : "done";
  queries.record.run({ updateId: update.update_id, update, receivedAt: now });
  return "new";
}

/**
 * Marks the update handled; in the transaction of a change that ends its handling and must not be
 * made twice, when there is one (a dialogue's step: db/conversation-storage.ts).
 */
export function markUpdateDone(db: Tx, updateId: number, now: Date): void {
  inboxQueries(db).done.run({ updateId, at: now.getTime() });
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

/**
 * At a stop: waits, at most `ms`, until no update is still being handled (a webhook answers Telegram
 * after 10 s while the handling goes on). False when some still are: they are handled again at the
 * next start.
 */
export async function allUpdatesHandled(db: Db, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  const pending = () => db.select({ id: inbox.updateId }).from(inbox).where(isNull(inbox.doneAt)).get();
  while (pending() !== undefined) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Handled updates are kept a while (re-deliveries come within minutes), then dropped, with the
 * ledger's record of the notices they sent. Those a crash interrupted are handled again at start,
 * before the first pruning.
 */
export function pruneInbox(db: Db, before: Date): void {
  db.delete(inbox)
    .where(and(lt(inbox.receivedAt, before), isNotNull(inbox.doneAt)))
    .run();
  forgetUpdateNotices(db, before);
}
