import { GrammyError, type NextFunction } from "grammy";
import { can, type Permission } from "../domain/access.js";
import type { BotContext } from "./context.js";
import { t } from "./texts.js";

/**
 * «Не получилось…»: in a group, naming whose action failed (the others there did nothing wrong).
 * Telegram's flood limit (`cause` a 429 whose wait outlasted the retries) is said as such, with
 * when to try again.
 */
export function failedText(ctx: BotContext, cause?: unknown): string {
  const text = floodFailure(cause) ?? t.error;
  const name = ctx.chat && ctx.chat.type !== "private" ? ctx.from?.first_name : undefined;
  return name ? `${name}: ${text}` : text;
}

/** The apology for a failure Telegram's flood limit caused, or none. */
export function floodFailure(cause: unknown): string | undefined {
  if (!(cause instanceof GrammyError) || cause.error_code !== 429) return undefined;
  return t.errorFlood(Math.max(1, Math.ceil((cause.parameters.retry_after ?? 60) / 60)));
}

/**
 * Says "no" without noise: a button press gets a pop-up only the presser sees; a command in a group
 * gets a private message, or a short reply in the group if the person never opened the bot. Someone
 * with no access hears that, whatever they tried.
 */
export async function refuse(ctx: BotContext, refusal: string = t.refusal): Promise<void> {
  const text = ctx.person ? refusal : t.noAccess;
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text, show_alert: true });
    return;
  }
  if (!ctx.chat || !ctx.from) return;
  if (ctx.chat.type !== "private") {
    try {
      await ctx.api.sendMessage(ctx.from.id, text);
      return;
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error;
    }
  }
  const messageId = ctx.msg?.message_id;
  await ctx.reply(
    text,
    messageId ? { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } } : {},
  );
}

/** Lets the update through only if the sender has the permission; otherwise refuses. */
export function requirePermission(permission: Permission, refusal?: (ctx: BotContext) => string) {
  return async (ctx: BotContext, next: NextFunction): Promise<void> => {
    if (can(ctx.person, permission)) await next();
    else await refuse(ctx, refusal?.(ctx) ?? t.refusal);
  };
}

export async function requirePrivate(ctx: BotContext, next: NextFunction): Promise<void> {
  if (ctx.chat?.type === "private") await next();
  else await refuse(ctx, t.onlyPrivate);
}

export async function requireGroup(ctx: BotContext, next: NextFunction): Promise<void> {
  if (ctx.chat?.type === "group" || ctx.chat?.type === "supergroup") await next();
  else await ctx.reply(t.onlyGroup);
}
