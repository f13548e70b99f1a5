import { Composer, InlineKeyboard } from "grammy";
import { chatOfOrganization, findBoundChat } from "../../app/chats.js";
import { getOrganization, setOrganizationActive } from "../../app/organizations.js";
import { telegramIdsOfMembers } from "../../app/people.js";
import { cb, ID, onAction } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { organizationPicker } from "../keyboards.js";
import { requirePermission, requirePrivate } from "../refuse.js";
import { t } from "../texts.js";

export const organizations = new Composer<BotContext>();
const admin = requirePermission("manageOrganizations");

organizations.command("orgs", requirePrivate, admin, async (ctx) => {
  const { keyboard, empty, pages } = organizationPicker(ctx.app.db, {
    page: 0,
    pickAction: "org.open",
    pageAction: "org.page",
  });
  if (empty) await ctx.reply(t.org.listEmpty);
  else await ctx.reply(t.org.listTitle(0, pages), { reply_markup: keyboard });
});

organizations.callbackQuery(onAction("org.page", [ID]), admin, async (ctx) => {
  const { keyboard, page, pages } = organizationPicker(ctx.app.db, {
    page: Number(ctx.match[1]),
    pickAction: "org.open",
    pageAction: "org.page",
  });
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(t.org.listTitle(page, pages), { reply_markup: keyboard });
});

organizations.callbackQuery("noop", (ctx) => ctx.answerCallbackQuery());

async function showCard(ctx: BotContext, organizationId: number, toast?: string): Promise<void> {
  const { db } = ctx.app;
  const org = getOrganization(db, organizationId);
  if (!org) {
    await ctx.answerCallbackQuery({ text: t.org.notFound, show_alert: true });
    return;
  }
  const chatId = chatOfOrganization(db, org.id);
  const chatTitle = chatId === undefined ? null : (findBoundChat(db, chatId)?.title ?? null);
  const members = telegramIdsOfMembers(db, [org.id]).length;
  const keyboard = new InlineKeyboard()
    .text(t.org.buttonRename, cb("org.ren", org.id))
    .text(
      org.active ? t.org.buttonDeactivate : t.org.buttonActivate,
      cb(org.active ? "org.off" : "org.on", org.id),
    )
    .row()
    .text(t.org.buttonBack, cb("org.page", 0));
  await ctx.answerCallbackQuery(toast === undefined ? {} : { text: toast });
  await ctx.editMessageText(t.org.card(org.name, org.shortName, org.active, chatTitle, members), {
    reply_markup: keyboard,
  });
}

organizations.callbackQuery(onAction("org.open", [ID]), admin, (ctx) => showCard(ctx, Number(ctx.match[1])));

organizations.callbackQuery(onAction("org.(on|off)", [ID]), admin, async (ctx) => {
  const { db, clock } = ctx.app;
  const active = ctx.match[1] === "on";
  const id = Number(ctx.match[2]);
  const result = setOrganizationActive(db, { id, active, actorId: ctx.person?.id ?? 0, now: clock.now() });
  if (!result.ok) {
    await ctx.answerCallbackQuery({ text: t.org.notFound, show_alert: true });
    return;
  }
  const { name } = result.organization;
  await showCard(ctx, id, active ? t.org.activated(name) : t.org.deactivated(name));
});

organizations.callbackQuery(onAction("org.ren", [ID]), admin, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.conversation.exitAll();
  await ctx.conversation.enter("renameOrganization", ctx.person?.id, Number(ctx.match[1]));
});

organizations.command("org_add", requirePrivate, admin, async (ctx) => {
  await ctx.conversation.exitAll();
  await ctx.conversation.enter("addOrganization", ctx.person?.id);
});
