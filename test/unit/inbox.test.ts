/** The inbox at a stop: what is still being handled is waited for, for a bounded time. */
import { describe, expect, it } from "vitest";
import { allUpdatesHandled, markUpdateDone, receiveUpdate } from "../../src/app/inbox.js";
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
