import { InlineKeyboard } from "grammy";
import { workChatTitle } from "../../app/chats.js";
import { defaultHeadSettings } from "../../app/heads.js";
import {
  createInvite,
  listOpenInvites,
  revokeInvite,
  type UsedInvite,
  usedInvite,
} from "../../app/invites.js";
import { claimNotice } from "../../app/notices.js";
import { countInactiveOrganizations, getOrganization } from "../../app/organizations.js";
import { ROLES, type Role } from "../../db/schema.js";
import { displayName } from "../../domain/access.js";
import { formatDeadline } from "../../domain/time-format.js";
import { cb, ID, onAction } from "../callback-data.js";
import { Features } from "../composer.js";
import type { BotContext } from "../context.js";
import { MESSAGE_LIMIT, sendLong } from "../delivery.js";
import { buttonLabel, organizationPicker } from "../keyboards.js";
import { requirePermission, requirePrivate } from "../refuse.js";
import { t } from "../texts.js";
import { tp } from "../texts-people.js";
import { closeAccessData } from "./people.js";

export const invites = new Features<BotContext>();
const admin = requirePermission("manageInvites");

/** The common roles first: a new office invites executors and curators by the dozen, admins rarely. */
const INVITED_FIRST: readonly Role[] = ["executor", "curator", "head"];

invites.command("invite", requirePrivate, admin, async (ctx) => {
  const keyboard = new InlineKeyboard();
  const button = (role: Role) => keyboard.text(t.invite.roleButton[role], cb("inv.role", role)).row();
  for (const role of INVITED_FIRST) button(role);
  // A head of an organization gets that organization's violations (Orenburg p.19).
  keyboard.text(tp.heads.inviteButton, cb("inv.hpage", 0)).row();
  for (const role of ROLES) if (!INVITED_FIRST.includes(role)) button(role);
  await ctx.reply(t.invite.chooseRole, { reply_markup: keyboard });
});

invites.callbackQuery(onAction("inv.role", [ROLES.join("|")]), admin, async (ctx) => {
  const role = ctx.match[1] as Role;
  if (role === "executor") {
    await showOrganizations(ctx, 0);
    return;
  }
  await issue(ctx, role, null);
});

invites.callbackQuery(onAction("inv.page", [ID]), admin, (ctx) =>
  showOrganizations(ctx, Number(ctx.match[1])),
);

invites.callbackQuery(onAction("inv.hpage", [ID]), admin, (ctx) =>
  showOrganizations(ctx, Number(ctx.match[1]), "head"),
);

/** An executor's organization (`inv.org`) or a head's (`inv.horg`): only one that is active now. */
for (const [action, role] of [
  ["inv.org", "executor"],
  ["inv.horg", "head"],
] as const) {
  invites.callbackQuery(onAction(action, [ID]), admin, async (ctx) => {
    const organization = getOrganization(ctx.app.db, Number(ctx.match[1]));
    if (!organization?.active) {
      const text = organization
        ? t.org.switchedOff(organization.shortName ?? organization.name)
        : t.org.notFound;
      await ctx.answerCallbackQuery({ text, show_alert: true });
      return;
    }
    await issue(ctx, role, organization.id);
  });
}

async function showOrganizations(
  ctx: BotContext,
  page: number,
  role: "executor" | "head" = "executor",
): Promise<void> {
  const head = role === "head";
  const { keyboard, empty } = organizationPicker(ctx.app.db, {
    page,
    pickAction: head ? "inv.horg" : "inv.org",
    pageAction: head ? "inv.hpage" : "inv.page",
    activeOnly: true,
  });
  const chosen = head ? tp.heads.chooseOrganization : t.invite.chooseOrganization;
  // Switched-off organizations are not offered: say so, or the admin looks for one in vain.
  const someInactive = countInactiveOrganizations(ctx.app.db) > 0;
  const prompt = empty
    ? someInactive
      ? t.invite.allInactive
      : t.invite.noOrganizations
    : someInactive
      ? `${chosen}\n\n${t.org.inactiveHidden}`
      : chosen;
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(prompt, { reply_markup: keyboard });
}

async function issue(ctx: BotContext, role: Role, organizationId: number | null): Promise<void> {
  const { db, clock, config } = ctx.app;
  const person = ctx.person;
  if (!person) return;
  const invite = createInvite(db, {
    actorId: person.id,
    role,
    organizationId,
    ttlDays: config.inviteTtlDays,
    now: clock.now(),
  });
  const organization = organizationId === null ? undefined : getOrganization(db, organizationId);
  const link = `https://t.me/${ctx.me.username}?start=${invite.token}`;
  // A head's organization is named with what they will receive: they head it, they do not join it.
  const created = t.invite.created(
    role,
    role === "head" ? null : (organization?.name ?? null),
    link,
    formatDeadline(invite.expiresAt, config.timezone),
    workChatTitle(db, role, organizationId),
  );
  const { purposes } = defaultHeadSettings(organizationId);
  const receives = tp.heads.invited(purposes, organization?.name ?? null, ctx.app.sla.regulation);
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(role === "head" ? `${created}\n\n${receives}` : created, {
    reply_markup: new InlineKeyboard().text(t.invite.revokeButton, cb("inv.rev", invite.id)),
    link_preview_options: { is_disabled: true },
  });
}

invites.command("invites", requirePrivate, admin, async (ctx) => {
  const { db, clock, config } = ctx.app;
  const open = listOpenInvites(db, clock.now());
  if (open.length === 0) {
    await ctx.reply(t.invite.listEmpty);
    return;
  }
  // However many are open (a whole office invited at once): each message within Telegram's 4096
  // characters, its revoke buttons under it.
  let lines: string[] = [t.invite.listTitle];
  let keyboard = new InlineKeyboard();
  let buttons = 0;
  for (const [i, invite] of open.entries()) {
    const expires = formatDeadline(invite.expiresAt, config.timezone);
    const line = `${i + 1}. ${t.invite.listItem(invite.role, invite.organizationName, expires, invite.organizationInactive)}`;
    if (buttons === INVITES_PER_MESSAGE || [...lines, line].join("\n").length > MESSAGE_LIMIT) {
      await ctx.reply(lines.join("\n"), { reply_markup: keyboard });
      [lines, keyboard, buttons] = [[], new InlineKeyboard(), 0];
    }
    lines.push(line);
    keyboard.text(`${t.invite.revokeButton} № ${i + 1}`, cb("inv.rev", invite.id)).row();
    buttons++;
  }
  await ctx.reply(lines.join("\n"), { reply_markup: keyboard });
});

/** Revoke buttons under one message: well within Telegram's 100 a keyboard. */
const INVITES_PER_MESSAGE = 20;

invites.callbackQuery(onAction("inv.rev", [ID]), admin, async (ctx) => {
  const { db, clock } = ctx.app;
  const result = ctx.person
    ? revokeInvite(db, Number(ctx.match[1]), ctx.person.id, clock.now())
    : "not_found";
  if (result === "revoked") {
    await ctx.answerCallbackQuery({ text: t.invite.revoked });
    await ctx.reply(t.invite.revoked);
  } else {
    await ctx.answerCallbackQuery({ text: t.invite.alreadyClosed, show_alert: true });
  }
});

/**
 * A forwarded link may have reached someone else: the admin who made the invite hears who used it and
 * when, quietly, with /people's «Закрыть доступ полностью» a tap away (confirmed, and the presser's
 * rights checked again, there); not one who may no longer invite. Once, however often the /start is
 * handled.
 */
export async function tellInviteUsed(ctx: BotContext, inviteId: number): Promise<void> {
  const used = usedInvite(ctx.app.db, inviteId);
  if (!used) return;
  const at = formatDeadline(used.usedAt, ctx.app.config.timezone);
  const text = t.invite.used(used.role, used.organizationName, displayName(used.user), at);
  await tellInviter(ctx, used, text, "invite-used");
}

/**
 * A used link opened by someone else: maybe the one it was meant for, the access gone to whoever
 * opened it first. Its admin hears who opened it, once for each.
 */
export async function tellInviteReopened(ctx: BotContext, inviteId: number): Promise<void> {
  const { db, clock, config } = ctx.app;
  const used = usedInvite(db, inviteId);
  const opener = ctx.from;
  if (!used || !opener || opener.id === used.inviter.telegramId) return;
  if (!claimNotice(db, `invite-reopened:${inviteId}:${opener.id}`, clock.now())) return;
  const name = displayName({
    firstName: opener.first_name,
    lastName: opener.last_name ?? null,
    username: opener.username ?? null,
    officialName: null,
  });
  const at = formatDeadline(used.usedAt, config.timezone);
  const text = t.invite.reopened(used.role, used.organizationName, displayName(used.user), at, name);
  await tellInviter(ctx, used, text);
}

/** The inviter, quietly; not one who used his own link (nothing to close), nor one blocking the bot. */
async function tellInviter(ctx: BotContext, used: UsedInvite, text: string, once?: string): Promise<void> {
  const { user, inviter } = used;
  if (!used.inviterMay || inviter.blockedAt !== null || user.id === inviter.id) return;
  const close = t.invite.closeAccess(displayName(user));
  const keyboard = new InlineKeyboard().text(buttonLabel(close), closeAccessData(user.id));
  await sendLong(ctx.app, ctx.api, inviter.telegramId, text, keyboard, {
    quiet: true,
    ...(once === undefined ? {} : { once }),
  });
}
