/**
 * `npm run backup [file]`: an online backup of the database with SQLite's backup API — safe while
 * the bot runs (WAL readers never block the writer). Restore: `npm run restore` (src/restore.ts).
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { readDotEnv } from "./config.js";

export async function backupDatabase(source: string, target: string): Promise<{ pages: number }> {
  mkdirSync(dirname(resolve(target)), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // In one step: copied page by page, the backup starts over whenever the bot writes between two
    // steps, and a busy bot could keep it from ever finishing. One step reads a snapshot (WAL: the bot
    // goes on writing meanwhile).
    const result = await db.backup(target, { progress: () => 0x7fffffff });
    return { pages: result.totalPages };
  } finally {
    db.close();
  }
}

function defaultTarget(source: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-").slice(0, 19);
  return resolve(dirname(resolve(source)), "backups", `bot-${stamp}.db`);
}

async function main(): Promise<void> {
  readDotEnv();
  const source = process.env.DATABASE_PATH || "./data/bot.db";
  const target = process.argv[2] ?? defaultTarget(source, new Date());
  const { pages } = await backupDatabase(source, target).catch((error: unknown) => {
    throw new Error(`${source}: ${error instanceof Error ? error.message : String(error)}`);
  });
  console.log(`Backup written: ${target} (${pages} pages)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Backup failed: ${message}`);
    process.exit(1);
  });
}
