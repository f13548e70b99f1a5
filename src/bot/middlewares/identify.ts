import type { NextFunction } from "grammy";
import { ensureBootstrapAdmin, findPerson } from "../../app/people.js";
import { hasRole } from "../../domain/access.js";
import type { BotContext } from "../context.js";

/**
 * Loads the sender from the database on every update, so rights are never cached between presses.
 * A person listed in ADMIN_IDS is registered as an admin the first time they write.
 */
export async function identify(ctx: BotContext, next: NextFunction): Promise<void> {
  const from = ctx.from;
  if (from && !from.is_bot) {
    const { db, config, clock } = ctx.app;
    ctx.person = findPerson(db, from.id);
    if (config.adminIds.includes(from.id) && !hasRole(ctx.person, "admin")) {
      ensureBootstrapAdmin(db, from, clock.now());
      ctx.person = findPerson(db, from.id);
    }
  }
  await next();
}
