/**
 * The WAL is copied into the database file from a thread of its own, so that no commit of the bot
 * stops its event loop for a checkpoint (src/db/checkpointer.ts).
 */
import { mkdtempSync, rmSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { describe, expect, it, onTestFinished } from "vitest";
import { startCheckpointer } from "../../src/db/checkpointer.js";
import { openDatabase } from "../../src/db/client.js";

function fileDatabase() {
  const dir = mkdtempSync(join(tmpdir(), "osm-checkpoint-"));
  const path = join(dir, "bot.db");
  const handle = openDatabase(path);
  onTestFinished(() => {
    if (handle.sqlite.open) handle.close();
    rmSync(dir, { recursive: true, force: true });
  });
  handle.sqlite.exec("CREATE TABLE t (v TEXT)");
  return { ...handle, path };
}

async function until(condition: () => boolean, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe("the WAL checkpointer", () => {
  it("copies what the bot commits into the database file, while the bot's commits no longer do", async () => {
    const database = fileDatabase();
    const checkpointer = startCheckpointer(database.sqlite, pino({ level: "silent" }), 50);
    onTestFinished(() => checkpointer?.stop());
    expect(database.sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    // About 1 MB: under SQLite's own threshold (1000 pages), which would never copy it.
    const insert = database.sqlite.prepare("INSERT INTO t (v) VALUES (?)");
    for (let i = 0; i < 1_000; i++) insert.run("x".repeat(1_000));
    expect(await until(() => statSync(database.path).size > 1_000_000)).toBe(true);
  });

  it("if its thread fails, the bot checkpoints in its own thread again, and the operators read why", async () => {
    const database = fileDatabase();
    const lines: string[] = [];
    const log = pino({ level: "error" }, { write: (line: string) => void lines.push(line) });
    // The thread opens the file by its name, which is gone; the bot's connection goes on.
    unlinkSync(database.path);
    const checkpointer = startCheckpointer(database.sqlite, log, 50);
    onTestFinished(() => checkpointer?.stop());
    expect(await until(() => database.sqlite.pragma("wal_autocheckpoint", { simple: true }) === 1_000)).toBe(
      true,
    );
    expect(lines.join("")).toContain("WAL checkpointer stopped");
  });

  it("a database in memory has no WAL and no thread", () => {
    const memory = openDatabase(":memory:");
    expect(startCheckpointer(memory.sqlite, pino({ level: "silent" }))).toBeUndefined();
    memory.close();
  });
});
