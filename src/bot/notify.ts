import { type Api, GrammyError } from "grammy";
import type { Logger } from "pino";
import { markBlocked, telegramIdsWithRole } from "../app/people.js";
import type { Clock } from "../clock.js";
import type { Db } from "../db/client.js";

/**
 * Tells every admin privately (registered ones and those of ADMIN_IDS who may not have written
 * yet). An admin who blocked the bot is marked so and skipped; the others still get the message.
 * Never throws on Telegram's refusals: a notice must not break the caller. Returns how many got it.
 */
export async function notifyAdmins(
  deps: { api: Api; db: Db; log: Logger; clock: Clock; config: { adminIds: number[] } },
  text: string,
): Promise<number> {
  let delivered = 0;
  const admins = new Set([...telegramIdsWithRole(deps.db, "admin"), ...deps.config.adminIds]);
  for (const telegramId of admins) {
    try {
      await deps.api.sendMessage(telegramId, text);
      delivered++;
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error;
      if (error.error_code === 403) markBlocked(deps.db, telegramId, deps.clock.now());
      deps.log.warn({ telegramId, error: error.description }, "could not tell an admin");
    }
  }
  return delivered;
}
