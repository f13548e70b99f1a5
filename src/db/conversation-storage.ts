import type { VersionedStateStorage } from "@grammyjs/conversations";
import { eq } from "drizzle-orm";
import type { Clock } from "../clock.js";
import type { Db } from "./client.js";
import { conversationStates } from "./schema.js";

/** Keeps conversations in SQLite so a half-finished dialogue survives a restart. */
export function sqliteConversationStorage<S>(db: Db, clock: Clock): VersionedStateStorage<string, S> {
  return {
    read(key) {
      const row = db.select().from(conversationStates).where(eq(conversationStates.key, key)).get();
      return row ? JSON.parse(row.value) : undefined;
    },
    write(key, state) {
      const value = JSON.stringify(state);
      const updatedAt = clock.now();
      db.insert(conversationStates)
        .values({ key, value, updatedAt })
        .onConflictDoUpdate({ target: conversationStates.key, set: { value, updatedAt } })
        .run();
    },
    delete(key) {
      db.delete(conversationStates).where(eq(conversationStates.key, key)).run();
    },
  };
}
