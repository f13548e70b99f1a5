import type { VersionedStateStorage } from "@grammyjs/conversations";
import { eq, like, sql } from "drizzle-orm";
import type { Clock } from "../clock.js";
import { type Db, preparedPerConnection, type Tx } from "./client.js";
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
    ofChat: db
      .select({ key: conversationStates.key })
      .from(conversationStates)
      .where(like(conversationStates.key, sql.placeholder("pattern")))
      .limit(1)
      .prepare(),
  };
});

/** Whose dialogues a state is: each person's own in each chat (a group's members each have theirs). */
export const dialogueKey = (chatId: number, personId: number | undefined): string =>
  `${chatId}:${personId ?? ""}`;

/** Whether anyone's dialogue is open in the chat: a question of the bot there may wait for its answer. */
export function dialogueOpenIn(db: Db, chatId: number): boolean {
  return stateQueries(db).ofChat.get({ pattern: `${dialogueKey(chatId, undefined)}%` }) !== undefined;
}

/**
 * Keeps conversations in SQLite so a half-finished dialogue survives a restart.
 *
 * The plugin writes the state back after every update of the chat; a state that changed means a
 * dialogue took the update (a step, a start or an end), and `stepTaken` runs in the same transaction:
 * the update is marked handled there, so a crash right after the write cannot hand the same message
 * to the dialogue again as the answer to its next question. An unchanged state is not written at all.
 */
export function sqliteConversationStorage<S>(
  db: Db,
  clock: Clock,
  stepTaken: (tx: Tx) => void = () => {},
): VersionedStateStorage<string, S> {
  const queries = stateQueries(db);
  const change = (key: string, value: string | undefined) =>
    db.transaction((tx) => {
      const own = stateQueries(tx);
      if (own.read.get({ key })?.value === value) return;
      if (value === undefined) own.delete.run({ key });
      else own.write.run({ key, value, updatedAt: clock.now() });
      stepTaken(tx);
    });
  return {
    read(key) {
      const row = queries.read.get({ key });
      return row ? JSON.parse(row.value) : undefined;
    },
    write(key, state) {
      change(key, JSON.stringify(state));
    },
    delete(key) {
      change(key, undefined);
    },
  };
}
