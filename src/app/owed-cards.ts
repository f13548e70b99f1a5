/**
 * The cards Telegram did not take for now, per incident and chat (see owedCards in the schema): the
 * minute job brings them up to date once Telegram's wait is over (jobs/owed-cards.ts).
 */
import { and, eq, lte, min, sql } from "drizzle-orm";
import { type Db, preparedPerConnection } from "../db/client.js";
import { owedCards } from "../db/schema.js";

const MINUTE = 60_000;
/** A chat failing again and again is tried after 1, 2, 4… minutes, at most this often. */
const LONGEST_WAIT = 30 * MINUTE;

const queries = preparedPerConnection((db) => {
  const p = sql.placeholder;
  return {
    ofIncident: db
      .select({ chatId: owedCards.chatId, retryAt: owedCards.retryAt })
      .from(owedCards)
      .where(eq(owedCards.incidentId, p("incidentId")))
      .prepare(),
    attempts: db
      .select({ attempts: owedCards.attempts })
      .from(owedCards)
      .where(and(eq(owedCards.incidentId, p("incidentId")), eq(owedCards.chatId, p("chatId"))))
      .prepare(),
    paid: db
      .delete(owedCards)
      .where(and(eq(owedCards.incidentId, p("incidentId")), eq(owedCards.chatId, p("chatId"))))
      .prepare(),
  };
});

/**
 * The card of the incident in the chat failed for now: tried again once `retryAfter` seconds have
 * passed (Telegram's 429), otherwise at the next minute's job, then after 1, 2, 4… minutes. A 429
 * holds back the chat's other owed cards as long: Telegram would refuse them too.
 */
export function oweCard(
  db: Db,
  owed: { incidentId: number; chatId: number; retryAfter?: number | undefined; now: Date },
): void {
  const { incidentId, chatId, now } = owed;
  const attempts = queries(db).attempts.get({ incidentId, chatId })?.attempts ?? 0;
  const wait =
    owed.retryAfter !== undefined
      ? owed.retryAfter * 1000
      : attempts === 0
        ? 0
        : Math.min(2 ** (attempts - 1) * MINUTE, LONGEST_WAIT);
  const retryAt = new Date(now.getTime() + wait);
  db.transaction((tx) => {
    tx.insert(owedCards)
      .values({ incidentId, chatId, retryAt, attempts: attempts + 1 })
      .onConflictDoUpdate({
        target: [owedCards.incidentId, owedCards.chatId],
        set: { retryAt, attempts: attempts + 1 },
      })
      .run();
    if (owed.retryAfter !== undefined)
      tx.update(owedCards)
        .set({ retryAt })
        .where(and(eq(owedCards.chatId, chatId), lte(owedCards.retryAt, retryAt)))
        .run();
  });
}

/** The incident's owed cards: by chat, when each may be tried again. */
export function owedCardsOf(db: Db, incidentId: number): Map<number, Date> {
  return new Map(
    queries(db)
      .ofIncident.all({ incidentId })
      .map((owed) => [owed.chatId, owed.retryAt]),
  );
}

/** The chat shows the incident's card as it is (sent, edited, or no longer to be tried). */
export function cardPaid(db: Db, incidentId: number, chatId: number): void {
  queries(db).paid.run({ incidentId, chatId });
}

/** The incidents with a card whose wait is over, the longest waiting first. */
export function incidentsOwedCards(db: Db, now: Date): number[] {
  return db
    .select({ incidentId: owedCards.incidentId })
    .from(owedCards)
    .where(lte(owedCards.retryAt, now))
    .groupBy(owedCards.incidentId)
    .orderBy(min(owedCards.retryAt))
    .all()
    .map((owed) => owed.incidentId);
}

/** Whether the incident still has a card whose wait is over (a 429 since may have put it off). */
export function owesCardNow(db: Db, incidentId: number, now: Date): boolean {
  return [...owedCardsOf(db, incidentId).values()].some((retryAt) => retryAt <= now);
}
