/**
 * The curator's decision and what follows it: the rework comment (Orenburg p.10–11, Georgievsk
 * p.13–14) and the links of what was posted in the network — the answer (Orenburg p.12, Georgievsk
 * p.12, 16), an interim answer (Orenburg p.13, Georgievsk p.15) and a question to the author. Also the
 * helpers the answers feature shares with these dialogues: refusals in words, deadlines, notices.
 */
import { type Api, type Context, GrammyError, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { latestDecision, telegramIdOf } from "../app/answer-queries.js";
import {
  approvedTextOwed,
  type Draft,
  latestDrafts,
  openClaim,
  publishAnswer,
  publishInterim,
  recordClarification,
  recordCuratorPosting,
  requestRework,
} from "../app/answers.js";
import { chatOfOrganization, findBoundChatByPurpose, reachableCuratorChats } from "../app/chats.js";
import { organizationsInvolved } from "../app/incident-queries.js";
import {
  type Incident,
  loadIncident,
  openRepeatsOf,
  passOnStrandedParts,
  postKeyOf,
  returnPart,
  type TransitionResult,
} from "../app/incidents.js";
import { type PresenceDeps, present } from "../app/leave.js";
import { claimNotice, noticeClaimed } from "../app/notices.js";
import { partAttachments } from "../app/part-attachments.js";
import { reachableMembers, reachableWithRole } from "../app/people.js";
import type { SlaRuntime } from "../app/sla.js";
import { cb } from "../bot/callback-data.js";
import { reworkButtons, syncCards } from "../bot/cards.js";
import type { AppDeps, BotContext } from "../bot/context.js";
import {
  announceEach,
  cardDeps,
  memberChat,
  type NoticeDeps,
  notifyCurators,
  notifyOrganization,
  organizationChats,
  ringFor,
  sendLong,
  tellCuratorsInsteadOf,
  tellOrganization,
} from "../bot/delivery.js";
import { sendDraft } from "../bot/draft-view.js";
import { chatRefused } from "../bot/refused-chats.js";
import { stepLabel, t } from "../bot/texts.js";
import { type LinkKind, ta } from "../bot/texts-answers.js";
import { tr } from "../bot/texts-incidents.js";
import { ti } from "../bot/texts-intake.js";
import type { Db } from "../db/client.js";
import { displayName, hasRole, type Person } from "../domain/access.js";
import {
  type ActionRules,
  actionRules,
  activeAssignments,
  answerDeadline,
  assignmentsOf,
  checkAction,
  earliestDeadline,
  finalClockMet,
  type IncidentAction,
  isOpen,
  isWindow,
  leadAssignment,
  nextDeadline,
  partNamed,
  publishAction,
  runningDeadlines,
  sameSending,
} from "../domain/incident.js";
import { type Anchors, type StepId, stepDeadline } from "../domain/regulation/index.js";
import {
  commentsHaveLinks,
  findLinks,
  isCommentKey,
  type Network,
  parseSourceLink,
  sameNetwork,
  threadKeyOf,
} from "../domain/source-link.js";
import { formatDeadline } from "../domain/time-format.js";
import {
  ANSWER_WINDOW_MS,
  aboutPost,
  askOf,
  type Flow,
  isCancel,
  pressedOn,
  removeButtons,
  staleStep,
  waitForAnswer,
} from "./ask.js";

import { handTurnOn, tellOrganizationOfPart } from "./incident-answers.js";
import { tellHeadsOutcome } from "./intake.js";

export type AnswerAction = Extract<
  IncidentAction,
  "approve" | "requestRework" | "publish" | "publishInterim" | "askClarification"
>;

export const LINK_ACTIONS: Record<LinkKind, AnswerAction> = {
  publish: "publish",
  interim: "publishInterim",
  clarify: "askClarification",
};

const CANCEL = cb("aw.cancel");
const CONFIRM = cb("aw.confirm");
const NO_PREVIEW = { link_preview_options: { is_disabled: true } } as const;

export function rulesOf(deps: AppDeps): ActionRules {
  return actionRules(deps.sla.regulation);
}

/** Why this person may not do this now, in words (rights first, then the state); undefined if they may. */
export function refusalText(
  deps: AppDeps,
  incident: Incident,
  action: AnswerAction,
  person: Person | undefined,
): string | undefined {
  const rules = rulesOf(deps);
  const refusal = checkAction(incident, action, person, rules);
  if (refusal === undefined) return undefined;
  const id = incident.id;
  if (!person) return t.refusal;
  // An executor whose organization the post was taken from (routed elsewhere): said so, not "may not".
  if (
    refusal === "forbidden" &&
    !hasRole(person, "curator") &&
    assignmentsOf(incident, person).length === 0
  ) {
    if (organizationsInvolved(deps.db, id, person.organizationIds).length > 0) return tr.accept.withdrawn(id);
  }
  if (refusal === "forbidden") {
    switch (action) {
      case "approve":
      case "requestRework":
        // A curator is refused only for his own draft.
        return hasRole(person, "curator") ? ta.approve.ownDraft : ta.approve.onlyCurators;
      case "publish":
      case "publishInterim":
      case "askClarification":
        return hasRole(person, "curator") && !rules.curatorMayPublish
          ? ta.publish.curatorMayNot(deps.sla.regulation.curatorMayPublish.clause)
          : ta.publish.notAllowed;
    }
  }
  if (incident.row.state === "closed") return tr.closed(id);
  const decision = latestDecision(deps.db, id);
  if ((action === "approve" || action === "requestRework") && decision) {
    const at = formatDeadline(decision.at, deps.sla.timezone);
    return decision.state === "approved"
      ? ta.approve.already(decision.by, at)
      : ta.approve.alreadyReturned(decision.by, at);
  }
  const last = (kind: "answer" | "interim") => incident.publications.filter((p) => p.kind === kind).at(-1);
  const answer = last("answer");
  if (action === "publish" && answer) return ta.publish.already(id, answer.link);
  const interim = last("interim");
  if (action === "publishInterim" && interim && incident.row.state === "awaiting_final")
    return ta.interim.already(id, interim.link);
  return ta.wrongState(id, tr.shortState[incident.row.state]);
}

/** The same, re-read from the database (after a transition was refused). */
export function refusalNow(
  deps: AppDeps,
  incidentId: number,
  action: AnswerAction,
  person: Person | undefined,
) {
  const incident = loadIncident(deps.db, incidentId);
  if (!incident) return tr.notFoundNumber(incidentId);
  return refusalText(deps, incident, action, person) ?? t.refusal;
}

/**
 * Why this person may not decide on this co-executor's part now (Georgievsk p.18), in words;
 * undefined if they may.
 */
export function partRefusal(
  deps: AppDeps,
  incident: Incident,
  assignmentId: number,
  version: number | undefined,
  person: Person | undefined,
): string | undefined {
  if (!person) return t.refusal;
  const rules = rulesOf(deps);
  const refusal = checkAction(incident, "passOnPart", person, rules);
  if (refusal === "forbidden")
    return hasRole(person, "curator") && !rules.curatorPassesParts
      ? tr.part.noApproval
      : tr.part.passOnNotCurator;
  const part = partNamed(incident, assignmentId);
  if (refusal === undefined && part?.state === "part_sent")
    return sameSending(part, version) ? undefined : tr.part.newerVersion(incident.id);
  const { state } = incident.row;
  if (state === "closed" || state === "answered") return ta.wrongState(incident.id, tr.shortState[state]);
  if (part?.state === "accepted" && part.partReturnedAt) return tr.part.returnedAlready(incident.id);
  return tr.part.passedOnAlready(incident.id);
}

/** The same, re-read from the database (after a decision was refused). */
export function partRefusalNow(
  deps: AppDeps,
  incidentId: number,
  assignmentId: number,
  version: number | undefined,
  person: Person | undefined,
): string {
  const incident = loadIncident(deps.db, incidentId);
  if (!incident) return tr.notFoundNumber(incidentId);
  return partRefusal(deps, incident, assignmentId, version, person) ?? t.refusal;
}

/**
 * The lead organization gets a co-executor's part passed on to it, with its photos, videos and
 * files (Orenburg p.14; Georgievsk p.18); the executor holding the post gets it privately too, with
 * his deadline as it stands now (under Georgievsk p.11, 18 the draft's clock starts with the last part).
 */
export async function tellLeadOfPart(deps: AppDeps, api: Api, incident: Incident, assignmentId: number) {
  const part = incident.assignments.find((a) => a.id === assignmentId);
  const lead = leadAssignment(incident);
  if (!part || !lead) return;
  const notice = tr.part.notice(incident.id, part.organizationName, part.partText ?? "");
  const late = [...partOnApproval(deps, incident, "lead"), ...partAfterApproval(deps, incident, "lead")];
  const forLead = [notice, ...late].join("\n\n");
  const text = [forLead, ...leadDeadline(deps, incident)].join("\n\n");
  const attachments = partAttachments(deps.db, part);
  // Without a work chat the organization's executors, he among them, get it privately, deadline and all.
  const chat = chatOfOrganization(deps.db, lead.organizationId);
  const forOrganization = chat === undefined ? text : forLead;
  await tellOrganizationOfPart(
    deps,
    api,
    incident,
    lead.organizationId,
    forOrganization,
    attachments,
    notice,
  );
  const holder = holderBesideChat(deps, incident, lead.organizationId);
  if (holder === undefined) return;
  try {
    await sendDraft(api, holder, { text, attachments }, ringFor(incident));
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    deps.log.warn({ chatId: holder, error: error.description }, "part not delivered to the holder");
    await chatRefused({ ...deps, api }, holder, error);
  }
}

/**
 * A part reaching the lead once the answer's draft is approved (not yet posted) is not in the
 * approved text, and the bot has no supplement to an answer: the lead (`"lead"`) and the curators
 * are told so, with the way to take it into account — the curator routes the post to the same lead
 * again, which then drafts anew (or else posts the approved one, unless a curator's claim holds).
 * None before the approval, nor after an approved interim answer or question to the author (the
 * answer itself is still to be written).
 */
export function partAfterApproval(deps: AppDeps, incident: Incident, to: "lead" | "curators"): string[] {
  const approvedAt = incident.answer?.approvedAt;
  if (incident.state !== "approved" || !approvedAt || publishAction(incident) !== "publish") return [];
  const at = formatDeadline(approvedAt, deps.sla.timezone);
  const lead = leadAssignment(incident)?.organizationName ?? "";
  if (to === "curators") return [tr.part.afterApprovalCurators(at, lead)];
  const claimed = openClaim(deps.db, incident.id, deps.clock.now(), ANSWER_WINDOW_MS) !== undefined;
  return [tr.part.afterApprovalLead(at, claimed)];
}

/**
 * A part reaching the lead while its answer's draft waits for the curators' decision is not in that
 * draft: the lead (`"lead"`) and the curators are told so, with when the draft was sent, and the
 * curators that «На доработку» has the lead take the part into account. None for a draft of an
 * interim answer or a question to the author (the answer itself is still to be written).
 */
export function partOnApproval(deps: AppDeps, incident: Incident, to: "lead" | "curators"): string[] {
  const submittedAt = incident.answer?.draftSubmittedAt;
  if (incident.state !== "on_approval" || !submittedAt || publishAction(incident) !== "publish") return [];
  const at = formatDeadline(submittedAt, deps.sla.timezone);
  const lead = leadAssignment(incident)?.organizationName ?? "";
  return [to === "lead" ? tr.part.onApprovalLead(at) : tr.part.onApprovalCurators(at, lead)];
}

/**
 * A part the curators pass on (Georgievsk p.18) while the lead's answer draft waits for their
 * decision: their chat hears the draft lacks it, as under Orenburg with the part itself (the
 * curator who passed it on may not be the one to decide on the draft).
 */
export async function tellCuratorsOfPartOnApproval(
  deps: AppDeps,
  api: Api,
  incident: Incident,
  assignmentId: number,
): Promise<void> {
  const passed = passedOn(incident, assignmentId);
  const lacking = partOnApproval(deps, incident, "curators");
  if (!passed || lacking.length === 0) return;
  await notifyCurators(deps, api, [passed.text, ...lacking].join("\n\n"), undefined, ringFor(incident));
}

/** «…согласована куратором и передана основному исполнителю…» of a co-executor's part, with whose it is. */
function passedOn(incident: Incident, assignmentId: number) {
  const part = incident.assignments.find((a) => a.id === assignmentId);
  const lead = leadAssignment(incident);
  if (!part || !lead) return undefined;
  const text = ta.part.passedOn(incident.id, part.organizationName, lead.organizationName);
  return { text, organizationId: part.organizationId };
}

/**
 * The executor holding the post for the lead, to be told privately beside its work chat: none
 * without a work chat (its executors, he among them, are told privately then), while nobody holds
 * it, or while he is on leave (the work chat hears it, for a colleague to act on).
 */
function holderBesideChat(deps: AppDeps, incident: Incident, organizationId: number): number | undefined {
  if (chatOfOrganization(deps.db, organizationId) === undefined) return undefined;
  return memberChat(deps, incident.holderId, organizationId);
}

/**
 * A co-executor returned the post, or the curator dropped it: the lead organization waits for its
 * part no longer, and hears it with its deadline as it stands (under Georgievsk p.11, 18 the draft's
 * clock may start now). In its work chat, or to its executors privately; the executor holding the
 * post privately too, as with a part; the curators have the return already.
 */
export async function tellLeadOfReturn(
  deps: AppDeps,
  api: Api,
  incident: Incident,
  organization: string,
  /** Dropped by the curator's routing again, rather than returned by the co-executor. */
  dropped = false,
) {
  const lead = leadAssignment(incident);
  if (!lead || !isOpen(incident.state)) return;
  const told = dropped
    ? tr.withdrawn.toLead(incident.id, organization)
    : tr.return.toLead(incident.id, organization);
  const text = [told, ...leadDeadline(deps, incident)].join("\n\n");
  // Its draft may be due now: a significant post's rings at any hour.
  const options = { ...ringFor(incident), once: `lead-told-return:${organization}` };
  await tellOrganization(deps, api, lead.organizationId, text, undefined, options);
  const holder = holderBesideChat(deps, incident, lead.organizationId);
  if (holder !== undefined) await sendLong(deps, api, holder, text, undefined, options);
}

/**
 * The lead's deadline as a part reaches it: the draft's clock started, when it runs from the last
 * part and that has come; else the nearest deadline, and the co-executors whose parts it still waits for.
 */
function leadDeadline(deps: AppDeps, incident: Incident): string[] {
  const { regulation, workingTime, timezone } = deps.sla;
  const now = deps.clock.now();
  const waiting = activeAssignments(incident)
    .filter((a) => a.role === "coexecutor" && a.state !== "part_passed")
    .map((a) => a.organizationName);
  // His own duties: not the curators' decision while a draft waits for it, nor the window to return
  // the post, which is a right (isWindow); none while a curator's «Размещу лично» holds the posting
  // (Georgievsk p.12): the answer is the curator's to post.
  const claimed = openClaim(deps.db, incident.id, now, ANSWER_WINDOW_MS) !== undefined;
  const running = claimed
    ? []
    : runningDeadlines(incident, regulation, workingTime).filter(
        (d) => regulation.steps[d.step]?.actor !== "curator" && !isWindow(d.step),
      );
  const draft = running.find((d) => d.step === "draft");
  const fromParts = regulation.steps.draft?.anchor === "partsReceived";
  const started = fromParts && waiting.length === 0 && draft !== undefined && draft.at > now;
  const due = started ? draft : earliestDeadline(running, now);
  const lines: string[] = [];
  if (due) {
    const what = stepLabel(regulation, due.step);
    const at = formatDeadline(due.at, timezone);
    const say = started ? ta.part.started : due.at <= now ? ta.part.deadlinePassed : ta.part.deadline;
    lines.push(say(what, at, due.clause));
  }
  if (waiting.length > 0) lines.push(ta.part.waiting(waiting));
  return lines;
}

/**
 * Georgievsk p.18: the co-executor hears that the curators approved its part and passed it on, so
 * it knows nothing more is asked of it (an edit of its card alone makes no sound).
 */
export async function tellCoexecutorPassedOn(
  deps: AppDeps,
  api: Api,
  incident: Incident,
  assignmentId: number,
): Promise<void> {
  const passed = passedOn(incident, assignmentId);
  if (!passed) return;
  await tellOrganization(deps, api, passed.organizationId, passed.text, undefined, ringFor(incident));
}

/**
 * After a routing again, the parts kept from before (routeIncident) go to a lead that has not had
 * them: one other than the lead holding the post when each part came, each part once.
 */
export async function tellLeadOfKeptParts(deps: AppDeps, api: Api, incident: Incident): Promise<void> {
  const lead = leadAssignment(incident);
  if (!lead) return;
  for (const part of activeAssignments(incident)) {
    const at = part.partPassedAt;
    if (part.role !== "coexecutor" || part.state !== "part_passed" || !at) continue;
    if (leadAt(incident, at) === lead.organizationId) continue;
    // Recorded once sent: a crash in between sends it again rather than never.
    const key = `lead-part:${incident.id}:${lead.organizationId}:${part.organizationId}:${at.getTime()}`;
    if (noticeClaimed(deps.db, key)) continue;
    await tellLeadOfPart(deps, api, incident, part.id);
    claimNotice(deps.db, key, deps.clock.now());
  }
}

/** The organization that was the lead at that moment: of the lead routings before it, the latest. */
function leadAt(incident: Incident, at: Date): number | undefined {
  let lead: Incident["assignments"][number] | undefined;
  for (const a of incident.assignments) {
    if (a.role === "lead" && a.receivedAt <= at && (!lead || a.id > lead.id)) lead = a;
  }
  return lead?.organizationId;
}

/**
 * At start, under a regulation where curators do not pass parts on: parts left waiting for them by
 * the previous preset go to their leads, with cards and notices as at a curator's «передать».
 */
export async function passOnStrandedPartsAtStart(deps: AppDeps, api: Api): Promise<void> {
  if (rulesOf(deps).curatorPassesParts) return;
  for (const { incident, assignmentIds } of passOnStrandedParts(deps.db, deps.clock.now())) {
    deps.log.warn(
      { incident: incident.id },
      "a part waiting for the curators went to the lead (regulation changed)",
    );
    const told = await Promise.allSettled([
      handTurnOn(deps, api, incident),
      ...assignmentIds.map((id) => tellLeadOfPart(deps, api, incident, id)),
      ...assignmentIds.map((id) => tellCuratorsOfPartOnApproval(deps, api, incident, id)),
    ]);
    for (const failed of told) {
      if (failed.status === "rejected")
        deps.log.error({ err: failed.reason }, "pass-on at start: a notice failed");
    }
  }
}

export interface Due {
  at: Date;
  step: StepId;
  clause: string;
}

/**
 * When the answer must be out: the answer deadline (Orenburg p.8, Georgievsk p.16), or, once an
 * interim answer is posted, the final answer's clock (Orenburg p.13, Georgievsk p.15) — the interim
 * answer met the first deadline, so the final one is measured against its own.
 */
export function answerDue(incident: Incident, sla: SlaRuntime): Due | undefined {
  const { regulation, workingTime } = sla;
  const interimAt = incident.answer?.interimPublishedAt;
  if (interimAt) {
    const rule = regulation.steps.finalAfterInterim;
    const anchors: Anchors = { detection: incident.detectedAt, interimPublication: interimAt };
    if (incident.postedAt) anchors.postDate = incident.postedAt;
    const at = stepDeadline(regulation, "finalAfterInterim", anchors, workingTime);
    return at && rule ? { at, step: "finalAfterInterim", clause: rule.clause } : undefined;
  }
  const at = answerDeadline(incident, regulation, workingTime);
  return at ? { at, step: "answer", clause: regulation.steps.answer.clause } : undefined;
}

/**
 * When the answer met its clock: at its publication (now), or where the final answer's clock is met
 * by its draft (Georgievsk p.15), when the first final draft went to the curator.
 */
function answerMetAt(deps: AppDeps, incident: Incident, due: Due, now: Date): Date {
  const metByDraft = deps.sla.regulation.steps.finalAfterInterim?.metBy === "draftSubmission";
  if (due.step !== "finalAfterInterim" || !metByDraft) return now;
  return incident.answer?.finalDraftSubmittedAt ?? now;
}

/** When an approved answer must be posted, and the answer's own deadline when it is missed already. */
export interface PublicationDue {
  at: Date;
  /** The answer deadline (Orenburg p.8), passed while the posting's own (p.12) still runs. */
  answerMissed?: Date;
}

/**
 * When an approved answer must be posted: of the publication step and the answer's own deadline, the
 * nearest still ahead (as the card's «Срок:» line), else the first. None for a final answer whose
 * clock its draft met (Georgievsk p.15): no clause times it.
 */
export function publicationDue(incident: Incident, sla: SlaRuntime, now: Date): PublicationDue | undefined {
  const { regulation, workingTime } = sla;
  if (!incident.answer?.interimPublishedAt) {
    const due = nextDeadline(incident, regulation, workingTime, undefined, now);
    return due && withMissedAnswer(due.at, answerDeadline(incident, regulation, workingTime), now);
  }
  // Where the final answer's clock is its draft's (Georgievsk p.15), it times no posting: neither of
  // the final answer nor of a question to the author meanwhile.
  const draftsClock = regulation.steps.finalAfterInterim?.metBy === "draftSubmission";
  const answer = draftsClock ? undefined : answerDue(incident, sla)?.at;
  const candidates = [answer];
  const rule = regulation.steps.publication;
  const approvedAt = incident.answer.approvedAt;
  // A publication step tied to the first answer's deadline (Georgievsk p.12, 16) does not bind the final one.
  if (rule && !rule.before && approvedAt)
    candidates.push(stepDeadline(regulation, "publication", { approval: approvedAt }, workingTime));
  const dates = candidates.filter((d) => d !== undefined).sort((a, b) => a.getTime() - b.getTime());
  const at = dates.find((d) => d > now) ?? dates[0];
  return at && withMissedAnswer(at, answer, now);
}

function withMissedAnswer(at: Date, answer: Date | undefined, now: Date): PublicationDue {
  return answer && answer <= now && at > now ? { at, answerMissed: answer } : { at };
}

/**
 * Who hears of a change besides the presser (whose own chat gets the reply instead). Nobody who
 * blocks the bot is written to privately: Telegram would refuse.
 */
export interface Listeners {
  curators?: boolean;
  /** The lead organization's work chat (or its executors privately when it has none). */
  organization?: boolean;
  /** The executor who holds the incident, privately. */
  holder?: boolean;
  /** Nobody holding it (its holder left the organization): each of the lead's executors privately instead. */
  executorsIfUnheld?: boolean;
  except?: number | undefined;
  /** Buttons under the notice (its last message). */
  keyboard?: InlineKeyboard;
  /** The notice's name among the update's: each chat hears it once (see oncePerUpdate). */
  once?: string;
}

/** Whether the organization's notice, reaching nobody there, went to the curators instead. */
export async function tell(
  deps: NoticeDeps,
  api: Api,
  incident: Incident,
  /** Pieces: kept whole where they can (see splitPieces). */
  text: string | readonly string[],
  to: Listeners,
): Promise<boolean> {
  const options = { ...ringFor(incident), once: to.once };
  const told = new Set<number>();
  const send = async (chatId: number) => {
    if (await sendLong(deps, api, chatId, text, to.keyboard, options)) told.add(chatId);
  };
  const listeners = listenersOf(deps, incident, to);
  await Promise.all(listeners.map(send));
  // The curators' chat refusing (the bot removed unseen): each curator privately.
  const theirs = findBoundChatByPurpose(deps.db, "curators");
  if (to.curators && theirs !== undefined && listeners.includes(theirs) && !told.has(theirs))
    await Promise.all(
      present(deps, reachableWithRole(deps.db, "curator"), true)
        .filter((id) => id !== to.except)
        .map(send),
    );
  // The organization's news nobody there got (its chat refuses, every executor blocks the bot) goes
  // to the curators, saying whose it was (unless they were told it anyway): an approved answer must
  // still be posted in time.
  const lead = leadAssignment(incident);
  if (!to.organization || to.curators || !lead) return false;
  const ours = organizationListeners(deps, incident, to);
  if (ours.some((chatId) => told.has(chatId) || chatId === to.except)) return false;
  return tellCuratorsInsteadOf(
    deps,
    api,
    lead.organizationId,
    typeof text === "string" ? text : text.join("\n"),
    options,
  );
}

/** The chats `to` names for the incident, each once. */
export function listenersOf(deps: PresenceDeps, incident: Incident, to: Listeners): number[] {
  const chats = new Set([
    ...(to.curators ? present(deps, reachableCuratorChats(deps.db), true) : []),
    ...organizationListeners(deps, incident, to),
  ]);
  if (to.except !== undefined) chats.delete(to.except);
  return [...chats];
}

/**
 * The lead organization's chats `to` names: its work chat (or its executors) and the holder, or, when
 * nobody holds the post, each of its executors; not privately anyone on leave (see organizationChats).
 */
function organizationListeners(deps: PresenceDeps, incident: Incident, to: Listeners): number[] {
  const lead = leadAssignment(incident);
  if (!lead) return [];
  const chats = to.organization ? organizationChats(deps, lead.organizationId) : [];
  const holder = to.holder ? memberChat(deps, incident.holderId, lead.organizationId) : undefined;
  if (holder !== undefined) chats.push(holder);
  if (to.executorsIfUnheld && incident.holderId === null)
    chats.push(...present(deps, reachableMembers(deps.db, [lead.organizationId])));
  return chats;
}

/**
 * The approval notice of an answer the executors post, to the lead organization and the holder
 * (`why`: what comes before it, said first), with «Размещено» under the text to copy: the card may be
 * far up a busy chat; the draft's files come on request («Вложения»), so an approval costs no uploads
 * and a colleague standing in has them.
 */
export function approvalNotice(
  deps: Pick<AppDeps, "db" | "clock" | "sla">,
  incident: Incident,
  why?: string,
): { text: string[]; keyboard: InlineKeyboard } {
  const { id } = incident;
  const draft = approvedDraft(deps.db, incident);
  const keyboard = new InlineKeyboard().text(t.button.published, cb("inc.pub", id));
  const files = draft?.attachments.length ?? 0;
  if (files > 0) keyboard.text(ta.approve.filesButton(files), cb("inc.files", id));
  const [notice = "", ...rest] = approvalText(deps, incident, draft);
  return { text: [why ? `${why}\n\n${notice}` : notice, ...rest], keyboard };
}

/**
 * Tells the lead organization and the holder the approval notice (see approvalNotice); an answer
 * nobody holds (its holder left the organization) each of its executors privately, a work chat being
 * easy to miss when the post is nobody's. Whether it went to the curators instead (see tell).
 */
export async function tellToPost(
  deps: NoticeDeps,
  api: Api,
  incident: Incident,
  { why, except }: { why?: string; except?: number | undefined } = {},
): Promise<boolean> {
  const { text, keyboard } = approvalNotice(deps, incident, why);
  return tell(deps, api, incident, text, {
    organization: true,
    holder: true,
    executorsIfUnheld: true,
    except,
    keyboard,
    once: "to-post",
  });
}

/** The draft the post's answer was approved with, while it waits to be posted. */
export function approvedDraft(db: Db, incident: Incident): Draft | undefined {
  if (incident.row.state !== "approved") return undefined;
  const draft = latestDrafts(db, incident.id, 1)[0];
  return draft && draft.id === incident.answer?.draftId ? draft : undefined;
}

/**
 * What to post, where and by when (at once, when that moment or the answer deadline is reached
 * already: the posting's own, Orenburg p.12, may still run after it), with the approved
 * text itself: whoever posts it — a colleague standing in, too — copies it from here. The text comes
 * as a message of its own when both would not fit in one.
 */
function approvalText(
  deps: Pick<AppDeps, "clock" | "sla">,
  incident: Incident,
  draft: Draft | undefined,
): string[] {
  const { id } = incident;
  const kind = incident.answer?.draftKind ?? "answer";
  const now = deps.clock.now();
  const due = publicationDue(incident, deps.sla, now);
  const passed = due !== undefined && due.at <= now;
  const where = ta.inNetwork(incident.row.network as Network);
  const shown = (at: Date | undefined) => (at ? formatDeadline(at, deps.sla.timezone) : null);
  const notice = ta.approve.notice(id, kind, where, shown(due?.at), passed, shown(due?.answerMissed));
  if (!draft) return [notice];
  const files = draft.attachments.length > 0 ? [ta.approve.attachments(draft.attachments.length)] : [];
  return [[notice, ...files, "", ta.approve.text].join("\n"), draft.text];
}

function cancelKeyboard(): InlineKeyboard {
  return new InlineKeyboard().text(ta.cancel, CANCEL);
}

/** A text `check` refuses that the person may still confirm with a button, told so by `offer`. */
interface Confirmable {
  applies: (text: string) => boolean;
  offer: string;
  button: string;
}

/**
 * Waits for a line of text in the dialogue's chat; undefined when the person cancels. `check` returns
 * what is wrong with the text, to ask again with; a text `confirm` applies to is offered a button
 * that takes it all the same (the last such offer's). Another command leaves the dialogue and is
 * handled as usual; another card's button passes by, except one `endsIt` names: that ends the
 * dialogue (the question loses its buttons) and is then handled as usual.
 */
async function waitForText(
  conversation: Flow,
  prompt: Message,
  check: (text: string) => string | undefined,
  hint: string,
  confirm?: Confirmable,
  endsIt?: (data: string) => boolean,
  /** When the window of every answer starts (see waitForAnswer); by default each question's own. */
  since?: number,
): Promise<string | undefined> {
  let offered: { message: Message; text: string } | undefined;
  for (;;) {
    const answer = await waitForAnswer(conversation, since);
    const data = answer.callbackQuery?.data;
    if (data === CONFIRM) {
      if (!offered || !pressedOn(answer, offered.message)) {
        await staleStep(answer);
        continue;
      }
      await answer.answerCallbackQuery();
      await removeButtons(answer, offered.message);
      return offered.text;
    }
    if (data === CANCEL) {
      // Only this question's «Отмена»: one left under an earlier question cancels nothing now.
      if (!pressedOn(answer, prompt)) {
        await staleStep(answer);
        continue;
      }
      await answer.answerCallbackQuery();
      return undefined;
    }
    if (data !== undefined) {
      if (endsIt?.(data)) {
        await removeButtons(answer, prompt);
        await conversation.halt({ next: true });
      }
      await conversation.skip({ next: true });
    }
    const text = answer.message?.text?.trim();
    if (isCancel(text)) return undefined;
    if (text?.startsWith("/")) await conversation.halt({ next: true });
    // A screenshot captioned with the link, a photo with the comment: the person meant the caption.
    const captioned = text === undefined && answer.message?.caption !== undefined;
    const problem = text === undefined ? (captioned ? ta.captionNotRead : hint) : check(text);
    if (problem === undefined && text !== undefined) {
      if (offered) await removeButtons(answer, offered.message);
      return text;
    }
    if (!answer.message) continue;
    if (text !== undefined && confirm?.applies(text)) {
      const keyboard = new InlineKeyboard().text(confirm.button, CONFIRM);
      offered = {
        message: await answer.reply(confirm.offer, { ...NO_PREVIEW, reply_markup: keyboard }),
        text,
      };
    } else await answer.reply(problem ?? hint, NO_PREVIEW);
  }
}

const isComment = (text: string) => text.length >= 3 && text.length <= 1000;

/** A press of the button `cb(action, ...args, …)`: of this post (and part), whatever version it names. */
const pressOf =
  (action: string, ...args: number[]) =>
  (data: string): boolean => {
    const prefix = cb(action, ...args);
    return data === prefix || data.startsWith(`${prefix}:`);
  };

/**
 * Asks for a comment of 3–1000 characters, with «Отмена»; undefined when the person cancels (and is
 * told). The opposite decision pressed instead (`decidedBy`: «Согласовать» after «На доработку») ends
 * the question: the comment is no longer wanted, and the next remark in the chat is not taken for it.
 */
async function askComment(
  conversation: Flow,
  ctx: Context,
  question: string,
  decidedBy: (data: string) => boolean,
): Promise<{ comment: string; chatId: number } | undefined> {
  const prompt = await askOf(conversation, ctx, question, { reply_markup: cancelKeyboard() });
  const comment = await waitForText(
    conversation,
    prompt,
    (text) => (isComment(text) ? undefined : ta.rework.badComment),
    ta.rework.badComment,
    undefined,
    decidedBy,
  );
  await removeButtons(ctx, prompt);
  if (comment === undefined) {
    await ctx.reply(ta.cancelled);
    return undefined;
  }
  return { comment, chatId: prompt.chat.id };
}

/** «На доработку»: the comment is required; the executor gets it with the draft and the rework deadline. */
export function reworkFlow(deps: AppDeps) {
  return async function reworkDialog(
    conversation: Flow,
    ctx: Context,
    incidentId: number,
    /** The draft the curator saw; null for a button sent before drafts were named. */
    draftId: number | null = null,
  ): Promise<void> {
    aboutPost(conversation, incidentId);
    const asked = await askComment(
      conversation,
      ctx,
      ta.rework.ask(incidentId),
      pressOf("inc.ok", incidentId),
    );
    if (!asked) return;
    const { comment, chatId } = asked;
    const outcome = await conversation.external(async (outer: BotContext) => {
      const actor = outer.person;
      const now = deps.clock.now();
      const result =
        actor && requestRework(deps.db, { incidentId, actor, now, comment, draftId: draftId ?? undefined });
      if (result?.ok === false && result.refusal === "changed") return ta.approve.stale(incidentId);
      if (!result?.ok) return refusalNow(deps, incidentId, "requestRework", actor);
      const { regulation, workingTime, timezone } = deps.sla;
      const at = stepDeadline(regulation, "rework", { reworkRequest: now }, workingTime);
      const due = at ? formatDeadline(at, timezone) : null;
      // Rework does not move the answer's deadline (Orenburg p.8, Georgievsk p.16): one that comes
      // first is said beside it.
      const answer = answerDue(result.incident, deps.sla);
      const sooner =
        answer && at && answer.at < at && !finalClockMet(result.incident, regulation, workingTime)
          ? {
              at: formatDeadline(answer.at, timezone),
              clause: answer.clause,
              byFinalDraft:
                answer.step === "finalAfterInterim" &&
                regulation.steps.finalAfterInterim?.metBy === "draftSubmission",
            }
          : null;
      const returned = latestDrafts(deps.db, incidentId, 1)[0];
      const notice = ta.rework.notice(
        incidentId,
        comment,
        due,
        returned?.text ?? null,
        returned?.kind,
        sooner,
      );
      await announceEach(
        outer.log,
        "rework",
        () => syncCards(cardDeps(deps, outer.api), result.incident),
        () =>
          tell(deps, outer.api, result.incident, notice, {
            organization: true,
            holder: true,
            except: chatId,
            keyboard: reworkButtons(result.incident, returned?.kind ?? "answer", rulesOf(deps)),
            once: "rework",
          }),
      );
      return ta.rework.done(incidentId, due, returned?.kind, sooner);
    });
    await ctx.reply(outcome);
  };
}

/** A message of the bot's, such as the notice a button was pressed on. */
export interface MessageRef {
  chatId: number;
  messageId: number;
}

/**
 * «На доработку: <орган>» on a co-executor's part (Georgievsk p.18): the comment is required; the
 * part is the co-executor's again, and its organization gets the comment and the rework deadline.
 * A notice the button was pressed on loses its buttons once the part is returned.
 */
export function partReturnFlow(deps: AppDeps) {
  return async function partReturnDialog(
    conversation: Flow,
    ctx: Context,
    incidentId: number,
    assignmentId: number,
    version: number | null,
    notice?: MessageRef,
  ): Promise<void> {
    aboutPost(conversation, incidentId);
    const organization = await conversation.external(
      () =>
        loadIncident(deps.db, incidentId)?.assignments.find((a) => a.id === assignmentId)?.organizationName ??
        "",
    );
    const asked = await askComment(
      conversation,
      ctx,
      tr.part.returnAsk(incidentId, organization),
      pressOf("inc.passon", incidentId, assignmentId),
    );
    if (!asked) return;
    const { comment } = asked;
    const outcome = await conversation.external(async (outer: BotContext) => {
      const actor = outer.person;
      const seen = version ?? undefined;
      const result =
        actor &&
        returnPart(deps.db, {
          incidentId,
          assignmentId,
          version: seen,
          actor,
          now: deps.clock.now(),
          rules: rulesOf(deps),
          comment,
        });
      if (!result?.ok) return partRefusalNow(deps, incidentId, assignmentId, seen, actor);
      const part = result.incident.assignments.find((a) => a.id === assignmentId);
      if (!part) return t.refusal;
      const { regulation, workingTime, timezone } = deps.sla;
      const at = runningDeadlines(result.incident, regulation, workingTime, part.organizationId).find(
        (d) => d.step === "coexecutorRework",
      )?.at;
      const due = at ? formatDeadline(at, timezone) : null;
      const clause = regulation.steps.coexecutorRework?.clause ?? "";
      const told = tr.part.returnNotice(incidentId, part.organizationName, comment, due, clause);
      const taker = part.acceptedBy !== null ? telegramIdOf(deps.db, part.acceptedBy) : undefined;
      const resend = new InlineKeyboard().text(
        t.button.sendPart,
        cb("inc.part", incidentId, part.organizationId),
      );
      const options = { ...ringFor(result.incident), once: "part-returned" };
      const announced = await Promise.allSettled([
        syncCards(cardDeps(deps, outer.api), result.incident),
        notice && outer.api.editMessageReplyMarkup(notice.chatId, notice.messageId),
        notifyOrganization(deps, outer.api, part.organizationId, told, resend, options),
        // Whoever took the part hears it himself, as the holder of a returned draft does.
        taker !== undefined && chatOfOrganization(deps.db, part.organizationId) !== undefined
          ? sendLong(deps, outer.api, taker, told, resend, options)
          : undefined,
      ]);
      for (const failed of announced) {
        if (failed.status === "rejected")
          outer.log.error({ err: failed.reason }, "part return: an announcement failed");
      }
      return tr.part.returned(incidentId, part.organizationName, due);
    });
    await ctx.reply(outcome);
  };
}

/** The link a message gives: the whole of it, or the one link among its words («Разместил: https://…»). */
function givenLink(text: string): string {
  if (parseSourceLink(text).ok) return text;
  const found = findLinks(text);
  return found.length === 1 && found[0] !== undefined ? found[0] : text;
}

/** What is wrong with a link given for this post, or undefined when it will do. */
function linkProblem(text: string, post: { network: Network; linkKey: string }): string | undefined {
  const parsed = parseSourceLink(givenLink(text));
  if (!parsed.ok) return ta.link.notLink;
  if (!sameNetwork(post.network, parsed.network)) {
    const got = parsed.network === "other" ? ta.link.elsewhere : ta.inNetwork(parsed.network);
    return post.network === "other"
      ? ta.link.notInSource(got)
      : ta.link.otherNetwork(got, ta.inNetwork(post.network));
  }
  // The post itself, however its address is written (the mobile site, a wall's «?w=»): not an answer.
  if (parsed.key === post.linkKey) return ta.link.samePost;
  // A comment under another post: most likely another post's answer, given here by mistake.
  if (isCommentKey(parsed.key) && threadKeyOf(parsed.key) !== threadKeyOf(post.linkKey))
    return ta.link.otherThread;
  return undefined;
}

/**
 * «Размещено» / «Размещу лично» / «Промежуточный ответ» / «Запрос автору»: the link of what was
 * posted, in the post's own network, then the change; rights and state are checked again at that moment.
 */
export function linkFlow(deps: AppDeps) {
  return async function answerLinkDialog(
    conversation: Flow,
    ctx: Context,
    incidentId: number,
    kind: LinkKind,
    /** Opened by «Размещу лично»: the executors were told the curator posts it (features/answers.ts). */
    curatorPosts?: boolean,
    /** A link the person gave before the question: taken if it will do, else asked for as ever. */
    offered?: string | null,
  ): Promise<void> {
    aboutPost(conversation, incidentId);
    const post = await conversation.external(() => {
      const incident = loadIncident(deps.db, incidentId);
      // Another comment registered at its post's link has that link's key and an ordinal.
      return (
        incident && { network: incident.row.network as Network, linkKey: postKeyOf(incident.row.linkKey) }
      );
    });
    if (!post) {
      await ctx.reply(tr.notFoundNumber(incidentId));
      return;
    }
    const chatId = ctx.chat?.id ?? 0;
    // Stored with the dialogue, an absent link comes back as null.
    if (offered) {
      const problem = linkProblem(offered, post);
      if (problem === undefined)
        return recordGiven(conversation, ctx, deps, { incidentId, kind, chatId }, offered);
      await ctx.reply(problem);
    }
    const prompt = await askOf(conversation, ctx, ta.link.ask(kind, incidentId, ta.inNetwork(post.network)), {
      reply_markup: cancelKeyboard(),
    });
    // Where a comment may have no link of its own, the post's link is taken once the person says
    // the answer is a comment under it.
    const underPost: Confirmable | undefined = commentsHaveLinks(post.network)
      ? undefined
      : {
          applies: (line) => {
            const parsed = parseSourceLink(givenLink(line));
            return parsed.ok && parsed.key === post.linkKey;
          },
          offer: ta.link.samePostUnder,
          button: ta.link.underPost,
        };
    // A curator's «Размещу лично» holds for one window from the claim, however often the link is asked
    // again: the executors hear after it that it is theirs to post (jobs/curator-posting.ts). A claim
    // whose window is over is no more: pressed again, the new claim (recorded after this) starts now.
    const since = curatorPosts
      ? await conversation.external((outer: BotContext) => {
          const now = outer.app.clock.now();
          return (openClaim(deps.db, incidentId, now, ANSWER_WINDOW_MS)?.event.at ?? now).getTime();
        })
      : undefined;
    const text = await waitForText(
      conversation,
      prompt,
      (line) => linkProblem(line, post),
      ta.link.notLink,
      underPost,
      undefined,
      since,
    );
    await removeButtons(ctx, prompt);
    if (text === undefined) {
      await ctx.reply(ta.cancelled);
      if (curatorPosts)
        await conversation.external((outer: BotContext) => curatorGaveUp(deps, outer, incidentId));
      return;
    }
    await recordGiven(conversation, ctx, deps, { incidentId, kind, chatId }, text);
  };
}

/** Records the link given (its normal form), then tells the person how it went. */
async function recordGiven(
  conversation: Flow,
  ctx: Context,
  deps: AppDeps,
  input: { incidentId: number; kind: LinkKind; chatId: number },
  text: string,
): Promise<void> {
  const parsed = parseSourceLink(givenLink(text));
  const link = parsed.ok ? parsed.url : text;
  const outcome = await conversation.external((outer: BotContext) =>
    recordLink(deps, outer, { ...input, link }),
  );
  await ctx.reply(outcome, NO_PREVIEW);
}

/** A curator cancelled «Размещу лично»: the executors, told he posts the answer, are to post it after all. */
async function curatorGaveUp(deps: AppDeps, outer: BotContext, incidentId: number): Promise<void> {
  const curator = outer.person;
  const now = deps.clock.now();
  const ended = curator && recordCuratorPosting(deps.db, { incidentId, actor: curator, now, posting: false });
  if (!curator || !ended) return;
  const incident = loadIncident(deps.db, incidentId);
  if (!incident) return;
  const who = displayName(curator);
  const kind = incident.answer?.draftKind ?? "answer";
  // Approved in the claim's own tap, they were told only that the curator posts it: now the text.
  const owed = ended.claim !== undefined && approvedTextOwed(deps.db, incidentId, ended.claim);
  const notice = ta.publish.curatorGaveUp(incidentId, who, kind, owed);
  const except = outer.chat?.id;
  await announceEach(outer.log, "curator gave up posting", () =>
    owed
      ? tellToPost(deps, outer.api, incident, { why: notice, except })
      : tell(deps, outer.api, incident, notice, {
          organization: true,
          holder: true,
          except,
          once: "gave-up",
        }),
  );
}

/** The cards of open repeats of an incident whose answer was just posted now show that answer. */
async function refreshRepeatCards(deps: AppDeps, api: Api, incidentId: number): Promise<void> {
  for (const id of openRepeatsOf(deps.db, incidentId)) {
    const repeat = loadIncident(deps.db, id);
    if (repeat) await syncCards(cardDeps(deps, api), repeat);
  }
}

/**
 * Whether an answer posted at `now` met the answer's deadline; and Orenburg p.12: posting the approved
 * answer has a deadline of its own, reported (its clause) when missed even where the answer's is met:
 * the person hears both, not a plain «в срок».
 */
function timeliness(deps: AppDeps, before: Incident, now: Date) {
  const due = answerDue(before, deps.sla);
  const { regulation, workingTime } = deps.sla;
  const onTime = !due || workingTime.meets(due.at, answerMetAt(deps, before, due, now));
  const posting = runningDeadlines(before, regulation, workingTime).find((d) => d.step === "publication");
  return { due, onTime, postedLate: posting && !workingTime.meets(posting.at, now) ? posting.clause : null };
}

/**
 * When the link was given: its message's date, not when the bot got it — a link sent in time while
 * the bot was stopped (an upgrade) is on time. Never before the post's last change, so its history
 * stays in order; never after now.
 */
function sentAt(outer: BotContext, incident: Incident, now: Date): Date {
  const written = outer.message?.date;
  if (written === undefined) return now;
  const earliest = Math.max(written * 1000, incident.row.updatedAt.getTime());
  return new Date(Math.min(now.getTime(), earliest));
}

/** Makes the change a link stands for and tells whom it concerns; returns the presser's confirmation. */
async function recordLink(
  deps: AppDeps,
  outer: BotContext,
  input: { incidentId: number; kind: LinkKind; link: string; chatId: number },
): Promise<string> {
  const { incidentId, kind, link, chatId } = input;
  const actor = outer.person;
  const found = loadIncident(deps.db, incidentId);
  if (!actor || !found) return refusalNow(deps, incidentId, LINK_ACTIONS[kind], actor);
  const now = sentAt(outer, found, deps.clock.now());
  const change = { incidentId, actor, now, link, rules: rulesOf(deps) };
  const result: TransitionResult =
    kind === "publish"
      ? publishAnswer(deps.db, { ...change, onTime: timeliness(deps, found, now).onTime })
      : kind === "interim"
        ? publishInterim(deps.db, change)
        : recordClarification(deps.db, change);
  if (!result.ok) return refusalNow(deps, incidentId, LINK_ACTIONS[kind], actor);
  // Handled again after a crash, the link was recorded then: it is told as it was then.
  const { before, at } = result;
  const { due, onTime, postedLate } = timeliness(deps, before, at);
  const incident = result.incident;
  const byHolder = incident.holderId === actor.id;
  const others: Listeners = {
    curators: true,
    organization: !byHolder,
    holder: !byHolder,
    except: chatId,
    once: "link",
  };
  const { timezone } = deps.sla;
  const announce = (notice: string, to: Listeners) =>
    announceEach(
      outer.log,
      kind,
      () => syncCards(cardDeps(deps, outer.api), incident),
      async () => {
        if (kind === "publish") await refreshRepeatCards(deps, outer.api, incidentId);
      },
      () => tell(deps, outer.api, incident, notice, to),
      async () => {
        if (kind !== "clarify")
          await tellHeadsOutcome(
            cardDeps(deps, outer.api),
            incident,
            ti.answerPosted(
              incidentId,
              link,
              kind === "interim",
              kind === "publish" ? ta.publish.verdict(onTime, postedLate) : null,
            ),
          );
      },
    );
  switch (kind) {
    case "publish":
      await announce(ta.publish.notice(incidentId, link, onTime, postedLate, displayName(actor)), others);
      return ta.publish.done(incidentId, onTime, postedLate);
    case "interim": {
      const final = answerDue(incident, deps.sla);
      const at = final ? formatDeadline(final.at, timezone) : null;
      const step = stepLabel(deps.sla.regulation, final?.step ?? "finalAfterInterim");
      const clause = final?.clause ?? "";
      await announce(ta.interim.notice(incidentId, link, at, step, clause), others);
      // A curator who posted it himself (Georgievsk p.12) has no «Подготовить окончательный ответ».
      const lead = leadAssignment(incident);
      const drafts = !!lead && actor.organizationIds.includes(lead.organizationId);
      return ta.interim.done(incidentId, at, step, clause, drafts);
    }
    case "clarify": {
      // The executors were told a curator posting it would send them its link (features/answers.ts).
      await announce(ta.clarify.notice(incidentId, link), others);
      // The clock that runs on: the answer's, or after an interim answer the final one's (Georgievsk
      // p.15: its draft's, which says nothing once that draft went to the curator).
      // Where a question is no draft of the answer (Georgievsk p.11), the answer's draft is still owed first.
      const { regulation, workingTime } = deps.sla;
      const draft = runningDeadlines(incident, regulation, workingTime).find((d) => d.step === "draft");
      const runs = due && answerMetAt(deps, before, due, at).getTime() === at.getTime();
      const next = draft ?? (runs ? due : undefined);
      return ta.clarify.done(
        incidentId,
        next
          ? {
              what: stepLabel(regulation, next.step),
              at: formatDeadline(next.at, timezone),
              passed: next.at.getTime() < at.getTime(),
            }
          : null,
      );
    }
  }
}
