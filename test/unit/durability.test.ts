/**
 * Nothing leaves the bot before it is on the disk: the WAL's syncs, shared by the commits made before
 * each started (src/db/durability.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { applyMigrations, openDatabase } from "../../src/db/client.js";
import { onDisk, WalSync, walSyncOf } from "../../src/db/durability.js";

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
  return { sync, started, finish: () => started.shift()?.() };
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
  it("with nothing committed since the last sync, nothing waits and nothing is synced", async () => {
    const database = fileDatabase();
    const gate = gatedSync();
    const wal = new WalSync(database.sqlite, gate.sync);
    expect(await isDone(wal.settled())).toBe(true);
    expect(gate.started).toHaveLength(0);
  });

  it("a commit is told of only after the sync that covers it; commits before one sync share it", async () => {
    const database = fileDatabase();
    const gate = gatedSync();
    const wal = new WalSync(database.sqlite, gate.sync);
    database.commit();
    const first = wal.settled();
    database.commit();
    const second = wal.settled();
    expect(await isDone(first)).toBe(false);
    expect(gate.started).toHaveLength(1);

    // The sync started before the second commit: that one waits for the next.
    gate.finish();
    expect(await isDone(first)).toBe(true);
    expect(await isDone(second)).toBe(false);
    expect(gate.started).toHaveLength(1);
    gate.finish();
    expect(await isDone(second)).toBe(true);
    expect(await isDone(wal.settled())).toBe(true);
  });

  it("a caller whose commit the running sync covers waits for that one only", async () => {
    const database = fileDatabase();
    const gate = gatedSync();
    const wal = new WalSync(database.sqlite, gate.sync);
    database.commit();
    const first = wal.settled();
    const again = wal.settled();
    gate.finish();
    expect(await isDone(first)).toBe(true);
    expect(await isDone(again)).toBe(true);
    expect(gate.started).toHaveLength(0);
  });

  it("a failed sync fails its waiters, and the next one is tried again", async () => {
    const database = fileDatabase();
    let fail = true;
    const wal = new WalSync(database.sqlite, async () => {
      if (fail) throw new Error("EIO");
    });
    database.commit();
    await expect(wal.settled()).rejects.toThrow("EIO");
    fail = false;
    await expect(wal.settled()).resolves.toBeUndefined();
  });

  it("syncs the real WAL file of a database on disk; a database in memory has none", async () => {
    const database = fileDatabase();
    const paths: string[] = [];
    const wal = new WalSync(database.sqlite, async (path) => void paths.push(path));
    database.commit();
    await wal.settled();
    expect(paths).toEqual([join(database.dir, "bot.db-wal")]);

    database.commit();
    await onDisk(database.db); // the real fdatasync
    const memory = openDatabase(":memory:");
    applyMigrations(memory.db);
    const never = walSyncOf(memory.sqlite, () => Promise.reject(new Error("no file to sync")));
    await expect(never.settled()).resolves.toBeUndefined();
    memory.close();
  });
});
