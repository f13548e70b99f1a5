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
 *
 * Nobody in the office sees what the restore lost: cards of lost posts keep live buttons, drafts sent
 * after the backup are gone. So the copy keeps a note of the restore (the `restores` table): which
 * numbers were lost and when the backup's last write was; the bot tells admins and curators at its
 * next start, and answers a press on a lost post's card (app/restores.ts).
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
import { applyMigrations, openDatabase } from "./db/client.js";
import { restores } from "./db/schema.js";
import { formatDeadline } from "./domain/time-format.js";

/** How far the numbering skips ahead when the replaced database cannot tell where it stood. */
export const RESTORE_GAP = 10_000;

export interface RestoreResult {
  /** Where each numbering goes on from (sqlite_sequence: the last number given). */
  numbering: Record<string, number>;
  /** False when the replaced database could not be read and the numbering skipped ahead. */
  replacedRead: boolean;
  /** Set when the copy could not take the replaced database's owner: what the operator must do. */
  ownerNotKept?: string;
  /** The post numbers given after the backup: lost, and never given again. None when nothing was. */
  lostPosts?: { from: number; to: number };
  /** The backup's last write, when it has one. */
  backupAt?: Date;
}

type Sequences = Map<string, number>;

function sequencesOf(db: Database.Database): Sequences {
  const rows = db.prepare("select name, seq from sqlite_sequence").all() as { name: string; seq: number }[];
  return new Map(rows.map((r) => [r.name, r.seq]));
}

interface Replaced {
  /** Undefined when there is no replaced database, or it cannot be read. */
  sequences: Sequences | undefined;
  /** The posts with audit events numbered after `auditId`: changed after the backup. */
  changedAfter(auditId: number): number[];
  /** Lets other processes open the file again. */
  release(): void;
}

/**
 * Opens the replaced database alone: the exclusive locking mode takes the whole file at the first
 * read, which fails at once while any other connection (the bot, a backup, a `sqlite3` shell) is open.
 */
function lockReplaced(target: string): Replaced {
  if (!existsSync(target)) return unread;
  let db: Database.Database | undefined;
  try {
    db = new Database(target, { fileMustExist: true, timeout: 0 });
    db.pragma("locking_mode = EXCLUSIVE");
    const sequences = sequencesOf(db);
    const held = db;
    const changed = held.prepare(
      "select distinct cast(entity_id as integer) as id from audit_events where entity = 'incident' and id > ? order by 1",
    );
    return {
      sequences,
      changedAfter: (auditId) => (changed.all(auditId) as { id: number }[]).map((r) => r.id),
      release: () => held.close(),
    };
  } catch (error) {
    db?.close();
    if (String((error as { code?: unknown }).code).startsWith("SQLITE_BUSY")) {
      throw new Error(
        `${target} is in use by another process (is the bot still running?): stop it and restore again`,
      );
    }
    return unread;
  }
}

const unread: Replaced = { sequences: undefined, changedAfter: () => [], release: () => {} };

interface Copy {
  numbering: Record<string, number>;
  lost: Record<string, { from: number; to: number }>;
  backupAt: Date | undefined;
}

/**
 * The backup copied beside the target, checked, brought to this version's schema, its numbering set
 * to go on, and the note of the restore written into it.
 */
function prepareCopy(backup: string, copy: string, replaced: Replaced, now: Date): Copy {
  copyFileSync(backup, copy);
  try {
    // The bot's own connection: the migrations use its SQL functions.
    const { db, sqlite, close } = openDatabase(copy);
    try {
      const check = sqlite.pragma("integrity_check", { simple: true });
      if (check !== "ok") throw new Error(`the backup is damaged: ${String(check)}`);
      applyMigrations(db);
      const update = sqlite.prepare("update sqlite_sequence set seq = ? where name = ?");
      const numbering: Record<string, number> = {};
      const lost: Copy["lost"] = {};
      const backupAt = lastWrite(sqlite);
      db.transaction((tx) => {
        const kept = sequencesOf(sqlite);
        for (const [name, seq] of kept) {
          const next = replaced.sequences
            ? Math.max(seq, replaced.sequences.get(name) ?? 0)
            : seq + RESTORE_GAP;
          update.run(next, name);
          numbering[name] = next;
          if (next > seq) lost[name] = { from: seq + 1, to: next };
        }
        const posts = kept.get("incidents") ?? 0;
        tx.insert(restores)
          .values({
            restoredAt: now,
            backupAt,
            lost,
            replacedRead: replaced.sequences !== undefined,
            changed: replaced.changedAfter(kept.get("audit_events") ?? 0).filter((id) => id <= posts),
          })
          .run();
      });
      return { numbering, lost, backupAt };
    } finally {
      close();
    }
  } catch (error) {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${copy}${suffix}`, { force: true });
    throw error;
  }
}

/** The backup's last write: its last audit event or update received, whichever is later. */
function lastWrite(sqlite: Database.Database): Date | undefined {
  const row = sqlite
    .prepare(
      "select max(coalesce((select max(at) from audit_events), 0), coalesce((select max(received_at) from inbox), 0)) as at",
    )
    .get() as { at: number };
  return row.at > 0 ? new Date(row.at) : undefined;
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

export function restoreDatabase(backup: string, target: string, now = new Date()): RestoreResult {
  const replaced = lockReplaced(target);
  const copy = `${target}.restoring`;
  let prepared: Copy;
  let ownerNotKept: string | undefined;
  try {
    prepared = prepareCopy(backup, copy, replaced, now);
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
  const { numbering, lost, backupAt } = prepared;
  return {
    numbering,
    replacedRead: replaced.sequences !== undefined,
    ...(ownerNotKept ? { ownerNotKept } : {}),
    ...(lost.incidents ? { lostPosts: lost.incidents } : {}),
    ...(backupAt ? { backupAt } : {}),
  };
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
  const result = restoreDatabase(backup, target);
  console.log(`Restored ${backup} to ${target}.`);
  for (const line of restoreReport(result, process.env.TIMEZONE || localZone())) console.log(line);
  if (result.ownerNotKept) console.warn(`Warning: ${result.ownerNotKept}.`);
}

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

const REGISTER_AGAIN = "register them again (the monitoring software can resend them, see README)";

/** What the operator is told: what the restore lost, and when the backup was last written. */
export function restoreReport(result: RestoreResult, timezone: string): string[] {
  const { numbering, replacedRead, lostPosts, backupAt } = result;
  const last = numbering.incidents ?? 0;
  const lines = [
    backupAt
      ? `The backup's last write: ${backupAt.toISOString().slice(0, 16).replace("T", " ")} UTC (${formatDeadline(backupAt, timezone)} ${timezone}); everything done after it is lost.`
      : "The backup holds no work done.",
  ];
  if (!replacedRead) {
    const kept = lostPosts ? lostPosts.from - 1 : last;
    lines.push(
      `The replaced database could not be read: posts registered after № ${kept} (the backup's last), if any, are lost: ${REGISTER_AGAIN}.`,
      `Incident numbers skip ahead to after ${last}, so no old card's button points to a new post.`,
    );
  } else if (lostPosts) {
    const { from, to } = lostPosts;
    lines.push(
      from === to
        ? `Post № ${from} was registered after this backup and is lost: register it again (the monitoring software can resend it, see README).`
        : `Posts № ${from}–${to} were registered after this backup and are lost: ${REGISTER_AGAIN}.`,
      `Incident numbers go on after ${last}, where the replaced database stood.`,
    );
  } else {
    lines.push(`No post was registered after this backup; incident numbers go on after ${last}.`);
  }
  lines.push("At its next start the bot tells the admins and the curators what was lost.");
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main();
  } catch (error) {
    console.error(`Restore failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
