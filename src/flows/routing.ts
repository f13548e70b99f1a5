/**
 * «Направить» / «Переназначить»: the curator picks organizations (a paged, searchable list where each
 * press toggles one), the lead among several (the first chosen unless the curator changes it; the
 * rest are co-executors in the order chosen, Orenburg p.14), and for an important post may shorten
 * the answer deadline (Orenburg p.6). The incident is routed only if nobody changed it meanwhile, and
 * only to organizations still active then.
 */

import type { Api, Context } from "grammy";
import { InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import type { Logger } from "pino";
import { incidentEvents } from "../app/audit.js";
import { chatOfOrganization } from "../app/chats.js";
import { personNames } from "../app/incident-queries.js";
import {
  alikeOfferChanged,
  type Incident,
  loadIncident,
  routeIncident,
  type TransitionRefusal,
  waitingAlike,
} from "../app/incidents.js";
import { awayChats, leaveToday } from "../app/leave.js";
import { activeOrganizationNames, getOrganization, listOrganizations } from "../app/organizations.js";
import { personName, reachableMembers, telegramIdsOfMembers } from "../app/people.js";
import { cb } from "../bot/callback-data.js";
import { cardKeptIn, cardTargets, messageGone, syncCards } from "../bot/cards.js";
import type { AppDeps } from "../bot/context.js";
import { announceEach, cardDeps, showCardIn, syncHandOver, topicOf } from "../bot/delivery.js";
import { buttonLabel, organizationLabels, sharedEnding } from "../bot/keyboards.js";
import { t } from "../bot/texts.js";
import { tr } from "../bot/texts-incidents.js";
import type { Db } from "../db/client.js";
import { cutBefore } from "../domain/clip.js";
import {
  actionRules,
  activeAssignments,
  answerDeadline,
  type Importance,
  leadAssignment,
  partsPastDraft,
} from "../domain/incident.js";
import { findLinks } from "../domain/source-link.js";
import { formatDeadline } from "../domain/time-format.js";
import { tellLeadOfKeptParts } from "./answers.js";
import {
  type Addressee,
  aboutPost,
  addressedToOther,
  addressee,
  askOf,
  type Flow,
  isCancel,
  mentioning,
  pressedOn,
  removeButtons,
  skipSaidToSomeone,
  staleStep,
  waitForAnswer,
} from "./ask.js";

import { tellTurnCame } from "./incident-answers.js";
import { tellHeadsRouted } from "./intake.js";
import { tellTakenFrom } from "./withdrawn.js";

/** Shortened answer deadlines offered to the curator, in working hours. */
/** The shortened answer deadlines offered (Orenburg p.6 names none), in working hours. */
const SHORTEN_HOURS = [1, 2, 3, 4, 6];

export interface Chosen {
  id: number;
  name: string;
}

type Page = ReturnType<typeof searchPage>;

/**
 * One page of active organizations matching the curator's search, and the words all active ones'
 * names end with (left off their buttons). Only plain fields: what a conversation keeps for its
 * replay must survive JSON.
 */
function searchPage(db: Db, search: string, page: number) {
  const result = listOrganizations(db, { activeOnly: true, search, page });
  return {
    ...result,
    ending: sharedEnding(activeOrganizationNames(db)),
    items: result.items.map(({ id, name, shortName }) => ({ id, name, shortName })),
  };
}

/** The organizations' buttons: ✅ those chosen, 📍 those that have the post now (routed again). */
function pickerKeyboard(view: Page, chosen: Chosen[], query: string, now: Chosen[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  const marks = view.items.map(
    (org) =>
      (chosen.some((c) => c.id === org.id) ? "✅ " : "") +
      (now.some((c) => c.id === org.id) ? tr.route.hereNow : ""),
  );
  const labels = organizationLabels(view.items, view.ending, marks);
  for (const [i, org] of view.items.entries()) keyboard.text(labels[i] ?? org.name, cb("rt.t", org.id)).row();
  if (view.pages > 1) {
    if (view.page > 0) keyboard.text("◀", cb("rt.p", view.page - 1));
    keyboard.text(`${view.page + 1}/${view.pages}`, cb("rt.noop"));
    if (view.page < view.pages - 1) keyboard.text("▶", cb("rt.p", view.page + 1));
    keyboard.row();
  }
  keyboard.text(query ? tr.route.showAll : tr.route.find, cb(query ? "rt.all" : "rt.find")).row();
  if (chosen.length > 1) keyboard.text(tr.route.changeLead, cb("rt.chlead")).row();
  return keyboard.text(tr.route.done, cb("rt.done")).text(tr.route.cancel, cb("rt.cancel"));
}

/**
 * The next press of one of this dialogue's buttons. A command leaves the dialogue (and is handled);
 * another card's button or group chatter passes by. Text is returned only when `acceptText` is set.
 * The menu is one message: a routing button under another one (an earlier dialogue's menu, left
 * when «Направить» of another post was pressed) gets a pop-up and does nothing, so a menu that says
 * № 1 never routes № 2.
 */
async function nextPress(
  conversation: Flow,
  menu: Message,
  acceptText: (ctx: Context) => boolean,
): Promise<{ ctx: Context; data: string } | { ctx: Context; text: string }> {
  for (;;) {
    const ctx = await waitForAnswer(conversation, undefined, { chatterPasses: true });
    const data = ctx.callbackQuery?.data;
    if (data?.startsWith("rt.")) {
      if (pressedOn(ctx, menu)) return { ctx, data };
      // Another curator's menu in the group, open beside this one: not an old question.
      const owner = addressedToOther(ctx);
      if (owner) await ctx.answerCallbackQuery({ text: tr.route.othersMenu(owner), show_alert: true });
      else await staleStep(ctx);
      continue;
    }
    if (data !== undefined) await conversation.skip({ next: true });
    const text = ctx.message?.text?.trim();
    if (isCancel(text)) return { ctx, data: "rt.cancel" };
    if (text?.startsWith("/")) await conversation.halt({ next: true });
    if (text !== undefined && acceptText(ctx)) {
      await skipSaidToSomeone(conversation, ctx);
      return { ctx, text };
    }
    await conversation.skip({ next: true });
  }
}

/** Waits for one of the menu's buttons (`parse` knows which); «Отмена» or /cancel ends the dialogue. */
async function choose<T>(
  conversation: Flow,
  p: Picker,
  parse: (data: string) => T | undefined,
): Promise<{ value: T } | { cancelled: Context }> {
  for (;;) {
    const press = await nextPress(conversation, p.menu, () => false);
    if (!("data" in press)) continue;
    if (press.data === "rt.cancel") return { cancelled: press.ctx };
    await press.ctx.answerCallbackQuery();
    const value = parse(press.data);
    if (value !== undefined) return { value };
  }
}

/**
 * The dialogue's menu: one message, edited as the curator picks (a search or a new round sends it
 * anew below), and what it shows. In a group each of its questions starts with the name of the
 * curator it is for (`owner`): two curators may route at once, and a colleague's press on it is told
 * whose it is.
 */
interface Picker {
  incidentId: number;
  owner: Addressee | null;
  /** The organizations that have the post as the dialogue began (routed again). */
  now: Chosen[];
  chosen: Chosen[];
  query: string;
  view: Page;
  menu: Message;
  shown: { text: string; keyboard: InlineKeyboard };
}

function render(p: Omit<Picker, "menu" | "shown">): Picker["shown"] {
  return {
    text: tr.route.pick(
      p.incidentId,
      p.chosen.map((c) => c.name),
      p.query,
      p.view.items.length === 0,
      { who: p.owner?.name ?? null, now: p.now.map((c) => c.name) },
    ),
    keyboard: pickerKeyboard(p.view, p.chosen, p.query, p.now),
  };
}

/** A question of the menu after the list's, addressed in a group to the curator it is for. */
function addressed(p: Picker, question: string): string {
  return p.owner ? t.askedOf(p.owner.name, question) : question;
}

/** The menu sent below, the curator's name (in a group) a mention. */
function sendMenu(at: Context, owner: Addressee | null, shown: Picker["shown"]): Promise<Message> {
  return at.reply(shown.text, {
    reply_markup: shown.keyboard,
    ...(owner ? mentioning(shown.text, owner) : {}),
  });
}

async function refresh(ctx: Context, p: Picker): Promise<void> {
  const next = render(p);
  if (JSON.stringify(next) === JSON.stringify(p.shown)) return;
  p.shown = next;
  await editMenu(ctx, p, p.shown.text, {
    reply_markup: p.shown.keyboard,
  });
}

/** The list sent anew at the bottom of the chat. */
async function showAnew(at: Context, p: Picker): Promise<void> {
  p.shown = render(p);
  p.menu = await sendMenu(at, p.owner, p.shown);
}

/**
 * The menu says `text` now; one deleted from the chat meanwhile (a group's admin tidying up) or too
 * old to edit is sent anew below instead, and the dialogue goes on under it.
 */
async function editMenu(
  ctx: Context,
  p: Picker,
  text: string,
  other?: { reply_markup: InlineKeyboard },
): Promise<void> {
  const options = { ...other, ...(p.owner ? mentioning(text, p.owner) : {}) };
  try {
    await ctx.api.editMessageText(p.menu.chat.id, p.menu.message_id, text, options);
  } catch (error) {
    if (!messageGone(error)) throw error;
    p.menu = await ctx.reply(text, options);
  }
}

async function cancel(ctx: Context, p: Picker, at: Context): Promise<void> {
  await editMenu(ctx, p, tr.cancelled);
  if (at.callbackQuery) await at.answerCallbackQuery();
}

/** The organizations, toggled one press at a time, until «Готово»; the press that cancelled if so. */
async function pickOrganizations(
  conversation: Flow,
  deps: AppDeps,
  ctx: Context,
  p: Picker,
): Promise<{ cancelled: Context } | undefined> {
  let searching = false;
  for (;;) {
    const press = await nextPress(conversation, p.menu, (at) => searching || at.chat?.type === "private");
    if ("text" in press) {
      // A post's link or a forwarded post is not an organization's name: the routing is finished first.
      if (press.ctx.message?.forward_origin || findLinks(press.text).length > 0) {
        await press.ctx.reply(tr.route.finishFirst(p.incidentId));
        continue;
      }
      p.query = press.text.slice(0, cutBefore(press.text, 100));
      searching = false;
      p.view = await conversation.external(() => searchPage(deps.db, p.query, 0));
      await removeButtons(ctx, p.menu);
      await showAnew(press.ctx, p);
      continue;
    }
    const { ctx: at, data } = press;
    if (data === "rt.cancel") return { cancelled: at };
    if (data === "rt.done" && p.chosen.length === 0) {
      await at.answerCallbackQuery({ text: tr.route.noneChosen, show_alert: true });
      continue;
    }
    await at.answerCallbackQuery();
    if (data === "rt.done") return undefined;
    const [action, arg] = data.split(":");
    const n = Number(arg);
    if (action === "rt.find") {
      searching = true;
      await askOf(conversation, at, tr.route.askSearch);
      continue;
    }
    if (action === "rt.chlead" && p.chosen.length > 1) {
      const lead = await pickLead(conversation, deps, ctx, p);
      if ("cancelled" in lead) return lead;
      p.chosen = [lead.value, ...p.chosen.filter((c) => c.id !== lead.value.id)];
      // Back to the list, whatever it showed before the question.
      p.shown = render(p);
      await editMenu(ctx, p, p.shown.text, { reply_markup: p.shown.keyboard });
      continue;
    }
    if (action === "rt.t") {
      const index = p.chosen.findIndex((c) => c.id === n);
      const org = p.view.items.find((o) => o.id === n);
      if (index >= 0) p.chosen.splice(index, 1);
      else if (org) p.chosen.push({ id: org.id, name: org.name });
    } else if (action === "rt.p" || action === "rt.all") {
      if (action === "rt.all") p.query = "";
      const page = action === "rt.p" ? n : 0;
      p.view = await conversation.external(() => searchPage(deps.db, p.query, page));
    }
    await refresh(ctx, p);
  }
}

/**
 * The lead among several organizations chosen, asked when the curator presses «Изменить основного
 * исполнителя»: otherwise the first chosen leads.
 */
async function pickLead(
  conversation: Flow,
  deps: AppDeps,
  ctx: Context,
  p: Picker,
): Promise<{ value: Chosen } | { cancelled: Context }> {
  const keyboard = new InlineKeyboard();
  for (const c of p.chosen) keyboard.text(buttonLabel(c.name), cb("rt.lead", c.id)).row();
  keyboard.text(tr.route.cancel, cb("rt.cancel"));
  await editMenu(
    ctx,
    p,
    addressed(
      p,
      tr.route.chooseLead(
        p.incidentId,
        p.chosen.map((c) => c.name),
        // The order is asked of two co-executors or more, where the curator sets it (see pickOrder).
        deps.sla.regulation.coexecutorsInOrder?.value === true && p.chosen.length > 2,
      ),
    ),
    { reply_markup: keyboard },
  );
  return await choose(conversation, p, (data) => p.chosen.find((c) => cb("rt.lead", c.id) === data));
}

/**
 * For an important post, a shortened answer deadline in minutes (null: not shortened) where the
 * regulation lets the curator shorten it (Orenburg p.6); undefined where it is not asked. Routed
 * again, the question says what the deadline is shortened to now; a post shortened and then made
 * «обычное» is asked only whether to keep that shortening.
 */
async function pickShortening(
  conversation: Flow,
  deps: AppDeps,
  ctx: Context,
  p: Picker,
  post: { importance: Importance; shortenedAnswerMinutes: number | null },
): Promise<{ value: number | null | undefined } | { cancelled: Context }> {
  const rule = deps.sla.regulation.steps.answer;
  const fullMinutes = rule.unit === "workingHours" ? (rule.duration ?? 0) * 60 : (rule.duration ?? 0);
  const current = post.shortenedAnswerMinutes;
  const offered =
    post.importance === "normal"
      ? current
        ? [current / 60]
        : []
      : SHORTEN_HOURS.filter((hours) => hours * 60 < fullMinutes);
  if (!rule.curatorMayShorten || offered.length === 0) return { value: undefined };
  // Each shortening with the deadline it gives: the clock runs from detection (p.8), so one already
  // over is not offered (the post would reach its organization overdue); the one in force is.
  const dues = await conversation.external(() => shortenedDues(deps, p.incidentId, offered));
  // After an interim answer the final answer's clock runs (p.13): a shortening of p.8's changes nothing.
  if (dues.interim) return { value: undefined };
  const kept = offered.filter((hours) => hours * 60 === current || (dues.at[hours] ?? Infinity) > dues.now);
  if (kept.length === 0) return { value: undefined };
  const keyboard = new InlineKeyboard();
  for (const hours of kept) {
    const at = dues.at[hours];
    const due = at == null ? null : formatDeadline(new Date(at), deps.sla.timezone);
    const label =
      hours * 60 === current ? tr.route.keepShortened(hours, due) : tr.route.shortenTo(hours, due);
    keyboard.text(label, cb("rt.cut", hours * 60)).row();
  }
  keyboard
    .text(current ? tr.route.unshorten : tr.route.noShorten, cb("rt.cut", 0))
    .row()
    .text(tr.route.cancel, cb("rt.cancel"));
  await editMenu(
    ctx,
    p,
    addressed(
      p,
      tr.route.askShorten(
        p.incidentId,
        t.importance[post.importance],
        fullMinutes / 60,
        // The right to shorten comes with the routing (Orenburg p.6).
        deps.sla.regulation.steps.routing.clause,
        rule.clause,
        current ? current / 60 : null,
      ),
    ),
    { reply_markup: keyboard },
  );
  const cut = await choose(conversation, p, (data) => /^rt\.cut:(\d+)$/.exec(data)?.[1]);
  return "cancelled" in cut ? cut : { value: Number(cut.value) || null };
}

/**
 * The answer's deadline (ms) under each shortening in hours, null where it cannot be told yet; now;
 * and whether an interim answer is out (the first answer's deadline no longer applies).
 */
function shortenedDues(
  deps: AppDeps,
  incidentId: number,
  hours: number[],
): { now: number; at: Record<number, number | null>; interim: boolean } {
  const incident = loadIncident(deps.db, incidentId);
  const interim = Boolean(incident?.answer?.interimPublishedAt);
  const { regulation, workingTime } = deps.sla;
  const at: Record<number, number | null> = {};
  for (const h of hours) {
    const view = incident && { ...incident, shortenedAnswerMinutes: h * 60 };
    at[h] = (view && answerDeadline(view, regulation, workingTime)?.getTime()) ?? null;
  }
  return { now: deps.clock.now().getTime(), at, interim };
}

/**
 * With two or more co-executors, where the curator sets their order (Orenburg p.14): whether they
 * get the post one after another, in the order chosen, or all at once. Elsewhere, all at once.
 */
async function pickOrder(
  conversation: Flow,
  deps: AppDeps,
  ctx: Context,
  p: Picker,
  coexecutors: Chosen[],
): Promise<{ value: boolean } | { cancelled: Context }> {
  const rule = deps.sla.regulation.coexecutorsInOrder;
  if (!rule?.value || coexecutors.length < 2) return { value: false };
  const keyboard = new InlineKeyboard()
    .text(tr.route.inOrder, cb("rt.order", 1))
    .text(tr.route.atOnce, cb("rt.order", 0))
    .row()
    .text(tr.route.cancel, cb("rt.cancel"));
  await editMenu(
    ctx,
    p,
    addressed(
      p,
      tr.route.askOrder(
        p.incidentId,
        coexecutors.map((c) => c.name),
        rule.clause,
      ),
    ),
    { reply_markup: keyboard },
  );
  const order = await choose(conversation, p, (data) => /^rt\.order:([01])$/.exec(data)?.[1]);
  return "cancelled" in order ? order : { value: order.value === "1" };
}

/** The organizations that have the post (short names where they have one), the lead first. */
function holders(incident: Incident): Chosen[] {
  return activeAssignments(incident)
    .sort((a, b) => a.position - b.position)
    .map((a) => ({ id: a.organizationId, name: a.organizationShortName ?? a.organizationName }));
}

/**
 * What changed the post while the curator chose: a routing by another curator since the dialogue
 * began (`routings`: how many it found), who made the latest and where the post is now; and whether
 * the chat's card of it is kept there (a group that is one of its cards' chats: synced on every
 * change), so that it need not be shown again below. `chatId` null: no card there counts.
 */
function changedMeanwhile(
  deps: AppDeps,
  incidentId: number,
  routings: number,
  person: { id: number } | undefined,
  chatId: number | null,
): { routedBy: { who: string; organizations: string[] } | null; cardHere: boolean } {
  const incident = loadIncident(deps.db, incidentId);
  if (!incident) return { routedBy: null, cardHere: false };
  const cardHere =
    chatId !== null &&
    chatId < 0 &&
    cardKeptIn(deps.db, incidentId, chatId) &&
    cardTargets(deps.db, incident).some((target) => target.chatId === chatId);
  const events = incidentEvents(deps.db, incidentId, "route");
  const other = events.slice(0, events.length - routings).find((e) => e.actorId !== person?.id);
  const organizations = holders(incident).map((c) => c.name);
  if (!other || other.actorId === null || organizations.length === 0) return { routedBy: null, cardHere };
  const who = personNames(deps.db, [other.actorId]).get(other.actorId) ?? "";
  return { routedBy: { who, organizations }, cardHere };
}

/** Of the organizations chosen, those an admin has switched off since the list was shown. */
function switchedOff(db: Db, chosen: Chosen[]): Chosen[] {
  return chosen.filter((c) => !getOrganization(db, c.id)?.active);
}

type Outcome = "routed" | "gone" | "decideFirst" | TransitionRefusal | { switchedOff: Chosen[] };

/**
 * Routed again to the lead whose draft is before the curator (say, to add a co-executor): its new
 * part would be for a draft not yet written. The curator decides on this one first — returned for
 * rework, the post can then be routed to it again.
 */
function draftBeforeCurator(db: Db, incidentId: number, leadId: number): boolean {
  const incident = loadIncident(db, incidentId);
  return incident?.row.state === "on_approval" && leadAssignment(incident)?.organizationId === leadId;
}

function summary(
  incidentId: number,
  outcome: Exclude<Outcome, object | "changed">,
  lead: Chosen,
  coexecutors: Chosen[],
  shortenedAnswerMinutes: number | null | undefined,
  inOrder: boolean,
  firstInTurn: number | null,
  unshortened: boolean,
): string {
  if (outcome === "routed") {
    const hours = shortenedAnswerMinutes ? shortenedAnswerMinutes / 60 : null;
    const first = coexecutors.find((c) => c.id === firstInTurn)?.name ?? null;
    const routed = tr.route.routed(
      incidentId,
      lead.name,
      coexecutors.map((c) => c.name),
      hours,
      inOrder,
      first,
    );
    return unshortened ? `${routed}\n${tr.route.unshortened}` : routed;
  }
  if (outcome === "decideFirst") return tr.route.decideFirst(incidentId, lead.name);
  if (outcome === "forbidden") return tr.route.notCurator;
  return tr.closed(incidentId);
}

/**
 * The co-executors whose part, given in turn (Orenburg p.14), may come after the lead's draft is due
 * (p.9), said to the curator who routed the post; null when none.
 */
function pastDraftWarning(deps: AppDeps, incidentId: number, coexecutors: Chosen[]): string | null {
  const incident = loadIncident(deps.db, incidentId);
  const { regulation, workingTime, timezone } = deps.sla;
  const late = incident && partsPastDraft(incident, regulation, workingTime);
  if (!late) return null;
  return tr.route.partsPastDraft(
    formatDeadline(late.draft.at, timezone),
    late.draft.clause,
    late.parts.map(({ part, at }) => ({
      name: coexecutors.find((c) => c.id === part.organizationId)?.name ?? part.organizationName,
      at: formatDeadline(at, timezone),
    })),
  );
}

/**
 * What a routing made is told: the organizations' cards and, in order, the first co-executor's turn
 * (Orenburg p.14); parts given before and kept go to a lead that has not had them; an organization
 * it was taken from hears so; the posts on the same topic and place still waiting to be routed are
 * offered to route the same way (their cards change only if the routing offered does). `before`:
 * the post as this routing found it (handled again after a crash, as it was then).
 */
export async function announceRouting(
  deps: AppDeps,
  api: Api,
  log: Logger,
  { incident, before }: { incident: Incident; before: Incident },
  inOrder: boolean,
): Promise<void> {
  await announceEach(
    log,
    "routing",
    () => syncHandOver(deps, api, incident, before),
    () => tellLeadOfKeptParts(deps, api, incident),
    async () => {
      if (inOrder) await tellTurnCame(deps, api, incident, { atRouting: true });
    },
    () => tellTakenFrom(deps, api, before, incident),
    () => tellHeadsRouted(cardDeps(deps, api), incident),
    async () => {
      // In a surge of posts routed one by one the same way, the waiting cards stay as they are.
      const now = deps.clock.now();
      if (before.state === "registered" && !alikeOfferChanged(deps.db, incident.row, now)) return;
      for (const id of waitingAlike(deps.db, incident.row, now)) {
        const waiting = loadIncident(deps.db, id);
        if (waiting) await syncCards(cardDeps(deps, api), waiting);
      }
    },
  );
}

/**
 * What the curator who routed the post is told besides where it went: in order, the co-executor
 * holding the turn now (one that gave its part before is passed over), and the warnings — an
 * organization without a work chat gets its card in its executors' private chats (whose, those on
 * leave left out), nobody of it the bot can reach (invites not used yet, all on leave) would leave
 * the post unseen until the first reminder, and in order a later part may be due after the lead's
 * draft (p.9 does not move for it: the curator may route again «Одновременно» or let it be).
 */
export function routedReport(
  deps: AppDeps,
  incidentId: number,
  chosen: Chosen[],
  coexecutors: Chosen[],
  inOrder: boolean,
): { firstInTurn: number | null; warnings: string[] } {
  const { db } = deps;
  const away = awayChats(db, leaveToday(deps));
  const named = (ids: number[]) => ids.map((id) => personName(db, id));
  const withoutChat = chosen
    .filter((c) => chatOfOrganization(db, c.id) === undefined)
    .map((c) => {
      const reachable = reachableMembers(db, [c.id]);
      return {
        name: c.name,
        // One on leave gets no new card (see syncNow).
        privately: named(reachable.filter((id) => !away.has(id))),
        away: named(reachable.filter((id) => away.has(id))),
        // Its executors are there but block the bot: they are the ones to act.
        blocking: named(telegramIdsOfMembers(db, [c.id]).filter((id) => !reachable.includes(id))),
      };
    });
  const nobodyThere = withoutChat.filter((o) => o.privately.length === 0);
  const holding = inOrder
    ? loadIncident(db, incidentId)
        ?.assignments.filter(
          (a) => a.role === "coexecutor" && (a.state === "assigned" || a.state === "accepted"),
        )
        .sort((a, b) => a.position - b.position)[0]
    : undefined;
  const warnings = [
    ...withoutChat.filter((o) => o.privately.length > 0).map((o) => tr.route.privately(o.name, o.privately)),
    inOrder ? pastDraftWarning(deps, incidentId, coexecutors) : null,
    nobodyThere.length > 0 ? tr.route.nobodyThere(nobodyThere) : null,
  ];
  return {
    firstInTurn: holding?.organizationId ?? null,
    warnings: warnings.filter((w): w is string => Boolean(w)),
  };
}

export function routeFlow(deps: AppDeps) {
  return async function routeIncidentDialog(conversation: Flow, ctx: Context, incidentId: number) {
    aboutPost(conversation, incidentId);
    const start = await conversation.external(() => {
      const incident = loadIncident(deps.db, incidentId);
      return (
        incident && {
          version: incident.row.version,
          importance: incident.row.importance,
          shortenedAnswerMinutes: incident.row.shortenedAnswerMinutes,
          now: holders(incident),
          routings: incidentEvents(deps.db, incidentId, "route").length,
        }
      );
    });
    if (!start) {
      await ctx.reply(tr.notFoundNumber(incidentId));
      return;
    }
    const view = await conversation.external(() => searchPage(deps.db, "", 0));
    if (view.items.length === 0) {
      await ctx.reply(tr.route.noOrganizations);
      return;
    }
    const owner = ctx.chat?.type === "private" || !ctx.from ? null : await addressee(conversation, ctx.from);
    const first = { incidentId, owner, now: start.now, chosen: [] as Chosen[], query: "", view };
    const shown = render(first);
    const menu = await sendMenu(ctx, owner, shown);
    const p: Picker = { ...first, menu, shown };

    // Until routed: an organization switched off meanwhile sends the curator back to the list.
    for (;;) {
      const picked = await pickOrganizations(conversation, deps, ctx, p);
      if (picked) return await cancel(ctx, p, picked.cancelled);
      const [lead] = p.chosen;
      if (!lead) continue;
      const cut = await pickShortening(conversation, deps, ctx, p, start);
      if ("cancelled" in cut) return await cancel(ctx, p, cut.cancelled);
      const shortenedAnswerMinutes = cut.value;
      const coexecutors = p.chosen.filter((c) => c.id !== lead.id);
      const order = await pickOrder(conversation, deps, ctx, p, coexecutors);
      if ("cancelled" in order) return await cancel(ctx, p, order.cancelled);
      const inOrder = order.value;

      const outcome = await conversation.external(async (outer): Promise<Outcome> => {
        if (!outer.person) return "gone";
        const off = switchedOff(deps.db, p.chosen);
        if (off.length > 0) return { switchedOff: off };
        if (draftBeforeCurator(deps.db, incidentId, lead.id)) return "decideFirst";
        const result = routeIncident(deps.db, {
          incidentId,
          expectedVersion: start.version,
          leadId: lead.id,
          coexecutorIds: coexecutors.map((c) => c.id),
          inOrder,
          rules: actionRules(deps.sla.regulation),
          actor: outer.person,
          now: deps.clock.now(),
          ...(shortenedAnswerMinutes !== undefined ? { shortenedAnswerMinutes } : {}),
        });
        if (!result.ok) return result.refusal;
        await announceRouting(deps, outer.api, outer.log, result, inOrder);
        return "routed";
      });

      if (typeof outcome === "object") {
        const off = outcome.switchedOff;
        p.chosen = p.chosen.filter((c) => !off.some((o) => o.id === c.id));
        p.view = await conversation.external(() => searchPage(deps.db, p.query, p.view.page));
        const names = off.map((c) => c.name);
        await editMenu(ctx, p, t.org.switchedOffWhileRouting(names));
        if (p.view.items.length === 0 && p.query === "") {
          await ctx.reply(tr.route.noOrganizations);
          return;
        }
        await showAnew(ctx, p);
        continue;
      }
      if (outcome === "changed") {
        const chatId = p.menu.chat.id;
        // In a forum the chat's card may be in another topic: it is shown in this one.
        const inTopic = topicOf(p.menu) !== undefined;
        const meanwhile = await conversation.external(async (outer) => {
          const found = changedMeanwhile(
            deps,
            incidentId,
            start.routings,
            outer.person,
            inTopic ? null : chatId,
          );
          const incident = found.cardHere && loadIncident(deps.db, incidentId);
          if (incident) await syncCards(cardDeps(deps, outer.api), incident);
          return found;
        });
        const { routedBy, cardHere } = meanwhile;
        await editMenu(
          ctx,
          p,
          routedBy
            ? tr.route.routedMeanwhile(incidentId, routedBy.organizations, routedBy.who)
            : tr.route.changed(incidentId, !cardHere),
        );
        if (!cardHere)
          await conversation.external((outer) =>
            showCardIn(deps, outer.api, incidentId, chatId, outer.person, topicOf(p.menu)),
          );
        return;
      }
      const report =
        outcome === "routed"
          ? await conversation.external(() => routedReport(deps, incidentId, p.chosen, coexecutors, inOrder))
          : { firstInTurn: null, warnings: [] };
      const unshortened = start.shortenedAnswerMinutes !== null && shortenedAnswerMinutes === null;
      const text = summary(
        incidentId,
        outcome,
        lead,
        coexecutors,
        shortenedAnswerMinutes,
        inOrder,
        report.firstInTurn,
        unshortened,
      );
      await editMenu(ctx, p, [text, ...report.warnings].join("\n\n"));
      return;
    }
  };
}
