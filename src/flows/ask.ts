import type { Conversation } from "@grammyjs/conversations";
import { type Context, InlineKeyboard } from "grammy";
import { cb } from "../bot/callback-data.js";
import type { BotContext } from "../bot/context.js";
import { t } from "../bot/texts.js";

export type Flow = Conversation<BotContext, Context>;

export const SKIP = Symbol("skip");

/**
 * Asks for a line of text. /cancel ends the flow; any other command ends it too and is then handled
 * as usual, so a person is never stuck inside a dialogue. A «Пропустить» button is offered when
 * the answer is optional. `check` returns an error text to ask again with.
 */
export async function askText(
  conversation: Flow,
  ctx: Context,
  prompt: string,
  opts: {
    optional?: boolean;
    check?: (text: string) => string | undefined | Promise<string | undefined>;
  } = {},
): Promise<string | typeof SKIP> {
  const markup = opts.optional
    ? { reply_markup: new InlineKeyboard().text(t.org.skip, cb("flow.skip")) }
    : {};
  await ctx.reply(prompt, markup);
  for (;;) {
    const answer = await conversation.wait();
    if (opts.optional && answer.callbackQuery?.data === "flow.skip") {
      await answer.answerCallbackQuery();
      return SKIP;
    }
    const text = answer.message?.text?.trim();
    if (text === undefined) {
      if (answer.callbackQuery) await answer.answerCallbackQuery();
      else await answer.reply(prompt, markup);
      continue;
    }
    if (text === "/cancel") {
      await answer.reply(t.org.cancelled);
      await conversation.halt();
    }
    if (text.startsWith("/")) await conversation.halt({ next: true });
    const problem = await opts.check?.(text);
    if (problem === undefined) return text;
    await answer.reply(problem, markup);
  }
}
