/**
 * The Telegram update being handled, for the audit trail. Every audit event names the update that
 * caused it, so when a crash interrupted an update after its change was committed but before the
 * people concerned were told, handling it again at start finds the change already made and tells
 * them, instead of refusing the change as made by someone else.
 *
 * It travels with the async context rather than through every use-case's parameters: the update is
 * a fact about the whole handling, like the logger's update id, not an input of any one decision.
 */
import { asyncSlot } from "../async-scope.js";

export interface UpdateScope {
  updateId: number;
  /** The update was received before and its handling never finished (the process died). */
  again: boolean;
  /** Its button press has had its one answer (a pop-up, or none): another would be refused. */
  pressAnswered?: boolean;
  /** The chat it came from, and the forum topic there (none: the chat's general topic). */
  chatId?: number;
  threadId?: number;
}

const scope = asyncSlot<UpdateScope>("update");

export function withinUpdate<T>(update: UpdateScope, handle: () => T): T {
  return scope.run(update, handle);
}

export function currentUpdate(): UpdateScope | undefined {
  return scope.getStore();
}
