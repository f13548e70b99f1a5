import { rolesOf } from "../../domain/access.js";
import { Features } from "../composer.js";
import type { BotContext } from "../context.js";
import { t } from "../texts.js";
import { pointedToLeftDraft } from "./drafts.js";

/** Whatever no feature took: a private message gets a hint; group chatter is none of the bot's business. */
export const fallback = new Features<BotContext>();

fallback.callbackQuery(/.*/, (ctx) => ctx.answerCallbackQuery({ text: t.staleButton, show_alert: true }));

fallback.command("cancel", (ctx) => ctx.reply(t.nothingToCancel));

fallback.chatType("private").on("message", async (ctx) => {
  if (await pointedToLeftDraft(ctx)) return;
  const typed = ctx.message.text !== undefined && !ctx.message.text.startsWith("/");
  await ctx.reply(ctx.person ? t.notUnderstood(rolesOf(ctx.person), typed) : t.unknownPerson);
});

// A correction typed over a sent message (a wrong link, a draft's typo) would otherwise go unheard;
// inside a dialogue too, which passes it on. A live location's moves are edits too, and say nothing.
fallback.chatType("private").on(["edited_message:text", "edited_message:caption"], async (ctx) => {
  if (ctx.person) await ctx.reply(t.editNotSeen);
});
