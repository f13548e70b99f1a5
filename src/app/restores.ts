import type { Tx } from "../db/client.js";
import { restores } from "../db/schema.js";

export type Restore = typeof restores.$inferSelect;

/** The restores this database went through (restore.ts notes each): few, read at each look-up. */
export function restoresDone(db: Tx): Restore[] {
  return db.select().from(restores).orderBy(restores.id).all();
}

/** The ledger key of the notice of a restore (app/notices.ts): told once. */
export const restoreNoticeKey = (restore: Restore) => `restore:${restore.id}`;

/**
 * Whether a number of `table` («incidents», «drafts») was lost with a restore: given after the
 * backup, so an old card's button names it, and never given again.
 */
export function lostWithRestore(db: Tx, table: string, id: number): boolean {
  return restoresDone(db).some((restore) => {
    const range = restore.lost[table];
    return range !== undefined && id >= range.from && id <= range.to;
  });
}
