import type { NextFunction } from "grammy";
import { ensureBootstrapAdmin, findPerson } from "../../app/people.js";
import { hasRole } from "../../domain/access.js";
import { ownCommand } from "../commands.js";
import type { BotContext } from "../context.js";
import { questionWaits } from "../dialogs.js";
import { refuse } from "../refuse.js";
import { t } from "../texts.js";

/**
 * Loads the sender from the database on every update, so rights are never cached between presses.
 * A person listed in ADMIN_IDS is registered as an admin the first time they write; one with no role
 * and no organization left is nobody to the bot.
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
    // Someone whose access was taken away is a stranger again: told how to get access, not that a
    // step is another executor's or that their message was not understood.
    if (ctx.person && ctx.person.roles.size === 0 && ctx.person.organizationIds.length === 0)
      ctx.person = undefined;
  }
  await next();
}

/**
 * A button pressed by someone with no access (a stranger in a work chat, or a person whose access was
 * closed, on an old card) is answered so, whatever the button: not with a step's refusal that reads
 * as if they still worked here.
 */
export async function refuseStrangersPresses(ctx: BotContext, next: NextFunction): Promise<void> {
  if (ctx.callbackQuery && !ctx.person) {
    await refuse(ctx);
    return;
  }
  await next();
}

/**
 * A message in a group written as the group (an anonymous administrator) or as a channel: who wrote
 * it, the bot cannot tell, so it can neither refuse it as a stranger's nor take it as a person's
 * answer. A command of the bot's, or any message while a question of the bot waits there (a rework
 * comment, a reason), is told how to write as oneself; other chatter is none of the bot's business,
 * and a channel's post forwarded to its discussion group is no one's writing.
 */
export async function answerAnonymousSenders(ctx: BotContext, next: NextFunction): Promise<void> {
  const message = ctx.message;
  const sender = message?.sender_chat;
  if (!message || !sender || message.is_automatic_forward || message.chat.type === "private") return next();
  const command = ownCommand(message, ctx.me.username);
  const written = ctx.has(["message:text", "message:file"]);
  if (command === undefined && !(written && questionWaits(ctx, message.chat.id))) return next();
  await ctx.reply(t.chat.anonymousSender(sender.id !== message.chat.id, command), {
    reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
  });
}
