/**
 * Nothing leaves the bot before it is on the disk: the WAL's syncs, shared by the commits made before
 * each started (src/db/durability.ts).
 */
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { describe, expect, it, onTestFinished } from "vitest";
import { applyMigrations, openDatabase } from "../../src/db/client.js";
import { WalSync } from "../../src/db/durability.js";

function fileDatabase() {
  const dir = mkdtempSync(join(tmpdir(), "osm-durability-"));
  const handle = openDatabase(join(dir, "bot.db"));
  applyMigrations(handle.db);
  onTestFinished(() => {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  });
  handle.sqlite.exec("CREATE TABLE scratch (n INTEGER)");
  const insert = handle.sqlite.prepare("INSERT INTO scratch (n) VALUES (1)");
  const commit = () => void insert.run();
  return { ...handle, dir, commit };
}

/** A sync that finishes when the test says so, and counts the ones asked for. */
function gatedSync() {
  const started: (() => void)[] = [];
  const sync = (_path: string) => new Promise<void>((resolve) => started.push(resolve));
  // A sync starts a tick after it is asked for.
  const finish = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    started.shift()?.();
  };
  return { sync, started, finish };
}

/** The first sync done: from here on only new commits need one. */
async function synced(wal: WalSync, gate: ReturnType<typeof gatedSync>): Promise<WalSync> {
  const first = wal.settled();
  await gate.finish();
  await first;
  return wal;
}

/** Whether a promise has settled by the time the queued callbacks have run. */
async function isDone(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe("the WAL's syncs", () => {
  it("the first call syncs what it finds (a killed process may have left commits); then only what is new", async () => {
    const database = fileDatabase();
    const gate = gatedSync();
    const wal = new WalSync(database.sqlite, gate.sync);
    const first = wal.settled();
    expect(await isDone(first)).toBe(false);
    expect(gate.started).toHaveLength(1);
    await gate.finish();
    await first;
    expect(await isDone(wal.settled())).toBe(true);
    expect(gate.started).toHaveLength(0);
  });

  it("a commit is told of only after the sync that covers it; commits before one sync share it", async () => {
    const database = fileDatabase();
    const gate = gatedSync();
    const wal = await synced(new WalSync(database.sqlite, gate.sync), gate);
    database.commit();
    const first = wal.settled();
    database.commit();
    const second = wal.settled();
    expect(await isDone(first)).toBe(false);
    expect(gate.started).toHaveLength(1);

    // The sync started before the second commit: that one waits for the next.
    await gate.finish();
    expect(await isDone(first)).toBe(true);
    expect(await isDone(second)).toBe(false);
    expect(gate.started).toHaveLength(1);
    await gate.finish();
    expect(await isDone(second)).toBe(true);
    expect(await isDone(wal.settled())).toBe(true);
  });

  it("a caller whose commit the running sync covers waits for that one only", async () => {
    const database = fileDatabase();
    const gate = gatedSync();
    const wal = await synced(new WalSync(database.sqlite, gate.sync), gate);
    database.commit();
    const first = wal.settled();
    const again = wal.settled();
    await gate.finish();
    expect(await isDone(first)).toBe(true);
    expect(await isDone(again)).toBe(true);
    expect(gate.started).toHaveLength(0);
  });

  it("a failed sync fails every later one: a sync after it could vouch for pages the disk lost", async () => {
    const database = fileDatabase();
    let fail = true;
    const wal = new WalSync(database.sqlite, async () => {
      if (fail) throw new Error("EIO");
    });
    database.commit();
    await expect(wal.settled()).rejects.toThrow(/could not be synced to the disk \(EIO\)/);
    fail = false;
    database.commit();
    await expect(wal.settled()).rejects.toThrow(/restart the bot/);
  });

  it("syncs the WAL where SQLite keeps it, through a symlink too; a database in memory has none", async () => {
    const database = fileDatabase();
    const link = join(database.dir, "link.db");
    symlinkSync(join(database.dir, "bot.db"), link);
    const linked = openDatabase(link);
    onTestFinished(() => linked.close());
    const paths: string[] = [];
    const wal = new WalSync(linked.sqlite, async (path) => void paths.push(path));
    await wal.settled();
    expect(paths).toEqual([join(database.dir, "bot.db-wal")]);

    const memory = openDatabase(":memory:");
    applyMigrations(memory.db);
    const never = new WalSync(memory.sqlite, () => Promise.reject(new Error("no file to sync")));
    await expect(never.settled()).resolves.toBeUndefined();
    memory.close();
  });

  it("fdatasyncs the real file, and a missing WAL is an error, not a silent success", async () => {
    const database = fileDatabase();
    database.commit();
    await expect(new WalSync(database.sqlite).settled()).resolves.toBeUndefined();

    const rollback = new Sqlite(join(database.dir, "rollback.db"));
    onTestFinished(() => void rollback.close());
    rollback.exec("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1)");
    await expect(new WalSync(rollback).settled()).rejects.toThrow(/ENOENT/);
  });

  it("refuses to wait inside an open transaction, whose changes are not committed yet", () => {
    const database = fileDatabase();
    const wal = new WalSync(database.sqlite, async () => {});
    expect(() => database.sqlite.transaction(() => wal.settled())()).toThrow(/inside an open transaction/);
  });
});
