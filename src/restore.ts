/**
 * `npm run restore -- <backup file>`, with the bot stopped: puts the backup in place of DATABASE_PATH.
 *
 * Cards and notices sent after the backup keep buttons naming incidents (and drafts, parts) by
 * number. Were the numbering to go on from the backup's, a new post would take the number of one
 * lost with the restore, and an old button would act on it. So the copy's numbering goes on from the
 * higher of the backup's and the replaced database's; when the latter cannot be read (lost or
 * broken), it skips ahead by RESTORE_GAP. The old -wal and -shm files go: SQLite would replay the
 * replaced database's last changes onto the copy.
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { readDotEnv } from "./config.js";

/** How far the numbering skips ahead when the replaced database cannot tell where it stood. */
export const RESTORE_GAP = 10_000;

export interface RestoreResult {
  /** Where each numbering goes on from (sqlite_sequence: the last number given). */
  numbering: Record<string, number>;
  /** False when the replaced database could not be read and the numbering skipped ahead. */
  replacedRead: boolean;
}

type Sequences = Map<string, number>;

function sequencesOf(db: Database.Database): Sequences {
  const rows = db.prepare("select name, seq from sqlite_sequence").all() as { name: string; seq: number }[];
  return new Map(rows.map((r) => [r.name, r.seq]));
}

function readReplaced(target: string): Sequences | undefined {
  if (!existsSync(target)) return undefined;
  try {
    const db = new Database(target, { readonly: true, fileMustExist: true });
    try {
      return sequencesOf(db);
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

export function restoreDatabase(backup: string, target: string): RestoreResult {
  const copy = `${target}.restoring`;
  copyFileSync(backup, copy);
  const replaced = readReplaced(target);
  const db = new Database(copy, { fileMustExist: true });
  const numbering: Record<string, number> = {};
  try {
    const check = db.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new Error(`the backup is damaged: ${String(check)}`);
    const update = db.prepare("update sqlite_sequence set seq = ? where name = ?");
    db.transaction(() => {
      for (const [name, seq] of sequencesOf(db)) {
        const next = replaced ? Math.max(seq, replaced.get(name) ?? 0) : seq + RESTORE_GAP;
        update.run(next, name);
        numbering[name] = next;
      }
    })();
  } catch (error) {
    db.close();
    rmSync(copy, { force: true });
    throw error;
  }
  db.close();
  // On the disk before it takes the old one's place, and the place itself on the disk before the
  // operator is told: a power cut must leave either database whole, not a half-written copy.
  syncPath(copy);
  for (const suffix of ["-wal", "-shm"]) rmSync(`${target}${suffix}`, { force: true });
  renameSync(copy, target);
  syncPath(dirname(target));
  return { numbering, replacedRead: replaced !== undefined };
}

function syncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function main(): void {
  readDotEnv();
  const backup = process.argv[2];
  if (!backup) throw new Error("name the backup file: npm run restore -- data/backups/bot-….db");
  if (!existsSync(backup)) throw new Error(`${backup}: no such file`);
  const target = resolve(process.env.DATABASE_PATH || "./data/bot.db");
  const { numbering, replacedRead } = restoreDatabase(backup, target);
  console.log(`Restored ${backup} to ${target}.`);
  console.log(
    replacedRead
      ? `Incident numbers go on after ${numbering.incidents ?? 0}, where the replaced database stood.`
      : `The replaced database could not be read: incident numbers skip ahead to after ${numbering.incidents ?? 0}, so no old card's button points to a new post.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main();
  } catch (error) {
    console.error(`Restore failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
