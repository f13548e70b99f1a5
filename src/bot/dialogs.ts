import type { BotContext } from "./context.js";
import { t } from "./texts.js";

/** The button that opened each person's latest dialogue, by chat and person. */
const openedBy = new Map<string, string>();

/**
 * Opens a dialogue from a button press (rights and state already checked). The same button pressed
 * again while its dialogue still waits — a double tap, most often — does not open a second one whose
 * question would stand beside the first: the person is told to answer the one above. Any other
 * button closes the dialogue that waits and opens its own.
 */
export async function openDialog(ctx: BotContext, name: string, ...args: unknown[]): Promise<void> {
  const key = `${ctx.chatId ?? ""}:${ctx.from?.id ?? ""}`;
  const button = `${name}|${ctx.callbackQuery?.data ?? ""}`;
  if (ctx.callbackQuery && openedBy.get(key) === button && ctx.conversation.active(name) > 0) {
    await ctx.answerCallbackQuery({ text: t.dialogOpen });
    return;
  }
  await ctx.answerCallbackQuery();
  await ctx.conversation.exitAll();
  openedBy.set(key, button);
  await ctx.conversation.enter(name, ...args);
}
