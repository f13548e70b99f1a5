/** «/name» and «Указать ФИО» on a person's card in /people: the official name reports and cards give. */

import { ID, onAction } from "../callback-data.js";
import { Features } from "../composer.js";
import type { BotContext } from "../context.js";
import { refuse, requirePermission, requirePrivate } from "../refuse.js";

export const officialName = new Features<BotContext>();

/** The person's own: shown and asked (or typed after the command), «Удалить» going back to the Telegram name. */
officialName.command("name", requirePrivate, async (ctx) => {
  const { person } = ctx;
  if (!person) return await refuse(ctx);
  const typed = ctx.match.trim();
  await ctx.conversation.exitAll();
  await ctx.conversation.enter("officialName", person.id, person.id, ...(typed ? [typed] : []));
});

/** «Указать ФИО» on a person's card: the admin's rights are checked again as it is saved. */
officialName.callbackQuery(onAction("ppl.name", [ID]), requirePermission("managePeople"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.conversation.exitAll();
  await ctx.conversation.enter("officialName", ctx.person?.id, Number(ctx.match[1]));
});
