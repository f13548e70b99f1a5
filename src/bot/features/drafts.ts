import { createConversation } from "@grammyjs/conversations";
import { Composer, GrammyError, InlineKeyboard } from "grammy";
import { loadIncident } from "../../app/incidents.js";
import { draftFlow, draftRefusal } from "../../flows/draft.js";
import { cb, ID, onAction } from "../callback-data.js";
import type { AppDeps, BotContext } from "../context.js";
import { openDialog } from "../dialogs.js";
import { td } from "../texts-drafts.js";

const DRAFT_DIALOG = "incident.draft";

const popup = (ctx: BotContext, text: string) => ctx.answerCallbackQuery({ text, show_alert: true });

/** «Подготовить ответ» on the lead executor's card: the draft is collected in the private chat. */
export function draftsFeature(deps: AppDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.use(createConversation(draftFlow(deps), DRAFT_DIALOG));
  composer.callbackQuery(onAction("inc.draft", [ID]), (ctx) => startDraft(ctx, Number(ctx.match[1])));
  composer.callbackQuery(/^dr\./, (ctx) => popup(ctx, td.dialogOver));
  return composer;
}

/** Rights and state are checked first, so a stranger's press is a pop-up and nothing changes. */
async function startDraft(ctx: BotContext, id: number) {
  const incident = loadIncident(ctx.app.db, id);
  if (!incident) return popup(ctx, td.notFound(id));
  const refusal = draftRefusal(incident, ctx.person);
  if (refusal) return popup(ctx, refusal);
  if (ctx.chat?.type !== "private") return moveToPrivateChat(ctx, id);
  await openDialog(ctx, DRAFT_DIALOG, id);
}

/**
 * A dialogue lives in the chat where it was entered, and a work chat is no place for a draft: the
 * executor gets a private message whose button starts it there.
 */
async function moveToPrivateChat(ctx: BotContext, id: number) {
  const keyboard = new InlineKeyboard().text(td.button.start, cb("inc.draft", id));
  try {
    await ctx.api.sendMessage(ctx.callbackQuery?.from.id ?? 0, td.startPrivately(id), {
      reply_markup: keyboard,
    });
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    return popup(ctx, td.openPrivateFirst);
  }
  await ctx.answerCallbackQuery({ text: td.continuePrivately });
}
