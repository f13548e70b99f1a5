import type { NextFunction } from "grammy";
import { lostWithRestore } from "../../app/restores.js";
import type { BotContext } from "../context.js";
import { t } from "../texts.js";

/**
 * A post's buttons (`inc.*`, `imp.*`, `int.*`) name it first, but for the intake dialogue's answers
 * (`int.a`, its step first); a draft's decisions name the draft next.
 */
const POST_PRESS = /^(?:inc|imp|int)\.(\w+):(\d{1,12})(?::(\d{1,12}))?/;
const DRAFT_DECISIONS = new Set(["ok", "okself", "rework"]);

/**
 * A press on a card or a draft of a post lost with a restore (restore.ts): the number is never given
 * again, so instead of «не найдено» the press says what happened and what to do.
 */
export async function answerLostPresses(ctx: BotContext, next: NextFunction): Promise<void> {
  const match = POST_PRESS.exec(ctx.callbackQuery?.data ?? "");
  if (!match || match[1] === "a") return next();
  const id = Number(match[2]);
  const { db } = ctx.app;
  const text = lostWithRestore(db, "incidents", id)
    ? t.restore.lostPost(id)
    : match[3] !== undefined &&
        DRAFT_DECISIONS.has(match[1] ?? "") &&
        lostWithRestore(db, "drafts", Number(match[3]))
      ? t.restore.lostDraft(id)
      : undefined;
  if (text === undefined) return next();
  await ctx.answerCallbackQuery({ text, show_alert: true });
}
