import { GrammyError, InlineKeyboard, type NextFunction } from "grammy";
import type { User } from "grammy/types";
import {
  type BoundChat,
  bindChat,
  chatOfOrganization,
  findBoundChat,
  findBoundChatByPurpose,
  formerBindings,
  listBoundChats,
  markReachable,
  renameChat,
  unbindChat,
} from "../../app/chats.js";
import { organizationsInvolved } from "../../app/incident-queries.js";
import {
  countInactiveOrganizations,
  getOrganization,
  listOrganizations,
  openPostsOf,
} from "../../app/organizations.js";
import { markBlocked, personName, reachableMembers } from "../../app/people.js";
import type { ChatPurpose } from "../../db/schema.js";
import { telegramName } from "../../domain/access.js";
import { cb, ID, onAction } from "../callback-data.js";
import { retireCardsIn } from "../cards.js";
import { Features } from "../composer.js";
import type { BotContext } from "../context.js";
import { notifyCurators, splitMessage, topicOf } from "../delivery.js";
import { organizationPicker } from "../keyboards.js";
import { requireGroup, requirePermission, requirePrivate } from "../refuse.js";
import {
  chatWritableAgain,
  followMigration,
  notifyAdmins,
  tellAdminsChatUnreachable,
} from "../refused-chats.js";
import { t } from "../texts.js";
import { chatMayShow, showOpenPosts } from "./incidents.js";

export const chats = new Features<BotContext>();
/** Refuses others, naming what they tried: a button of the binding, or the command they sent in a group. */
const adminOnly = (command: string) =>
  requirePermission("bindChats", (ctx) => {
    if (ctx.callbackQuery) return t.refusalInGroup("привязки чата");
    return ctx.chat?.type === "private" ? t.refusal : t.refusalInGroup(command);
  });
const admin = adminOnly("/bind");

function pickerFor(ctx: BotContext, page: number): InlineKeyboard {
  const { keyboard } = organizationPicker(ctx.app.db, {
    page,
    pickAction: "bind.org",
    pageAction: "bind.page",
    activeOnly: true,
  });
  return keyboard.row().text(t.chat.curatorsChat, cb("bind.cur"));
}

/**
 * The question says what the chat serves now, if anything (a tap would take it from that), and that
 * switched-off organizations are not among the buttons. With none to offer, only «Чат кураторов» is:
 * the admin hears how to get an organization on the list.
 */
chats.command("bind", requireGroup, admin, async (ctx) => {
  const { db } = ctx.app;
  const current = findBoundChat(db, ctx.chat.id);
  const offered = listOrganizations(db, { page: 0, activeOnly: true }).items.length > 0;
  const inactive = countInactiveOrganizations(db) > 0;
  const question = offered
    ? t.chat.chooseBinding
    : inactive
      ? t.chat.allOrganizationsInactive
      : t.chat.noOrganizations;
  const lines = [current ? describeCurrent(current) : undefined, question];
  if (offered && inactive) lines.push(t.org.inactiveHidden);
  await ctx.reply(lines.filter((line) => line !== undefined).join("\n\n"), {
    reply_markup: pickerFor(ctx, 0),
  });
});

function describeCurrent(chat: BoundChat): string {
  return chat.purpose === "curators"
    ? t.chat.currentlyCurators
    : t.chat.currentlyOrganization(chat.organizationName ?? "?");
}

chats.callbackQuery(onAction("bind.page", [ID]), admin, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: pickerFor(ctx, Number(ctx.match[1])) });
});

chats.callbackQuery(onAction("bind.org", [ID]), admin, (ctx) =>
  bindOrConfirm(ctx, "organization", Number(ctx.match[1])),
);
chats.callbackQuery("bind.cur", admin, (ctx) => bindOrConfirm(ctx, "curators", null));
chats.callbackQuery(onAction("bind.orgok", [ID]), admin, (ctx) =>
  bind(ctx, "organization", Number(ctx.match[1])),
);
chats.callbackQuery("bind.curok", admin, (ctx) => bind(ctx, "curators", null));
chats.callbackQuery("bind.no", admin, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(t.chat.bindingKept);
});

/**
 * A chat bound to something else changes its binding only after a second, confirming tap, and so
 * does a purpose another chat serves now: one mis-tap in the picker would otherwise take the
 * curators' (or an organization's) chat away.
 */
async function bindOrConfirm(
  ctx: BotContext,
  purpose: ChatPurpose,
  organizationId: number | null,
): Promise<void> {
  const { db } = ctx.app;
  const current = ctx.chat && findBoundChat(db, ctx.chat.id);
  const same = current && current.purpose === purpose && current.organizationId === organizationId;
  // The chat that serves this purpose now, elsewhere: taking it away also wants a second tap.
  const servingId =
    organizationId === null ? findBoundChatByPurpose(db, "curators") : chatOfOrganization(db, organizationId);
  const serving =
    servingId !== undefined && servingId !== ctx.chat?.id ? findBoundChat(db, servingId) : undefined;
  if ((!current || same) && !serving) return await bind(ctx, purpose, organizationId);
  const name = organizationId === null ? undefined : getOrganization(db, organizationId)?.name;
  if (organizationId !== null && name === undefined) {
    await ctx.answerCallbackQuery({ text: t.org.notFound, show_alert: true });
    return;
  }
  const question = [
    current && !same ? describeCurrent(current) : "",
    serving ? t.chat.servedBy(serving.title) : "",
    name === undefined ? t.chat.confirmCurators : t.chat.confirmOrganization(name),
  ]
    .filter(Boolean)
    .join(" ");
  const keyboard = new InlineKeyboard()
    .text(t.chat.confirmButton, organizationId === null ? cb("bind.curok") : cb("bind.orgok", organizationId))
    .text(t.chat.cancelButton, cb("bind.no"));
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(question, { reply_markup: keyboard });
}

async function bind(ctx: BotContext, purpose: ChatPurpose, organizationId: number | null): Promise<void> {
  const chat = ctx.chat;
  if (!chat || chat.type === "private" || chat.type === "channel" || !ctx.person) return;
  const { db, clock } = ctx.app;
  const result = bindChat(db, {
    chatId: chat.id,
    title: chat.title,
    purpose,
    organizationId,
    threadId: topicOf(ctx.callbackQuery?.message) ?? null,
    actorId: ctx.person.id,
    now: clock.now(),
  });
  if (!result.ok) {
    const organization = organizationId === null ? undefined : getOrganization(db, organizationId);
    const text =
      result.reason === "organization_inactive" && organization
        ? t.org.switchedOff(organization.shortName ?? organization.name)
        : t.org.notFound;
    await ctx.answerCallbackQuery({ text, show_alert: true });
    return;
  }
  ctx.log.info({ chatId: chat.id, purpose, organizationId }, "chat bound");
  chatWritableAgain(db, chat.id);
  const name = organizationId === null ? undefined : getOrganization(db, organizationId)?.name;
  const lines: string[] = [name ? t.chat.boundOrganization(name) : t.chat.boundCurators];
  if (topicOf(ctx.callbackQuery?.message) !== undefined) lines.push(t.chat.boundInTopic);
  for (const old of result.replaced)
    lines.push(purpose === "curators" ? t.chat.curatorsMovedFrom(old.title) : t.chat.movedFrom(old.title));
  const left = leftWithoutChat(result.previous, organizationId);
  if (left) lines.push(left);
  if (!(await seesEveryMessage(ctx, chat.id))) lines.push(t.chat.makeAdmin);
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(lines.join("\n\n"));
  await showOpenPosts(ctx, organizationId).catch((error) => {
    if (!(error instanceof GrammyError)) throw error;
    ctx.log.warn({ chatId: chat.id, error: error.description }, "open posts not shown in the chat bound");
  });
  // What the chat served before it served no longer: the cards of that one lose their buttons.
  if (left) await retireCardsIn(cardsOf(ctx), chat.id);
  for (const old of result.replaced) {
    await ctx.api.sendMessage(old.chatId, t.chat.unbound).catch(() => undefined);
    await retireCardsIn(cardsOf(ctx), old.chatId);
  }
}

const cardsOf = (ctx: BotContext) => ({ ...ctx.app, api: ctx.api, log: ctx.log });

/** Rebinding a chat takes it from what it served before: that organization (or the curators) has no chat now. */
function leftWithoutChat(previous: BoundChat | undefined, organizationId: number | null): string | undefined {
  if (!previous) return undefined;
  if (previous.purpose === "curators") return organizationId === null ? undefined : t.chat.curatorsLeft;
  if (previous.organizationId === organizationId) return undefined;
  return t.chat.organizationLeft(previous.organizationName ?? "?");
}

/**
 * Whether the bot sees plain messages in the group (a reason or comment typed there): only as an
 * administrator, unless its privacy mode is off. When Telegram does not say, the bot does not nag.
 */
async function seesEveryMessage(ctx: BotContext, chatId: number): Promise<boolean> {
  if (ctx.me.can_read_all_group_messages) return true;
  try {
    return isAdministrator((await ctx.api.getChatMember(chatId, ctx.me.id)).status);
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    return true;
  }
}

chats.command("unbind", requireGroup, adminOnly("/unbind"), async (ctx) => {
  const { db, clock } = ctx.app;
  const bound = unbindChat(db, {
    chatId: ctx.chat.id,
    actorId: ctx.person?.id ?? null,
    reason: "admin",
    now: clock.now(),
  });
  await ctx.reply(bound ? t.chat.unbound : t.chat.notBound);
  if (bound) await retireCardsIn(cardsOf(ctx), ctx.chat.id);
});

chats.command("chats", requirePrivate, adminOnly("/chats"), async (ctx) => {
  const list = listBoundChats(ctx.app.db);
  if (list.length === 0) {
    await ctx.reply(t.chat.listEmpty);
    return;
  }
  const lines = list.map((c) => `• ${t.chat.listItem(c.title, describeBinding(c))}`);
  for (const part of splitMessage([t.chat.listTitle, ...lines].join("\n"))) await ctx.reply(part);
});

function describeBinding(chat: { purpose: ChatPurpose; organizationName: string | null }): string {
  return chat.purpose === "curators" ? t.chat.curatorsChat : `«${chat.organizationName ?? "?"}»`;
}

/**
 * A person who writes to the bot, or unblocks it, can be reached privately again. Runs before the
 * features, on every update of a private chat but the one that says the bot was blocked.
 */
export async function reachable(ctx: BotContext, next: NextFunction): Promise<void> {
  const from = ctx.from;
  const left = ctx.myChatMember && isGone(ctx.myChatMember.new_chat_member.status);
  if (ctx.chat?.type === "private" && from && ctx.chat.id === from.id && !left) {
    if (markReachable(ctx.app.db, from.id))
      ctx.log.info({ userId: from.id }, "a blocked person is reachable again");
  }
  await next();
}

const isGone = (status: string) => status === "left" || status === "kicked";
const isAdministrator = (status: string) => status === "administrator" || status === "creator";

/**
 * The bot's membership changed. Blocked in private: the person is marked so. Added to a group: a hint
 * how to bind it, and, added as a member, to make it an administrator, unless it is bound already (a
 * group upgraded to a supergroup keeps its binding); none in a channel. Made an administrator of a
 * bound chat, or no longer one: the chat hears whether it sees every message now.
 * Removed from a group: unbind and tell the admins at once.
 */
chats.on("my_chat_member", async (ctx) => {
  const { chat, new_chat_member: member, old_chat_member: before } = ctx.myChatMember;
  const { db, clock } = ctx.app;
  const gone = isGone(member.status);
  if (chat.type === "private") {
    if (gone) {
      markBlocked(db, chat.id, clock.now());
      ctx.log.info({ userId: chat.id }, "bot blocked by a user");
    }
    return;
  }
  if (!gone) {
    // Restricted so that it may not write: the chat refuses as a send would find; else it writes again.
    if (member.status === "restricted" && !member.can_send_messages) {
      if (findBoundChat(db, chat.id)) await tellAdminsChatUnreachable({ ...ctx.app, api: ctx.api }, chat.id);
    } else {
      chatWritableAgain(db, chat.id);
      if (isAdministrator(before.status) && !isAdministrator(member.status)) await demoted(ctx, chat.id);
      // Its rights changed as an administrator (or it was added as one) are no promotion.
      else if (!isGone(before.status) && !isAdministrator(before.status) && isAdministrator(member.status))
        await promoted(ctx, chat.id);
    }
    // A channel is never bound (/bind is a group's): the hint would only reach its subscribers.
    if (chat.type !== "channel" && isGone(before.status) && !findBoundChat(db, chat.id)) {
      const makeAdmin = !isAdministrator(member.status) && !ctx.me.can_read_all_group_messages;
      await ctx.api.sendMessage(chat.id, t.chat.addedHint(makeAdmin)).catch(() => undefined);
    }
    return;
  }
  const bound = unbindChat(db, { chatId: chat.id, actorId: null, reason: "bot_removed", now: clock.now() });
  if (!bound) return;
  ctx.log.warn({ chatId: chat.id }, "bot removed from a bound chat");
  // Telegram refuses a removed bot's edits: its cards are forgotten, a press on one is refused.
  await retireCardsIn(cardsOf(ctx), chat.id);
  const { organizationId } = bound;
  const open = organizationId === null ? [] : openPostsOf(db, organizationId);
  const text = t.chat.botRemoved(bound.title, describeBinding(bound), {
    by: removedBy(ctx.myChatMember.from),
    curators: bound.purpose === "curators",
    open,
  });
  await notifyAdmins({ ...ctx.app, api: ctx.api }, text);
  // The curators route posts to it still: they hear where its cards go now, and which are open.
  if (organizationId !== null) {
    const privately = reachableMembers(db, [organizationId]).map((id) => personName(db, id));
    const lost = t.chat.organizationChatLost(bound.organizationName ?? bound.title, privately, open);
    await notifyCurators(ctx.app, ctx.api, lost);
  }
});

/** A post's button — a card's, the details menu's, «Открыть № N» — names the post first: `inc.pub:12`. */
const POST_BUTTON = /^(?:inc|imp)\.[a-z]+:(\d+)/;

/**
 * A press on a post's button in a group that no longer serves the post (unbound, or bound to an
 * organization the post never went to), left there from what the group served before: refused,
 * naming where that one's cards are now. It would otherwise act, and answer, in a chat that is no
 * longer the organization's (or the curators'). Runs before the features, dialogues included; a
 * group that never served the post goes on to the handlers' own refusals.
 */
export async function refusePressesInFormerChats(ctx: BotContext, next: NextFunction): Promise<void> {
  const id = Number(POST_BUTTON.exec(ctx.callbackQuery?.data ?? "")?.[1]);
  const chat = ctx.chat;
  if (!id || !chat || chat.type === "private" || chatMayShow(ctx, id)) return next();
  const { db } = ctx.app;
  const former = formerBindings(db, chat.id).find(
    (organizationId) => organizationId === null || organizationsInvolved(db, id, [organizationId]).length > 0,
  );
  if (former === undefined) return next();
  const nameOf = (organizationId: number) => {
    const organization = getOrganization(db, organizationId);
    return organization?.shortName ?? organization?.name ?? "?";
  };
  const now = findBoundChat(db, chat.id)?.organizationId;
  const where = former === null ? findBoundChatByPurpose(db, "curators") : chatOfOrganization(db, former);
  const text = t.chat.cardsMoved({
    now: now == null ? undefined : nameOf(now),
    whose: former === null ? undefined : nameOf(former),
    where: where === undefined ? undefined : findBoundChat(db, where)?.title,
  });
  await ctx.answerCallbackQuery({ text, show_alert: true });
}

/** Who removed the bot, as Telegram names them; none for a bot (the bot itself, an anonymous administrator). */
function removedBy(from: User): string | undefined {
  if (from.is_bot) return undefined;
  return telegramName({
    firstName: from.first_name,
    lastName: from.last_name ?? null,
    username: from.username ?? null,
  });
}

/**
 * The bot no longer an administrator of a bound chat: without privacy mode off it sees commands
 * only, so a reason or comment typed there would never reach it. The chat and the admins hear so.
 */
async function demoted(ctx: BotContext, chatId: number): Promise<void> {
  const bound = findBoundChat(ctx.app.db, chatId);
  if (!bound || ctx.me.can_read_all_group_messages) return;
  ctx.log.warn({ chatId }, "bot no longer an administrator of a bound chat");
  await ctx.api.sendMessage(chatId, t.chat.demoted).catch(() => undefined);
  await notifyAdmins({ ...ctx.app, api: ctx.api }, t.chat.demotedAdmins(bound.title, describeBinding(bound)));
}

/** The bot made an administrator of a bound chat: what /bind (or the demotion) asked for is done. */
async function promoted(ctx: BotContext, chatId: number): Promise<void> {
  if (!findBoundChat(ctx.app.db, chatId) || ctx.me.can_read_all_group_messages) return;
  ctx.log.info({ chatId }, "bot made an administrator of a bound chat");
  await ctx.api.sendMessage(chatId, t.chat.promoted).catch(() => undefined);
}

/** A bound chat renamed in Telegram is renamed in its binding too (see renameChat). */
chats.on("message:new_chat_title", (ctx) => {
  renameChat(ctx.app.db, {
    chatId: ctx.chat.id,
    title: ctx.message.new_chat_title,
    actorId: ctx.person?.id ?? null,
    now: ctx.app.clock.now(),
  });
});

/**
 * A group became a supergroup: Telegram gives it a new id and says so in both chats (either
 * service message may come first), and the binding follows; the admins hear that it did.
 */
chats.on(["message:migrate_to_chat_id", "message:migrate_from_chat_id"], async (ctx) => {
  const { migrate_to_chat_id: to, migrate_from_chat_id: from } = ctx.message;
  await followMigration({ ...ctx.app, api: ctx.api }, from ?? ctx.chat.id, to ?? ctx.chat.id);
});
