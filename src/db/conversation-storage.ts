import type { VersionedStateStorage } from "@grammyjs/conversations";
import { eq, sql } from "drizzle-orm";
import type { Clock } from "../clock.js";
import { type Db, preparedPerConnection } from "./client.js";
import { conversationStates } from "./schema.js";

/** The conversations plugin reads the sender's state on every update. */
const stateQueries = preparedPerConnection((db) => {
  const key = sql.placeholder("key");
  return {
    read: db.select().from(conversationStates).where(eq(conversationStates.key, key)).prepare(),
    write: db
      .insert(conversationStates)
      .values({ key, value: sql.placeholder("value"), updatedAt: sql.placeholder("updatedAt") })
      .onConflictDoUpdate({
        target: conversationStates.key,
        set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` },
      })
      .prepare(),
    delete: db.delete(conversationStates).where(eq(conversationStates.key, key)).prepare(),
  };
});

/** Keeps conversations in SQLite so a half-finished dialogue survives a restart. */
export function sqliteConversationStorage<S>(db: Db, clock: Clock): VersionedStateStorage<string, S> {
  const queries = stateQueries(db);
  return {
    read(key) {
      const row = queries.read.get({ key });
      return row ? JSON.parse(row.value) : undefined;
    },
    write(key, state) {
      queries.write.run({ key, value: JSON.stringify(state), updatedAt: clock.now() });
    },
    delete(key) {
      queries.delete.run({ key });
    },
  };
}
