/**
 * A card Telegram did not take for now (a 429 whose wait outlasts auto-retry's, a 5xx, the
 * connection dropped) is not left to the post's next change, which may be hours away: once the wait
 * Telegram asked for is over, the minute job syncs the post's cards, and the chat gets the card as
 * the post is then (one taken meanwhile shows its holder, not «Взять в работу»).
 */
import { incidentsOwedCards, owesCardNow } from "../app/owed-cards.js";
import { syncCards } from "../bot/cards.js";
import { readPost } from "./posts.js";
import type { SweepDeps } from "./sweep.js";

/** The posts with a card owed whose wait is over, one after another: the cards sent or edited. */
export async function syncOwedCards(deps: SweepDeps): Promise<number> {
  let synced = 0;
  for (const id of incidentsOwedCards(deps.db, deps.clock.now())) {
    // A 429 met by an earlier post's card holds back the chat's other cards as long: none is tried.
    if (!owesCardNow(deps.db, id, deps.clock.now())) continue;
    const incident = readPost(deps, id, "the owed cards");
    if (!incident) continue;
    try {
      synced += await syncCards(deps, incident);
    } catch (err) {
      deps.log.warn({ incidentId: id, err }, "owed cards not synced");
    }
  }
  return synced;
}
