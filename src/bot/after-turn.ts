import { asyncSlot } from "../async-scope.js";
import type { BotContext } from "./context.js";

/**
 * A chat's updates are handled one at a time (index.ts), and a press that made its change need not
 * hold its chat while the change is announced: the cards in three chats, the notices and the pop-up
 * take Telegram round trips, and with a 429 to wait out, seconds. `afterTurn` lets the chat's next
 * update start meanwhile. The update still counts as handled only once the announcement is over, so a
 * crash in the middle of it re-handles the update at start (update-scope.ts) and nothing is lost.
 * One incident's cards stay in order whatever runs beside them (cards.ts syncs them one at a time).
 */
interface Turn {
  running: Promise<void>[];
  /** Something was announced after the turn (it may still be running, or be over). */
  announced: boolean;
}

/** The update being handled's announcements travel with its async context, as its audit scope does. */
const turns = asyncSlot<Turn>("turn");

/** Runs `announce` beside the chat's next updates; a failure is logged, not shown to anyone. */
export function afterTurn(ctx: BotContext, what: string, announce: () => Promise<unknown>): void {
  const running = announce().then(
    () => undefined,
    (error: unknown) => ctx.log.error({ err: error }, `${what}: an announcement failed`),
  );
  const turn = turns.getStore();
  turn?.running.push(running);
  if (turn) turn.announced = true;
}

/** Whether the update being handled has announced something after its turn. */
export function announcesAfterTurn(): boolean {
  return turns.getStore()?.announced ?? false;
}

/** Handles an update, then waits for what it announces after its turn. */
export async function handleWithAnnouncements(handle: () => Promise<void>): Promise<void> {
  const turn: Turn = { running: [], announced: false };
  try {
    await turns.run(turn, handle);
  } finally {
    while (turn.running.length > 0) await Promise.all(turn.running.splice(0));
  }
}
