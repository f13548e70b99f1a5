/**
 * The messages a draft was shown to the curators with, its «Согласовать» and «На доработку» under
 * them, so that the buttons come off once the draft is decided or set aside (cards.ts): a curator
 * scrolling the chat sees which drafts still wait for him. An answer approved gets its quality
 * marks there instead.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import { type Db, preparedPerConnection } from "../db/client.js";
import { type DRAFT_STATES, draftMessages, drafts, people } from "../db/schema.js";
import type { DraftKind } from "../domain/incident.js";

export interface DraftMessage {
  chatId: number;
  messageId: number;
}

/**
 * A draft message whose draft was decided or set aside: which draft, its kind, how it went, and the
 * private chat of the curator who decided (null when set aside).
 */
export interface DecidedDraftMessage extends DraftMessage {
  draftId: number;
  kind: DraftKind;
  state: (typeof DRAFT_STATES)[number];
  deciderChat: number | null;
}

export function recordDraftMessage(
  db: Db,
  shown: DraftMessage & { draftId: number; incidentId: number },
): void {
  db.insert(draftMessages).values(shown).onConflictDoNothing().run();
}

const queries = preparedPerConnection((db) => {
  const p = sql.placeholder;
  return {
    decided: db
      .select({
        chatId: draftMessages.chatId,
        messageId: draftMessages.messageId,
        draftId: drafts.id,
        kind: drafts.kind,
        state: drafts.state,
        deciderChat: people.telegramId,
      })
      .from(draftMessages)
      .innerJoin(drafts, eq(drafts.id, draftMessages.draftId))
      .leftJoin(people, eq(people.id, drafts.decidedBy))
      .where(and(eq(draftMessages.incidentId, p("incidentId")), ne(drafts.state, "submitted")))
      .prepare(),
  };
});

/** The incident's draft messages whose draft no longer waits for a decision. */
export function decidedDraftMessages(db: Db, incidentId: number): DecidedDraftMessage[] {
  return queries(db).decided.all({ incidentId });
}

export function forgetDraftMessage(db: Db, { chatId, messageId }: DraftMessage): void {
  db.delete(draftMessages)
    .where(and(eq(draftMessages.chatId, chatId), eq(draftMessages.messageId, messageId)))
    .run();
}
