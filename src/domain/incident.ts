/**
 * The incident's state machine: which action is allowed in which state and to whom. Pure: the
 * app layer reads the incident, asks here, and writes the result with its audit event.
 */
import { hasRole, type Person } from "./access.js";
import type { WorkingTime } from "./calendar/index.js";
import type { Anchors, Regulation, StepId } from "./regulation/index.js";
import { stepDeadline } from "./regulation/index.js";

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
export type AssignmentState = "assigned" | "accepted" | "returned" | "part_sent" | "withdrawn";

export interface AssignmentView {
  organizationId: number;
  role: AssignmentRole;
  position: number;
  state: AssignmentState;
  receivedAt: Date;
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
}

export type IncidentAction = "route" | "accept" | "return" | "markToxic" | "markThreat" | "sendPart";

export type Refusal = "forbidden" | "wrong_state";

const OPEN_FOR_ROUTING: IncidentState[] = ["registered", "assigned", "in_work"];

/** Live assignments: those not returned or withdrawn. */
export function activeAssignments(incident: IncidentView): AssignmentView[] {
  return incident.assignments.filter((a) => a.state !== "returned" && a.state !== "withdrawn");
}

export function leadAssignment(incident: IncidentView): AssignmentView | undefined {
  return activeAssignments(incident).find((a) => a.role === "lead");
}

/** The person's live assignment in this incident, if one of their organizations has one. */
export function assignmentOf(incident: IncidentView, person: Person | undefined): AssignmentView | undefined {
  if (!person) return undefined;
  return activeAssignments(incident).find((a) => person.organizationIds.includes(a.organizationId));
}

/**
 * May `person` perform `action` on the incident now? Rights first (a stranger learns nothing about
 * the state), then the state.
 */
export function checkAction(
  incident: IncidentView,
  action: IncidentAction,
  person: Person | undefined,
): Refusal | undefined {
  const curator = hasRole(person, "curator");
  const assignment = assignmentOf(incident, person);
  switch (action) {
    case "route":
      if (!curator) return "forbidden";
      return OPEN_FOR_ROUTING.includes(incident.state) ? undefined : "wrong_state";
    case "markToxic":
    case "markThreat":
      if (!curator) return "forbidden";
      return incident.state === "registered" || incident.state === "assigned" ? undefined : "wrong_state";
    case "accept":
      if (!assignment) return "forbidden";
      return assignment.state === "assigned" && incident.state !== "closed" ? undefined : "wrong_state";
    case "return":
      if (!assignment) return "forbidden";
      return assignment.state === "assigned" ||
        (assignment.state === "accepted" && incident.state === "in_work")
        ? undefined
        : "wrong_state";
    case "sendPart":
      if (assignment?.role !== "coexecutor") return "forbidden";
      return assignment.state === "accepted" && incident.state !== "closed" ? undefined : "wrong_state";
  }
}

export interface NextDeadline {
  step: StepId;
  at: Date;
  clause: string;
}

function anchorsOf(incident: IncidentView, assignment: AssignmentView | undefined): Anchors {
  return {
    detection: incident.detectedAt,
    ...(incident.postedAt ? { postDate: incident.postedAt } : {}),
    ...(incident.routedAt ? { routing: incident.routedAt } : {}),
    ...(assignment ? { receipt: assignment.receivedAt } : {}),
  };
}

/** The steps that are running in each state (issue-5 states; the answer half adds its own). */
const RUNNING_STEPS: Partial<Record<IncidentState, StepId[]>> = {
  registered: ["routing", "answer"],
  assigned: ["return", "draft", "answer"],
  in_work: ["draft", "answer"],
};

/** A co-executor's own clock: its return window, then its part for the lead (Orenburg p.14, Georgievsk p.18). */
const COEXECUTOR_STEPS: Partial<Record<AssignmentState, StepId[]>> = {
  assigned: ["return", "coexecutorPart"],
  accepted: ["coexecutorPart"],
};

/**
 * The deadline that comes first among the steps running now, for the card's «срок» line. A
 * co-executor organization's card (`forOrganizationId`) shows its own steps, counted from its own
 * receipt; a routed incident's "return" step runs only until the organization accepts it.
 */
export function nextDeadline(
  incident: IncidentView,
  reg: Regulation,
  wt: WorkingTime,
  forOrganizationId?: number,
): NextDeadline | undefined {
  const lead = leadAssignment(incident);
  const own = activeAssignments(incident).find((a) => a.organizationId === forOrganizationId);
  const coexecutor = own?.role === "coexecutor" && incident.state !== "closed" ? own : undefined;
  const basis = coexecutor ?? lead;
  const steps = coexecutor
    ? (COEXECUTOR_STEPS[coexecutor.state] ?? [])
    : (RUNNING_STEPS[incident.state] ?? []);
  const anchors = anchorsOf(incident, basis);
  const opts = incident.shortenedAnswerMinutes
    ? { shortenedAnswerMinutes: incident.shortenedAnswerMinutes }
    : {};
  let best: NextDeadline | undefined;
  for (const step of steps) {
    if (step === "return" && basis?.state !== "assigned") continue;
    const at = stepDeadline(reg, step, anchors, wt, opts);
    const rule = reg.steps[step];
    if (at && rule && (!best || at < best.at)) best = { step, at, clause: rule.clause };
  }
  return best;
}

/** The answer deadline itself (Orenburg p.8, Georgievsk p.16), shown on every open card. */
export function answerDeadline(incident: IncidentView, reg: Regulation, wt: WorkingTime): Date | undefined {
  const opts = incident.shortenedAnswerMinutes
    ? { shortenedAnswerMinutes: incident.shortenedAnswerMinutes }
    : {};
  return stepDeadline(reg, "answer", anchorsOf(incident, leadAssignment(incident)), wt, opts);
}
