import { InlineKeyboard } from "grammy";
import { chatOfOrganization, findBoundChat, reachableCuratorChats } from "../../app/chats.js";
import { loadIncident } from "../../app/incidents.js";
import {
  type MergeRefusal,
  type MergeResult,
  mergeOrganization,
  planMerge,
} from "../../app/organization-merge.js";
import {
  getOrganization,
  type OpenWork,
  type Organization,
  pageOfOrganization,
  setOrganizationActive,
} from "../../app/organizations.js";
import { telegramIdsOfMembers } from "../../app/people.js";
import { cb, ID, onAction } from "../callback-data.js";
import { retireMergedCards, syncCards } from "../cards.js";
import { Features } from "../composer.js";
import type { BotContext } from "../context.js";
import { announceEach, cardDeps, notifyCurators, sendLong, tellOrganization } from "../delivery.js";
import { forgetAwaitedStart } from "../dialogs.js";
import { cardButtons, organizationPicker } from "../keyboards.js";
import { refuse, requirePermission, requirePrivate } from "../refuse.js";
import { t } from "../texts.js";
import { tr } from "../texts-incidents.js";

export const organizations = new Features<BotContext>();
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

async function showList(ctx: BotContext, requested: number): Promise<void> {
  const { keyboard, page, pages } = organizationPicker(ctx.app.db, {
    page: requested,
    pickAction: "org.open",
    pageAction: "org.page",
  });
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(t.org.listTitle(page, pages), { reply_markup: keyboard });
}

organizations.callbackQuery(onAction("org.page", [ID]), admin, (ctx) => showList(ctx, Number(ctx.match[1])));

organizations.callbackQuery(onAction("org.back", [ID]), admin, (ctx) =>
  showList(ctx, pageOfOrganization(ctx.app.db, Number(ctx.match[1]))),
);

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
    .text(t.org.buttonShortName, cb("org.short", org.id))
    .row()
    .text(
      org.active ? t.org.buttonDeactivate : t.org.buttonActivate,
      cb(org.active ? "org.off" : "org.on", org.id),
    )
    .row();
  if (org.active) keyboard.text(t.org.buttonMerge, cb("org.mrg", org.id)).row();
  keyboard.text(t.org.buttonBack, cb("org.back", org.id));
  await ctx.answerCallbackQuery(toast === undefined ? {} : { text: toast });
  await ctx.editMessageText(t.org.card(org.name, org.shortName, org.active, chatTitle, members), {
    reply_markup: keyboard,
  });
}

organizations.callbackQuery(onAction("org.open", [ID]), admin, (ctx) => showCard(ctx, Number(ctx.match[1])));

organizations.callbackQuery(onAction("org.(on|off)", [ID]), admin, async (ctx) => {
  const { db, clock } = ctx.app;
  // The audit names who switched it: nobody known, nothing switched.
  if (!ctx.person) return await refuse(ctx);
  const active = ctx.match[1] === "on";
  const id = Number(ctx.match[2]);
  const result = setOrganizationActive(db, { id, active, actorId: ctx.person.id, now: clock.now() });
  if (!result.ok) {
    await ctx.answerCallbackQuery({ text: t.org.notFound, show_alert: true });
    return;
  }
  // The card below gives the full name; the pop-up, cut at 200 characters, the short one.
  const { name, shortName } = result.organization;
  const called = shortName ?? name;
  await showCard(ctx, id, active ? t.org.activated(called) : t.org.deactivated(called));
  if (result.changed && result.openWork.length > 0)
    await tellOfOpenWork(ctx, result.organization, result.openWork);
});

/**
 * Switched off with incidents still routed to it: they stay with it until a curator routes them
 * anew, so the curators get the list, with a button to open each card, and the admin is told so
 * (without a curators' chat, each curator privately, not those who block the bot).
 */
async function tellOfOpenWork(ctx: BotContext, organization: Organization, openWork: OpenWork[]) {
  const lines = openWork.map((w) => t.org.openWorkLine(w.incidentId, w.lead, tr.shortState[w.state]));
  const keyboard = cardButtons(openWork.map((w) => w.incidentId));
  const text = t.org.leftOpenForCurators(organization.name, lines);
  let told = false;
  for (const chatId of reachableCuratorChats(ctx.app.db)) {
    if (await sendLong(ctx.app, ctx.api, chatId, text, keyboard)) told = true;
  }
  const ids = openWork.map((w) => w.incidentId);
  await ctx.reply(t.org.leftOpen(organization.name, ids, told));
}

/**
 * «Объединить с…»: the organizations that may absorb this one, paged; «Отмена» goes back to its card,
 * as does the press when no other is active.
 */
async function showMergePicker(ctx: BotContext, fromId: number, requested: number): Promise<void> {
  const from = getOrganization(ctx.app.db, fromId);
  if (!from?.active) return showCard(ctx, fromId, from && t.org.mergeNotActive(from.shortName ?? from.name));
  const { keyboard, empty } = organizationPicker(ctx.app.db, {
    page: requested,
    pickAction: `org.mrgto:${fromId}`,
    pageAction: `org.mrgp:${fromId}`,
    activeOnly: true,
    except: fromId,
  });
  if (empty) return showCard(ctx, fromId, t.org.mergeNothing);
  keyboard.row().text(t.org.buttonMergeCancel, cb("org.open", fromId));
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(t.org.mergePick(from.name), { reply_markup: keyboard });
}

organizations.callbackQuery(onAction("org.mrg", [ID]), admin, (ctx) =>
  showMergePicker(ctx, Number(ctx.match[1]), 0),
);

organizations.callbackQuery(onAction("org.mrgp", [ID, ID]), admin, (ctx) =>
  showMergePicker(ctx, Number(ctx.match[1]), Number(ctx.match[2])),
);

/** The confirmation says in numbers what the merge moves, as the database stands now. */
organizations.callbackQuery(onAction("org.mrgto", [ID, ID]), admin, async (ctx) => {
  const [fromId, intoId] = [Number(ctx.match[1]), Number(ctx.match[2])];
  const result = planMerge(ctx.app.db, fromId, intoId);
  if (!result.ok) return await refuseMerge(ctx, result.reason, fromId, intoId);
  const { from, into } = result.plan;
  const keyboard = new InlineKeyboard()
    .text(t.org.buttonMergeConfirm, cb("org.mrgok", fromId, intoId))
    .text(t.org.buttonMergeCancel, cb("org.open", fromId));
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(t.org.mergeConfirm(from.name, into.name, result.plan), {
    reply_markup: keyboard,
  });
});

/**
 * «Объединить»: merged in one transaction (mergeOrganization), which checks everything again; then
 * the old work chat hears where its cards go, the absorbing organization gets the list of its new
 * posts and then their cards, the curators one message of what moved, and each person moved one quiet
 * line. A second press merges nothing.
 */
organizations.callbackQuery(onAction("org.mrgok", [ID, ID]), admin, async (ctx) => {
  // The audit names who merged it: nobody known, nothing merged.
  if (!ctx.person) return await refuse(ctx);
  const [fromId, intoId] = [Number(ctx.match[1]), Number(ctx.match[2])];
  const { db, clock } = ctx.app;
  const result = mergeOrganization(db, { fromId, intoId, actorId: ctx.person.id, now: clock.now() });
  if (!result.ok) return await refuseMerge(ctx, result.reason, fromId, intoId);
  const { from, into, chat } = result;
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(t.org.merged(from.name, into.name, chat?.title ?? null));
  await announceMerge(ctx, result);
});

async function refuseMerge(ctx: BotContext, reason: MergeRefusal, fromId: number, intoId: number) {
  const shown = (id: number) => {
    const org = getOrganization(ctx.app.db, id);
    return org && (org.shortName ?? org.name);
  };
  const from = shown(fromId);
  const into = shown(intoId);
  const text =
    reason === "inactive" && from
      ? t.org.mergeNotActive(from)
      : reason === "into_inactive" && into
        ? t.org.switchedOff(into)
        : t.org.notFound;
  await ctx.answerCallbackQuery({ text, show_alert: true });
}

async function announceMerge(ctx: BotContext, merged: Extract<MergeResult, { ok: true }>): Promise<void> {
  const { app, api, log } = ctx;
  const { from, into, chat, openWork } = merged;
  const intoChat = chatOfOrganization(app.db, into.id);
  const intoTitle = intoChat === undefined ? null : (findBoundChat(app.db, intoChat)?.title ?? null);
  const lines = openWork.map((w) => t.org.openWorkLine(w.incidentId, w.lead, tr.shortState[w.state]));
  const tell = (chatId: number, text: string) =>
    sendLong(app, api, chatId, text, undefined, { once: "merged", quiet: true });
  await announceEach(
    log,
    "organizations merged",
    async () => {
      if (!chat) return;
      await sendLong(app, api, chat.chatId, t.org.chatMerged(into.name, intoTitle), undefined, {
        once: "merged",
      });
      await retireMergedCards(cardDeps(app, api), chat.chatId, into.name);
    },
    () =>
      tellOrganization(
        app,
        api,
        into.id,
        t.org.absorbed(from.name, lines),
        cardButtons(openWork.map((w) => w.incidentId)),
        { once: "absorbed" },
      ),
    async () => {
      for (const id of merged.incidentIds) {
        const incident = loadIncident(app.db, id);
        if (incident) await syncCards(cardDeps(app, api), incident);
      }
    },
    () => {
      const ids = openWork.map((w) => w.incidentId);
      const text = t.org.mergedForCurators(from.name, into.name, ids, merged.executors.length);
      return notifyCurators(app, api, text, cardButtons(ids), { once: "merged-curators" });
    },
    async () => {
      for (const chatId of merged.executors) await tell(chatId, t.org.executorMoved(from.name, into.name));
      for (const chatId of merged.heads) await tell(chatId, t.org.headMoved(from.name, into.name));
    },
  );
}

for (const [action, dialogue] of [
  ["org.ren", "renameOrganization"],
  ["org.short", "organizationShortName"],
] as const) {
  organizations.callbackQuery(onAction(action, [ID]), admin, async (ctx) => {
    await ctx.answerCallbackQuery();
    forgetAwaitedStart(ctx);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(dialogue, ctx.person?.id, Number(ctx.match[1]));
  });
}

organizations.command("org_add", requirePrivate, admin, async (ctx) => {
  await ctx.conversation.exitAll();
  const typed = ctx.match.trim();
  await ctx.conversation.enter("addOrganization", ctx.person?.id, ...(typed ? [typed] : []));
});
