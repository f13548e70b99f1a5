/**
 * The inbox at a stop: what is still being handled is waited for, for a bounded time. And when its
 * writes reach the disk.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  allUpdatesHandled,
  markUpdateDone,
  pendingUpdates,
  receiveUpdate,
  syncInbox,
} from "../../src/app/inbox.js";
import { syncInboxBeforeFetch } from "../../src/bot/transformers.js";
import { applyMigrations, openDatabase } from "../../src/db/client.js";
import { privateChat, tgUser, updates } from "../support/updates.js";

describe("a stop and the updates still being handled", () => {
  it("waits until the update in hand is done, and not longer than it may", async () => {
    const { db, close } = openDatabase(":memory:");
    applyMigrations(db);
    const person = tgUser(2002, "Пётр");
    const update = { update_id: 7, ...updates.text(privateChat(person), person, "/start") };
    const now = new Date("2026-11-24T05:00:00Z");
    expect(await allUpdatesHandled(db, 0)).toBe(true);

    receiveUpdate(db, update, now);
    const started = Date.now();
    expect(await allUpdatesHandled(db, 150)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);

    setTimeout(() => markUpdateDone(db, 7, now), 100);
    const waited = Date.now();
    expect(await allUpdatesHandled(db, 5_000)).toBe(true);
    expect(Date.now() - waited).toBeLessThan(2_000);
    close();
  });
});

describe("the inbox and the disk", () => {
  const person = tgUser(2002, "Пётр");
  const update = (id: number) => ({ update_id: id, ...updates.text(privateChat(person), person, "/start") });
  const now = new Date("2026-11-24T05:00:00Z");

  function fileDatabase() {
    const dir = mkdtempSync(join(tmpdir(), "osm-inbox-"));
    const handle = openDatabase(join(dir, "bot.db"));
    applyMigrations(handle.db);
    onTestFinished(() => {
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const synchronous = () => handle.sqlite.pragma("synchronous", { simple: true });
    /** The write-ahead log's size: a commit that writes nothing syncs nothing either. */
    const walBytes = () => statSync(join(dir, "bot.db-wal")).size;
    return { ...handle, synchronous, walBytes };
  }

  it("syncs a fetched batch's arrivals once, before the next fetch; every other write stays synced", () => {
    const database = fileDatabase();
    const { db } = database;
    expect(syncInbox(db)).toBe(false);
    receiveUpdate(db, update(1), now);
    receiveUpdate(db, update(2), now);
    markUpdateDone(db, 1, now);
    expect(database.synchronous()).toBe(2); // FULL: the writes of handling still wait for the disk
    const before = database.walBytes();
    expect(syncInbox(db)).toBe(true);
    expect(database.walBytes()).toBeGreaterThan(before);
    expect(syncInbox(db)).toBe(false);
    expect(pendingUpdates(db).map((u) => u.update_id)).toEqual([2]);
  });

  it("a webhook's arrival is synced at once: nothing waits for the next fetch", () => {
    const database = fileDatabase();
    receiveUpdate(database.db, update(1), now, "synced");
    expect(syncInbox(database.db)).toBe(false);
  });

  it("the polling bot syncs the inbox before it asks Telegram for more updates, and only then", async () => {
    const database = fileDatabase();
    const { db } = database;
    const calls: string[] = [];
    const prev = async (method: string) => {
      calls.push(`${method}: ${syncInbox(db) ? "unsynced" : "synced"}`);
      return { ok: true as const, result: true };
    };
    const transformer = syncInboxBeforeFetch(db);
    receiveUpdate(db, update(1), now);
    await transformer(prev as never, "sendMessage", { chat_id: 1, text: "—" });
    receiveUpdate(db, update(2), now);
    await transformer(prev as never, "getUpdates", { offset: 3 });
    expect(calls).toEqual(["sendMessage: unsynced", "getUpdates: synced"]);
  });
});
