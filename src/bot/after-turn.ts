import type { Update } from "grammy/types";
import type { BotContext } from "./context.js";

/**
 * A chat's updates are handled one at a time (index.ts), and a press that made its change need not
 * hold its chat while the change is announced: the cards in three chats, the notices and the pop-up
 * take Telegram round trips, and with a 429 to wait out, seconds. `afterTurn` lets the chat's next
 * update start meanwhile. The update still counts as handled only once the announcement is over, so a
 * crash in the middle of it re-handles the update at start (update-scope.ts) and nothing is lost.
 * One incident's cards stay in order whatever runs beside them (cards.ts syncs them one at a time).
 */
const announcements = new Map<number, Promise<void>[]>();

/** Runs `announce` beside the chat's next updates; a failure is logged, not shown to anyone. */
export function afterTurn(ctx: BotContext, what: string, announce: () => Promise<unknown>): void {
  const running = announce().then(
    () => undefined,
    (error: unknown) => ctx.log.error({ err: error }, `${what}: an announcement failed`),
  );
  announcements.get(ctx.update.update_id)?.push(running);
}

/** Whether the update has announced something after its turn (which may still be running). */
export function announces(updateId: number): boolean {
  return (announcements.get(updateId)?.length ?? 0) > 0;
}

/** Handles an update, then waits for what it announces after its turn. */
export async function handleWithAnnouncements(update: Update, handle: () => Promise<void>): Promise<void> {
  const running: Promise<void>[] = [];
  announcements.set(update.update_id, running);
  try {
    await handle();
  } finally {
    while (running.length > 0) await Promise.all(running.splice(0));
    announcements.delete(update.update_id);
  }
}
