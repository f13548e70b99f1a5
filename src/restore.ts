/**
 * `npm run restore -- <backup file>`, with the bot stopped: puts the backup in place of DATABASE_PATH.
 *
 * Cards and notices sent after the backup keep buttons naming incidents (and drafts, parts) by
 * number. Were the numbering to go on from the backup's, a new post would take the number of one
 * lost with the restore, and an old button would act on it. So the copy's numbering goes on from the
 * higher of the backup's and the replaced database's; when the latter cannot be read (lost or
 * broken), it skips ahead by RESTORE_GAP. The old -wal and -shm files go: SQLite would replay the
 * replaced database's last changes onto the copy.
 *
 * A bot still running on the file would go on in the replaced (deleted) one, and everything it did
 * since, with the numbers it gave, would be gone at its next start. So the restore holds the replaced
 * database locked until the swap, and refuses while another process has it open: in WAL mode every
 * open connection holds a shared lock on the file, which the kernel drops with a process killed.
 */
import {
  chmodSync,
  chownSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
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
  /** Set when the copy could not take the replaced database's owner: what the operator must do. */
  ownerNotKept?: string;
}

type Sequences = Map<string, number>;

function sequencesOf(db: Database.Database): Sequences {
  const rows = db.prepare("select name, seq from sqlite_sequence").all() as { name: string; seq: number }[];
  return new Map(rows.map((r) => [r.name, r.seq]));
}

interface Replaced {
  /** Undefined when there is no replaced database, or it cannot be read. */
  sequences: Sequences | undefined;
  /** Lets other processes open the file again. */
  release(): void;
}

/**
 * Opens the replaced database alone: the exclusive locking mode takes the whole file at the first
 * read, which fails at once while any other connection (the bot, a backup, a `sqlite3` shell) is open.
 */
function lockReplaced(target: string): Replaced {
  if (!existsSync(target)) return { sequences: undefined, release: () => {} };
  let db: Database.Database | undefined;
  try {
    db = new Database(target, { fileMustExist: true, timeout: 0 });
    db.pragma("locking_mode = EXCLUSIVE");
    const sequences = sequencesOf(db);
    const held = db;
    return { sequences, release: () => held.close() };
  } catch (error) {
    db?.close();
    if (String((error as { code?: unknown }).code).startsWith("SQLITE_BUSY")) {
      throw new Error(
        `${target} is in use by another process (is the bot still running?): stop it and restore again`,
      );
    }
    return { sequences: undefined, release: () => {} };
  }
}

/** The backup copied beside the target, checked, its numbering set to go on; what it goes on from. */
function prepareCopy(backup: string, copy: string, replaced: Sequences | undefined): Record<string, number> {
  copyFileSync(backup, copy);
  try {
    const db = new Database(copy, { fileMustExist: true });
    try {
      const check = db.pragma("integrity_check", { simple: true });
      if (check !== "ok") throw new Error(`the backup is damaged: ${String(check)}`);
      const update = db.prepare("update sqlite_sequence set seq = ? where name = ?");
      const numbering: Record<string, number> = {};
      db.transaction(() => {
        for (const [name, seq] of sequencesOf(db)) {
          const next = replaced ? Math.max(seq, replaced.get(name) ?? 0) : seq + RESTORE_GAP;
          update.run(next, name);
          numbering[name] = next;
        }
      })();
      return numbering;
    } finally {
      db.close();
    }
  } catch (error) {
    rmSync(copy, { force: true });
    throw error;
  }
}

/**
 * The copy takes the owner, group and mode of the file it replaces (with none, the folder's owner):
 * the restore is typed as root, and the bot, running as its own user, must write the database.
 */
function takeOwnership(copy: string, target: string): string | undefined {
  const replaced = statSync(target, { throwIfNoEntry: false });
  if (replaced) chmodSync(copy, replaced.mode & 0o7777);
  const owner = replaced ?? statSync(dirname(target));
  const own = statSync(copy);
  if (own.uid === owner.uid && own.gid === owner.gid) return undefined;
  try {
    chownSync(copy, owner.uid, owner.gid);
    return undefined;
  } catch {
    const whose = replaced ? "the database it replaced" : "its folder";
    return `the restored database belongs to ${own.uid}:${own.gid}, not to ${owner.uid}:${owner.gid} like ${whose}: \`chown ${owner.uid}:${owner.gid} ${target}\` (or restore as root) before starting the bot`;
  }
}

export function restoreDatabase(backup: string, target: string): RestoreResult {
  const replaced = lockReplaced(target);
  const copy = `${target}.restoring`;
  let numbering: Record<string, number>;
  let ownerNotKept: string | undefined;
  try {
    numbering = prepareCopy(backup, copy, replaced.sequences);
    ownerNotKept = takeOwnership(copy, target);
    // On the disk before it takes the old one's place, and the place itself on the disk before the
    // operator is told: a power cut must leave either database whole, not a half-written copy.
    syncPath(copy);
  } finally {
    replaced.release();
  }
  for (const suffix of ["-wal", "-shm"]) rmSync(`${target}${suffix}`, { force: true });
  renameSync(copy, target);
  syncPath(dirname(target));
  return { numbering, replacedRead: replaced.sequences !== undefined, ownerNotKept };
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
  const { numbering, replacedRead, ownerNotKept } = restoreDatabase(backup, target);
  console.log(`Restored ${backup} to ${target}.`);
  console.log(
    replacedRead
      ? `Incident numbers go on after ${numbering.incidents ?? 0}, where the replaced database stood.`
      : `The replaced database could not be read: incident numbers skip ahead to after ${numbering.incidents ?? 0}, so no old card's button points to a new post.`,
  );
  if (ownerNotKept) console.warn(`Warning: ${ownerNotKept}.`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main();
  } catch (error) {
    console.error(`Restore failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
