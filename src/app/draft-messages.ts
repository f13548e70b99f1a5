/**
 * The messages a draft was shown to the curators with, its «Согласовать» and «На доработку» under
 * them, so that the buttons come off once the draft is decided or set aside (cards.ts): a curator
 * scrolling the chat sees which drafts still wait for him.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import { type Db, preparedPerConnection } from "../db/client.js";
import { draftMessages, drafts } from "../db/schema.js";

export interface DraftMessage {
  chatId: number;
  messageId: number;
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
      .select({ chatId: draftMessages.chatId, messageId: draftMessages.messageId })
      .from(draftMessages)
      .innerJoin(drafts, eq(drafts.id, draftMessages.draftId))
      .where(and(eq(draftMessages.incidentId, p("incidentId")), ne(drafts.state, "submitted")))
      .prepare(),
  };
});

/** The incident's draft messages whose draft no longer waits for a decision. */
export function decidedDraftMessages(db: Db, incidentId: number): DraftMessage[] {
  return queries(db).decided.all({ incidentId });
}

export function forgetDraftMessage(db: Db, { chatId, messageId }: DraftMessage): void {
  db.delete(draftMessages)
    .where(and(eq(draftMessages.chatId, chatId), eq(draftMessages.messageId, messageId)))
    .run();
}
