import { Composer, type InlineKeyboard } from "grammy";
import { bindChat, listBoundChats, migrateChat, unbindChat } from "../../app/chats.js";
import { getOrganization } from "../../app/organizations.js";
import type { ChatPurpose } from "../../db/schema.js";
import { cb, ID, onAction } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { notifyAdmins } from "../delivery.js";
import { organizationPicker } from "../keyboards.js";
import { requireGroup, requirePermission, requirePrivate } from "../refuse.js";
import { t } from "../texts.js";

export const chats = new Composer<BotContext>();
const admin = requirePermission("bindChats", (ctx) =>
  t.refusalInGroup(ctx.callbackQuery ? "привязки чата" : "/bind"),
);

function pickerFor(ctx: BotContext, page: number): InlineKeyboard {
  const { keyboard } = organizationPicker(ctx.app.db, {
    page,
    pickAction: "bind.org",
    pageAction: "bind.page",
    activeOnly: true,
  });
  return keyboard.row().text(t.chat.curatorsChat, cb("bind.cur"));
}

chats.command("bind", requireGroup, admin, async (ctx) => {
  await ctx.reply(t.chat.chooseBinding, { reply_markup: pickerFor(ctx, 0) });
});

chats.callbackQuery(onAction("bind.page", [ID]), admin, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: pickerFor(ctx, Number(ctx.match[1])) });
});

chats.callbackQuery(onAction("bind.org", [ID]), admin, (ctx) =>
  bind(ctx, "organization", Number(ctx.match[1])),
);
chats.callbackQuery("bind.cur", admin, (ctx) => bind(ctx, "curators", null));

async function bind(ctx: BotContext, purpose: ChatPurpose, organizationId: number | null): Promise<void> {
  const chat = ctx.chat;
  if (!chat || chat.type === "private" || chat.type === "channel" || !ctx.person) return;
  const { db, clock } = ctx.app;
  const result = bindChat(db, {
    chatId: chat.id,
    title: chat.title,
    purpose,
    organizationId,
    actorId: ctx.person.id,
    now: clock.now(),
  });
  if (!result.ok) {
    await ctx.answerCallbackQuery({ text: t.org.notFound, show_alert: true });
    return;
  }
  ctx.log.info({ chatId: chat.id, purpose, organizationId }, "chat bound");
  const name = organizationId === null ? undefined : getOrganization(db, organizationId)?.name;
  const text = name ? t.chat.boundOrganization(name) : t.chat.boundCurators;
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(text);
  if (result.replacedChatId !== null) {
    await ctx.api.sendMessage(result.replacedChatId, t.chat.unbound).catch(() => undefined);
  }
}

chats.command("unbind", requireGroup, admin, async (ctx) => {
  const { db, clock } = ctx.app;
  const bound = unbindChat(db, {
    chatId: ctx.chat.id,
    actorId: ctx.person?.id ?? null,
    reason: "admin",
    now: clock.now(),
  });
  await ctx.reply(bound ? t.chat.unbound : t.chat.notBound);
});

chats.command("chats", requirePrivate, admin, async (ctx) => {
  const list = listBoundChats(ctx.app.db);
  if (list.length === 0) {
    await ctx.reply(t.chat.listEmpty);
    return;
  }
  const lines = list.map((c) => `• ${t.chat.listItem(c.title, describeBinding(c))}`);
  await ctx.reply([t.chat.listTitle, ...lines].join("\n"));
});

function describeBinding(chat: { purpose: ChatPurpose; organizationName: string | null }): string {
  return chat.purpose === "curators" ? t.chat.curatorsChat : `«${chat.organizationName ?? "?"}»`;
}

/** The bot was removed from a group (or blocked in private): unbind and tell the admins at once. */
chats.on("my_chat_member", async (ctx) => {
  const { chat, new_chat_member: member } = ctx.myChatMember;
  const { db, clock } = ctx.app;
  const gone = member.status === "left" || member.status === "kicked";
  if (chat.type === "private") {
    if (gone) ctx.log.info({ userId: chat.id }, "bot blocked by a user");
    return;
  }
  if (!gone) {
    const before = ctx.myChatMember.old_chat_member.status;
    if (before === "left" || before === "kicked")
      await ctx.api.sendMessage(chat.id, t.chat.addedHint).catch(() => undefined);
    return;
  }
  const bound = unbindChat(db, { chatId: chat.id, actorId: null, reason: "bot_removed", now: clock.now() });
  if (!bound) return;
  ctx.log.warn({ chatId: chat.id }, "bot removed from a bound chat");
  await notifyAdmins({ ...ctx.app, api: ctx.api }, t.chat.botRemoved(bound.title, describeBinding(bound)));
});

/**
 * A group became a supergroup: Telegram gives it a new id and says so in both chats (either
 * service message may come first), and the binding follows.
 */
chats.on(["message:migrate_to_chat_id", "message:migrate_from_chat_id"], async (ctx) => {
  const { migrate_to_chat_id: to, migrate_from_chat_id: from } = ctx.message;
  const fromChatId = from ?? ctx.chat.id;
  const toChatId = to ?? ctx.chat.id;
  if (migrateChat(ctx.app.db, { fromChatId, toChatId, now: ctx.app.clock.now() })) {
    ctx.log.info({ fromChatId, toChatId }, "bound chat migrated to a supergroup");
  }
});
