import { close, fdatasync, open } from "node:fs";
import type Database from "better-sqlite3";
import type { Db } from "./client.js";

/**
 * Nothing the bot makes leaves it before it is on the disk: no Bot API call (a pop-up, a card, a
 * notice, the next getUpdates that tells Telegram the last ones arrived), no answer to a webhook or
 * to the monitoring software goes out while a commit made before it is not. A power cut then loses
 * only what nobody was told, and Telegram delivers its updates again.
 *
 * SQLite would sync the WAL inside each commit (synchronous=FULL): ≈ 0.6 ms in which the event loop
 * waits for the disk, a fifth of a «Согласовать» press. Instead the database commits under
 * synchronous=NORMAL, which writes the WAL in order and syncs it only at checkpoints, and whoever is
 * about to tell someone awaits `onDisk(db)`: one fdatasync of the WAL in libuv's thread pool, shared
 * by every commit made before it started, while the loop goes on with other updates.
 */
export function onDisk(db: Db): Promise<void> {
  return walSyncOf(db.$client).settled();
}

/** Syncs a file's data to the disk off the event loop; resolves when it is there. */
export type SyncFile = (path: string) => Promise<void>;

const syncFile: SyncFile = (path) =>
  new Promise((resolve, reject) => {
    open(path, "r", (openError, fd) => {
      if (openError) return reject(openError);
      fdatasync(fd, (syncError) =>
        close(fd, (closeError) => {
          const error = syncError ?? closeError;
          if (error) reject(error);
          else resolve();
        }),
      );
    });
  });

/**
 * The syncs of one connection's WAL. Its changes are counted by SQLite's total_changes(); a sync
 * covers the count read when it started, and a caller that changed something after that waits for
 * the next one, which serves everyone who came meanwhile. The first call syncs whatever it finds:
 * the WAL may hold commits of a process that was killed before its sync.
 *
 * Two things this relies on: a transaction never spans an await (better-sqlite3's are synchronous),
 * so every counted change is committed by the time a sync starts; and nothing at run time changes
 * the database without counting (DDL, PRAGMA writes — only migrations do, before any call).
 */
export class WalSync {
  private readonly changes: () => number;
  private readonly walPath: string | undefined;
  private synced = -1;
  /** The sync under way and the count of changes it covers. */
  private running: { upTo: number; done: Promise<void> } | undefined;
  private next: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | undefined;
  /**
   * A failed sync fails every later one: after a write-back error Linux may mark the lost pages
   * clean, and a sync that then succeeds would vouch for commits that never reached the disk.
   */
  private failure: Error | undefined;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly sync: SyncFile = syncFile,
  ) {
    const total = sqlite.prepare("SELECT total_changes()").pluck();
    this.changes = () => total.get() as number;
    // Where SQLite keeps the file (a symlink resolved), not the path it was opened by.
    const main = (sqlite.pragma("database_list") as { name: string; file: string }[]).find(
      (d) => d.name === "main",
    );
    this.walPath = sqlite.memory || !main?.file ? undefined : `${main.file}-wal`;
  }

  /**
   * A write that failed (the disk full, the file read-only) stops every later call as a failed sync
   * does: in long polling the next getUpdates would tell Telegram that the update the bot could not
   * record arrived, and it would be lost.
   */
  fail(reason: string): void {
    this.failure ??= new Error(
      `${reason}: nothing more is sent, nor updates confirmed to Telegram; restart the bot once the disk is sound`,
    );
  }

  settled(): Promise<void> {
    // A write failing while the sync was under way fails those who waited for it too.
    return this.whenSynced().then(() => {
      if (this.failure) throw this.failure;
    });
  }

  private whenSynced(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.sqlite.inTransaction) throw new Error("a sync was awaited inside an open transaction");
    const changes = this.changes();
    if (this.walPath === undefined || changes <= this.synced) return Promise.resolve();
    if (this.running && changes <= this.running.upTo) return this.running.done;
    if (this.next) return this.next.promise;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.next = { promise, resolve, reject };
    if (!this.running) this.start(this.walPath);
    return promise;
  }

  private start(walPath: string): void {
    const waiting = this.next;
    if (!waiting) return;
    this.next = undefined;
    if (this.failure) {
      waiting.reject(this.failure);
      return;
    }
    const upTo = this.changes();
    this.running = { upTo, done: waiting.promise };
    Promise.resolve()
      .then(() => this.sync(walPath))
      .then(
        () => {
          this.synced = Math.max(this.synced, upTo);
          waiting.resolve();
        },
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          this.failure = new Error(
            `the database's WAL could not be synced to the disk (${reason}): nothing more is sent; restart the bot once the disk is sound`,
          );
          waiting.reject(this.failure);
        },
      )
      .finally(() => {
        this.running = undefined;
        this.start(walPath);
      });
  }
}

const syncs = new WeakMap<Database.Database, WalSync>();

/** A connection's syncs; `sync` (tests) replaces fdatasync if given before the connection's first. */
export function walSyncOf(sqlite: Database.Database, sync?: SyncFile): WalSync {
  let found = syncs.get(sqlite);
  if (!found) {
    found = new WalSync(sqlite, sync);
    syncs.set(sqlite, found);
  }
  return found;
}
