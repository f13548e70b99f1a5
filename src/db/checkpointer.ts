import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import type { Logger } from "pino";

/** How often the WAL's committed pages are copied into the database file. */
const CHECKPOINT_EVERY_MS = 1_000;
/** SQLite's own threshold, used again if the checkpointer stops: the WAL must not grow for ever. */
const AUTO_CHECKPOINT_PAGES = 1_000;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Copies the WAL into the database file from a thread of its own. SQLite does it inside the commit
 * that makes the WAL reach 1000 pages, syncing both files meanwhile: ≈ 11 ms in which the bot's
 * event loop waits, every few dozen presses at an office's peak (measured in bench/approve.ts). A
 * passive checkpoint on another connection neither waits for the bot's writes nor holds them up, and
 * the bot starts the WAL from its beginning again once all of it is copied. If the thread fails, the
 * bot's connection checkpoints itself again, as SQLite does by default.
 */
export function startCheckpointer(
  sqlite: Database.Database,
  log: Logger,
  everyMs = CHECKPOINT_EVERY_MS,
): Checkpointer | undefined {
  if (sqlite.memory) return undefined;
  const main = (sqlite.pragma("database_list") as { name: string; file: string }[]).find(
    (d) => d.name === "main",
  );
  if (!main?.file) return undefined;
  const worker = new Worker(WORKER, {
    eval: true,
    // Plain JavaScript: none of the process's loaders (tsx), and a small heap.
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    workerData: {
      driver: createRequire(import.meta.url).resolve("better-sqlite3"),
      path: main.file,
      everyMs,
    },
  });
  sqlite.pragma("wal_autocheckpoint = 0");
  let stopping = false;
  const fallBack = (reason: string) => {
    if (stopping || !sqlite.open) return;
    stopping = true;
    log.error({ reason }, "WAL checkpointer stopped: the bot checkpoints in its own thread again");
    sqlite.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  };
  const exited = new Promise((resolve) => worker.once("exit", resolve));
  worker.on("error", (error) => fallBack(error.message));
  worker.on("exit", (code) => fallBack(`exit ${code}`));
  worker.on("message", (message: { failed?: string }) => {
    if (message.failed) log.warn({ reason: message.failed }, "WAL checkpoint failed; tried again");
  });
  worker.unref();
  return {
    stop: async () => {
      stopping = true;
      worker.postMessage("stop");
      const late = setTimeout(() => void worker.terminate(), 5_000);
      await exited;
      clearTimeout(late);
    },
  };
}

/** The thread: its own connection, a passive checkpoint every `everyMs`, closed when told to stop. */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("busy_timeout = 5000");
db.pragma("synchronous = NORMAL");
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    parentPort.postMessage({ failed: String(error && error.message) });
  }
}, workerData.everyMs);
parentPort.once("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;
