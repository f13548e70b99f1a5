import { createConversation } from "@grammyjs/conversations";
import { GrammyError, InlineKeyboard } from "grammy";
import { telegramIdOf } from "../../app/answer-queries.js";
import { incidentEvents } from "../../app/audit.js";
import { findBoundChat } from "../../app/chats.js";
import {
  changePostDetail,
  DETAIL_ACTIONS,
  detailsEditable,
  staleFor,
  type TypedDetail,
} from "../../app/importance.js";
import {
  acceptedByOf,
  closedAt,
  type HistoryEntry,
  incidentHistory,
  incidentsWithWords,
  mayViewIncident,
  namesAtTheTime,
  organizationNames,
  organizationsInvolved,
  organizationsNamed,
  personNames,
  visibleOrganizations,
} from "../../app/incident-queries.js";
import {
  acceptIncident,
  holderOf,
  type Incident,
  incidentsAtLink,
  loadIncident,
  openIncidents,
  routedAlike,
  routeIncident,
  routingMark,
  takeOverIncident,
} from "../../app/incidents.js";
import { leaveOf, leaveToday, present } from "../../app/leave.js";
import { isBlocked } from "../../app/people.js";
import { hasRole, type Person } from "../../domain/access.js";
import { clip } from "../../domain/clip.js";
import {
  type ActionRules,
  actionRules,
  activeAssignments,
  checkAction,
  type Importance,
  type IncidentAction,
  type IncidentState,
  type ListedDeadline,
  leadAssignment,
  listedDeadline,
  type NextDeadline,
  partsGivenOut,
  runningDeadlines,
} from "../../domain/incident.js";
import { wordsNotIn } from "../../domain/names.js";
import type { StepId } from "../../domain/regulation/index.js";
import { NETWORK_NAMES, type Network, parseSourceLink } from "../../domain/source-link.js";
import { formatDeadline, formatDeadlineShort, formatRemaining } from "../../domain/time-format.js";
import { addressedToOther } from "../../flows/ask.js";
import {
  detailFlow,
  detailRefusal,
  detailsMenu,
  LEVELS,
  type MenuAt,
  postDateFlow,
  postLinkFlow,
  refreshMenu,
  repeatFlow,
} from "../../flows/importance.js";
import { partFlow, returnFlow } from "../../flows/incident-answers.js";
import { announceDetail, snippet } from "../../flows/intake.js";
import { announceRouting, routedReport, routeFlow } from "../../flows/routing.js";
import { listedAsDigest } from "../../jobs/morning.js";
import { afterTurn } from "../after-turn.js";
import { cb, ID, MARK, onAction } from "../callback-data.js";
import { heldByNobody, partStateText, syncCards } from "../cards.js";
import { Features } from "../composer.js";
import type { AppDeps, BotContext } from "../context.js";
import {
  announceEach,
  cardDeps,
  oncePerUpdate,
  sendLong,
  showCardIn,
  splitMessage,
  topicOf,
} from "../delivery.js";
import { openDialog } from "../dialogs.js";
import { cardButtons } from "../keyboards.js";
import { refuse } from "../refuse.js";
import { stepLabel, t } from "../texts.js";
import { type ListFilter, tr } from "../texts-incidents.js";
import { tp } from "../texts-people.js";

const OPEN_STATES: IncidentState[] = [
  "registered",
  "assigned",
  "in_work",
  "on_approval",
  "approved",
  "awaiting_final",
];
const FILTER_STATES: Record<ListFilter, IncidentState[]> = {
  registered: ["registered"],
  assigned: ["assigned"],
  in_work: ["in_work", "on_approval", "approved", "awaiting_final"],
  on_approval: ["on_approval"],
  overdue: OPEN_STATES,
  all: OPEN_STATES,
};
const LIST_FILTERS = Object.keys(FILTER_STATES).join("|");
const FILTERS_PER_ROW = 3;
/** Posts a page of /list shows at most: twenty lines read on a phone; «▶ Ещё» shows the next. */
const LIST_PAGE = 20;
/** A list's line: its post's topic and place, each this long at most, and the start of its text. */
const ABOUT_SHOWN = 40;
const TEXT_SHOWN = 60;
/** A holder's name on a list's line, cut so: the lines must fit in one message. */
const HOLDER_LIMIT = 40;
const MESSAGE_LIMIT = 4096;
/** A post's text as «История» quotes a correction of it: its start. */
const HISTORY_TEXT = 100;

/** Routing, executors' actions on cards, lists, search and history. */
export function incidentsFeature(deps: AppDeps): Features<BotContext> {
  const composer = new Features<BotContext>();
  composer.use(createConversation(routeFlow(deps), "incident.route"));
  composer.use(createConversation(returnFlow(deps), "incident.return"));
  composer.use(createConversation(partFlow(deps), "incident.part"));
  composer.use(createConversation(detailFlow(deps), "incident.detail"));
  composer.use(createConversation(repeatFlow(deps), "incident.repeat"));
  composer.use(createConversation(postDateFlow(deps), "incident.postDate"));
  composer.use(createConversation(postLinkFlow(deps), "incident.link"));

  composer.callbackQuery(onAction("inc.route", [ID]), (ctx) => startDialog(ctx, "route"));
  // «Направить» (a post waiting to be routed): pressed once a colleague routed it, it routes nothing
  // anew; taking the post elsewhere is «Переназначить», said so.
  composer.callbackQuery(onAction("inc.routenew", [ID]), (ctx) => {
    const id = Number(arg(ctx));
    const incident = loadIncident(ctx.app.db, id);
    const lead = incident && leadAssignment(incident);
    if (incident && incident.state !== "registered" && lead && hasRole(ctx.person, "curator"))
      return popup(ctx, tr.route.alreadyRouted(id, lead.organizationShortName ?? lead.organizationName));
    return startDialog(ctx, "route");
  });
  composer.callbackQuery(onAction("inc.routeas", [ID, ID, MARK]), routeAlike);
  // An organization's buttons name it (`inc.accept:12:3`); cards sent before that do not (`inc.accept:12`).
  for (const args of [[ID], [ID, ID]]) {
    composer.callbackQuery(onAction("inc.return", args), (ctx) => startDialog(ctx, "return"));
    composer.callbackQuery(onAction("inc.part", args), (ctx) => startDialog(ctx, "sendPart"));
    composer.callbackQuery(onAction("inc.accept", args), accept);
  }
  composer.callbackQuery(onAction("inc.take", [ID, ID]), askTakeOver);
  composer.callbackQuery(onAction("inc.takeok", [ID, ID, ID, ID]), takeOver);
  composer.callbackQuery(onAction("inc.takeno", [ID, ID]), cancelTakeOver);
  composer.callbackQuery(onAction("inc.edit", [ID]), openDetailsMenu);
  composer.callbackQuery(onAction("imp.set", [ID, LEVELS.join("|"), ID]), setImportance);
  composer.callbackQuery(onAction("imp.ask", [ID, "topic|place|text|author", ID]), askDetail);
  composer.callbackQuery(onAction("imp.rep", [ID, ID]), askRepeat);
  composer.callbackQuery(onAction("imp.date", [ID, ID]), askPostDate);
  composer.callbackQuery(onAction("imp.link", [ID, ID]), askPostLink);
  composer.callbackQuery(onAction("imp.close", [ID]), closeDetailsMenu);
  composer.callbackQuery(onAction("inc.text", [ID]), fullText);
  composer.callbackQuery(onAction("inc.hist", [ID]), history);
  composer.callbackQuery(onAction("inc.show", [ID]), showFromList);
  // A filter's first page (`inc.list:overdue`), or a page from its post (`inc.list:overdue:20`); a
  // list of one organization's posts sent privately pages over that organization (`inc.list:all:20:3`).
  for (const args of [[LIST_FILTERS], [LIST_FILTERS, ID], [LIST_FILTERS, ID, ID]])
    composer.callbackQuery(onAction("inc.list", args), listPage);
  composer.command("list", list);
  composer.command("find", find);
  composer.callbackQuery(/^(rt|ans|dt)\./, (ctx) => {
    // A routing menu names its curator (see flows/routing.ts): a colleague is told whose it is.
    const owner = ctx.callbackQuery.data.startsWith("rt.") ? addressedToOther(ctx) : undefined;
    return ctx.answerCallbackQuery({
      text: owner
        ? tr.route.othersMenu(owner)
        : ctx.chat?.type === "private"
          ? tr.dialogOver
          : t.othersDialog,
      show_alert: true,
    });
  });
  return composer;
}

/** The argument a handler matched: a command's text, or the first group of a button's pattern. */
function arg(ctx: BotContext): string {
  return typeof ctx.match === "string" ? ctx.match : (ctx.match?.[1] ?? "");
}

/**
 * The organization a button acts for: the one it names after the incident's number; on a card sent
 * before buttons named it, the organization whose work chat it is in (none in a private chat).
 */
function buttonOrganization(ctx: BotContext): number | undefined {
  const second = typeof ctx.match === "string" ? undefined : ctx.match?.[2];
  if (second !== undefined) return Number(second);
  const chatId = ctx.chat?.id;
  return (chatId !== undefined ? findBoundChat(ctx.app.db, chatId)?.organizationId : undefined) ?? undefined;
}

const popup = (ctx: BotContext, text: string) => ctx.answerCallbackQuery({ text, show_alert: true });

const DIALOGS = { route: "incident.route", return: "incident.return", sendPart: "incident.part" } as const;

/** Why this person may not do this to the incident now, in words; undefined when they may. */
function refusalText(
  db: AppDeps["db"],
  incident: Incident,
  action: IncidentAction,
  person: Person | undefined,
  organizationId?: number,
) {
  const id = incident.id;
  const refusal = checkAction(incident, action, person, undefined, organizationId);
  if (refusal === undefined) return undefined;
  // The button's organization, if it names one the person belongs to; else all of theirs.
  const own = person?.organizationIds ?? [];
  const organizations =
    organizationId === undefined ? own : own.includes(organizationId) ? [organizationId] : [];
  if (refusal === "forbidden") {
    if (action === "route") return tr.route.notCurator;
    if (action === "sendPart") {
      const mine = (a: { organizationId: number }) => organizations.includes(a.organizationId);
      const dropped = incident.assignments.some(mine) && !activeAssignments(incident).some(mine);
      return dropped ? tr.accept.withdrawn(id) : tr.part.notCoexecutor(id);
    }
    if (own.length === 0) return tr.accept.executorsOnly(id);
    const involved = organizations.length > 0 ? organizationsInvolved(db, id, organizations) : [];
    return involved.length > 0 ? tr.accept.withdrawn(id) : tr.accept.notAssigned(id);
  }
  if (incident.row.state === "closed") return tr.closed(id);
  const waiting = incident.assignments.some(
    (a) => a.state === "queued" && organizations.includes(a.organizationId),
  );
  if (waiting && action !== "route") return tr.accept.notYourTurn(id);
  if (action === "route") return tr.route.wrongState(id, tr.shortState[incident.row.state]);
  const taken = organizations.length > 0 && acceptedByOf(db, id, organizations);
  if (action === "accept" && taken) return tr.accept.taken(`${taken.person}, ${taken.organization}`);
  return tr.accept.wrongState(id, tr.shortState[incident.row.state]);
}

/** The buttons that open a dialogue: rights and state are checked first, so a refusal is a pop-up. */
async function startDialog(ctx: BotContext, action: keyof typeof DIALOGS) {
  const id = Number(arg(ctx));
  const incident = loadIncident(ctx.app.db, id);
  if (!incident) return popup(ctx, tr.notFoundNumber(id));
  const organizationId = action === "route" ? undefined : buttonOrganization(ctx);
  const refusal = refusalText(ctx.app.db, incident, action, ctx.person, organizationId);
  if (refusal) return popup(ctx, refusal);
  if (organizationId === undefined) await openDialog(ctx, DIALOGS[action], id);
  else await openDialog(ctx, DIALOGS[action], id, organizationId);
}

/**
 * «Направить так же: Минздрав, Минобр» (`inc.routeas:<id>:<version>:<mark>`): one tap routes the
 * post as the post on its topic and place routed last is routed now — the lead and co-executors in
 * their order, through the same transition and notices as «Направить», not its shortened deadline
 * (a curator shortens one post at a time, Orenburg p.6). Only the routing the button offered (its
 * routingMark) is made, and only while the post is as shown: of two presses, or a press and a
 * colleague's routing, one routes. Refusals are told from what the routing found, as accept() does:
 * handled again after a crash, the routing this update made is announced, not refused.
 */
async function routeAlike(ctx: BotContext) {
  const { db, clock, sla } = ctx.app;
  const id = Number(arg(ctx));
  if (!ctx.person) return refuse(ctx);
  const incident = loadIncident(db, id);
  if (!incident) return popup(ctx, tr.notFoundNumber(id));
  const routing = routedAlike(db, incident.row, clock.now());
  const offered = routing && routingMark(routing) === ctx.match?.[3] ? routing : undefined;
  if (!offered) return refuseAlike(ctx, id, routing === undefined);
  const result = routeIncident(db, {
    incidentId: id,
    expectedVersion: Number(ctx.match?.[2]),
    leadId: offered.lead.id,
    coexecutorIds: offered.coexecutors.map((o) => o.id),
    inOrder: offered.inOrder,
    rules: actionRules(sla.regulation),
    actor: ctx.person,
    now: clock.now(),
  });
  if (!result.ok) return refuseAlike(ctx, id, false);
  const { incidentId: exampleId, lead: to, coexecutors, inOrder } = offered;
  afterTurn(ctx, "routing", async () => {
    await ctx.answerCallbackQuery({ text: tr.route.routedAlike(id, exampleId, to.name, coexecutors) });
    await announceRouting(ctx.app, ctx.api, ctx.log, result, inOrder);
    // What the curator must know besides (no work chat, nobody to get it) is said in the chat.
    const { warnings } = routedReport(ctx.app, id, [to, ...coexecutors], coexecutors, inOrder);
    if (warnings.length > 0) await ctx.reply(warnings.join("\n\n"));
  });
}

/**
 * Why «Направить так же» routed nothing, told from the post as it is now. `gone`: no post on its
 * topic and place is with organizations now (returned, closed, one switched off). A routing the card
 * no longer offers is not made: the card is brought up to date, with the routing there is now, if any.
 */
async function refuseAlike(ctx: BotContext, id: number, gone: boolean) {
  const { db } = ctx.app;
  const incident = loadIncident(db, id);
  if (!incident) return popup(ctx, tr.notFoundNumber(id));
  const refusal = refusalText(db, incident, "route", ctx.person);
  if (refusal) return popup(ctx, refusal);
  const lead = leadAssignment(incident);
  if (incident.state !== "registered" && lead)
    return popup(ctx, tr.route.alreadyRouted(id, lead.organizationShortName ?? lead.organizationName));
  await popup(ctx, gone ? tr.route.alikeGone(id) : tr.route.alikeStale(id));
  await syncCards(cardDeps(ctx.app, ctx.api), incident);
}

/** «Взять в работу»: one tap; of two simultaneous presses exactly one wins. */
async function accept(ctx: BotContext) {
  const { db, clock } = ctx.app;
  const id = Number(arg(ctx));
  const organizationId = buttonOrganization(ctx);
  if (!ctx.person) return refuse(ctx);
  const result = acceptIncident(db, { incidentId: id, organizationId, actor: ctx.person, now: clock.now() });
  if (!result.ok) {
    const incident = loadIncident(db, id);
    const refusal = incident && refusalText(db, incident, "accept", ctx.person, organizationId);
    return popup(ctx, incident ? (refusal ?? t.refusal) : tr.notFoundNumber(id));
  }
  afterTurn(ctx, "acceptance", async () => {
    await ctx.answerCallbackQuery({ text: tr.accept.done(id) });
    await syncCards(cardDeps(ctx.app, ctx.api), result.incident);
  });
}

/**
 * «Взять себе» on an organization's card: a colleague takes over what another holds (one away on
 * leave, say). Handing over someone's work is not to happen by a stray tap: it asks first, of the
 * presser alone (`inc.takeok:<id>:<organization>:<version>:<person>`), and the answer is taken only
 * while the post is as it was asked about.
 */
async function askTakeOver(ctx: BotContext) {
  const { db } = ctx.app;
  const id = Number(arg(ctx));
  const organizationId = Number(ctx.match?.[2]);
  const incident = loadIncident(db, id);
  if (!incident) return popup(ctx, tr.notFoundNumber(id));
  if (!ctx.person) return refuse(ctx);
  const refusal = takeOverRefusal(db, incident, ctx.person, organizationId);
  if (refusal) return popup(ctx, refusal);
  const part = activeAssignments(incident).find((a) => a.organizationId === organizationId);
  const holder = part && holderOf(incident, part);
  if (!part || holder == null) return popup(ctx, t.refusal);
  await ctx.answerCallbackQuery();
  const card = ctx.callbackQuery?.message?.message_id;
  const version = incident.row.version;
  const leave = leaveOf(db, holder, leaveToday(ctx.app));
  const name = tp.leave.named(personNames(db, [holder]).get(holder) ?? "—", leave);
  await ctx.reply(tr.takeOver.confirm(id, name, partName(part)), {
    reply_markup: new InlineKeyboard()
      .text(tr.takeOver.yes, cb("inc.takeok", id, organizationId, version, ctx.person.id))
      .row()
      .text(tr.takeOver.no, cb("inc.takeno", id, ctx.person.id)),
    ...(card !== undefined
      ? { reply_parameters: { message_id: card, allow_sending_without_reply: true } }
      : {}),
  });
}

/** A co-executor's part is named by its organization; the lead's work is the post itself. */
function partName(part: Incident["assignments"][number]): string | undefined {
  return part.role === "coexecutor" ? (part.organizationShortName ?? part.organizationName) : undefined;
}

/** Why this person may not take this organization's part over now, in words; undefined when they may. */
function takeOverRefusal(
  db: AppDeps["db"],
  incident: Incident,
  person: Person,
  organizationId: number,
): string | undefined {
  const refusal = refusalText(db, incident, "takeOver", person, organizationId);
  if (refusal) return refusal;
  const part = activeAssignments(incident).find((a) => a.organizationId === organizationId);
  const holder = part && holderOf(incident, part);
  if (holder === person.id) return tr.takeOver.alreadyYours(incident.id);
  return holder == null ? tr.accept.wrongState(incident.id, tr.shortState[incident.row.state]) : undefined;
}

/** «Да, взять себе»: one transaction; of two at once (or a double tap) exactly one wins. */
async function takeOver(ctx: BotContext) {
  const { db, clock } = ctx.app;
  const id = Number(arg(ctx));
  const organizationId = Number(ctx.match?.[2]);
  if (!ctx.person) return refuse(ctx);
  if (ctx.person.id !== Number(ctx.match?.[4])) return popup(ctx, tr.takeOver.notYourQuestion);
  const result = takeOverIncident(db, {
    incidentId: id,
    organizationId,
    actor: ctx.person,
    now: clock.now(),
    expectedVersion: Number(ctx.match?.[3]),
  });
  if (!result.ok) {
    const incident = loadIncident(db, id);
    if (!incident) return popup(ctx, tr.notFoundNumber(id));
    const refusal =
      takeOverRefusal(db, incident, ctx.person, organizationId) ??
      (result.refusal === "changed" ? tr.takeOver.changed(incident.id) : t.refusal);
    await popup(ctx, refusal);
    await ctx.editMessageReplyMarkup({ reply_markup: new InlineKeyboard() });
    return;
  }
  const event = incidentEvents(db, result.incident.id, "takeOver")[0]?.details ?? {};
  const [from, to] = [event.from, event.to].map((p) => (typeof p === "number" ? p : undefined));
  const names = personNames(
    db,
    [from, to].filter((p) => p !== undefined),
  );
  const name = (p: number | undefined) => (p !== undefined ? names.get(p) : undefined) ?? "—";
  const part =
    event.role === "coexecutor"
      ? result.incident.assignments.find((a) => a.organizationId === organizationId)
      : undefined;
  const draftPassed = event.draftPassed === true;
  const handedOver = [result.incident.id, name(from), name(to), part && partName(part)] as const;
  afterTurn(ctx, "takeOver", async () => {
    await ctx.answerCallbackQuery({ text: tr.takeOver.done(result.incident.id, part && partName(part)) });
    await announceEach(
      ctx.log,
      "takeOver",
      () => ctx.editMessageText(tr.takeOver.handedOver(...handedOver, draftPassed)),
      () => syncCards(cardDeps(ctx.app, ctx.api), result.incident),
      async () => {
        // Told without a sound: someone away is not to be woken by what needs nothing of them; nor
        // told at all while on leave (back, he hears which posts he still holds).
        const chatId = from !== undefined ? telegramIdOf(db, from) : undefined;
        if (chatId === undefined || isBlocked(db, chatId) || present(ctx.app, [chatId]).length === 0) return;
        const text = tr.takeOver.toFormer(...handedOver, draftPassed);
        await sendLong(cardDeps(ctx.app, ctx.api), ctx.api, chatId, text, undefined, {
          quiet: true,
          once: `take-over:${result.incident.id}`,
        });
      },
    );
  });
}

/** «Отмена» of the question (`inc.takeno:<post>:<person asked>`: the post first, as every post's button). */
async function cancelTakeOver(ctx: BotContext) {
  if (ctx.person?.id !== Number(ctx.match?.[2])) return popup(ctx, tr.takeOver.notYourQuestion);
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(tr.takeOver.cancelled);
}

/** The message a button was pressed on: the details menu, which its handlers bring up to date. */
function menuOf(ctx: BotContext): MenuAt | undefined {
  const message = ctx.callbackQuery?.message;
  return message && { chatId: message.chat.id, messageId: message.message_id };
}

/** «Изменить сведения» on the curators' card: the menu, under the card. */
async function openDetailsMenu(ctx: BotContext) {
  const id = Number(arg(ctx));
  const incident = loadIncident(ctx.app.db, id);
  if (!incident) return popup(ctx, tr.notFoundNumber(id));
  if (!hasRole(ctx.person, "curator")) return popup(ctx, tr.edit.notCurator);
  if (!detailsEditable(incident)) return popup(ctx, detailRefusal(ctx.app, id, "wrong_state"));
  await ctx.answerCallbackQuery();
  const { text, keyboard } = detailsMenu(incident, ctx.app.sla.timezone);
  const card = ctx.callbackQuery?.message?.message_id;
  await ctx.reply(text, {
    reply_markup: keyboard,
    ...(card ? { reply_parameters: { message_id: card, allow_sending_without_reply: true } } : {}),
  });
}

/** One tap in the menu: the importance the curator chose, if the post is as the menu showed it. */
async function setImportance(ctx: BotContext) {
  const { db, clock } = ctx.app;
  const id = Number(arg(ctx));
  const level = ctx.match?.[2] as Importance;
  const menu = menuOf(ctx);
  if (!ctx.person) return popup(ctx, tr.edit.notCurator);
  const result = changePostDetail(db, {
    incidentId: id,
    detail: { field: "importance", value: level },
    actor: ctx.person,
    now: clock.now(),
    expectedVersion: Number(ctx.match?.[3]),
  });
  if (!result.ok) {
    if (result.refusal !== "forbidden" && menu)
      await refreshMenu(ctx.api, ctx.app.sla.timezone, menu, loadIncident(db, id));
    return popup(ctx, detailRefusal(ctx.app, id, result.refusal));
  }
  const name = t.importance[level];
  const cut = result.incident.row.shortenedAnswerMinutes;
  const still = level === "normal" && cut ? tr.edit.stillShortened(cut / 60) : "";
  await ctx.answerCallbackQuery({
    text: result.changed ? tr.edit.levelSet(id, name) + still : tr.edit.sameLevel(name),
  });
  if (!result.changed) return;
  await announceEach(
    ctx.log,
    "importance",
    async () => {
      if (menu) await refreshMenu(ctx.api, ctx.app.sla.timezone, menu, result.incident);
    },
    () => announceDetail(cardDeps(ctx.app, ctx.api), "importance", result.incident, result.importanceBefore),
  );
}

/** «Тема», «Место», «Текст поста», «Автор» in the menu: a short dialogue. */
async function askDetail(ctx: BotContext) {
  const subject = ctx.match?.[2] as TypedDetail;
  const version = Number(ctx.match?.[3]);
  const action = DETAIL_ACTIONS[subject];
  await openMenuDialog(ctx, version, action, "incident.detail", (menu) => [subject, version, menu]);
}

/** «Повторное к …» in the menu: a short dialogue, while the post is not linked yet. */
async function askRepeat(ctx: BotContext) {
  const version = Number(ctx.match?.[2]);
  const unlinked = (incident: Incident) => incident.row.repeatOfId === null;
  await openMenuDialog(ctx, version, "markRepeat", "incident.repeat", (menu) => [menu], unlinked);
}

async function askPostDate(ctx: BotContext) {
  const version = Number(ctx.match?.[2]);
  const action = DETAIL_ACTIONS.postedAt;
  await openMenuDialog(ctx, version, action, "incident.postDate", (menu) => [version, menu]);
}

async function askPostLink(ctx: BotContext) {
  const version = Number(ctx.match?.[2]);
  const action = DETAIL_ACTIONS.link;
  await openMenuDialog(ctx, version, action, "incident.link", (menu) => [version, menu]);
}

/**
 * A menu button's dialogue, if the detail is as the menu showed it (not set since its `version`: see
 * staleFor; `action` is the detail's audit action) and `still` holds; otherwise the menu is brought
 * up to date and the curator told why.
 */
async function openMenuDialog(
  ctx: BotContext,
  version: number,
  action: string,
  dialog: string,
  args: (menu: MenuAt) => unknown[],
  still: (incident: Incident) => boolean = () => true,
) {
  const id = Number(arg(ctx));
  const incident = loadIncident(ctx.app.db, id);
  const menu = menuOf(ctx);
  if (!incident || !menu) return popup(ctx, tr.notFoundNumber(id));
  if (!hasRole(ctx.person, "curator")) return popup(ctx, tr.edit.notCurator);
  const refusal = !detailsEditable(incident)
    ? "wrong_state"
    : staleFor(ctx.app.db, incident, action, version) || !still(incident)
      ? "changed"
      : null;
  if (refusal) {
    await refreshMenu(ctx.api, ctx.app.sla.timezone, menu, incident);
    return popup(ctx, detailRefusal(ctx.app, id, refusal));
  }
  await openDialog(ctx, dialog, id, ...args(menu));
}

async function closeDetailsMenu(ctx: BotContext) {
  if (!hasRole(ctx.person, "curator")) return popup(ctx, tr.edit.notCurator);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: new InlineKeyboard() });
}

/** Whether the card may be shown in this chat: bound group chats show only what concerns them. */
export function chatMayShow(ctx: BotContext, incidentId: number): boolean {
  const chat = ctx.chat;
  if (!chat) return false;
  if (chat.type === "private") return true;
  const bound = findBoundChat(ctx.app.db, chat.id);
  if (bound?.purpose === "curators") return true;
  return (
    bound?.organizationId != null &&
    organizationsInvolved(ctx.app.db, incidentId, [bound.organizationId]).length > 0
  );
}

/** Why the card is not shown in this chat: an organization's work chat shows only its own posts. */
function notShownHere(ctx: BotContext, incidentId: number): string {
  const bound = ctx.chat && ctx.chat.type !== "private" ? findBoundChat(ctx.app.db, ctx.chat.id) : undefined;
  return bound?.organizationId != null ? tr.list.otherOrganization(incidentId) : tr.list.onlyHere;
}

/** Long answers to a press in a group go to the presser privately, so the work chat stays readable. */
async function sendToPresser(ctx: BotContext, text: string): Promise<void> {
  const parts = splitMessage(text);
  const from = ctx.from;
  if (from && ctx.chat?.type !== "private") {
    try {
      for (const part of parts)
        await ctx.api.sendMessage(from.id, part, { link_preview_options: { is_disabled: true } });
      await ctx.answerCallbackQuery({ text: tr.view.sentPrivately });
      return;
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error;
    }
  }
  await ctx.answerCallbackQuery();
  for (const part of parts) await ctx.reply(part, { link_preview_options: { is_disabled: true } });
}

/** The importances the heads with «Срочные» hear of at once (Orenburg p.21; Georgievsk p.24). */
const heardAtOnce = (ctx: BotContext) => ctx.app.sla.regulation.significantRecipients.importance;

async function viewable(ctx: BotContext): Promise<Incident | undefined> {
  const id = Number(arg(ctx));
  const incident = loadIncident(ctx.app.db, id);
  if (!incident) {
    await popup(ctx, tr.notFoundNumber(id));
    return undefined;
  }
  if (!mayViewIncident(ctx.app.db, id, ctx.person, heardAtOnce(ctx))) {
    await popup(ctx, ctx.person ? tr.notYours(id) : t.refusal);
    return undefined;
  }
  return incident;
}

async function fullText(ctx: BotContext) {
  const incident = await viewable(ctx);
  if (!incident) return;
  if (!incident.row.text) return popup(ctx, tr.view.noText(incident.id));
  await sendToPresser(ctx, `${tr.view.fullTextTitle(incident.id)}\n\n${incident.row.text}`);
}

async function history(ctx: BotContext) {
  const incident = await viewable(ctx);
  if (!incident) return;
  const entries = incidentHistory(ctx.app.db, incident.id);
  const names = organizationNames(
    ctx.app.db,
    entries.flatMap((e) => organizationsNamed(e.details)),
  );
  const handedOver = entries.filter((e) => e.action === "takeOver");
  const people = personNames(
    ctx.app.db,
    handedOver.flatMap((e) => [e.details?.from, e.details?.to]).filter((p) => typeof p === "number"),
  );
  const tz = ctx.app.sla.timezone;
  const lines = entries.map((e) =>
    tr.view.historyLine(
      formatDeadline(e.at, tz),
      e.actor ?? tr.view.system,
      describeEvent(e, namesAtTheTime(e, names), tz, people),
      stateName(e.fromState),
      stateName(e.toState),
    ),
  );
  await sendToPresser(ctx, [tr.view.historyTitle(incident.id), ...lines].join("\n"));
}

function stateName(state: string | null): string | null {
  return state === null ? null : (tr.shortState[state as IncidentState] ?? state);
}

/** What the event did, and whose turn it brought when it passed the post on to the next co-executor (Orenburg p.14). */
function describeEvent(
  entry: HistoryEntry,
  names: Map<number, string>,
  timezone: string,
  people: Map<number, string>,
): string {
  const what = describeAction(entry, names, timezone, people);
  const released = entry.details?.released;
  return typeof released === "number"
    ? tr.action.turnCame(what, names.get(released) ?? `№ ${released}`)
    : what;
}

function describeAction(
  entry: HistoryEntry,
  names: Map<number, string>,
  timezone: string,
  people: Map<number, string>,
): string {
  const details = entry.details ?? {};
  const name = (id: unknown) => (typeof id === "number" ? (names.get(id) ?? `№ ${id}`) : undefined);
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  switch (entry.action) {
    case "registered":
      return tr.action.registered;
    case "route": {
      const listed = (...lists: unknown[]) =>
        lists.flatMap((ids) => (Array.isArray(ids) ? ids.map((id) => name(id) ?? "") : []));
      return tr.action.route(
        name(details.leadId),
        listed(details.coexecutorIds),
        details.inOrder === true,
        listed(details.kept, details.keptForApproval),
        listed(details.keptInRework),
      );
    }
    case "accept":
      return tr.action.accept;
    case "takeOver": {
      const person = (id: unknown) => (typeof id === "number" ? people.get(id) : undefined);
      const part = details.role === "coexecutor" ? name(details.organizationId) : undefined;
      return tr.action.takeOver(person(details.from), person(details.to), part);
    }
    case "return":
      return tr.action.return(text(details.reason));
    case "markToxic":
      return tr.action.markToxic;
    case "markThreat":
      return tr.action.markThreat;
    case "markVoid":
      return tr.action.markVoid(details.duplicateOf);
    case "markRepeat":
      return tr.action.markRepeat(details.repeatOfId);
    case "markNotRepeat":
      return tr.action.markNotRepeat;
    case "sendPart":
      return tr.action.sendPart(name(details.organizationId));
    case "releaseTurn":
      return tr.action.releaseTurn;
    case "passOnPart":
      return tr.action.passOnPart(name(details.organizationId));
    case "returnPart":
      return tr.action.returnPart(name(details.organizationId), text(details.comment));
    case "submitDraft":
      return tr.action.submitDraft(details.kind);
    case "approve":
      return tr.action.approve(details.kind);
    case "requestRework":
      return tr.action.requestRework(text(details.comment), details.kind);
    case "publish":
      return tr.action.publish(text(details.link));
    case "publishInterim":
      return tr.action.publishInterim(text(details.link));
    case "askClarification":
      return tr.action.askClarification(text(details.link));
    case "setImportance":
      return tr.action.setImportance(importanceName(details.from), importanceName(details.to));
    case "setTopic":
      return tr.action.setTopic(text(details.to));
    case "setPlace":
      return tr.action.setPlace(text(details.to));
    case "setText": {
      const to = text(details.to);
      return tr.action.setText(to && clip(to.replace(/\s+/g, " "), HISTORY_TEXT));
    }
    case "setAuthor":
      return tr.action.setAuthor(text(details.to));
    case "setLink":
      return tr.action.setLink(text(details.from), text(details.to));
    case "linkGivenUp":
      return tr.action.linkGivenUp(details.to);
    case "setPostedAt": {
      const to = text(details.to);
      return tr.action.setPostedAt(to && formatDeadline(new Date(to), timezone));
    }
    case "qualityMark":
      return tr.action.qualityMark(details.quality);
    case "holderRemoved":
      return tr.action.holderRemoved(name(details.organizationId));
    case "organizationMerged":
      return tr.action.organizationMerged(
        name(details.organizationId),
        name(details.into),
        details.withdrawn !== undefined,
      );
    case "curatorPosts":
      return tr.action.curatorPosts;
    case "curatorGaveUp":
      return tr.action.curatorGaveUp;
    default:
      return entry.action;
  }
}

function importanceName(value: unknown): string | undefined {
  const level = LEVELS.find((l) => l === value);
  return level && t.importance[level];
}

/** What a /list in this chat covers: everything for curators and heads, else the organizations' own. */
type ListScope = { kind: "all" } | { kind: "organizations"; ids: number[] };

function listScope(ctx: BotContext): ListScope | string {
  const visible = visibleOrganizations(ctx.app.db, ctx.person);
  const seesAll = visible === "all";
  if (ctx.chat?.type === "private") {
    if (seesAll) return { kind: "all" };
    return visible.length > 0 ? { kind: "organizations", ids: visible } : tr.list.notAllowed;
  }
  const bound = ctx.chat && findBoundChat(ctx.app.db, ctx.chat.id);
  if (bound?.purpose === "curators") return seesAll ? { kind: "all" } : tr.list.notAllowed;
  const organizationId = bound?.organizationId;
  if (organizationId == null) return tr.list.onlyHere;
  if (seesAll || visible.includes(organizationId)) return { kind: "organizations", ids: [organizationId] };
  return visible.length > 0 ? tr.list.notThisOrganization : tr.list.notAllowed;
}

interface Listed {
  incident: Incident;
  next: ListedDeadline | undefined;
}

/**
 * Open incidents, the overdue first, then the nearest deadline first; those without a running
 * deadline at the end. Each line's deadline and state are what the chat's cards show: an
 * organization's own (a co-executor's part, not the lead's work), and for curators and heads the
 * nearest of anyone's, so that «Просрочены» lists a co-executor's late part too. The deadline is
 * the card's «Срок:», the nearest still ahead, and the line names a step missed before it: the post
 * is overdue all the same. An organization's posts whose part it has given out come last, under
 * their own heading and out of the count. A page from the `from`th post (as many lines as one
 * message holds, LIST_PAGE at most), read anew at each press: one past the end (posts closed
 * meanwhile) is the list's last.
 */
function renderList(deps: AppDeps, scope: ListScope, filter: ListFilter, from = 0) {
  const rows = openIncidents(deps.db, {
    states: FILTER_STATES[filter],
    ...(scope.kind === "organizations" ? { organizationIds: scope.ids } : {}),
  });
  const now = deps.clock.now();
  const all = rows
    .map((row) => loadIncident(deps.db, row.id))
    .filter((incident) => incident !== undefined)
    .map((incident) => listedOf(deps, scope, incident, now));
  const due = (item: Listed) => item.next?.first.at.getTime() ?? Number.POSITIVE_INFINITY;
  const matching = filter === "overdue" ? all.filter((item) => due(item) <= now.getTime()) : all;
  matching.sort((a, b) => due(a) - due(b) || a.incident.id - b.incident.id);
  // A co-executor's part given out owes nothing: not the organization's open work, yet a tap away.
  const givenOut = (item: Listed) =>
    scope.kind === "organizations" && partsGivenOut(item.incident, scope.ids);
  const owed = matching.filter((item) => !givenOut(item));
  const listed = [...owed, ...matching.filter(givenOut)];
  const start = from < listed.length ? from : Math.max(0, listed.length - LIST_PAGE);
  const page = listed.slice(start, start + LIST_PAGE);
  const lines = listLines(deps, scope, page, now);
  const filterName = scope.kind === "all" && filter !== "all" ? tr.list.filters[filter] : "";
  const textOf = (count: number) => {
    const shown = Math.min(count, Math.max(0, owed.length - start));
    const whole = start === 0 && shown === owed.length;
    const title =
      owed.length === 0
        ? tr.list.empty(filterName)
        : tr.list.title(
            filterName,
            owed.length,
            whole || shown === 0 ? undefined : [start + 1, start + shown],
          );
    const timed = page.slice(0, count).some((item) => item.next !== undefined);
    return [
      title,
      ...(timed ? [tr.list.workingTime] : []),
      ...(shown > 0 ? ["", ...lines.slice(0, shown)] : []),
      ...(count > shown ? ["", tr.list.givenOut, ...lines.slice(shown, count)] : []),
    ].join("\n");
  };
  const count = fittingLines(lines.length, textOf);
  const keyboard = cardButtons(page.slice(0, count).map(({ incident }) => incident.id));
  // ◀ ▶ keep the filter. ◀ goes LIST_PAGE posts back: after a page cut short to fit it may show a few
  // of this page's predecessor again, but skips none.
  const left = listed.length - start - count;
  // One organization's list (a private chat's may cover several) keeps to it from page to page.
  const only = scope.kind === "organizations" && scope.ids.length === 1 ? scope.ids : [];
  if (start > 0 || left > 0) rowAfter(keyboard);
  if (start > 0)
    keyboard.text(tr.list.previous, cb("inc.list", filter, Math.max(0, start - LIST_PAGE), ...only));
  if (left > 0) keyboard.text(tr.list.next(left), cb("inc.list", filter, start + count, ...only));
  if (scope.kind === "all") {
    (Object.keys(FILTER_STATES) as ListFilter[]).forEach((key, i) => {
      if (i % FILTERS_PER_ROW === 0) rowAfter(keyboard);
      const label = tr.list.filters[key];
      keyboard.text(key === filter ? `• ${label}` : label, cb("inc.list", key));
    });
  }
  return { text: textOf(count), keyboard, total: listed.length };
}

/** Starts a new row of buttons, unless the last one is still empty (the card buttons' rows end so). */
function rowAfter(keyboard: InlineKeyboard): void {
  if ((keyboard.inline_keyboard.at(-1)?.length ?? 0) > 0) keyboard.row();
}

/** How many lines one message holds: `textOf(count)` is the message with the first `count`. */
function fittingLines(lines: number, textOf: (count: number) => string): number {
  let count = lines;
  while (count > 1 && textOf(count).length > MESSAGE_LIMIT) count--;
  return count;
}

/** A post with the deadline its line shows in this scope. */
function listedOf(deps: AppDeps, scope: ListScope, incident: Incident, now: Date): Listed {
  const { regulation, workingTime } = deps.sla;
  const whose = scope.kind === "all" ? "all" : scope.ids;
  return { incident, next: listedDeadline(incident, regulation, workingTime, whose, now) };
}

/**
 * These posts' lines as the scope's /list shows them; `about` says what each post is about (by
 * default its topic or the start of its text).
 */
function listLines(
  deps: AppDeps,
  scope: ListScope,
  listed: readonly Listed[],
  now: Date,
  about: (incident: Incident) => string | null = (incident) => listAbout(incident.row),
): string[] {
  const { regulation, workingTime, timezone } = deps.sla;
  const rules = actionRules(regulation);
  // An organization's own list need not name it; the curators' and heads' name who holds each post,
  // and the list of someone in several organizations names which of theirs has it: the one whose
  // deadline the line has (a co-executor's part due first, the deadline said to be the part's: on
  // the curators' list, the co-executor late with it, not the lead waiting for it).
  const named = (incident: Incident, next: NextDeadline | undefined) => {
    if (scope.kind === "organizations" && scope.ids.length < 2) return undefined;
    const theirs = activeAssignments(incident)
      .filter((a) => scope.kind === "all" || scope.ids.includes(a.organizationId))
      .sort((a, b) => a.position - b.position);
    const dueFirst = (a: Incident["assignments"][number]) =>
      next !== undefined &&
      a.role === "coexecutor" &&
      runningDeadlines(incident, regulation, workingTime, a.organizationId).some(
        (d) => d.step === next.step && d.at.getTime() === next.at.getTime(),
      );
    const part = next && partStep(next.step) === "coexecutor" ? theirs.find(dueFirst) : undefined;
    if (scope.kind === "all") return part ?? leadAssignment(incident);
    return part ?? theirs.find((a) => a.role === "lead") ?? theirs[0];
  };
  // A co-executor's missed step on the curators' list says whose it is, as their card does.
  const missedStep = (incident: Incident, d: ListedDeadline["missed"][number]) => {
    const step = stepLabel(regulation, d.step, incident.answer?.draftKind);
    const part = activeAssignments(incident).find((a) => a.organizationId === d.organizationId);
    return part ? t.alert.ofOrganization(step, part.organizationShortName ?? part.organizationName) : step;
  };
  return listed.map(({ incident, next: listedNext }) => {
    const next = listedNext?.shown;
    const holder = named(incident, next);
    const part = scope.kind === "organizations" && holder?.role === "coexecutor" ? holder : undefined;
    const deadline = next
      ? tr.list.deadline(
          formatDeadlineShort(next.at, now, timezone),
          formatRemaining(workingTime, next.at, now, true),
          scope.kind === "all" || scope.ids.length > 1 ? partStep(next.step) : undefined,
          listedNext?.missed.map((d) => missedStep(incident, d)),
        )
      : null;
    const state =
      part && part.state !== "queued" ? partStateText(part, rules) : listedState(incident, scope, rules);
    const ended = endedText(deps.db, incident, timezone);
    return tr.list.line(
      incident.id,
      NETWORK_NAMES[incident.row.network as Network] ?? incident.row.network,
      about(incident),
      holder ? clip(holder.organizationShortName ?? holder.organizationName, HOLDER_LIMIT) : null,
      ended ?? deadline,
      ended === undefined ? state : null,
    );
  });
}

/** What tells a list's post apart: its topic and place, each if known, and the start of its text. */
function listAbout(row: Incident["row"]): string | null {
  return tr.list.about(
    snippet(row.topic, ABOUT_SHOWN),
    snippet(row.place, ABOUT_SHOWN),
    snippet(row.text, TEXT_SHOWN),
  );
}

/** How an answered or closed post ended, and when, for its line (/find lists them); undefined while it is open. */
function endedText(db: AppDeps["db"], incident: Incident, timezone: string): string | undefined {
  const { state } = incident.row;
  const at =
    state === "answered"
      ? incident.publications.filter((p) => p.kind === "answer").at(-1)?.publishedAt
      : state === "closed"
        ? closedAt(db, incident.id)
        : undefined;
  return at && tr.list.ended(state === "answered" ? "answered" : "closed", formatDeadline(at, timezone));
}

/** Whether a deadline is of a co-executor's part, or the curators' passing it on; undefined for the lead's. */
function partStep(step: StepId): "coexecutor" | "passOn" | undefined {
  if (step === "coexecutorPassOn") return "passOn";
  return step === "coexecutorPart" || step === "coexecutorRework" ? "coexecutor" : undefined;
}

/** The state a list's line shows: the incident's, or a co-executor's own part's in its organization's list. */
function listedState(incident: Incident, scope: ListScope, rules: ActionRules): string {
  const own =
    scope.kind === "organizations"
      ? activeAssignments(incident).filter(
          (a) => a.state !== "queued" && scope.ids.includes(a.organizationId),
        )
      : [];
  const part = own.every((a) => a.role === "coexecutor") ? own[0] : undefined;
  if (part) return partStateText(part, rules);
  return heldByNobody(incident) ? t.card.heldByNobody : tr.shortState[incident.row.state];
}

/**
 * A chat just bound to an organization (`null`: the curators), or an executor who just joined one,
 * gets its open posts as `/list` shows them there, each card a tap away: it starts with what is
 * owed, not with an empty chat; once, however often the /bind or /start is handled (see
 * oncePerUpdate). A chat's list is its digest of the day. `to`: an executor's private chat other
 * than this one (an admin added him in /people), told quietly.
 */
export async function showOpenPosts(
  ctx: BotContext,
  organizationId: number | null,
  to?: number,
): Promise<void> {
  const scope: ListScope =
    organizationId === null ? { kind: "all" } : { kind: "organizations", ids: [organizationId] };
  const { text, keyboard, total } = renderList(ctx.app, scope, "all");
  if (total === 0 || !ctx.chat) return;
  if (to !== undefined && to !== ctx.chat.id) {
    await sendLong(ctx.app, ctx.api, to, text, keyboard, { quiet: true, once: "open-posts" });
    return;
  }
  await oncePerUpdate(ctx.app, "open-posts", ctx.chat.id, async () => {
    await ctx.reply(text, { reply_markup: keyboard, link_preview_options: { is_disabled: true } });
    return true;
  });
  // A group's list is its digest of the day; an executor's private list is not (no digest goes there,
  // but a curator's own where there is no curators' chat).
  const { db, sla, clock } = ctx.app;
  if (ctx.chat.type !== "private") listedAsDigest(db, sla, ctx.chat.id, clock.now());
}

async function list(ctx: BotContext) {
  const scope = listScope(ctx);
  if (typeof scope === "string") return refuse(ctx, scope);
  const { text, keyboard } = renderList(ctx.app, scope, "all");
  await ctx.reply(text, { reply_markup: keyboard, link_preview_options: { is_disabled: true } });
}

/**
 * A filter or a page of the list pressed: the same message shows it, read anew (posts routed or
 * closed meanwhile are simply as they are now). An organization's list has pages, not filters.
 */
async function listPage(ctx: BotContext) {
  const scope = pageScope(listScope(ctx), ctx.match?.[3]);
  const filter = arg(ctx) as ListFilter;
  if (typeof scope === "string" || (scope.kind !== "all" && filter !== "all"))
    return popup(ctx, typeof scope === "string" ? scope : t.refusal);
  const { text, keyboard } = renderList(ctx.app, scope, filter, Number(ctx.match?.[2] ?? 0));
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(text, { reply_markup: keyboard, link_preview_options: { is_disabled: true } });
}

/** A page of one organization's list: that organization, where the presser's list would show it. */
function pageScope(scope: ListScope | string, organization: string | undefined): ListScope | string {
  if (organization === undefined || typeof scope === "string") return scope;
  const id = Number(organization);
  return scope.kind === "all" || scope.ids.includes(id) ? { kind: "organizations", ids: [id] } : t.refusal;
}

async function showFromList(ctx: BotContext) {
  const incident = await viewable(ctx);
  if (!incident || !ctx.chat) return;
  if (!chatMayShow(ctx, incident.id)) return popup(ctx, notShownHere(ctx, incident.id));
  await ctx.answerCallbackQuery();
  await showCardIn(ctx.app, ctx.api, incident.id, ctx.chat.id, ctx.person, topicOf(ctx.msg));
}

/** Comments under one post registered at its link (Одноклассники, Дзен…) shown by /find at most. */
const FOUND_AT_LINK = 5;
/** Posts a /find by words lists at most, and the shortest query it searches by. */
const FOUND_BY_WORDS = 10;
const SHORTEST_QUERY = 3;
/** An author a line names as why the post was found: a few words, as its topic. */
const MATCHED_SHOWN = 40;
/** The query as its answer repeats it. */
const QUERY_SHOWN = 60;

/**
 * /find 12, /find №12 or /find <link>: the card, if this person may see it; at a link where several
 * comments under one post are registered, each of them this person may see. Anything else is
 * words of the post (a dotted word with no slash, «ул.Ленина», is not taken for a link).
 */
async function find(ctx: BotContext) {
  const person = ctx.person;
  if (!person || !(hasRole(person, "curator") || hasRole(person, "head") || hasRole(person, "executor")))
    return refuse(ctx);
  const query = arg(ctx).trim();
  const number = /^№?\s*(\d{1,12})$/.exec(query)?.[1];
  let ids: number[];
  if (number !== undefined) ids = [Number(number)];
  else {
    const link = query.includes("/") ? parseSourceLink(query) : undefined;
    if (!link?.ok) return findByWords(ctx, person, query);
    ids = incidentsAtLink(ctx.app.db, link.key).map((row) => row.id);
  }
  const first = ids[0];
  if (first === undefined || !loadIncident(ctx.app.db, first)) return ctx.reply(tr.notFound);
  const visible = ids.filter((id) => mayViewIncident(ctx.app.db, id, person, heardAtOnce(ctx)));
  if (visible.length === 0) return ctx.reply(tr.notYours(first));
  const here = visible.filter((id) => chatMayShow(ctx, id));
  if (!ctx.chat || here.length === 0) return refuse(ctx, notShownHere(ctx, first));
  for (const id of here.slice(-FOUND_AT_LINK))
    await showCardIn(ctx.app, ctx.api, id, ctx.chat.id, person, topicOf(ctx.msg));
}

/**
 * Posts whose text, topic, place or author have all the words, newest first, as /list lines with
 * their «№ N» buttons: those this person may see and this chat may show.
 */
async function findByWords(ctx: BotContext, person: Person, query: string) {
  if (query.length < SHORTEST_QUERY) return ctx.reply(tr.find.usage);
  const scope = listScope(ctx);
  if (typeof scope === "string") return refuse(ctx, scope);
  const { db } = ctx.app;
  const words = query.split(/\s+/);
  // Rights are read post by post: only until one more than a message shows is found.
  const found: number[] = [];
  for (const id of incidentsWithWords(db, words)) {
    if (mayViewIncident(db, id, person, heardAtOnce(ctx)) && chatMayShow(ctx, id)) found.push(id);
    if (found.length > FOUND_BY_WORDS) break;
  }
  const shown = clip(query, QUERY_SHOWN);
  if (found.length === 0) return ctx.reply(tr.find.nothing(shown));
  const now = ctx.app.clock.now();
  const listed = found
    .slice(0, FOUND_BY_WORDS)
    .map((id) => loadIncident(db, id))
    .filter((incident) => incident !== undefined)
    .map((incident) => listedOf(ctx.app, scope, incident, now));
  const lines = listLines(ctx.app, scope, listed, now, (incident) => aboutFound(incident, words));
  const textOf = (count: number) =>
    [
      tr.find.byWords(shown),
      ...(listed.slice(0, count).some((item) => item.next !== undefined) ? [tr.list.workingTime] : []),
      "",
      ...lines.slice(0, count),
      ...(found.length > count ? [tr.find.more] : []),
    ].join("\n");
  const count = fittingLines(lines.length, textOf);
  await ctx.reply(textOf(count), {
    reply_markup: cardButtons(listed.slice(0, count).map(({ incident }) => incident.id)),
    link_preview_options: { is_disabled: true },
  });
}

/**
 * What a found post is about, as /list says it, and its author when some of the words are in
 * neither its text, its topic nor its place: the line shows why it was found.
 */
function aboutFound(incident: Incident, words: readonly string[]): string | null {
  const { row } = incident;
  const rest = wordsNotIn([row.text, row.topic, row.place], words);
  const author = snippet(row.author, MATCHED_SHOWN);
  const byAuthor = author && rest.length > 0 && wordsNotIn([row.author], rest).length < rest.length;
  return (
    [listAbout(row), byAuthor ? tr.find.matchedAuthor(author) : null]
      .filter((part) => part !== null)
      .join(" · ") || null
  );
}
