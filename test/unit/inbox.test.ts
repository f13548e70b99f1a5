/**
 * The inbox at a stop: what is still being handled is waited for, for a bounded time. And when its
 * writes reach the disk.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { allUpdatesHandled, markUpdateDone, pendingUpdates, receiveUpdate } from "../../src/app/inbox.js";
import { onlyWhatIsOnDisk } from "../../src/bot/transformers.js";
import { applyMigrations, openDatabase } from "../../src/db/client.js";
import { walSyncOf } from "../../src/db/durability.js";
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

  it("the polling bot asks Telegram for more updates only once their arrivals are on the disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "osm-inbox-"));
    const { db, sqlite, close } = openDatabase(join(dir, "bot.db"));
    onTestFinished(() => {
      close();
      rmSync(dir, { recursive: true, force: true });
    });
    applyMigrations(db);
    const synced: (() => void)[] = [];
    walSyncOf(sqlite, () => new Promise((resolve) => synced.push(resolve)));
    const calls: string[] = [];
    const prev = async (method: string) => {
      calls.push(method);
      return { ok: true as const, result: true };
    };
    receiveUpdate(db, update(1), now);
    receiveUpdate(db, update(2), now);
    const fetching = onlyWhatIsOnDisk(db)(prev as never, "getUpdates", { offset: 3 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([]);
    expect(synced).toHaveLength(1); // one sync for the batch
    synced[0]?.();
    await fetching;
    expect(calls).toEqual(["getUpdates"]);
    expect(pendingUpdates(db).map((u) => u.update_id)).toEqual([1, 2]);
  });
});
