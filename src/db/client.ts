import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { foldCase } from "../domain/names.js";
import { postTextKey } from "../domain/post-text.js";
import * as schema from "./schema.js";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The handle a use-case writes through: the database itself or an open transaction. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0] | Db;

/**
 * Statements prepared once per connection and shared by the database handle and all its
 * transactions (drizzle gives them one session): a query that runs for every update or due incident
 * would otherwise spend more on building its SQL than on running it.
 */
export function preparedPerConnection<T>(build: (db: Tx) => T): (db: Tx) => T {
  const cache = new WeakMap<object, T>();
  return (db) => {
    const connection = (db as unknown as { session: object }).session;
    let found = cache.get(connection);
    if (found === undefined) {
      found = build(db);
      cache.set(connection, found);
    }
    return found;
  };
}

export interface DatabaseHandle {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), "../../drizzle");

/**
 * Opens the database with the settings this bot relies on:
 * - WAL, so report queries and the sweep read while an update writes;
 * - synchronous=NORMAL: a commit writes the WAL without waiting for the disk, and nothing leaves the
 *   bot before the WAL is synced (db/durability.ts), so a power cut or an OS crash loses no decision
 *   anyone was told of, and no update Telegram counts as received. (FULL would sync inside each
 *   commit, with the event loop waiting, ≈ 0.6 ms on this project's VM.) A process killed loses
 *   nothing either way: its writes are the kernel's already;
 * - foreign keys on, and a busy timeout so a second process on the same file waits instead of failing;
 * - `fold(text)`, the names' fold (domain/names.ts: any case, «ё» read as «е»), which SQLite's own
 *   lower() does only for Latin letters: the migration that folded the posts' words for /find uses it;
 *   `post_text_key(text)`, a post's text key for the repeat question (domain/post-text.ts), likewise.
 */
export function openDatabase(path: string): DatabaseHandle {
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  const mode = sqlite.pragma("journal_mode = WAL", { simple: true });
  // Commits are synced by syncing the WAL (db/durability.ts): a file system without it is refused.
  if (!sqlite.memory && mode !== "wal") {
    sqlite.close();
    throw new Error(`the database ${path} cannot run in WAL mode (journal_mode is ${String(mode)})`);
  }
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.function("fold", { deterministic: true }, (text) =>
    typeof text === "string" ? foldCase(text) : text,
  );
  sqlite.function("post_text_key", { deterministic: true }, (text) =>
    postTextKey(typeof text === "string" ? text : null),
  );
  const db = drizzle(sqlite, { schema });
  return { db, sqlite, close: () => sqlite.close() };
}

/**
 * Applies pending migrations from drizzle/ in journal order; a failure names the migration folder.
 * A database migrated by a later version (rolled back without its pre-upgrade backup) is refused:
 * drizzle would apply nothing and this code would run on tables it does not know.
 */
export function applyMigrations(db: Db, folder = MIGRATIONS_FOLDER): void {
  refuseNewerDatabase(db, folder);
  try {
    migrate(db, { migrationsFolder: folder });
  } catch (error) {
    const cause =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new MigrationError(`database migration failed (${folder}): ${cause}`);
  }
}

/** Migrations are numbered from 0000 in drizzle/, as drizzle-kit names their files. */
function refuseNewerDatabase(db: Db, folder: string): void {
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: { when: number }[];
  };
  const latest = Math.max(...journal.entries.map((entry) => entry.when));
  const table = db.$client
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!table) return;
  const applied = db.$client
    .prepare("SELECT created_at AS at FROM __drizzle_migrations ORDER BY created_at")
    .all() as { at: number }[];
  const unknown = applied.findIndex((migration) => Number(migration.at) > latest);
  if (unknown < 0) return;
  throw new MigrationError(
    `The database is newer than this version of the bot (migration ${String(unknown).padStart(4, "0")} unknown): ` +
      "upgrade the bot or restore a backup made before the upgrade.",
  );
}
