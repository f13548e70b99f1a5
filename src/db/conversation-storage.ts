import {
  type ConversationData,
  pinVersion,
  type VersionedState,
  type VersionedStateStorage,
} from "@grammyjs/conversations";
import { and, eq, gte, like, sql } from "drizzle-orm";
import type { Clock } from "../clock.js";
import { CONVERSATIONS_VERSION } from "../conversations-version.js";
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
      .where(
        and(
          like(conversationStates.key, sql.placeholder("pattern")),
          gte(conversationStates.updatedAt, sql.placeholder("since")),
        ),
      )
      .limit(1)
      .prepare(),
  };
});

/** Whose dialogues a state is: each person's own in each chat (a group's members each have theirs). */
export const dialogueKey = (chatId: number, personId: number | undefined): string =>
  `${chatId}:${personId ?? ""}`;

/**
 * Whether a dialogue is open in the chat (anyone's, or the person's given) that took a step since
 * `since`: a question of the bot there may wait for its answer. One left unanswered longer is over,
 * though its state stays until its owner writes again.
 */
export function dialogueOpenIn(db: Db, chatId: number, since: Date, personId?: number): boolean {
  const pattern =
    personId === undefined ? `${dialogueKey(chatId, undefined)}%` : dialogueKey(chatId, personId);
  return stateQueries(db).ofChat.get({ pattern, since: since.getTime() }) !== undefined;
}

/** Unpacks a stored state as the conversations plugin does: one of another version is none. */
const { unpack } = pinVersion(CONVERSATIONS_VERSION);

/**
 * The arguments the person's open dialogue `name` in the chat was entered with (its latest, were
 * there several), as the conversations plugin keeps them; undefined when none is open, or when the
 * one stored is of another CONVERSATIONS_VERSION (an upgrade's: the plugin drops it).
 */
export function dialogueArgs(db: Db, chatId: number, personId: number, name: string): unknown[] | undefined {
  const row = stateQueries(db).read.get({ key: dialogueKey(chatId, personId) });
  const data = row && unpack(JSON.parse(row.value) as VersionedState<ConversationData>);
  const args = data?.[name]?.at(-1)?.args;
  return args === undefined ? undefined : JSON.parse(args);
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
