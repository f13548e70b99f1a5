import { isNull } from "drizzle-orm";
import type { Tx } from "../db/client.js";
import { restores } from "../db/schema.js";
import type { WorkingTime } from "../domain/calendar/index.js";
import type { LostWindow } from "../domain/reminders.js";

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

/** Working minutes after the first start on a restored database for the lost steps to be done again. */
export const RESTORE_GRACE_MINUTES = 60;

/**
 * Notes the bot's first start on each restored database (once: a later start keeps the first) and
 * returns the restores: their lost windows end there (see lostWindows).
 */
export function startAfterRestores(db: Tx, now: Date): Restore[] {
  db.update(restores).set({ startedAt: now }).where(isNull(restores.startedAt)).run();
  return restoresDone(db);
}

/**
 * When the lost steps' grace ends: an hour of working time after the bot's first start on the copy
 * (the restore's own time, for one not started on yet). Undefined for a backup with nothing done.
 */
export function graceEnd(restore: Restore, wt: WorkingTime): Date | undefined {
  if (!restore.backupAt) return undefined;
  return wt.addWorkingMinutes(restore.startedAt ?? restore.restoredAt, RESTORE_GRACE_MINUTES);
}

/**
 * The spans whose deadlines a restore made pass: from the backup's last write to the grace's end,
 * for the steps begun before the first start on the copy. What was done then is lost, so such a
 * deadline is alerted only as the span ends, and the monthly report sets its violation aside if the
 * step was done by then (see figures.ts, afterGrace).
 */
export function lostWindows(db: Tx, wt: WorkingTime): LostWindow[] {
  return restoresDone(db).flatMap((restore) => {
    const until = graceEnd(restore, wt);
    const startedBefore = restore.startedAt ?? restore.restoredAt;
    return restore.backupAt && until ? [{ from: restore.backupAt, until, startedBefore }] : [];
  });
}
