/**
 * The incident's state machine: which action is allowed in which state and to whom. Pure: the
 * app layer reads the incident, asks here, and writes the result with its audit event.
 */
import { hasRole, type Person } from "./access.js";
import type { WorkingTime } from "./calendar/index.js";
import type { Anchors, Regulation, StepId } from "./regulation/index.js";
import { stepDeadline, stepStart } from "./regulation/index.js";

export type IncidentState =
  | "registered"
  | "assigned"
  | "in_work"
  | "on_approval"
  | "approved"
  | "answered"
  | "awaiting_final"
  | "closed";

export type Importance = "normal" | "important" | "significant";
export type AssignmentRole = "lead" | "coexecutor";
/** "queued": a co-executor waiting for its turn (Orenburg p.14), which has not received the post yet. */
export type AssignmentState =
  | "queued"
  | "assigned"
  | "accepted"
  | "returned"
  | "part_sent"
  | "part_passed"
  | "withdrawn";

export interface AssignmentView {
  organizationId: number;
  role: AssignmentRole;
  position: number;
  state: AssignmentState;
  receivedAt: Date;
  /** When a co-executor sent its part. */
  partSentAt?: Date | null;
  /** When a curator last returned the part for rework (Georgievsk p.18). */
  partReturnedAt?: Date | null;
  /** When the organization returned the post to the curators (Orenburg p.7; Georgievsk p.10). */
  returnedAt?: Date | null;
  /** When a routing (or closing) took the part away. */
  withdrawnAt?: Date | null;
  /** When a co-executor's part reached the lead (sent, or passed on by a curator). */
  partPassedAt?: Date | null;
}

export interface IncidentView {
  id: number;
  state: IncidentState;
  importance: Importance;
  detectedAt: Date;
  postedAt: Date | null;
  routedAt: Date | null;
  shortenedAnswerMinutes: number | null;
  holderId: number | null;
  assignments: AssignmentView[];
  /** The answer half (all null until a draft is submitted). */
  answer?: AnswerProgress;
}

/**
 * What a draft is for: the answer (the final one after an interim answer), an interim answer, or a
 * question to the author. Each goes through the curator's approval before it is posted (Orenburg
 * p.4, 9–12; Georgievsk p.11).
 */
export type DraftKind = "answer" | "final" | "interim" | "clarification";

/** The answer and the final answer after an interim one are one family (one run of versions); the others, each its own. */
export const familyOf = (kind: DraftKind): DraftKind => (kind === "final" ? "answer" : kind);

/** What the executor sets out to prepare; an "answer" after an interim one is the final answer. */
export type DraftPurpose = "answer" | "interim" | "clarification";

export interface AnswerProgress {
  /** The latest draft: the one a curator's decision is about. */
  draftId: number | null;
  draftKind?: DraftKind | null;
  draftSubmittedAt: Date | null;
  draftAuthorId: number | null;
  reworkRequestedAt: Date | null;
  /** The curator's comment on the draft returned for rework (while it is the latest). */
  reworkComment?: string | null;
  approvedAt: Date | null;
  interimPublishedAt: Date | null;
  /**
   * When the first draft of the final answer went to the curator, after an interim answer: it meets
   * Georgievsk p.15 whatever follows (rework, a question to the author).
   */
  finalDraftSubmittedAt?: Date | null;
  awaitingClarification: boolean;
  /** While awaitingClarification: when the question to the author was posted. */
  clarificationAskedAt?: Date | null;
}

export type IncidentAction =
  | "route"
  | "accept"
  /** «Взять себе»: a colleague of the same organization takes over the post (or its part) held by another. */
  | "takeOver"
  | "return"
  | "markToxic"
  | "markThreat"
  /** Closed without an answer: the post was deleted, or registered by mistake. */
  | "markVoid"
  | "sendPart"
  | "passOnPart"
  | "returnPart"
  | "releaseTurn"
  | "submitDraft"
  | "approve"
  | "requestRework"
  | "publish"
  | "publishInterim"
  | "askClarification"
  | "markRepeat";

/**
 * What a regulation asks of the curator beyond deciding: Georgievsk p.12 lets him publish himself;
 * Georgievsk p.18 has him approve each co-executor's part and pass it on to the lead (or, not
 * approving it, return it to the co-executor for rework).
 */
export interface ActionRules {
  curatorMayPublish: boolean;
  curatorPassesParts?: boolean;
  /** The curator may have co-executors get the post one after another (Orenburg p.14). */
  coexecutorsInOrder?: boolean;
  /**
   * The preset times the final answer after an interim one (`finalAfterInterim`); false: no interim
   * answer is offered, since nothing would be due after it. Unset (rules not given): offered.
   */
  interimAnswer?: boolean;
}

export function actionRules(reg: Regulation): ActionRules {
  return {
    curatorMayPublish: reg.curatorMayPublish.value,
    curatorPassesParts: reg.steps.coexecutorPassOn !== undefined,
    coexecutorsInOrder: reg.coexecutorsInOrder?.value === true,
    interimAnswer: reg.steps.finalAfterInterim !== undefined,
  };
}

export type Refusal = "forbidden" | "wrong_state";

/**
 * Which sending of a co-executor's part a curator's button is about (the second it was sent): a part
 * returned for rework and sent again is the same assignment, and a button on the old version's
 * notice must not approve the new text unseen.
 */
export function partVersion(part: Pick<AssignmentView, "partSentAt">): number | undefined {
  return part.partSentAt ? Math.floor(part.partSentAt.getTime() / 1000) : undefined;
}

/**
 * Whether a curator's button is about the part's current sending. A button from before buttons
 * named it is: until a part is first returned, it has only ever been sent once.
 */
export function sameSending(part: AssignmentView, version: number | undefined): boolean {
  return version === undefined ? !part.partReturnedAt : partVersion(part) === version;
}

/**
 * A curator may route the post again until the answer is out: an organization that stalls after
 * approval, or while the final answer is due after an interim one, is not a dead end, and a draft
 * before the curator that shows the post is another organization's need not be returned first (the
 * new lead's drafting supersedes it; to the same lead the routing dialogue refuses, flows/routing.ts).
 */
const OPEN_FOR_ROUTING: IncidentState[] = [
  "registered",
  "assigned",
  "in_work",
  "on_approval",
  "approved",
  "awaiting_final",
];

export const openForRouting = (state: IncidentState) => OPEN_FOR_ROUTING.includes(state);

/** Neither answered nor closed. */
export const isOpen = (state: IncidentState) => state !== "answered" && state !== "closed";

/**
 * A toxic post or a threat is closed without an answer (Orenburg p.17; Georgievsk p.22) until the
 * office has approved an answer or said anything in public: registered, routed, in work, or with a
 * draft before the curator (who sees in it what the post is), and no interim answer posted.
 */
const CLOSABLE_UNANSWERED: IncidentState[] = ["registered", "assigned", "in_work", "on_approval"];

export function closableUnanswered(incident: Pick<IncidentView, "state" | "answer">): boolean {
  return CLOSABLE_UNANSWERED.includes(incident.state) && !incident.answer?.interimPublishedAt;
}

/**
 * A post deleted by its author, or registered by mistake, is closed without an answer at any step
 * before its answer is out: also once an answer is approved but cannot be posted any more, or after
 * an interim answer, when the final one has nowhere to go.
 */
export function voidable(incident: Pick<IncidentView, "state">): boolean {
  return incident.state !== "answered" && incident.state !== "closed";
}

/** Live assignments: those not returned or withdrawn. */
export function activeAssignments<A extends AssignmentView>(incident: { assignments: A[] }): A[] {
  return incident.assignments.filter((a) => a.state !== "returned" && a.state !== "withdrawn");
}

/**
 * Whether the organizations owe nothing on the post any more: each part of theirs is a co-executor's
 * given out (sent to the curators or passed on to the lead), none returned to them for rework (a part
 * returned is `accepted` again): the post is not their open work.
 */
export function partsGivenOut(
  incident: { assignments: AssignmentView[] },
  organizationIds: number[],
): boolean {
  const own = activeAssignments(incident).filter(
    (a) => a.state !== "queued" && organizationIds.includes(a.organizationId),
  );
  return (
    own.length > 0 &&
    own.every((a) => a.role === "coexecutor" && (a.state === "part_sent" || a.state === "part_passed"))
  );
}

/**
 * The co-executor whose turn comes next (Orenburg p.14), if one is waiting: released when the one
 * before it gives its part or returns the post.
 */
export function nextInOrder<A extends AssignmentView>(incident: { assignments: A[] }): A | undefined {
  let next: A | undefined;
  for (const a of incident.assignments) {
    if (a.state === "queued" && (!next || a.position < next.position)) next = a;
  }
  return next;
}

/** The turn that may still come: none once the answer is out or the post closed (nobody left to inform). */
export function nextTurn<A extends AssignmentView>(incident: {
  state: IncidentState;
  assignments: A[];
}): A | undefined {
  return incident.state === "answered" || incident.state === "closed" ? undefined : nextInOrder(incident);
}

/**
 * The part a curator's button names: its assignment, or, kept through a routing again, the live
 * assignment carrying the same sending (the same organization's, sent at the same moment).
 */
export function partNamed<A extends AssignmentView & { id: number }>(
  incident: { assignments: A[] },
  assignmentId: number,
): A | undefined {
  const named = incident.assignments.find((a) => a.id === assignmentId);
  const sentAt = named?.partSentAt?.getTime();
  if (named?.state !== "withdrawn" || sentAt === undefined) return named;
  const kept = activeAssignments(incident).find(
    (a) =>
      a.organizationId === named.organizationId &&
      a.role === "coexecutor" &&
      a.partSentAt?.getTime() === sentAt,
  );
  return kept ?? named;
}

/**
 * The states of a co-executor's part it still owes the lead, having the post: not yet sent, or sent
 * and waiting for the curators (Georgievsk p.18); once with the lead, it has nothing more to do.
 */
export const OWED_PART_STATES: ReadonlySet<AssignmentState> = new Set(["assigned", "accepted", "part_sent"]);

/** Live assignments whose organization has the post: a co-executor waiting for its turn has not. */
export function receivedAssignments<A extends AssignmentView>(incident: { assignments: A[] }): A[] {
  return activeAssignments(incident).filter((a) => a.state !== "queued");
}

/**
 * The lead organization that had the post at an instant: each lead assignment from its receipt
 * until it returned the post or the next lead got it; undefined while none had it (not routed yet,
 * or back with the curators).
 */
export function leadOrganizationAt(
  incident: { assignments: AssignmentView[] },
  at: Date,
): number | undefined {
  const leads = incident.assignments
    .filter((a) => a.role === "lead")
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  let found: number | undefined;
  leads.forEach((a, i) => {
    const end = a.returnedAt ?? leads[i + 1]?.receivedAt;
    if (a.receivedAt <= at && (end == null || at < end)) found = a.organizationId;
  });
  return found;
}

export function leadAssignment<A extends AssignmentView>(incident: { assignments: A[] }): A | undefined {
  return activeAssignments(incident).find((a) => a.role === "lead");
}

/**
 * The part the lead organization gave as a co-executor before it led the post (an organization
 * merged into the lead, say): closed, as an organization has one live part on a post, yet written
 * and for the lead's draft like any part that reached it. Not one a curator returned for rework.
 */
export function leadsOwnPart<A extends AssignmentView>(incident: { assignments: A[] }): A | undefined {
  const lead = leadAssignment(incident);
  const own = incident.assignments.filter(
    (a) => a.role === "coexecutor" && a.organizationId === lead?.organizationId && a.state === "withdrawn",
  );
  const last = own.at(-1);
  const inRework = last?.partReturnedAt && last.partSentAt && last.partReturnedAt >= last.partSentAt;
  return last?.partSentAt && !inRework ? last : undefined;
}

/** The live assignments of the person's organizations in this incident, the lead's first. */
export function assignmentsOf<A extends AssignmentView>(
  incident: { assignments: A[] },
  person: Person | undefined,
): A[] {
  if (!person) return [];
  return activeAssignments(incident).filter((a) => person.organizationIds.includes(a.organizationId));
}

/**
 * The assignment an action of the person is about. A person of two organizations on one incident
 * (say the lead and a co-executor) acts for the one whose part the action fits — accepting the part
 * still to accept, sending the co-executor's part — and for the lead's when both fit. When none fits,
 * the one the action is merely too early or too late for, so that the refusal explains the moment
 * rather than the right. A button on an organization's card names the organization: then its part.
 */
export function assignmentFor<A extends AssignmentView>(
  incident: IncidentView & { assignments: A[] },
  action: IncidentAction,
  person: Person | undefined,
  rules: ActionRules = { curatorMayPublish: false },
  organizationId?: number,
): A | undefined {
  const mine = assignmentsOf(incident, person);
  // Pressed on an organization's card: that organization's part, and only if the person is in it.
  if (organizationId !== undefined) return mine.find((a) => a.organizationId === organizationId);
  const verdicts = mine.map((a) => decide(incident, action, person, a, rules));
  return mine[verdicts.indexOf(undefined)] ?? mine[verdicts.indexOf("wrong_state")] ?? mine[0];
}

/**
 * May `person` perform `action` on the incident now? Rights first (a stranger learns nothing about
 * the state), then the state.
 */
export function checkAction(
  incident: IncidentView,
  action: IncidentAction,
  person: Person | undefined,
  rules: ActionRules = { curatorMayPublish: false },
  organizationId?: number,
): Refusal | undefined {
  const assignment = assignmentFor(incident, action, person, rules, organizationId);
  return decide(incident, action, person, assignment, rules);
}

/** checkAction for the person acting through one of their organizations' assignments. */
function decide(
  incident: IncidentView,
  action: IncidentAction,
  person: Person | undefined,
  assignment: AssignmentView | undefined,
  rules: ActionRules,
): Refusal | undefined {
  const curator = hasRole(person, "curator");
  const leadExecutor = assignment?.role === "lead" && assignment.state === "accepted";
  switch (action) {
    case "route":
      if (!curator) return "forbidden";
      return openForRouting(incident.state) ? undefined : "wrong_state";
    case "markToxic":
    case "markThreat":
      if (!curator) return "forbidden";
      return closableUnanswered(incident) ? undefined : "wrong_state";
    case "markVoid":
      if (!curator) return "forbidden";
      return voidable(incident) ? undefined : "wrong_state";
    case "markRepeat":
      // A repeat is a fact about the post (Orenburg p.15; Georgievsk p.19), worth recording at any
      // step, answered too (the month's figures count it); a post closed without an answer has none.
      // The curators link one only before the answer is out (the card's menu, the repeat question).
      if (!curator) return "forbidden";
      return incident.state === "closed" ? "wrong_state" : undefined;
    case "accept":
      // Once the answer is out, a part not yet taken has nobody left to serve.
      if (!assignment) return "forbidden";
      return assignment.state === "assigned" && isOpen(incident.state) ? undefined : "wrong_state";
    case "takeOver":
      // Whose it is now (the holder, someone else) the app checks: the view does not say who took a part.
      if (!assignment) return "forbidden";
      return assignment.state === "accepted" && isOpen(incident.state) ? undefined : "wrong_state";
    case "return":
      // Taken into work, the post may still turn out not to be the organization's: the lead's while it
      // is in work; a co-executor's part is its own, whatever the lead's work is at, while it is open.
      if (!assignment) return "forbidden";
      if (!isOpen(incident.state)) return "wrong_state";
      return assignment.state === "assigned" ||
        (assignment.state === "accepted" &&
          (assignment.role === "coexecutor" || incident.state === "in_work"))
        ? undefined
        : "wrong_state";
    case "sendPart":
      // Once the answer is out, a part has nobody left to serve.
      if (assignment?.role !== "coexecutor") return "forbidden";
      return assignment.state === "accepted" && incident.state !== "closed" && incident.state !== "answered"
        ? undefined
        : "wrong_state";
    case "passOnPart":
    case "returnPart":
      if (!curator || !rules.curatorPassesParts) return "forbidden";
      if (incident.state === "closed" || incident.state === "answered") return "wrong_state";
      return incident.assignments.some((a) => a.state === "part_sent") ? undefined : "wrong_state";
    case "releaseTurn":
      // The curator sets the order (Orenburg p.14), so he may also stop waiting for a co-executor.
      if (!curator) return "forbidden";
      return nextTurn(incident) ? undefined : "wrong_state";
    case "submitDraft":
      if (!leadExecutor) return "forbidden";
      return incident.state === "in_work" || incident.state === "awaiting_final" ? undefined : "wrong_state";
    case "approve":
    case "requestRework":
      if (!curator) return "forbidden";
      // Nobody decides on their own draft, whatever roles they hold.
      if (incident.answer?.draftAuthorId === person?.id) return "forbidden";
      return incident.state === "on_approval" ? undefined : "wrong_state";
    case "publish":
    case "publishInterim":
    case "askClarification":
      // Whatever was approved is posted by the executor (or, Georgievsk p.12, by the curator himself).
      if (!leadExecutor && !(curator && rules.curatorMayPublish)) return "forbidden";
      return incident.state === "approved" && publishAction(incident) === action ? undefined : "wrong_state";
  }
}

/** What posting the approved draft is: the answer, an interim answer, or the question to the author. */
export function publishAction(incident: IncidentView): "publish" | "publishInterim" | "askClarification" {
  const kind = incident.answer?.draftKind;
  return kind === "interim" ? "publishInterim" : kind === "clarification" ? "askClarification" : "publish";
}

/**
 * May the lead executor start a draft of this purpose now? As any draft (submitDraft), and an interim
 * answer only where the preset times the final one after it, and only once: after it, the final
 * answer is due.
 */
export function checkDraft(
  incident: IncidentView,
  purpose: DraftPurpose,
  person: Person | undefined,
  rules?: ActionRules,
): Refusal | undefined {
  const refusal = checkAction(incident, "submitDraft", person);
  if (refusal) return refusal;
  if (purpose !== "interim") return undefined;
  return rules?.interimAnswer === false || incident.answer?.interimPublishedAt ? "wrong_state" : undefined;
}

/** The state a post returns to once a question to its author is out: waiting for the (final) answer. */
export function workState(incident: IncidentView): "in_work" | "awaiting_final" {
  return incident.answer?.interimPublishedAt ? "awaiting_final" : "in_work";
}

export interface NextDeadline {
  step: StepId;
  at: Date;
  clause: string;
}

function anchorsOf(incident: IncidentView, assignment: AssignmentView | undefined): Anchors {
  const answer = incident.answer;
  const anchors: Anchors = { detection: incident.detectedAt };
  if (incident.postedAt) anchors.postDate = incident.postedAt;
  // Returned by its organization, the post is not routed now: a clock from the routing that was
  // returned no longer applies, and the next routing starts it again (Georgievsk p.16).
  if (incident.routedAt && incident.state !== "registered") anchors.routing = incident.routedAt;
  if (assignment) anchors.receipt = assignment.receivedAt;
  const parts = assignment?.role === "lead" ? partsReceived(incident, assignment) : undefined;
  if (parts) anchors.partsReceived = parts;
  if (assignment?.partReturnedAt) anchors.partReturn = assignment.partReturnedAt;
  if (answer?.draftSubmittedAt) anchors.draftSubmission = answer.draftSubmittedAt;
  if (answer?.reworkRequestedAt) anchors.reworkRequest = answer.reworkRequestedAt;
  if (answer?.approvedAt) anchors.approval = answer.approvedAt;
  if (answer?.interimPublishedAt) anchors.interimPublication = answer.interimPublishedAt;
  return anchors;
}

/**
 * Whether the draft of a question to the author meets the executor's draft step: under Orenburg p.9
 * («проект ответа … или запрос (уточнение)») it does; Georgievsk p.11 names only the answer's draft.
 */
export function questionMeetsDraft(reg: Regulation): boolean {
  return reg.steps.draft?.metByQuestion !== false;
}

/**
 * In work after a rework request, the rework clock runs instead of the first draft's. Once an
 * approved question to the author is out, where its draft meets the draft step (questionMeetsDraft),
 * a draft has been sent in time or not: the answer's clock alone runs on — the lead's own question,
 * not one of an organization the post was taken from.
 */
function inWorkSteps(incident: IncidentView, reg: Regulation): StepId[] {
  const answer = incident.answer;
  const reworking =
    answer?.reworkRequestedAt &&
    (!answer.draftSubmittedAt || answer.reworkRequestedAt >= answer.draftSubmittedAt);
  if (reworking) return ["rework", "answer"];
  const since = leadAssignment(incident)?.receivedAt;
  const asked =
    questionMeetsDraft(reg) &&
    answer?.draftKind === "clarification" &&
    answer.approvedAt &&
    (!since || !answer.draftSubmittedAt || answer.draftSubmittedAt >= since);
  return asked ? ["answer"] : ["draft", "answer"];
}

/**
 * The steps that are running in each state (assigned, in work and awaiting the final answer: the
 * return window and inWorkSteps).
 */
const RUNNING_STEPS: Partial<Record<IncidentState, StepId[]>> = {
  registered: ["routing", "answer"],
  on_approval: ["decision", "answer"],
  approved: ["publication", "answer"],
};

/**
 * A co-executor's own clock: its return window, then its part for the lead (Orenburg p.14,
 * Georgievsk p.18); once a curator has returned the part, the rework of it instead.
 */
function coexecutorSteps(part: AssignmentView, reg: Regulation): StepId[] {
  if (part.state === "assigned") return ["return", "coexecutorPart"];
  if (part.state !== "accepted") return [];
  // A part returned under a preset that had rework of parts keeps the part's own clock under one without.
  return part.partReturnedAt && reg.steps.coexecutorRework ? ["coexecutorRework"] : ["coexecutorPart"];
}

export interface RunningDeadline extends NextDeadline {
  /** When the step's clock started (for reminder points as shares of the step). */
  start: Date;
}

/**
 * The deadlines of the steps running now. A co-executor organization's view (`forOrganizationId`)
 * shows its own steps, counted from its own receipt; a routed incident's "return" step runs only
 * until the organization accepts it.
 */
export function runningDeadlines(
  incident: IncidentView,
  reg: Regulation,
  wt: WorkingTime,
  forOrganizationId?: number,
): RunningDeadline[] {
  if (incident.state === "closed" || incident.state === "answered") return [];
  const own = activeAssignments(incident).find((a) => a.organizationId === forOrganizationId);
  const coexecutor = own?.role === "coexecutor" ? own : undefined;
  const basis = coexecutor ?? leadAssignment(incident);
  // An interim answer changes the lead's clocks; a co-executor owes its part all the same.
  // Routed again to the same lead with its draft in rework, the rework's clock runs on meanwhile.
  const steps = coexecutor
    ? coexecutorSteps(coexecutor, reg)
    : afterInterim(
        incident,
        incident.state === "in_work" || incident.state === "awaiting_final"
          ? inWorkSteps(incident, reg)
          : incident.state === "assigned"
            ? ["return", ...inWorkSteps(incident, reg)]
            : (RUNNING_STEPS[incident.state] ?? []),
        reg,
      );
  const anchors = anchorsOf(incident, basis);
  const opts = incident.shortenedAnswerMinutes
    ? { shortenedAnswerMinutes: incident.shortenedAnswerMinutes }
    : {};
  const running: RunningDeadline[] = [];
  const returned = lastReturn(incident);
  for (const step of steps) {
    if (step === "return" && basis?.state !== "assigned") continue;
    const rule = reg.steps[step];
    // A post returned by its organization is routed again on the routing step's clock, from the return.
    const from = step === "routing" && returned ? { ...anchors, detection: returned } : anchors;
    const at = stepDeadline(reg, step, from, wt, opts);
    const start = rule && stepStart(rule, from);
    if (rule && at && start) running.push({ step, at, clause: rule.clause, start });
  }
  return running;
}

/**
 * The curators' clocks for passing co-executors' parts on to the lead (Georgievsk p.18): one per
 * part waiting for them, from its submission. None where the regulation has no such step.
 */
export function passOnDeadlines(
  incident: IncidentView,
  reg: Regulation,
  wt: WorkingTime,
): (RunningDeadline & { organizationId: number })[] {
  const rule = reg.steps.coexecutorPassOn;
  if (!rule || incident.state === "closed" || incident.state === "answered") return [];
  return activeAssignments(incident).flatMap((a) => {
    if (a.state !== "part_sent" || !a.partSentAt) return [];
    const anchors: Anchors = { detection: incident.detectedAt, partSubmission: a.partSentAt };
    const at = stepDeadline(reg, "coexecutorPassOn", anchors, wt);
    const start = stepStart(rule, anchors);
    if (!at || !start) return [];
    return [
      { step: "coexecutorPassOn" as const, at, clause: rule.clause, start, organizationId: a.organizationId },
    ];
  });
}

/**
 * When a co-executor's own duty (its part, or the rework of it) fell due, once that has passed: the
 * lead organization still waits for the part. Never its window to return the post (a right).
 */
export function partOverdueSince(
  incident: IncidentView,
  reg: Regulation,
  wt: WorkingTime,
  organizationId: number,
  now: Date,
): Date | undefined {
  const missed = runningDeadlines(incident, reg, wt, organizationId)
    .filter((d) => !isWindow(d.step) && d.at <= now)
    .map((d) => d.at.getTime());
  return missed.length > 0 ? new Date(Math.min(...missed)) : undefined;
}

/**
 * Co-executors taking turns (Orenburg p.14) whose part may come after the lead's draft is due (p.9:
 * 4 hours before the answer deadline, which no clause moves for the parts): each one holding the
 * turn by its own deadline, each one waiting by its 2 hours counted from the latest deadline of those
 * before it (or the curators' passing that part on, where they do) — the latest the turn may reach it.
 * Empty when the lead's draft clock waits for the parts anyway (Georgievsk p.18) or is not running.
 */
export function partsPastDraft<A extends AssignmentView>(
  incident: IncidentView & { assignments: A[] },
  reg: Regulation,
  wt: WorkingTime,
): { draft: NextDeadline; parts: { part: A; at: Date }[] } | undefined {
  const draft = runningDeadlines(incident, reg, wt).find((d) => d.step === "draft" || d.step === "rework");
  if (!draft) return undefined;
  const owing = activeAssignments(incident)
    .filter(
      (a) =>
        a.role === "coexecutor" && (a.state === "assigned" || a.state === "accepted" || a.state === "queued"),
    )
    .sort((a, b) => a.position - b.position);
  const parts: { part: A; at: Date }[] = [];
  let turnAt: Date | undefined;
  for (const part of owing) {
    const own = runningDeadlines(incident, reg, wt, part.organizationId).filter((d) => !isWindow(d.step));
    const at =
      part.state === "queued"
        ? turnAt && stepDeadline(reg, "coexecutorPart", { receipt: turnAt }, wt)
        : own.at(-1)?.at;
    if (!at) continue;
    if (at > draft.at) parts.push({ part, at });
    const passedOn = stepDeadline(reg, "coexecutorPassOn", { partSubmission: at }, wt) ?? at;
    if (!turnAt || passedOn > turnAt) turnAt = passedOn;
  }
  return parts.length > 0 ? { draft, parts } : undefined;
}

/**
 * When the lead has what it needs to draft the common answer (Georgievsk p.18: «дальнейшая работа …
 * в порядке пунктов 11–16»): its receipt with no co-executors, else when the last live part reached it
 * or the last co-executor owing one returned the post, or was dropped by a routing that kept the lead
 * (the lead waited for it till then); undefined while a part is still owed.
 */
function partsReceived(incident: IncidentView, lead: AssignmentView): Date | undefined {
  let last = lead.receivedAt;
  for (const a of incident.assignments) {
    if (a.role !== "coexecutor") continue;
    let at: Date | null | undefined;
    if (a.state === "returned") at = a.returnedAt;
    else if (a.state === "part_passed") at = a.partPassedAt ?? a.partSentAt;
    else if (a.state === "withdrawn") at = a.partPassedAt ? null : a.withdrawnAt;
    else return undefined;
    if (at && at > last) last = at;
  }
  return last;
}

/** When the post last came back to the curators from its lead organization, if it did. */
function lastReturn(incident: IncidentView): Date | undefined {
  let last: Date | undefined;
  for (const a of incident.assignments) {
    if (a.role === "lead" && a.state === "returned" && a.returnedAt && (!last || a.returnedAt > last))
      last = a.returnedAt;
  }
  return last;
}

/** The deadline that comes first among the steps running now. */
export function nextDeadline(
  incident: IncidentView,
  reg: Regulation,
  wt: WorkingTime,
  forOrganizationId?: number,
  /** Given, the deadline the card's «Срок:» line shows then (see currentDeadline). */
  now?: Date,
): NextDeadline | undefined {
  const running = runningDeadlines(incident, reg, wt, forOrganizationId);
  return now ? currentDeadline(running, now, answerDeadline(incident, reg, wt)) : earliestDeadline(running);
}

/** A list's line of a post (see listedDeadline). */
export interface ListedDeadline {
  /** What the line shows, as the card's «Срок:» (see currentDeadline): the nearest still ahead, else the first. */
  shown: NextDeadline;
  /** The first of them, passed or not: the list is ordered by it, and the post is overdue once it has passed. */
  first: NextDeadline;
  /**
   * Those passed while `shown` is still ahead, first first, as the card keeps them below its «Срок:»;
   * for curators and heads, a co-executor's (or the curators' passing it on) with its organization.
   */
  missed: (NextDeadline & { organizationId?: number })[];
  /** All of them passed by now, first first, whether `shown` is ahead or not. */
  passed: (NextDeadline & { organizationId?: number })[];
}

/**
 * The deadlines of a list's line as of `now`: for curators and heads (`"all"`), of every step
 * running — the lead's, each co-executor's part and the curators' passing parts on (Georgievsk
 * p.18); for organizations, of what their cards show: the lead's work, or a co-executor's own part.
 * Never a window (see isWindow): the line names no step, and a return nobody has to make is no
 * post's deadline to sort by or to be late with.
 */
export function listedDeadline(
  incident: IncidentView,
  reg: Regulation,
  wt: WorkingTime,
  organizationIds: number[] | "all",
  now: Date,
): ListedDeadline | undefined {
  const everyone = organizationIds === "all";
  const live = activeAssignments(incident).filter(
    (a) => a.state !== "queued" && (everyone || organizationIds.includes(a.organizationId)),
  );
  const parts = live.filter((a) => a.role === "coexecutor");
  const seesLead = everyone || parts.length === 0 || live.some((a) => a.role === "lead");
  const ofPart = (organizationId: number) => (d: NextDeadline) => (everyone ? { ...d, organizationId } : d);
  const deadlines = [
    ...(seesLead ? runningDeadlines(incident, reg, wt) : []),
    ...(everyone ? passOnDeadlines(incident, reg, wt) : []),
    ...parts.flatMap((a) =>
      runningDeadlines(incident, reg, wt, a.organizationId).map(ofPart(a.organizationId)),
    ),
  ].filter((d) => !isWindow(d.step));
  const first = earliestDeadline(deadlines);
  const shown = currentDeadline(deadlines, now);
  if (!first || !shown) return undefined;
  const passed = deadlines.filter((d) => d.at <= now).sort((a, b) => a.at.getTime() - b.at.getTime());
  return { shown, first, missed: shown.at > now ? passed : [], passed };
}

/** The first of these deadlines; given `now`, a window already passed (see isWindow) is skipped. */
export function earliestDeadline(deadlines: NextDeadline[], now?: Date): NextDeadline | undefined {
  let best: NextDeadline | undefined;
  for (const { step, at, clause } of deadlines) {
    if (now && isWindow(step) && at <= now) continue;
    if (!best || at < best.at) best = { step, at, clause };
  }
  return best;
}

/**
 * The deadline a card's «Срок:» line shows as of `now`: the nearest one still ahead, which the
 * people can still meet and the sweep reminds them of; once every one has passed, the first of the
 * steps' own, for the answer deadline (`answerAt`, Orenburg p.8, Georgievsk p.16) has its own line.
 * Never a window (see isWindow): a right, which the card names below its deadlines.
 */
export function currentDeadline(
  deadlines: NextDeadline[],
  now: Date,
  answerAt?: Date,
): NextDeadline | undefined {
  const live = deadlines.filter((d) => !isWindow(d.step));
  const ahead = live.filter((d) => d.at > now);
  const steps = live.filter((d) => d.at.getTime() !== answerAt?.getTime());
  return earliestDeadline(ahead.length > 0 ? ahead : steps.length > 0 ? steps : live);
}

/**
 * Whether the heads hear of a post of this importance at once (Orenburg p.21: a socially significant
 * one; Georgievsk p.24: also one needing an urgent decision, marked «Важное»).
 */
export function headsHearAtOnce(reg: Regulation, importance: Importance): boolean {
  return importance !== "normal" && reg.significantRecipients.importance.includes(importance);
}

/**
 * The executors' answer clocks the curators answer for when they ran out while the curators held
 * the post (the draft before them, their claim to post it, routed after the deadline): the answer's,
 * its posting's and the final answer's after an interim one (p.13, 15). The sweep's alerts and the
 * report's replay judge them alike.
 */
export const HELD_BY_CURATORS: ReadonlySet<StepId> = new Set<StepId>([
  "answer",
  "publication",
  "finalAfterInterim",
]);

/**
 * A window rather than a duty: an organization may return a post outside its competence within 30
 * minutes (Orenburg p.7, Georgievsk p.10), and one that keeps it owes nothing when they are over —
 * no overdue alert, no escalation, no violation in the report; the card shows the next deadline.
 */
export function isWindow(step: StepId): boolean {
  return step === "return";
}

/** The answer deadline itself (Orenburg p.8, Georgievsk p.16), shown on every open card. */
export function answerDeadline(incident: IncidentView, reg: Regulation, wt: WorkingTime): Date | undefined {
  const opts = incident.shortenedAnswerMinutes
    ? { shortenedAnswerMinutes: incident.shortenedAnswerMinutes }
    : {};
  const interim = !!incident.answer?.interimPublishedAt;
  // The final answer's clock of Georgievsk p.15 is its draft's: the running steps show it, not this line.
  if (interim && reg.steps.finalAfterInterim?.metBy === "draftSubmission") return undefined;
  const step = interim ? "finalAfterInterim" : "answer";
  return stepDeadline(reg, step, anchorsOf(incident, leadAssignment(incident)), wt, opts);
}

/**
 * Once an interim answer is out, the final answer runs on its own clock (Orenburg p.13, Georgievsk
 * p.15): the first answer's deadline no longer applies, nor the steps counted back from it (the
 * first draft's, Orenburg p.9; the publication's, Georgievsk p.12, 16). A final clock met by the
 * draft's submission (Georgievsk p.15) stops once a final draft is sent, rework or not.
 */
function afterInterim(incident: IncidentView, steps: StepId[], reg: Regulation): StepId[] {
  const interimAt = incident.answer?.interimPublishedAt;
  if (!interimAt) return steps;
  const rest = steps.filter(
    (step) =>
      step !== "answer" &&
      step !== "draft" &&
      step !== "finalAfterInterim" &&
      reg.steps[step]?.before?.step !== "answer",
  );
  return finalDraftSent(incident, reg) ? rest : [...rest, "finalAfterInterim"];
}

/**
 * Whether the final answer's clock is met by its draft (Georgievsk p.15) and a final draft was sent:
 * a question to the author sent after it does not start the clock again.
 */
function finalDraftSent(incident: IncidentView, reg: Regulation): boolean {
  const interimAt = incident.answer?.interimPublishedAt;
  const submittedAt = incident.answer?.finalDraftSubmittedAt;
  return (
    reg.steps.finalAfterInterim?.metBy === "draftSubmission" &&
    !!interimAt &&
    !!submittedAt &&
    submittedAt >= interimAt
  );
}

export interface FinalClockMet {
  /** When the first final draft went to the curator. */
  at: Date;
  onTime: boolean;
  clause: string;
}

/**
 * The final answer's clock met by its first draft (Georgievsk p.15), once that draft is sent: no
 * clause times what follows (approval and rework run on their own steps, the posting on none), so the
 * cards say when the draft went instead of a deadline.
 */
export function finalClockMet(
  incident: IncidentView,
  reg: Regulation,
  wt: WorkingTime,
): FinalClockMet | undefined {
  const rule = reg.steps.finalAfterInterim;
  const at = incident.answer?.finalDraftSubmittedAt;
  if (!rule || !at || !finalDraftSent(incident, reg)) return undefined;
  const due = stepDeadline(reg, "finalAfterInterim", anchorsOf(incident, leadAssignment(incident)), wt);
  return { at, onTime: !due || wt.meets(due, at), clause: rule.clause };
}
