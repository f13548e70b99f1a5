import { createHash } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { type Api, GrammyError, HttpError, InlineKeyboard } from "grammy";
import { QUALITY_MARKS, waitingSameAsApproved } from "../app/answer-queries.js";
import { chatOfOrganization, findBoundChat, findBoundChatByPurpose } from "../app/chats.js";
import { decidedDraftMessages, forgetDraftMessage } from "../app/draft-messages.js";
import { headOf } from "../app/heads.js";
import { detailsEditable } from "../app/importance.js";
import { forgetOpenCardsIn, mayViewIncident } from "../app/incident-queries.js";
import {
  firstAtLink,
  holderOf,
  type Incident,
  loadIncident,
  openIncidents,
  type Routing,
  routedAlike,
  routingMark,
  threatForwardedAt,
} from "../app/incidents.js";
import { awayChats, leaveToday } from "../app/leave.js";
import { cardPaid, oweCard, owedCardsOf } from "../app/owed-cards.js";
import { findPerson, isBlocked, nobodyToPost } from "../app/people.js";
import { lostWindows } from "../app/restores.js";
import type { SlaRuntime } from "../app/sla.js";
import { type Db, preparedPerConnection } from "../db/client.js";
import { cards, incidents, memberships, people } from "../db/schema.js";
import { displayName, hasRole, type Person } from "../domain/access.js";
import { clip } from "../domain/clip.js";
import {
  type ActionRules,
  actionRules,
  activeAssignments,
  answerDeadline,
  closableUnanswered,
  currentDeadline,
  type DraftKind,
  type DraftPurpose,
  earliestDeadline,
  familyOf,
  finalClockMet,
  isOpen,
  isWindow,
  leadAssignment,
  type NextDeadline,
  nextTurn,
  openForRouting,
  partOverdueSince,
  partVersion,
  passOnDeadlines,
  receivedAssignments,
  runningDeadlines,
} from "../domain/incident.js";
import { leaveAsOf } from "../domain/leave.js";
import { type LostWindow, restoreGraceUntil } from "../domain/reminders.js";
import { NETWORK_NAMES, type Network } from "../domain/source-link.js";
import { formatDeadline, formatRemaining } from "../domain/time-format.js";
import { OneAtATime } from "../one-at-a-time.js";
import { cb } from "./callback-data.js";
import { buttonLabel } from "./keyboards.js";
import { chatRefused, isRefusal, type RefusalDeps } from "./refused-chats.js";
import { retireRepeatQuestion } from "./repeat-questions.js";
import { surgeMates } from "./surge.js";
import { closedText, stepLabel, t } from "./texts.js";
import { DRAFT_BUTTON } from "./texts-answers.js";
import { tr } from "./texts-incidents.js";
import { tp } from "./texts-people.js";

/** Who looks at a card decides its buttons: the actions that audience may take now. */
export type Audience =
  | { kind: "curators" }
  /**
   * An organization's work chat, or the private chat of an executor of one or more of them; `named`
   * when that person is in several of the organizations the post is with (one may wait for its turn):
   * the buttons say whose they are (see privateAudience).
   */
  | {
      kind: "organization";
      organizationIds: number[];
      named?: boolean;
      /** The person whose private chat it is: his own holding has no «Взять себе». */
      viewerId?: number;
    }
  /** Anyone else; a work chat's organization named (one waiting for its turn, or that had the post). */
  | { kind: "observer"; organizationId?: number };

export interface CardDeps extends RefusalDeps {
  sla: SlaRuntime;
}

const TEXT_LIMIT = 4096;
const POST_TEXT_LIMIT = 1200;
/** A return's reason or a rework comment on the card; the whole is in «История». */
const NOTE_LIMIT = 500;

function trimmed(text: string, limit: number): { text: string; cut: boolean } {
  return { text: clip(text, limit), cut: text.length > limit };
}

interface Related {
  /** The spans whose deadlines a restore made pass (app/restores.ts): not shown overdue until each ends. */
  lost?: readonly LostWindow[] | undefined;
  /** The incident this one repeats, when it does: its card tells how that one went (Orenburg p.15). */
  earlier?: Incident | undefined;
  /** The names of the people who took the post or a co-executor's part into work, by person id. */
  holders?: ReadonlyMap<number, string> | undefined;
  /** Another comment registered at its post's link: the first incident there (see firstAtLink). */
  sameLinkAs?: number | undefined;
  /** The organizations with more than one executor: a colleague may take over what one holds. */
  staffed?: ReadonlySet<number> | undefined;
  /** A post waiting to be routed: the one routed last on its topic and place (see routedAlike). */
  alike?: Routing | undefined;
  /** The curators': another post whose approved answer is the text of the draft waiting for them. */
  sameAsApproved?: number | undefined;
  /** The curators': the approved answer's lead organization has nobody to post it (see nobodyToPost). */
  nobodyToPost?: boolean | undefined;
  /** The former work chat of an organization merged into another: that one's name (see retireMergedCards). */
  mergedInto?: string | undefined;
  /** A post closed as a threat: when the bot sent it to the competent bodies (threatForwardedAt). */
  threatForwardedAt?: Date | null | undefined;
}

export function renderCard(
  incident: Incident,
  audience: Audience,
  deps: Pick<CardDeps, "sla" | "clock">,
  related: Related = {},
): { text: string; keyboard: InlineKeyboard } {
  const card = composeCard(incident, audience, deps, related);
  if (!card.cut) return card;
  // Organizations are named in full; a card too long for Telegram (many co-executors of long official
  // names, such as schools) names them by their short names rather than lose its last lines.
  const brief = {
    ...incident,
    assignments: incident.assignments.map((a) => ({
      ...a,
      organizationName: shortNameOf(a),
      // Unless renamed since it returned the post: the old name's short one is not known.
      returnedAsName: a.returnedAsName === a.organizationName ? null : a.returnedAsName,
    })),
  };
  return composeCard(brief, audience, deps, related);
}

function composeCard(
  incident: Incident,
  audience: Audience,
  deps: Pick<CardDeps, "sla" | "clock">,
  related: Related,
): { text: string; keyboard: InlineKeyboard; cut: boolean } {
  const { earlier } = related;
  const { row } = incident;
  const { sla } = deps;
  const now = deps.clock.now();
  const rules = actionRules(sla.regulation);
  const lines = [t.card.title(incident.id, NETWORK_NAMES[row.network as Network] ?? row.network), row.link];
  if (related.sameLinkAs !== undefined) lines.push(t.card.sameLinkAs(related.sameLinkAs));
  const post = row.text ? trimmed(row.text, POST_TEXT_LIMIT) : undefined;
  if (post) lines.push("", `«${post.text}»`);
  lines.push("");
  if (row.author) lines.push(`${t.card.author}: ${row.author}`);
  if (row.topic) lines.push(`${t.card.topic}: ${row.topic}`);
  if (row.place) lines.push(`${t.card.place}: ${row.place}`);
  if (row.importance !== "normal") lines.push(`${t.card.importance}: ${t.importance[row.importance]}`);
  const missing = audience.kind === "curators" ? missingDetails(incident, sla.regulation) : undefined;
  if (missing) lines.push(missing);
  const open = row.state !== "closed" && row.state !== "answered";
  // A co-executor's audience sees its own part: its state, who holds it and its deadline, not the lead's;
  // a person of the lead and a co-executor sees the lead's work and the part's holder and deadline.
  const mine = audience.kind === "organization" ? audience.organizationIds : [];
  const live = activeAssignments(incident).filter((a) => open && mine.includes(a.organizationId));
  const ownCoexecutorParts = live.filter((a) => a.role === "coexecutor");
  const seesLead = ownCoexecutorParts.length === 0 || live.some((a) => a.role === "lead");
  // An organization that returned the post (or had it taken to another) keeps its card, told where
  // the post went: another organization's holder and deadlines are not its business.
  const lost = open ? lostParts(incident, audience) : [];
  const handedOver = lost.length > 0 || related.mergedInto !== undefined;
  // One kept on it as a co-executor waiting for its turn has no deadline yet: the lead's are not its.
  const waiting = open && waitsForTurn(incident, audience);
  if (related.mergedInto !== undefined)
    lines.push(`${t.card.state}: ${t.card.mergedInto(related.mergedInto)}`);
  else if (handedOver) lines.push(`${t.card.state}: ${handedOverText(incident, lost)}`);
  else if (waiting) {
    lines.push(`${t.card.state}: ${t.card.waitingTurn}`);
    lines.push(...organizationLines(incident, audience, false, [], related.holders, deps));
  } else {
    lines.push(...stateLines(incident, seesLead ? [] : ownCoexecutorParts, deps.sla, rules, related));
    lines.push(...organizationLines(incident, audience, seesLead, ownCoexecutorParts, related.holders, deps));
  }
  const lead = leadAssignment(incident);
  if (audience.kind === "curators" && related.nobodyToPost && lead)
    lines.push(`⚠️ ${t.card.nobodyToPost(lead.organizationName, rules.curatorMayPublish)}`);
  // Where the post went is all a card handed over says of the work after it: no other's parts,
  // rework or awaited clarification, which its executors could read as theirs.
  for (const part of handedOver ? [] : incident.assignments) {
    if (part.state === "part_sent" && rules.curatorPassesParts && open)
      lines.push(t.card.partForApproval(part.organizationName));
    else if (part.state === "part_sent" || part.state === "part_passed")
      lines.push(t.card.partReceived(part.organizationName));
    else if (part.state === "accepted" && part.partReturnComment && open)
      lines.push(
        t.card.partReturned(part.organizationName, trimmed(part.partReturnComment, NOTE_LIMIT).text),
      );
  }
  for (const returned of incident.assignments.filter((a) => a.state === "returned" && a.returnReason)) {
    lines.push(
      t.card.returned(
        returned.returnedAsName ?? returned.organizationName,
        trimmed(returned.returnReason ?? "", NOTE_LIMIT).text,
      ),
    );
  }
  const rework = handedOver ? undefined : incident.answer?.reworkComment;
  if (rework && (row.state === "in_work" || row.state === "awaiting_final"))
    lines.push(t.card.reworkComment(trimmed(rework, NOTE_LIMIT).text, incident.answer?.draftKind));
  if (row.repeatOfId) lines.push(t.card.repeatOf(row.repeatOfId, earlier && earlierOutcome(earlier, sla)));
  if (audience.kind === "curators" && related.sameAsApproved !== undefined)
    lines.push(t.card.sameAsApproved(related.sameAsApproved));
  for (const publication of incident.publications) {
    lines.push(t.card.publication(publication.kind, publication.link, publication.onTime));
  }
  if (incident.answer?.awaitingClarification && !handedOver) lines.push(t.card.awaitingClarification);
  const since = audience.kind === "curators" ? waitingSince(incident, sla.regulation) : undefined;
  if (since) lines.push(t.card.waitingSince(formatDeadline(since, sla.timezone)));
  // The deadlines end the card and are never cut off: a long card loses the end of what is above them.
  const deadlines =
    handedOver || waiting
      ? []
      : deadlineLines(incident, audience, seesLead, ownCoexecutorParts, sla, now, related.lost);
  const end = deadlines.join("\n");
  const body = trimmed(lines.join("\n"), TEXT_LIMIT - (end ? end.length + 1 : 0));
  return {
    text: end ? `${body.text}\n${end}` : body.text,
    keyboard: buttonsFor(incident, audience, Boolean(post?.cut), rules, related),
    cut: body.cut,
  };
}

type Part = Incident["assignments"][number];

/**
 * Since when the citizen has waited, where the answer's clock counts from the routing (Georgievsk
 * p.16) and a routing anew restarted it: the deadline alone no longer tells how long the post has waited.
 */
function waitingSince(incident: Incident, regulation: SlaRuntime["regulation"]): Date | undefined {
  const { row } = incident;
  if (regulation.steps.answer?.anchor !== "routing" || !row.routedAt) return undefined;
  if (row.state === "answered" || row.state === "closed" || row.state === "awaiting_final") return undefined;
  const leads = incident.assignments.filter((a) => a.role === "lead");
  const routedAgain = leads.some((a) => a.receivedAt.getTime() < (row.routedAt as Date).getTime());
  return routedAgain ? row.detectedAt : undefined;
}

/** What the regulation has the curator name about the post that is still missing (Orenburg p.6), while it may be set. */
function missingDetails(incident: Incident, regulation: SlaRuntime["regulation"]): string | undefined {
  const rule = regulation.routingDetails;
  if (!rule || !detailsEditable(incident)) return undefined;
  const missing = rule.fields.filter((field) => !incident.row[field]);
  return missing.length > 0 ? t.card.missingDetails(missing, rule.clause, tr.edit.button) : undefined;
}

/**
 * The audience's organization had the post and no longer has it (it returned it, or it was taken
 * away): its parts; none when it still has the post or never had it.
 */
function lostParts(incident: Incident, audience: Audience): Incident["assignments"] {
  const organizationIds =
    audience.kind === "organization"
      ? audience.organizationIds
      : audience.kind === "observer" && audience.organizationId !== undefined
        ? [audience.organizationId]
        : [];
  const theirs = incident.assignments.filter((a) => organizationIds.includes(a.organizationId));
  return theirs.every((a) => a.state === "returned" || a.state === "withdrawn") ? theirs : [];
}

/** The old card of an organization whose every live part waits for its turn (it had the post before). */
function waitsForTurn(incident: Incident, audience: Audience): boolean {
  if (audience.kind !== "observer" || audience.organizationId === undefined) return false;
  const theirs = activeAssignments(incident).filter((a) => a.organizationId === audience.organizationId);
  return theirs.length > 0 && theirs.every((a) => a.state === "queued");
}

/**
 * Where a post stands for an organization that no longer has it: back with the curators, elsewhere,
 * or, for a co-executor dropped or that returned it while a lead has it, with that lead.
 */
function handedOverText(incident: Incident, lost: Incident["assignments"]): string {
  const lead = leadAssignment(incident);
  if (!lead) return t.card.backWithCurators;
  const last = lost.reduce((a, b) => (b.id > a.id ? b : a));
  if (last.role === "coexecutor")
    return last.state === "withdrawn"
      ? t.card.droppedCoexecutor(lead.organizationName)
      : t.card.coexecutorReturned(lead.organizationName);
  return t.card.handedOver(lead.organizationName);
}

/**
 * The state: the incident's, or, on the cards of a co-executor that is not also the lead, where its
 * own part stands (each named when it is several organizations' parts).
 */
function stateLines(
  incident: Incident,
  ownParts: Part[],
  sla: SlaRuntime,
  rules: ActionRules,
  { threatForwardedAt }: Related,
): string[] {
  const { closedReason } = incident.row;
  const forwarded = threatForwardedAt ? formatDeadline(threatForwardedAt, sla.timezone) : undefined;
  if (closedReason) return [`${t.card.state}: ${closedText(closedReason, sla.regulation, forwarded)}`];
  if (ownParts.length === 0) return [`${t.card.state}: ${stateText(incident)}`];
  if (ownParts.length === 1) return ownParts.map((part) => `${t.card.state}: ${partStateText(part, rules)}`);
  return ownParts.map(
    (part) => `${t.card.partStateOf(part.organizationName)}: ${partStateText(part, rules)}`,
  );
}

/**
 * The organizations and who holds what: the lead's holder for those who see the lead's work; a
 * co-executor's own holder on its cards; each co-executor's, briefly, on the curators' card and the
 * lead's, which also says which part it waits for is overdue (Orenburg p.14, Georgievsk p.18).
 */
function organizationLines(
  incident: Incident,
  audience: Audience,
  seesLead: boolean,
  ownParts: Part[],
  holders: ReadonlyMap<number, string> | undefined,
  deps: Pick<CardDeps, "sla" | "clock">,
): string[] {
  const { row } = incident;
  const { regulation, workingTime, timezone } = deps.sla;
  const open = row.state !== "closed" && row.state !== "answered";
  const holderOf = (personId: number | null) => (personId === null ? undefined : holders?.get(personId));
  // A co-executor waiting for its turn (Orenburg p.14) is named as such: it has not got the post yet;
  // once the answer is out, its turn will not come, and it is not listed.
  const live = open ? activeAssignments(incident) : receivedAssignments(incident);
  // The lead organization waits for the parts: its cards say where each stands, and which is late.
  const lead = live.find((a) => a.role === "lead");
  const forLead =
    audience.kind === "organization" &&
    lead !== undefined &&
    audience.organizationIds.includes(lead.organizationId);
  const coexecutorName = (a: Part) => {
    if (a.state === "queued") return t.card.queued(a.organizationName);
    if ((audience.kind !== "curators" && !forLead) || !open) return a.organizationName;
    const holder = a.state === "assigned" ? t.card.notTaken : holderOf(a.acceptedBy);
    const late = forLead
      ? partOverdueSince(incident, regulation, workingTime, a.organizationId, deps.clock.now())
      : undefined;
    const notes = [holder, late && t.card.partLate(formatDeadline(late, timezone))];
    return t.card.coexecutor(
      a.organizationName,
      notes.filter((note) => note !== undefined),
    );
  };
  const leads = live.filter((a) => a.role === "lead").map((a) => a.organizationName);
  const coexecutors = live.filter((a) => a.role === "coexecutor").map(coexecutorName);
  const lines: string[] = [];
  if (leads.length > 0) lines.push(`${t.card.lead}: ${leads.join(", ")}`);
  const leadHolder = holderOf(row.holderId);
  if (open && seesLead && leadHolder) lines.push(`${t.card.holder}: ${leadHolder}`);
  if (coexecutors.length > 0) lines.push(`${t.card.coexecutors}: ${coexecutors.join(", ")}`);
  for (const part of ownParts) {
    const holder = holderOf(part.acceptedBy);
    if (holder) lines.push(`${t.card.partHolder(part.organizationName)}: ${holder}`);
  }
  return lines;
}

/**
 * The audience's current deadline (see currentDeadline: the nearest duty still ahead), then its own
 * duty when that is another one (a co-executor's part, Orenburg p.14, Georgievsk p.18; a step
 * overdue; the curators' passing a part on to the lead, Georgievsk p.18), then the answer deadline,
 * and last the window to return the post while it is open (Orenburg p.7, Georgievsk p.10). One who
 * sees the lead's work (`seesLead`) has the lead's clocks, and any own co-executor's part's besides.
 */
function deadlineLines(
  incident: Incident,
  audience: Audience,
  seesLead: boolean,
  ownParts: Part[],
  sla: SlaRuntime,
  now: Date,
  lost: readonly LostWindow[] = [],
): string[] {
  if (incident.row.state === "closed") return [];
  const { regulation, workingTime: wt, timezone } = sla;
  const first = audience.kind === "organization" ? audience.organizationIds[0] : undefined;
  const passOn = audience.kind === "curators" ? passOnDeadlines(incident, regulation, wt) : [];
  const running = runningDeadlines(incident, regulation, wt, seesLead ? undefined : first);
  // When the step due `at` began: its clock's start; else the post's detection, which no step precedes.
  const startOf = (at: Date) =>
    [
      ...running,
      ...passOn,
      ...activeAssignments(incident).flatMap((a) =>
        runningDeadlines(incident, regulation, wt, a.organizationId),
      ),
    ].find((r) => r.at.getTime() === at.getTime())?.start ?? incident.row.detectedAt;
  // A deadline a restore made pass is not shown overdue while the lost step may still be done again.
  const remaining = (at: Date) => {
    const grace = at <= now && lost.length > 0 ? restoreGraceUntil(lost, at, startOf(at)) : undefined;
    return grace && grace > now
      ? t.card.lostWithRestore(formatDeadline(grace, timezone))
      : formatRemaining(wt, at, now);
  };
  const line = (d: NextDeadline, organization?: string) => {
    const step = stepLabel(regulation, d.step, incident.answer?.draftKind);
    const what = organization === undefined ? step : t.alert.ofOrganization(step, organization);
    return `${t.card.deadline}: ${formatDeadline(d.at, timezone)} — ${what} (${d.clause}), ${remaining(d.at)}`;
  };
  // Once the answer is out, its deadline is no longer one to meet: the card says when it was posted.
  const answer = incident.row.state === "answered" ? undefined : answerDeadline(incident, regulation, wt);
  const next = currentDeadline([...running, ...passOn], now, answer);
  const lines: string[] = [];
  const shown: NextDeadline[] = [];
  const show = (d: NextDeadline | undefined) => {
    if (!d || shown.some((s) => s.step === d.step && s.at.getTime() === d.at.getTime())) return;
    shown.push(d);
    lines.push(line(d));
  };
  show(next);
  // A step whose deadline has passed while another's is still ahead stays on the card, «просрочено
  // на …», as its alert said it (the answer deadline says so on its own line).
  for (const d of running)
    if (!isWindow(d.step) && d.at <= now && d.at.getTime() !== answer?.getTime()) show(d);
  const partDue = (part: Part) =>
    runningDeadlines(incident, regulation, wt, part.organizationId).filter((d) => !isWindow(d.step));
  const own = audience.kind === "curators" ? [passOn] : ownParts.map(partDue);
  for (const deadlines of own) show(earliestDeadline(deadlines, now));
  // The curators see a co-executor's part gone overdue, as their alert says it, naming whose it is.
  if (audience.kind === "curators")
    for (const part of activeAssignments(incident).filter((a) => a.role === "coexecutor")) {
      const missed = earliestDeadline(
        partDue(part).filter((d) => d.at <= now),
        now,
      );
      if (missed) lines.push(line(missed, part.organizationShortName ?? part.organizationName));
    }
  if (incident.row.state === "answered") return lines;
  // Once passed, it says so, as a «Срок:» line would: the card may show another step's deadline first.
  const missed = answer && answer <= now ? `, ${remaining(answer)}` : "";
  if (answer && next?.at.getTime() !== answer.getTime())
    lines.push(`${t.card.answerDeadline}: ${formatDeadline(answer, timezone)}${missed}`);
  const met = finalClockMet(incident, regulation, wt);
  if (met) lines.push(t.card.finalDraftSent(formatDeadline(met.at, timezone), met.onTime, met.clause));
  // The window to return the post is a right, not a duty (as /list reads it): last, worded as an
  // option, so that nobody takes it for the deadline to meet.
  for (const d of running)
    if (isWindow(d.step) && d.at > now)
      lines.push(
        t.card.returnWindow(formatDeadline(d.at, timezone), d.clause, formatRemaining(wt, d.at, now)),
      );
  return lines;
}

/** Where a co-executor's own part stands, for its cards (the incident's state is the lead's). */
export function partStateText(part: Part, rules: ActionRules): string {
  const { partState } = t.card;
  switch (part.state) {
    case "assigned":
      return partState.assigned;
    case "accepted":
      if (part.partReturnedAt) return partState.rework;
      return part.acceptedBy === null ? t.card.heldByNobody : partState.accepted;
    case "part_sent":
      return rules.curatorPassesParts ? partState.forApproval : partState.passed;
    default:
      return partState.passed;
  }
}

/** How the earlier incident went: its answer when posted, otherwise where it stands. */
function earlierOutcome(earlier: Incident, sla: SlaRuntime): string {
  const answer = earlier.publications.filter((p) => p.kind === "answer").at(-1);
  if (answer) return t.card.earlierAnswered(formatDeadline(answer.publishedAt, sla.timezone), answer.link);
  return earlier.row.closedReason ? closedText(earlier.row.closedReason, sla.regulation) : stateText(earlier);
}

/**
 * A post in work whose holder left the organization (see releaseHeld): nobody holds it until a
 * colleague sends the next draft.
 */
export function heldByNobody(incident: Incident): boolean {
  return incident.row.state === "in_work" && incident.row.holderId === null;
}

/** The state, and on approval or waiting to be posted, what the draft is when it is not the answer. */
function stateText(incident: Incident): string {
  if (heldByNobody(incident)) return t.card.heldByNobody;
  const { state } = incident.row;
  const kind = incident.answer?.draftKind;
  const what = kind === "interim" || kind === "clarification" ? t.card.draftOf[kind] : undefined;
  return what && (state === "on_approval" || state === "approved")
    ? `${t.state[state]}: ${what}`
    : t.state[state];
}

function buttonsFor(
  incident: Incident,
  audience: Audience,
  textCut: boolean,
  rules: ActionRules,
  { staffed = new Set(), alike }: Pick<Related, "staffed" | "alike">,
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  const id = incident.id;
  const state = incident.row.state;
  if (audience.kind === "curators") {
    if (state === "registered") {
      keyboard.text(t.button.route, cb("inc.route", id)).row();
      // One tap where the post goes where the last one on its topic and place went (a surge). Not
      // which post that was: in a surge each tap would change every waiting card.
      if (alike)
        keyboard
          .text(
            buttonLabel(t.button.routeAlike([alike.lead, ...alike.coexecutors].map((o) => o.name))),
            cb("inc.routeas", id, incident.row.version, routingMark(alike)),
          )
          .row();
    } else if (state === "on_approval") {
      for (const row of decisionButtons(id, incident.answer?.draftId, rules)) keyboard.add(...row).row();
    } else if (state === "approved" && rules.curatorMayPublish) {
      keyboard.text(t.button.publishSelf, cb("inc.pubself", id)).row();
    }
    if (rules.curatorPassesParts && state !== "closed" && state !== "answered") {
      for (const part of incident.assignments.filter((a) => a.state === "part_sent"))
        for (const button of partButtons(id, part)) keyboard.add(button).row();
    }
    // The order is the curator's (Orenburg p.14): he may stop waiting for the co-executor before.
    const next = nextTurn(incident);
    if (next)
      keyboard.text(buttonLabel(t.button.releaseTurn(shortNameOf(next))), cb("inc.turn", id, next.id)).row();
    if (state !== "registered" && openForRouting(state))
      keyboard.text(t.button.reroute, cb("inc.route", id)).row();
    // Also once routed: a post may turn out offensive in work (a reply thread, the executor's word).
    if (closableUnanswered(incident))
      keyboard.text(t.button.toxic, cb("inc.toxic", id)).text(t.button.threat, cb("inc.threat", id)).row();
    if (detailsEditable(incident)) keyboard.text(tr.edit.button, cb("inc.edit", id)).row();
  }
  if (audience.kind === "organization") {
    const parts = activeAssignments(incident).filter((a) =>
      audience.organizationIds.includes(a.organizationId),
    );
    // A person of two organizations on the incident gets each one's buttons, named.
    const named = (label: string, part: Incident["assignments"][number]) =>
      parts.length > 1 || audience.named ? buttonLabel(`${label}: ${shortNameOf(part)}`) : label;
    for (const mine of parts) {
      // The buttons name the organization: a person of two on one incident acts for this part.
      const org = mine.organizationId;
      if (mine.state === "assigned" && isOpen(state)) {
        keyboard
          .text(named(t.button.accept, mine), cb("inc.accept", id, org))
          .text(named(t.button.return, mine), cb("inc.return", id, org));
        keyboard.row();
      } else if (mine.state === "accepted" && mine.role === "coexecutor" && state !== "answered") {
        keyboard.text(named(t.button.sendPart, mine), cb("inc.part", id, org)).row();
      } else if (mine.state === "accepted" && mine.role === "lead") {
        if (state === "in_work" || state === "awaiting_final") {
          const draft = incident.answer?.interimPublishedAt ? t.button.draftFinal : t.button.draft;
          keyboard.text(draft, cb("inc.draft", id)).row();
          if (interimOffered(incident, rules)) keyboard.text(t.button.interim, cb("inc.interim", id));
          keyboard.text(t.button.clarify, cb("inc.clarify", id)).row();
        } else if (state === "approved") {
          keyboard.text(t.button.published, cb("inc.pub", id)).row();
        }
      }
      // Taken into work, the post may still turn out not to be the organization's (the rules allow
      // the return while it is in work; a co-executor's while its part is; after the return window it
      // is a late one).
      if (mine.state === "accepted" && (mine.role === "coexecutor" ? isOpen(state) : state === "in_work"))
        keyboard.text(named(t.button.return, mine), cb("inc.return", id, org)).row();
      // A colleague carries on what another holds (one away on leave, say); not the holder himself.
      const holder = holderOf(incident, mine);
      if (
        mine.state === "accepted" &&
        isOpen(state) &&
        holder !== null &&
        holder !== audience.viewerId &&
        staffed.has(org)
      )
        keyboard.text(named(t.button.takeOver, mine), cb("inc.take", id, org)).row();
    }
  }
  if (textCut) keyboard.text(t.button.fullText, cb("inc.text", id));
  keyboard.text(t.button.history, cb("inc.hist", id));
  return keyboard;
}

/** An organization as its buttons name it: the short name, the full official one is often too long. */
function shortNameOf(
  part: Pick<Incident["assignments"][number], "organizationShortName" | "organizationName">,
) {
  return part.organizationShortName ?? part.organizationName;
}

/** The card's button for each purpose: the same dialogue prepares each, for the curator's approval. */
export const DRAFT_ACTIONS: Record<DraftPurpose, string> = {
  answer: "inc.draft",
  interim: "inc.interim",
  clarification: "inc.clarify",
};

/**
 * Whether an interim answer may still be sent: only where the preset times the final answer after it
 * (nothing would be due otherwise), and only once.
 */
function interimOffered(incident: Incident, rules: ActionRules): boolean {
  return rules.interimAnswer === true && !incident.answer?.interimPublishedAt;
}

/**
 * The rework notice's buttons, as the card has them: the one that reopens the returned draft and, for
 * an answer while an interim one may still go, «Промежуточный ответ» — the curator's comment often
 * asks for one while the work goes on.
 */
export function reworkButtons(incident: Incident, kind: DraftKind, rules: ActionRules): InlineKeyboard {
  const purpose = kind === "final" ? "answer" : kind;
  const keyboard = new InlineKeyboard().text(DRAFT_BUTTON[kind], cb(DRAFT_ACTIONS[purpose], incident.id));
  if (kind === "answer" && interimOffered(incident, rules))
    keyboard.text(t.button.interim, cb(DRAFT_ACTIONS.interim, incident.id));
  return keyboard;
}

/**
 * «Согласовать» and «На доработку» for one draft, in rows: a button under an earlier draft, pressed
 * after a new one came, must not decide on the new one unseen. Where curators may post the answer
 * (Georgievsk p.12), «Согласовать и разместить лично» under them: the executors are told once who posts it.
 */
export function decisionButtons(incidentId: number, draftId: number | null | undefined, rules: ActionRules) {
  const args = draftId ? [incidentId, draftId] : [incidentId];
  const decisions = [
    InlineKeyboard.text(t.button.approve, cb("inc.ok", ...args)),
    InlineKeyboard.text(t.button.rework, cb("inc.rework", ...args)),
  ];
  if (!rules.curatorMayPublish) return [decisions];
  return [decisions, [InlineKeyboard.text(t.button.approvePublishSelf, cb("inc.okself", ...args))]];
}

/** A curator's decision on a co-executor's part waiting for him (Georgievsk p.18). */
export function partButtons(incidentId: number, part: Incident["assignments"][number]) {
  const args = [incidentId, part.id, partVersion(part) ?? 0];
  return [
    InlineKeyboard.text(buttonLabel(t.button.passOn(shortNameOf(part))), cb("inc.passon", ...args)),
    InlineKeyboard.text(buttonLabel(t.button.partRework(shortNameOf(part))), cb("inc.partrw", ...args)),
  ];
}

export interface Target {
  chatId: number;
  audience: Audience;
  /** The forum topic a card sent afresh goes to (the one it was asked for in); otherwise the main one. */
  threadId?: number | undefined;
}

/**
 * The private card of an executor of these organizations on the post: the parts of those that have
 * it; none while each of them waits for its turn. His buttons are named when he is in more than one
 * of them, a turn to come included: a lone «Взять в работу» would not say for which.
 */
export function privateAudience(
  incident: Incident,
  organizationIds: readonly number[],
  viewerId?: number,
): Audience | undefined {
  const mine = activeAssignments(incident).filter((a) => organizationIds.includes(a.organizationId));
  const live = receivedAssignments(incident)
    .filter((a) => organizationIds.includes(a.organizationId))
    .map((a) => a.organizationId);
  if (live.length === 0) return undefined;
  const named = new Set(mine.map((a) => a.organizationId)).size > 1;
  return {
    kind: "organization",
    organizationIds: live,
    ...(named ? { named } : {}),
    ...(viewerId !== undefined ? { viewerId } : {}),
  };
}

/**
 * Where the card must be now: the curators' chat, and the chat and executors of each organization
 * that has the post (not one still waiting for its turn: its card comes when the turn does).
 */
export function cardTargets(db: Db, incident: Incident, extra: Target[] = []): Target[] {
  const targets = new Map<number, Target>();
  const curatorsChat = findBoundChatByPurpose(db, "curators");
  if (curatorsChat !== undefined)
    targets.set(curatorsChat, { chatId: curatorsChat, audience: { kind: "curators" } });
  for (const target of extra) targets.set(target.chatId, target);
  if (incident.row.state !== "closed") {
    // An executor of several organizations on the incident gets one private card with each one's part
    // (one waiting for its turn has no chat card yet, but names his buttons: see privateAudience).
    const privately = new Map<number, number[]>();
    const personIds = new Map<number, number>();
    const received = receivedAssignments(incident);
    for (const assignment of activeAssignments(incident)) {
      const organizationId = assignment.organizationId;
      const groupId = received.includes(assignment) ? chatOfOrganization(db, organizationId) : undefined;
      if (groupId !== undefined)
        targets.set(groupId, {
          chatId: groupId,
          audience: { kind: "organization", organizationIds: [organizationId] },
        });
      for (const { telegramId: person, personId } of executorsOf(db, organizationId)) {
        personIds.set(person, personId);
        if (!targets.has(person)) privately.set(person, [...(privately.get(person) ?? []), organizationId]);
      }
    }
    for (const [person, organizationIds] of privately) {
      const audience = privateAudience(incident, organizationIds, personIds.get(person));
      if (audience) targets.set(person, { chatId: person, audience });
    }
  }
  // A chat's card asked for in a forum topic goes there, whatever buttons it carries.
  return [...targets.values()].map((target) => {
    const threadId = extra.find((asked) => asked.chatId === target.chatId)?.threadId;
    return threadId === undefined ? target : { ...target, threadId };
  });
}

/** Whether a message is the incident's card in its chat (rather than a notice about it). */
export function isCard(db: Db, incidentId: number, chatId: number, messageId: number): boolean {
  return cardQueries(db)
    .ofIncident.all({ incidentId })
    .some((card) => card.chatId === chatId && card.messageId === messageId);
}

/** Whether a card of the incident is recorded in the chat. */
export function cardKeptIn(db: Db, incidentId: number, chatId: number): boolean {
  return cardQueries(db)
    .ofIncident.all({ incidentId })
    .some((card) => card.chatId === chatId);
}

/** Every transition and every overdue incident syncs its cards: these run many times a second. */
const cardQueries = preparedPerConnection((db) => {
  const p = sql.placeholder;
  return {
    holder: db
      .select({
        firstName: people.firstName,
        lastName: people.lastName,
        username: people.username,
        officialName: people.officialName,
        leaveFrom: people.leaveFrom,
        leaveUntil: people.leaveUntil,
      })
      .from(people)
      .where(eq(people.id, p("id")))
      .prepare(),
    executors: db
      .select({ telegramId: people.telegramId, personId: people.id })
      .from(people)
      .innerJoin(memberships, eq(memberships.personId, people.id))
      .where(and(eq(memberships.organizationId, p("organizationId")), isNull(people.blockedAt)))
      .prepare(),
    version: db
      .select({ version: incidents.version })
      .from(incidents)
      .where(eq(incidents.id, p("id")))
      .prepare(),
    ofIncident: db
      .select()
      .from(cards)
      .where(eq(cards.incidentId, p("incidentId")))
      .prepare(),
    save: db
      .insert(cards)
      .values({
        incidentId: p("incidentId"),
        chatId: p("chatId"),
        messageId: p("messageId"),
        updatedAt: p("at"),
        shown: p("shown"),
      })
      .onConflictDoUpdate({
        target: [cards.incidentId, cards.chatId],
        set: {
          messageId: sql`excluded.message_id`,
          updatedAt: sql`excluded.updated_at`,
          shown: sql`excluded.shown`,
        },
      })
      .prepare(),
    // Only the message edited: a card forgotten or sent anew meanwhile keeps its own.
    edited: db
      .update(cards)
      .set({ shown: sql`${p("shown")}` })
      .where(
        and(
          eq(cards.incidentId, p("incidentId")),
          eq(cards.chatId, p("chatId")),
          eq(cards.messageId, p("messageId")),
        ),
      )
      .prepare(),
  };
});

function executorsOf(db: Db, organizationId: number): { telegramId: number; personId: number }[] {
  return cardQueries(db).executors.all({ organizationId });
}

/** Per database: each incident's card syncs, one at a time. */
const cardSyncs = new WeakMap<object, OneAtATime<number>>();

function syncsOf(db: Db): OneAtATime<number> {
  let syncs = cardSyncs.get(db.$client);
  if (!syncs) {
    syncs = new OneAtATime();
    cardSyncs.set(db.$client, syncs);
  }
  return syncs;
}

/**
 * Brings every card of the incident up to date in every chat it belongs in (`extra` chats too):
 * edits the message where one exists, sends a new card where none does (or the old one can no longer
 * be edited; `silent` when asked: no sound on the phones, as at night), and strips the buttons of
 * cards in chats that are no longer concerned, of drafts decided and of a repeat question the post
 * went past unanswered. Telegram's refusals are never thrown: the transition has already happened
 * and must not look failed. A person who blocked the bot is marked so, and the admins hear once of a
 * group that refuses (see refused-chats.ts). A person marked so is left alone, old cards too, until
 * they write or unblock: Telegram would refuse every edit. A card Telegram puts off (a 429 beyond
 * auto-retry's wait, a 5xx, the connection dropped) is owed, and left alone until the minute job
 * syncs it once the wait is over (see app/owed-cards.ts).
 *
 * One incident's syncs run one after another, each from the incident as it is when its turn comes:
 * two changes announced side by side (two chats, a press and the sweep) cannot leave a card showing
 * the older one, nor send a chat two cards. Resolves to the number of cards edited or sent.
 */
export function syncCards(
  deps: CardDeps,
  incident: Incident,
  extra: Target[] = [],
  options: { silent?: boolean } = {},
): Promise<number> {
  return syncsOf(deps.db).run(incident.id, async () => {
    const latest = current(deps.db, incident);
    const changed = await syncNow(deps, latest, extra, options);
    await retireDecidedDrafts(deps, incident.id);
    await retireRepeatQuestion(deps, latest.row);
    return changed;
  });
}

/**
 * The «Согласовать» and «На доработку» of the incident's drafts decided or set aside come off now, in
 * turn with its card syncs: a draft's message recorded only once sent (an album first, a 429 waited
 * out) may come after the decision taken from the card, whose sync found nothing yet to retire.
 */
export function retireDraftButtons(deps: CardDeps, incidentId: number): Promise<void> {
  return syncsOf(deps.db).run(incidentId, () => retireDecidedDrafts(deps, incidentId));
}

/**
 * Every open post's cards brought up to date after its deadlines may have moved under it (a
 * production calendar loaded, other working hours or a new calendar at a start): nobody needs to
 * touch a post for its cards to show the new deadlines, and a card that reads the same is not
 * touched. One post after another, however many are open: the chats' other messages go out between
 * them. A post whose cards fail is logged and the next one goes on; the bot stopping (`stop`
 * aborted: the post in hand is finished, its cards recorded as shown) or the database closed, the
 * rest wait for their posts' next change, or for the next start when the settings in force owe them
 * the refresh. True once every open post was gone through.
 */
export async function refreshOpenCards(deps: CardDeps, stop?: AbortSignal): Promise<boolean> {
  let changed = 0;
  for (const { id } of openIncidents(deps.db, {})) {
    if (stop?.aborted || !deps.db.$client.open) return false;
    try {
      const incident = loadIncident(deps.db, id);
      if (!incident || !isOpen(incident.row.state)) continue;
      if ((await syncCards(deps, incident)) > 0) changed++;
    } catch (error) {
      if (deps.db.$client.open) deps.log.error({ incidentId: id, err: error }, "cards not refreshed");
    }
  }
  if (stop?.aborted || !deps.db.$client.open) return false;
  deps.log.info({ changed }, "open posts' cards refreshed");
  return true;
}

/**
 * A draft decided (approved, returned for rework) or set aside (the post routed anew, closed) loses
 * its «Согласовать» and «На доработку» wherever the curators were shown it; an answer approved gets
 * the optional quality marks there instead, where the curator has just decided on it: no message of
 * its own. Only the deciding curator may mark it, so of the copies sent privately (no curators' chat)
 * only his gets them. A press on a button still there (the edit failed) is answered as ever. A message
 * gone, or a chat that refuses, is forgotten; a network failure leaves it to the incident's next sync.
 */
async function retireDecidedDrafts(deps: CardDeps, incidentId: number): Promise<void> {
  for (const shown of decidedDraftMessages(deps.db, incidentId)) {
    const { chatId, messageId, draftId, kind, state, deciderChat } = shown;
    // A group's id is negative; a private chat's is its person's.
    const markedHere = chatId < 0 || chatId === deciderChat;
    const marked = state === "approved" && familyOf(kind) === "answer" && markedHere;
    try {
      await deps.api.editMessageReplyMarkup(
        chatId,
        messageId,
        marked ? { reply_markup: qualityMarks(incidentId, draftId) } : {},
      );
    } catch (error) {
      if (!(error instanceof GrammyError)) {
        deps.log.warn({ chatId, messageId, incidentId, err: error }, "draft buttons not removed");
        continue;
      }
    }
    forgetDraftMessage(deps.db, shown);
  }
}

/** The approving curator's optional mark of the answer's quality, 1 to 5, under its draft. */
function qualityMarks(incidentId: number, draftId: number): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const mark of QUALITY_MARKS) keyboard.text(String(mark), cb("inc.q", incidentId, draftId, mark));
  return keyboard;
}

/**
 * A group that no longer serves its cards (unbound, or bound to something else): the cards of its open
 * posts lose their buttons and are forgotten (see forgetOpenCardsIn). Best effort: a message gone or
 * too old to edit keeps them (a press there is refused, see refusePressesInFormerChats), and a chat
 * that refuses the bot (it was removed) or Telegram out of reach leaves the rest as they are.
 */
export function retireCardsIn(deps: Pick<CardDeps, "db" | "api" | "log">, chatId: number): Promise<void> {
  return retire(deps, chatId, (card) =>
    deps.api.editMessageReplyMarkup(chatId, card.messageId, { reply_markup: new InlineKeyboard() }),
  );
}

/**
 * The work chat of an organization merged into another (`into`, its name), unbound: as retireCardsIn,
 * and each card says where the work went instead of its deadlines, as a card handed over does.
 */
export function retireMergedCards(deps: CardDeps, chatId: number, into: string): Promise<void> {
  return retire(deps, chatId, async (card) => {
    const incident = loadIncident(deps.db, card.incidentId);
    if (!incident) return;
    const { text } = renderCard(incident, { kind: "observer" }, deps, { mergedInto: into });
    await editCard(deps.api, chatId, card.messageId, { text, keyboard: new InlineKeyboard() });
  });
}

async function retire(
  deps: Pick<CardDeps, "db" | "api" | "log">,
  chatId: number,
  edit: (card: { incidentId: number; messageId: number }) => Promise<unknown>,
): Promise<void> {
  for (const card of forgetOpenCardsIn(deps.db, chatId)) {
    try {
      await edit(card);
    } catch (error) {
      if (error instanceof GrammyError && !isRefusal(error)) continue;
      deps.log.warn({ chatId, err: error }, "buttons left on the cards of a chat no longer bound");
      return;
    }
  }
}

/**
 * The private chats whose new card comes without sound: in a surge on the post's topic or place, an
 * executor's copy where each of his organizations' work chats gets the card with sound — two rings
 * a post, dozens of posts an hour, would drown the one that matters. A significant post's card, and
 * a card a person asked for, ring as ever.
 */
function quietPrivately(
  deps: CardDeps,
  incident: Incident,
  targets: Target[],
  fresh: Target[],
  asked: Target[],
): Set<number> {
  const privately = fresh.filter((target) => target.chatId > 0 && target.audience.kind === "organization");
  if (privately.length === 0 || incident.row.importance === "significant") return new Set();
  const chats = targets.filter((target) => target.chatId < 0 && target.audience.kind === "organization");
  if (chats.length === 0 || Object.keys(surgeMates(deps, incident.row)).length === 0) return new Set();
  const ringing = new Set(
    chats.flatMap((target) =>
      target.audience.kind === "organization" ? target.audience.organizationIds : [],
    ),
  );
  return new Set(
    privately
      .filter(
        (target) =>
          target.audience.kind === "organization" &&
          target.audience.organizationIds.every((id) => ringing.has(id)) &&
          !asked.some((one) => one.chatId === target.chatId),
      )
      .map((target) => target.chatId),
  );
}

/** The incident as it is now: the snapshot given, unless a transition has been made since. */
function current(db: Db, incident: Incident): Incident {
  const now = cardQueries(db).version.get({ id: incident.id });
  if (now === undefined || now.version === incident.row.version) return incident;
  return loadIncident(db, incident.id) ?? incident;
}

async function syncNow(
  deps: CardDeps,
  incident: Incident,
  extra: Target[],
  options: { silent?: boolean },
): Promise<number> {
  const { db } = deps;
  const targets = cardTargets(db, incident, extra);
  const queries = cardQueries(db);
  const existing = queries.ofIncident.all({ incidentId: incident.id });
  for (const old of existing) {
    if (targets.some((target) => target.chatId === old.chatId)) continue;
    const audience = audienceOfOld(db, incident, old.chatId, deps.sla.regulation);
    if (audience) targets.push({ chatId: old.chatId, audience });
  }
  // Telegram gives private chats the person's (positive) id. One on leave gets no new card unasked; a
  // card already there is kept up to date (an edit rings nothing), one he asks for (/find, «№ N») shown.
  const today = leaveToday(deps);
  const away = awayChats(db, today);
  const shownIn = new Set([...existing, ...extra].map((card) => card.chatId));
  const reachable = targets.filter(
    (target) =>
      target.chatId < 0 ||
      (!isBlocked(db, target.chatId) && (!away.has(target.chatId) || shownIn.has(target.chatId))),
  );
  // A card owed to a chat that no longer gets one (a person blocked the bot, a card asked for once)
  // is not tried again.
  const now = deps.clock.now();
  const owed = owedCardsOf(db, incident.id);
  for (const chatId of owed.keys())
    if (!reachable.some((target) => target.chatId === chatId)) cardPaid(db, incident.id, chatId);
  const earlier = incident.row.repeatOfId ? loadIncident(db, incident.row.repeatOfId) : undefined;
  // Who holds the post, and each co-executor's part (Orenburg p.14, Georgievsk p.18).
  const holders = new Map<number, string>();
  const holderIds = [incident.row.holderId, ...activeAssignments(incident).map((a) => a.acceptedBy)];
  for (const id of holderIds) {
    if (id === null || holders.has(id)) continue;
    const holder = queries.holder.get({ id });
    const leave = holder && leaveAsOf(holder.leaveFrom, holder.leaveUntil, today);
    if (holder) holders.set(id, tp.leave.named(displayName(holder), leave ?? null));
  }
  const staffed = new Set(
    activeAssignments(incident)
      .filter((a) => a.state === "accepted" && executorsOf(db, a.organizationId).length > 1)
      .map((a) => a.organizationId),
  );
  // Only a post waiting to be routed, and only for the curators, is offered another's routing.
  const alike =
    incident.row.state === "registered" && targets.some((target) => target.audience.kind === "curators")
      ? routedAlike(db, incident.row, deps.clock.now())
      : undefined;
  // Read at each sync, not once when the draft came: an identical answer approved since counts too.
  const sameAsApproved =
    incident.row.state === "on_approval" && targets.some((target) => target.audience.kind === "curators")
      ? waitingSameAsApproved(db, incident.id)
      : undefined;
  const related = {
    earlier,
    holders,
    sameLinkAs: firstAtLink(db, incident.row),
    staffed,
    alike,
    sameAsApproved,
    nobodyToPost: nobodyToPost(db, incident) !== undefined,
    lost: lostWindows(db, deps.sla.workingTime),
    threatForwardedAt: incident.row.closedReason === "threat" ? threatForwardedAt(db, incident.id) : null,
  };
  // Only a card sent afresh may ring: the chats that have one are edited.
  const fresh = targets.filter((target) => !existing.some((card) => card.chatId === target.chatId));
  const quiet = quietPrivately(deps, incident, targets, fresh, extra);
  // Each chat holds one card of the incident, so the chats are brought up to date side by side.
  const syncOne = async (target: Target): Promise<boolean> => {
    // Telegram asked to wait (or keeps failing): the minute job syncs it once the wait is over,
    // with the post as it is then.
    const owedUntil = owed.get(target.chatId);
    if (owedUntil !== undefined && owedUntil > now) return false;
    const paid = () => {
      if (owedUntil !== undefined) cardPaid(db, incident.id, target.chatId);
    };
    const card = renderCard(incident, target.audience, deps, related);
    const current = existing.find((c) => c.chatId === target.chatId);
    const shown = digestOf(card);
    // Already showing it: no call (a refresh of every open post after a settings change, a sync
    // of chats whose card the change leaves as it was).
    if (current?.shown === shown) {
      paid();
      return false;
    }
    const owe = (retryAfter?: number) =>
      oweCard(db, { incidentId: incident.id, chatId: target.chatId, retryAfter, now: deps.clock.now() });
    try {
      if (current && (await editCard(deps.api, current.chatId, current.messageId, card))) {
        queries.edited.run({ ...current, shown });
        paid();
        return true;
      }
      const sent = await deps.api.sendMessage(target.chatId, card.text, {
        ...(target.threadId !== undefined ? { message_thread_id: target.threadId } : {}),
        reply_markup: card.keyboard,
        link_preview_options: { is_disabled: true },
        // Not said: outside working time it goes without sound (see quietOutsideWorkingTime).
        ...(options.silent !== undefined
          ? { disable_notification: options.silent }
          : quiet.has(target.chatId)
            ? { disable_notification: true }
            : {}),
      });
      queries.save.run({
        incidentId: incident.id,
        // Where it went: a group that became a supergroup meanwhile has it under its new id (see
        // followMigratedChats), and the next change edits it there.
        chatId: sent.chat.id,
        messageId: sent.message_id,
        at: deps.clock.now(),
        shown,
      });
      paid();
      return true;
    } catch (error) {
      // Telegram out of reach: owed, and the failure still told to the caller (see announceEach).
      if (error instanceof HttpError) owe();
      if (!(error instanceof GrammyError)) throw error;
      const about = { chatId: target.chatId, incidentId: incident.id, error: error.description };
      if (isRefusal(error)) {
        deps.log.warn(about, "card not delivered");
        paid();
        await chatRefused(deps, target.chatId, error);
      } else if (error.error_code === 400) {
        // The card itself is wrong (too long, a bad button): a bug to fix, not a chat to rebind.
        deps.log.error(about, "card rejected by Telegram");
        paid();
      } else {
        // For now (a 429 auto-retry gave up on, a 5xx): tried again by the minute job.
        deps.log.warn(about, "card not delivered, owed");
        owe(error.parameters.retry_after);
      }
      return false;
    }
  };
  const changed = await Promise.all(reachable.map(syncOne));
  return changed.filter(Boolean).length;
}

/**
 * A chat that had the card but is no longer a target: a curator's private chat keeps the curators'
 * buttons; the work chat of an organization taken off the incident, and the private chat of its
 * executors, keep the card without buttons, told where the post went; a head's private chat follows
 * the post. A group that no longer serves the incident (unbound, or bound to another organization), or
 * a person who is none of these any more (removed from the organization), gets nothing more: the card
 * stays as it was, the post and its author are not sent there.
 */
function audienceOfOld(
  db: Db,
  incident: Incident,
  chatId: number,
  regulation: SlaRuntime["regulation"],
): Audience | undefined {
  // Telegram gives groups negative ids and private chats the person's (positive) id.
  if (chatId < 0) {
    const bound = findBoundChat(db, chatId);
    if (bound?.purpose === "curators") return { kind: "curators" };
    const organizationId = bound?.organizationId;
    const involved =
      organizationId != null && incident.assignments.some((a) => a.organizationId === organizationId);
    return involved ? { kind: "observer", organizationId } : undefined;
  }
  const person = findPerson(db, chatId);
  if (!person) return undefined;
  if (hasRole(person, "curator")) return { kind: "curators" };
  // An executor of an organization that had the post follows it; a head who looked it up, while he
  // may see it (not once made head of another organization only); someone who left the
  // organization hears no more of it.
  const involved = incident.assignments.some((a) => person.organizationIds.includes(a.organizationId));
  const heardAtOnce = regulation.significantRecipients.importance;
  if (!involved && !(hasRole(person, "head") && mayViewIncident(db, incident.id, person, heardAtOnce)))
    return undefined;
  return onlookerAudience(db, incident, person);
}

/**
 * How a person not working on the post sees it privately: an executor of an organization that
 * returned it, had it taken away or waits for its turn — or the head of such an organization — sees
 * what that organization's cards show (where it went, or that its turn will come), not the next
 * organization's holder and deadlines; anyone else looks on. The same whether the card is asked for
 * (`/find`, a list's button) or kept up to date.
 */
export function onlookerAudience(db: Db, incident: Incident, person: Person): Audience {
  const had = incident.assignments.find((a) => person.organizationIds.includes(a.organizationId));
  if (had) return { kind: "observer", organizationId: had.organizationId };
  const headed = hasRole(person, "head") ? (headOf(db, person.id)?.organizationId ?? undefined) : undefined;
  const ours = headed !== undefined && incident.assignments.some((a) => a.organizationId === headed);
  return ours ? { kind: "observer", organizationId: headed } : { kind: "observer" };
}

/** What a card shows, to tell whether its message already shows it. */
function digestOf(card: { text: string; keyboard: InlineKeyboard }): string {
  return createHash("sha256")
    .update(card.text)
    .update(JSON.stringify(card.keyboard.inline_keyboard))
    .digest("base64url")
    .slice(0, 22);
}

/**
 * Edits a card in place; false when the message is gone or too old, so a fresh card is sent. A card
 * already up to date counts as edited: the bot's API takes "message is not modified" as done.
 */
async function editCard(
  api: Api,
  chatId: number,
  messageId: number,
  card: { text: string; keyboard: InlineKeyboard },
): Promise<boolean> {
  try {
    await api.editMessageText(chatId, messageId, card.text, {
      reply_markup: card.keyboard,
      link_preview_options: { is_disabled: true },
    });
    return true;
  } catch (error) {
    if (messageGone(error)) return false;
    throw error;
  }
}

/** Telegram's answer to an edit of a message deleted from the chat, or too old to edit: send anew. */
export function messageGone(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    /message to edit not found|message can't be edited|MESSAGE_ID_INVALID/i.test(error.description)
  );
}
