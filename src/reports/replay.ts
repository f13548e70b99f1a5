/**
 * Rebuilds an incident's steps from its audit trail: when each step's clock started, when it was due
 * (the SLA engine's stepDeadline, with the anchors as they stood then) and when it was done. Pure:
 * the same events give the same steps, whenever the report is computed.
 */
import type { WorkingTime } from "../domain/calendar/index.js";
import {
  type AssignmentView,
  HELD_BY_CURATORS,
  type Importance,
  type IncidentState,
  type IncidentView,
  isOpen,
  questionMeetsDraft,
  runningDeadlines,
} from "../domain/incident.js";
import {
  type Anchors,
  type Regulation,
  type StepId,
  stepDeadline,
  stepStart,
} from "../domain/regulation/index.js";

export interface IncidentFacts {
  id: number;
  importance: Importance;
  detectedAt: Date;
  postedAt: Date | null;
  shortenedAnswerMinutes: number | null;
}

/** One audit event of entity "incident", in the order it was written. */
export interface IncidentEvent {
  at: Date;
  actorId: number | null;
  action: string;
  fromState: string | null;
  toState: string | null;
  details: Record<string, unknown> | null;
}

export interface StepInstance {
  incidentId: number;
  step: StepId;
  clause: string;
  start: Date;
  deadline: Date;
  /** Null when not done before the end of the replayed period. */
  completedAt: Date | null;
  /**
   * Not done, or done after working time passed beyond the deadline: one done at the weekend after a
   * deadline that ran out at Friday's close is on time (WorkingTime.meets).
   */
  late: boolean;
  /**
   * When the step stopped being owed, not done: the post went to another organization, was
   * answered or closed, its lead returned it; a co-executor's part withdrawn or its clock started
   * over. Such a step is kept only if its deadline had passed by then (see `overdueAt`); null otherwise.
   */
  endedAt: Date | null;
  /**
   * A curators' step (the preset's `actor: "curator"`: routing, the decision, passing a part on):
   * theirs, never an organization's (Orenburg p.19 is about the executors' failures).
   */
  curatorStep: boolean;
  /**
   * The organization that held an executor's step when it was done, ended, or the period ended;
   * null for the curators'.
   */
  organizationId: number | null;
  /**
   * Who answers for the step: the curator who did it, the executor who held the post then; for a
   * late one, only a curator who was one and an executor who held it when its time ran out (null:
   * «кураторы», or the organization alone).
   */
  personId: number | null;
}

export interface Replay {
  steps: StepInstance[];
  /** The lead organization at the end of the period. */
  leadOrganizationId: number | null;
  /** Each change of the lead organization, in order (null: back with the curators); none before the first routing. */
  leads: { at: Date; organizationId: number | null }[];
  /** The co-executors of the latest routing at the end of the period, less those that returned the post. */
  coexecutors: number[];
  /** The incident's state at the end of the period. */
  state: IncidentState;
  /**
   * Whether the post still waited for its answer at the end of the period: no answer posted, not
   * even an interim one, and not closed.
   */
  unanswered: boolean;
}

/** The lead organization at an instant: whose a draft decided then, or an interim answer posted then, was. */
export function leadAt(leads: Replay["leads"], at: Date): number | null {
  let lead: number | null = null;
  for (const change of leads) {
    if (change.at.getTime() > at.getTime()) break;
    lead = change.organizationId;
  }
  return lead;
}

/**
 * Whether a person had the curator's role when a step's time ran out: granted before that instant
 * and not taken away yet (load.ts reads it from the audit).
 */
export type CuratorAt = (personId: number, at: Date) => boolean;

/** A step's clock while it runs. */
interface Clock {
  step: StepId;
  clause: string;
  start: Date;
  deadline: Date;
}

/** The lead's step: `personId` is who answers for it when nobody holds the post (a rework: the draft's author). */
interface Running extends Clock {
  personId: number | null;
  /**
   * When a clock owed anew by a new lead, on the deadline it had (Georgievsk p.15's final draft, see
   * "route"), came to be owed: after its start, so that one the organization then met is not its.
   */
  owedSince?: Date;
}

/** A co-executor's part, or a curators' clock for passing one on, by the organization it concerns. */
interface Part extends Running {
  organizationId: number;
}

/** The states in which the post waits for the curators: to be routed, or its draft decided on. */
const CURATORS_STATES = new Set(["registered", "on_approval"]);
/** A «Размещу лично» claim holds until its link question closes (flows/ask.ts ANSWER_WINDOW_MS). */
const CLAIM_MS = 30 * 60_000;

function isCuratorStep(reg: Regulation, step: StepId): boolean {
  return reg.steps[step]?.actor === "curator";
}

/** The organizations an event's detail lists (a routing's co-executors, those it kept…). */
function organizationIds(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((id): id is number => typeof id === "number") : [];
}

/** Each change of who holds the post, or an organization's part, in order (null: nobody). */
type Holders = { at: Date; personId: number | null }[];

/** Who held at an instant; null when nobody did (not taken yet, or the holder had left). */
function heldAt(holders: Holders, at: Date): number | null {
  let personId: number | null = null;
  for (const change of holders) {
    if (change.at.getTime() > at.getTime()) break;
    personId = change.personId;
  }
  return personId;
}

/**
 * Whether a step ended at `at`, not done, was a violation: working time had passed beyond its deadline
 * by then (ended on Saturday after a deadline at Friday's close, it was not; see WorkingTime.meets).
 * One not yet due simply no longer applies. The same step still owed at a month's end in between
 * would have been late in that month: judged so, it is the same whichever month the report is of.
 */
function overdueAt(wt: WorkingTime, clock: Clock, at: Date): boolean {
  return !wt.meets(clock.deadline, at);
}

/**
 * The curator a curators' step is charged to: the one who did it, if late only when he was a curator
 * as its time ran out (one who joined after is not named for what he found overdue); otherwise
 * null, «кураторы».
 */
function answeringCurator(
  wt: WorkingTime,
  curatorAt: CuratorAt,
  clock: Clock,
  completedAt: Date | null,
  actorId: number | null,
): number | null {
  if (actorId === null || completedAt === null || wt.meets(clock.deadline, completedAt)) return actorId;
  return curatorAt(actorId, clock.deadline) ? actorId : null;
}

/**
 * A step as reported, from its clock. Written out field by field: built with object rest and
 * spread (`{ personId, ...clock } = r`, `{ ...base, … }`), each of a month's half a million steps
 * went through V8's slow runtime copy, which made the replay four times slower (bench/report.ts).
 */
function stepInstance(
  wt: WorkingTime,
  incidentId: number,
  clock: Clock,
  completedAt: Date | null,
  curatorStep: boolean,
  organizationId: number | null,
  personId: number | null,
  endedAt: Date | null = null,
): StepInstance {
  return {
    incidentId,
    step: clock.step,
    clause: clock.clause,
    start: clock.start,
    deadline: clock.deadline,
    completedAt,
    late: completedAt === null || !wt.meets(clock.deadline, completedAt),
    endedAt,
    curatorStep,
    organizationId,
    personId,
  };
}

/**
 * The co-executors' part clocks (Orenburg p.14, Georgievsk p.18), one per organization, due when
 * the co-executor's card says: the domain's runningDeadlines for that organization; and when the
 * parts reached the lead, which its draft waits for.
 */
class CoexecutorParts {
  readonly #running = new Map<number, Part>();
  /** Parts waiting for a curator to pass them on, by organization. */
  readonly #passOn = new Map<number, Part>();
  /**
   * Who held each organization's part, over time: who took it (or, nobody holding it, sent it); nobody
   * once he left, or from a routing that gives the part anew. He answers for its rework, and for a
   * part step whose time ran out while he held it (see `#instance`).
   */
  readonly #holders = new Map<number, Holders>();
  /**
   * When each co-executor's part reached the lead, null while it is owed: the lead's draft waits
   * for them all (Georgievsk p.18), as assignments.part_passed_at has the card wait.
   */
  readonly #reached = new Map<number, Date | null>();
  /**
   * Co-executors waiting their turn (Orenburg p.14), in the curator's order, with their positions:
   * they have not received the post, so no part clock of theirs runs.
   */
  readonly #queued = new Map<number, number>();
  /**
   * Each co-executor's window to return the post outside its competence (Orenburg p.7, Georgievsk
   * p.10), from its receipt: a return after it is late; keeping the post is no violation.
   */
  readonly #returnWindows = new Map<number, Part>();
  /**
   * When co-executors owing a part returned the post: the lead waited for each till then. Kept while
   * the lead is (a routing again that keeps it), forgotten with a new lead, as the domain's
   * partsReceived counts returns after the lead's receipt.
   */
  readonly #returns = new Map<number, Date>();
  /**
   * When each organization's part last reached a lead, kept through every routing: a part dropped by
   * one routing and kept by the next (`kept`) reached the lead then, as the card counts
   * (partPassedAt), not at that routing.
   */
  readonly #passedAt = new Map<number, Date>();
  /** When each organization last sent its part for the curators' approval: kept through a routing again, it still waits. */
  readonly #sentForApproval = new Map<number, Date>();
  /**
   * The curators' passings on, already overdue, that the lead's return or a routing took off, by organization:
   * judged not done at the return unless the routing after keeps the part waiting for them, when
   * the same clock runs on (from the part's sending) and is judged once, as any.
   */
  readonly #passOnEnded = new Map<number, StepInstance>();
  /** The latest routing as the cards saw it, lead included: the parts released later are counted on it. */
  #routing: IncidentView | undefined;

  constructor(
    private readonly incident: IncidentFacts,
    private readonly reg: Regulation,
    private readonly wt: WorkingTime,
    private readonly curatorAt: CuratorAt,
  ) {}

  /**
   * A routing gives each co-executor its part, received now; earlier routings' parts are withdrawn,
   * and so are the parts that waited for a curator to pass them on. Co-executors routed to go one
   * after another (Orenburg p.14: «очередность … определяет куратор», the event's `inOrder`): only
   * the first receives the post now, the others wait their turn with no clock running, yet their
   * parts are owed to the lead from now. A part given before and kept (the event's `kept`) is owed
   * nothing: it reaches the lead with the routing; one kept waiting for the curators
   * (`keptForApproval`) still waits, on their clock from its sending; one kept in rework
   * (`keptInRework`) is reworked on a clock from the routing, by whoever took it; one working on its
   * part, not yet sent (`keptWorking`), goes on with its clocks from its own receipt. Returns the
   * parts and passings on this routing ended already overdue (see `overdueAt`).
   */
  route(e: IncidentEvent, routedAt: Date, lead: number | null): StepInstance[] {
    const kept = new Set(organizationIds(e.details?.kept));
    const waiting = new Set(organizationIds(e.details?.keptForApproval));
    // A lead kept through the routing (its `leadKept`) has had the kept parts since they reached it,
    // as the card counts; a lead that gets the post now has them now.
    const reachedBefore = e.details?.leadKept === true ? new Map(this.#reached) : undefined;
    if (!reachedBefore) this.#returns.clear();
    // One still owing its part and dropped now: the kept lead waited for it till now, as for a return.
    const all = organizationIds(e.details?.coexecutorIds);
    for (const [organizationId, reached] of reachedBefore ?? [])
      if (reached === null && !all.includes(organizationId)) this.#returns.set(organizationId, e.at);
    // A co-executor working on its part goes on as it was (`keptWorking`): its clocks run on. Every
    // part carried keeps its receipt, so its window to return the post runs on too.
    const working = new Set(organizationIds(e.details?.keptWorking));
    const reworking = organizationIds(e.details?.keptInRework);
    const carried = [...kept, ...waiting, ...reworking, ...working];
    const windows = carried.flatMap((organizationId) => this.#returnWindows.get(organizationId) ?? []);
    const goingOn = [...working].flatMap((organizationId) => this.#running.get(organizationId) ?? []);
    const ended = this.#endParts(e.at, working);
    for (const [organizationId, step] of this.#passOnEnded)
      if (!waiting.has(organizationId)) ended.push(step);
    this.#passOnEnded.clear();
    // A passing on already overdue that this routing takes off is held aside, as at the lead's
    // return: a routing after that keeps the part waiting runs the same clock on, judged once.
    for (const part of this.#passOn.values()) {
      if (!waiting.has(part.organizationId) && overdueAt(this.wt, part, e.at))
        this.#passOnEnded.set(part.organizationId, this.#instance(part, null, null, e.at));
    }
    this.#reset();
    for (const part of goingOn) this.#running.set(part.organizationId, part);
    for (const window of windows) this.#returnWindows.set(window.organizationId, window);
    for (const organizationId of all)
      this.#reached.set(
        organizationId,
        kept.has(organizationId)
          ? (reachedBefore?.get(organizationId) ?? this.#passedAt.get(organizationId) ?? e.at)
          : null,
      );
    for (const organizationId of waiting) {
      const sentAt = this.#sentForApproval.get(organizationId);
      if (sentAt) this.#waitForCurators(organizationId, sentAt);
    }
    for (const organizationId of reworking) this.#rework(organizationId, e.at);
    const coexecutors = all.filter(
      (organizationId) =>
        !kept.has(organizationId) &&
        !waiting.has(organizationId) &&
        !reworking.includes(organizationId) &&
        !working.has(organizationId),
    );
    for (const organizationId of coexecutors) this.#hold(organizationId, e.at, null);
    if (coexecutors.length === 0) return ended;
    // Positions as the routing gave them: the lead's first.
    const first = lead === null ? 0 : 1;
    this.#routing = {
      ...this.incident,
      state: "assigned",
      routedAt,
      holderId: null,
      assignments:
        lead === null
          ? []
          : [{ organizationId: lead, role: "lead", position: 0, state: "assigned", receivedAt: e.at }],
    };
    const inOrder = e.details?.inOrder === true;
    const receiving: { organizationId: number; position: number }[] = [];
    // In order, the first part still owed holds the turn, a kept one waiting for the curators too.
    let owing = 0;
    for (const [i, organizationId] of all.entries()) {
      if (kept.has(organizationId)) continue;
      const holds = owing++ === 0;
      if (waiting.has(organizationId) || reworking.includes(organizationId) || working.has(organizationId))
        continue;
      const position = first + i;
      if (inOrder && !holds) this.#queued.set(organizationId, position);
      else receiving.push({ organizationId, position });
    }
    this.#receive(receiving, e.at);
    return ended;
  }

  /**
   * The next co-executor in turn received the post now (the event's `released`): the previous
   * part reached the lead or its organization returned the post. Its part is due as its card
   * says from this moment. An organization not waiting its turn (odd data) changes nothing.
   */
  released(e: IncidentEvent): void {
    const organizationId = e.details?.released;
    if (typeof organizationId !== "number") return;
    const position = this.#queued.get(organizationId);
    if (position === undefined) return;
    this.#queued.delete(organizationId);
    this.#receive([{ organizationId, position }], e.at);
  }

  /**
   * Starts the part clocks of co-executors receiving the post at `receivedAt`: the domain's
   * runningDeadlines for each, on the routing's view with its assignment received then, so that
   * the part is due when the co-executor's card and the sweep said.
   */
  #receive(received: { organizationId: number; position: number }[], receivedAt: Date): void {
    const routing = this.#routing;
    if (!routing || received.length === 0) return;
    const view: IncidentView = {
      ...routing,
      assignments: [
        ...routing.assignments,
        ...received.map(
          ({ organizationId, position }): AssignmentView => ({
            organizationId,
            role: "coexecutor",
            position,
            state: "assigned",
            receivedAt,
          }),
        ),
      ],
    };
    for (const { organizationId } of received) {
      for (const due of runningDeadlines(view, this.reg, this.wt, organizationId)) {
        const { step, clause, start, at: deadline } = due;
        const part = { step, clause, start, deadline, organizationId, personId: null };
        if (step === "coexecutorPart") this.#running.set(organizationId, part);
        if (step === "return") this.#returnWindows.set(organizationId, part);
      }
    }
  }

  /** A co-executor took the post into work: that person answers for the part. */
  accept(e: IncidentEvent): void {
    const part = this.#concerned(e);
    if (part && part !== "unknown" && part.personId === null) {
      part.personId = e.actorId;
      this.#hold(part.organizationId, e.at, e.actorId);
    }
  }

  /** The person who took the part left its organization: the part is nobody's until it is sent. */
  unheld(e: IncidentEvent): void {
    const gone = e.details?.personId;
    const organizationId = e.details?.organizationId;
    if (typeof organizationId === "number" && this.#holder(organizationId) === gone)
      this.#hold(organizationId, e.at, null);
    const part = this.#concerned(e);
    if (part && part !== "unknown" && part.personId === gone) part.personId = null;
  }

  /** A colleague took the part over («Взять себе»): it is theirs from then on. */
  takenOver(e: IncidentEvent): void {
    const { organizationId, from, to } = e.details ?? {};
    if (typeof organizationId !== "number" || typeof to !== "number") return;
    this.#hold(organizationId, e.at, to);
    const part = this.#concerned(e);
    if (part && part !== "unknown" && part.personId === from) part.personId = to;
  }

  /** The organization's part is `personId`'s from `at` (null: nobody's). */
  #hold(organizationId: number, at: Date, personId: number | null): void {
    if (this.#holder(organizationId) === personId) return;
    const holders = this.#holders.get(organizationId);
    if (holders) holders.push({ at, personId });
    else this.#holders.set(organizationId, [{ at, personId }]);
  }

  /** Who holds the organization's part now. */
  #holder(organizationId: number): number | null {
    return this.#holders.get(organizationId)?.at(-1)?.personId ?? null;
  }

  /**
   * The part came: its step is done, late or not. Where the curators pass parts on (Georgievsk
   * p.18), their clock for this one starts.
   */
  sent(e: IncidentEvent): StepInstance | undefined {
    const part = this.#concerned(e);
    if (part === "unknown") this.#running.clear();
    // A part the curators need not pass on goes straight to the lead.
    if (e.details?.forApproval !== true) this.#reach(e);
    const named = e.details?.organizationId;
    const known = part && part !== "unknown" ? part : undefined;
    const organizationId = known?.organizationId ?? (typeof named === "number" ? named : undefined);
    if (organizationId === undefined) return undefined;
    if (this.#holder(organizationId) === null) this.#hold(organizationId, e.at, e.actorId);
    // Only parts the bot sent for approval (a part sent before it did went to the lead at once); a
    // part sent again with no clock of its own running still waits for the curators.
    if (e.details?.forApproval === true) {
      this.#sentForApproval.set(organizationId, e.at);
      this.#waitForCurators(organizationId, e.at);
    }
    if (!known) return undefined;
    this.#running.delete(organizationId);
    return this.#instance(known, e.at, e.actorId);
  }

  /** The curators' clock to pass on (or return) a part sent at `sentAt`, where they pass parts on (Georgievsk p.18). */
  #waitForCurators(organizationId: number, sentAt: Date): void {
    const rule = this.reg.steps.coexecutorPassOn;
    const deadline = rule && stepDeadline(this.reg, "coexecutorPassOn", { partSubmission: sentAt }, this.wt);
    if (!rule || !deadline) return;
    this.#passOn.set(organizationId, {
      step: "coexecutorPassOn",
      clause: rule.clause,
      start: sentAt,
      deadline,
      organizationId,
      personId: null,
    });
  }

  /** A curator passed a part on to the lead: the curator's step for it is done, and the part reached the lead. */
  passedOn(e: IncidentEvent): StepInstance | undefined {
    this.#reach(e);
    return this.#decided(e);
  }

  /** The curator's pass-on clock of the part the event names ends (passed on or returned for rework). */
  #decided(e: IncidentEvent): StepInstance | undefined {
    const named = e.details?.organizationId;
    const waiting = typeof named === "number" ? this.#passOn.get(named) : undefined;
    if (!waiting) return undefined;
    this.#passOn.delete(waiting.organizationId);
    return this.#instance(waiting, e.at, e.actorId);
  }

  /**
   * A curator returned a part for rework (Georgievsk p.18): his step for it is done, and the
   * co-executor's rework of it runs from now, as its card says.
   */
  returnedForRework(e: IncidentEvent): StepInstance | undefined {
    const decided = this.#decided(e);
    const organizationId = e.details?.organizationId;
    if (typeof organizationId === "number") this.#rework(organizationId, e.at);
    return decided;
  }

  /** The rework of this organization's part runs from `since`, charged to whoever holds the part. */
  #rework(organizationId: number, since: Date): void {
    const rule = this.reg.steps.coexecutorRework;
    const deadline = rule && stepDeadline(this.reg, "coexecutorRework", { partReturn: since }, this.wt);
    if (!rule || !deadline) return;
    this.#running.set(organizationId, {
      step: "coexecutorRework",
      clause: rule.clause,
      start: since,
      deadline,
      organizationId,
      personId: this.#holder(organizationId),
    });
  }

  /**
   * A co-executor returned the post: its part is no longer owed (one already overdue is reported as
   * not done); the return is on time or late.
   */
  returned(e: IncidentEvent): StepInstance[] {
    const steps: StepInstance[] = [];
    const part = this.#concerned(e);
    if (part === "unknown") this.#running.clear();
    else if (part) {
      this.#running.delete(part.organizationId);
      if (overdueAt(this.wt, part, e.at)) steps.push(this.#instance(part, null, null, e.at));
    }
    // The lead waited for the part till now: its draft's clock runs from here (see partsReceived).
    const owed = this.#owedBy(e);
    if (owed !== undefined) {
      this.#reached.delete(owed);
      this.#returns.set(owed, e.at);
    }
    const named = e.details?.organizationId;
    const window = typeof named === "number" ? this.#returnWindows.get(named) : undefined;
    if (window) {
      this.#returnWindows.delete(window.organizationId);
      steps.push(this.#instance(window, e.at, e.actorId));
    }
    return steps;
  }

  /**
   * The organization `from` merged into `into` (/orgs «Объединить с…»): its part goes on as the
   * other's, its clocks and holders as they were. A part the merge dropped (`dropped`: the lead's
   * own organization owed it) ends, reported if already overdue, as at a withdrawal.
   */
  merged(at: Date, from: number, into: number, dropped: number | undefined): StepInstance[] {
    const ended: StepInstance[] = [];
    if (dropped !== undefined) {
      // A part given and waiting for the curators is no longer passed on either: the lead has it.
      for (const part of [this.#running.get(dropped), this.#passOn.get(dropped)])
        if (part && overdueAt(this.wt, part, at)) ended.push(this.#instance(part, null, null, at));
      for (const map of [this.#running, this.#passOn, this.#returnWindows, this.#reached, this.#queued])
        map.delete(dropped);
    }
    if (dropped === from) return ended;
    const rekey = <V>(map: Map<number, V>, relabel: (value: V) => V = (value) => value) => {
      const value = map.get(from);
      if (value === undefined) return;
      map.delete(from);
      map.set(into, relabel(value));
    };
    const theirs = (part: Part): Part => ({ ...part, organizationId: into });
    for (const map of [this.#running, this.#passOn, this.#returnWindows]) rekey(map, theirs);
    for (const map of [this.#reached, this.#returns, this.#passedAt, this.#sentForApproval]) rekey(map);
    rekey(this.#holders);
    rekey(this.#queued);
    rekey(this.#passOnEnded);
    return ended;
  }

  /**
   * The co-executors were taken off at `at` (the lead returned the post, it was closed or
   * answered): the parts already overdue then, reported as not done. So are the curators'
   * passings on overdue then, unless a routing after keeps the part waiting for them.
   */
  withdraw(at: Date): StepInstance[] {
    const ended = this.#endParts(at);
    for (const part of this.#passOn.values()) {
      if (overdueAt(this.wt, part, at))
        this.#passOnEnded.set(part.organizationId, this.#instance(part, null, null, at));
    }
    this.#reset();
    return ended;
  }

  /**
   * The parts (or their rework) the co-executors still owed at `at`, when they were taken off:
   * those already overdue are reported as not done, charged to the co-executor (see `overdueAt`);
   * one not yet due no longer applies, nor does a window to return the post.
   */
  #endParts(at: Date, goingOn: ReadonlySet<number> = new Set()): StepInstance[] {
    const ended: StepInstance[] = [];
    for (const part of this.#running.values())
      if (!goingOn.has(part.organizationId) && overdueAt(this.wt, part, at))
        ended.push(this.#instance(part, null, null, at));
    return ended;
  }

  #reset(): void {
    this.#running.clear();
    this.#returnWindows.clear();
    this.#passOn.clear();
    this.#reached.clear();
    this.#queued.clear();
    this.#routing = undefined;
  }

  /**
   * When the lead had every part still owed to it, counting from its own receipt (the domain's
   * partsReceived: a part a co-executor returned is waited for no longer); undefined while one is owed.
   */
  partsReceived(receipt: Date): Date | undefined {
    let last = receipt;
    for (const at of [...this.#reached.values(), ...this.#returns.values()]) {
      if (at === null) return undefined;
      if (at.getTime() > last.getTime()) last = at;
    }
    return last;
  }

  /** The part the event concerns reached the lead now. */
  #reach(e: IncidentEvent): void {
    const organizationId = this.#owedBy(e);
    if (organizationId === undefined) return;
    this.#reached.set(organizationId, e.at);
    this.#passedAt.set(organizationId, e.at);
  }

  /**
   * The owed part an event is about: the organization it names; for an event from before the audit
   * named it, any owed one, since which of them came does not change when the last one did.
   */
  #owedBy(e: IncidentEvent): number | undefined {
    const named = e.details?.organizationId;
    if (typeof named === "number") return this.#reached.get(named) === null ? named : undefined;
    for (const [organizationId, at] of this.#reached) if (at === null) return organizationId;
    return undefined;
  }

  /** Parts still owed at the end of the period, parts still to pass on, and passings on the lead's return ended. */
  owed(): StepInstance[] {
    return [
      ...[...this.#running.values(), ...this.#passOn.values()].map((r) => this.#instance(r, null, null)),
      ...this.#passOnEnded.values(),
    ];
  }

  /**
   * A part's step as reported, done by `actorId` (null: not done): a curator's passing on is his (see
   * answeringCurator), not the co-executor's organization's. A late one is charged, as the lead's
   * steps are, to whoever held the organization's part when its time ran out, not to a colleague who
   * sent it after; one nobody held then, to the organization alone, not to whoever picked it up after.
   */
  #instance(
    part: Part,
    completedAt: Date | null,
    actorId: number | null,
    endedAt: Date | null = null,
  ): StepInstance {
    const { wt, incident, curatorAt } = this;
    if (isCuratorStep(this.reg, part.step)) {
      const curator = answeringCurator(wt, curatorAt, part, completedAt, actorId);
      return stepInstance(wt, incident.id, part, completedAt, true, null, curator, endedAt);
    }
    const late = completedAt === null || !wt.meets(part.deadline, completedAt);
    const holders = this.#holders.get(part.organizationId);
    const personId = !late ? actorId : holders ? heldAt(holders, part.deadline) : null;
    return stepInstance(wt, incident.id, part, completedAt, false, part.organizationId, personId, endedAt);
  }

  /**
   * The part an event concerns. A part sent since the audit records it names its organization;
   * accepts, returns and parts sent before do not: with one part running it is that one's; with
   * several, nobody can tell whose ("unknown"), and a part sent or returned then ends them all, so
   * that nobody is blamed for a part that may have come.
   */
  #concerned(e: IncidentEvent): Part | "unknown" | undefined {
    const named = e.details?.organizationId;
    if (typeof named === "number") return this.#running.get(named);
    if (this.#running.size > 1) return "unknown";
    return this.#running.values().next().value;
  }
}

/**
 * Replays the events (all before the period's end, oldest first). A step still running at the end
 * is returned with completedAt null; the caller decides whether its deadline has passed.
 *
 * An executor's step is charged to the organization holding the post when it was done, or when the
 * period ended if it was not (but an answer clock that ran out while the curators held the post is
 * theirs, see `curatorSpans`), a late one to the person who held it when its time ran out (see
 * `instance`): a post returned and routed again carries its clocks (the answer's above all) to the
 * next organization, which answers for them. A curators' late step names the curator who did it
 * only if `curatorAt` says he was one when its time ran out (by default, anyone who did it).
 * A step an event ends before it is done (a routing again, the answer, closing the post, the lead's
 * return) is reported only if its deadline had passed by then, charged as the post stood then.
 *
 * The deadlines are the ones the cards and alerts showed (domain/incident.ts): a returned post is
 * due for routing again counted from its return; a new routing after it restarts an answer clock
 * counted from routing (Georgievsk p.16); with co-executors under Georgievsk p.18, the lead's draft
 * runs from the moment the last part owed reached it; co-executors going one after another
 * (Orenburg p.14) each owe their part counted from when their turn came.
 */
export function replayIncident(
  incident: IncidentFacts,
  events: readonly IncidentEvent[],
  reg: Regulation,
  wt: WorkingTime,
  curatorAt: CuratorAt = () => true,
): Replay {
  const anchors: Anchors = { detection: incident.detectedAt };
  if (incident.postedAt) anchors.postDate = incident.postedAt;
  // The shortened answer deadline (Orenburg p.6) as each routing set it, none before the first (a
  // report of a month before it, made after, sees no routing yet). Routings older than that record
  // give the incident's present one.
  const legacy = events.some((e) => e.action === "route" && e.details?.shortenedAnswerMinutes === undefined);
  const opts: { shortenedAnswerMinutes?: number } =
    incident.shortenedAnswerMinutes && legacy
      ? { shortenedAnswerMinutes: incident.shortenedAnswerMinutes }
      : {};
  const shortenAs = (e: IncidentEvent): boolean => {
    const cut = e.details?.shortenedAnswerMinutes;
    if (cut !== null && typeof cut !== "number") return false;
    const before = opts.shortenedAnswerMinutes ?? null;
    if (cut) opts.shortenedAnswerMinutes = cut;
    else delete opts.shortenedAnswerMinutes;
    return (cut || null) !== before;
  };
  const running = new Map<StepId, Running>();
  const steps: StepInstance[] = [];
  let lead: number | null = null;
  const leads: Replay["leads"] = [];
  let coexecutors: number[] = [];
  let holder: number | null = null;
  /** Each change of who holds the post, in order: for who held a step when its time ran out. */
  const holders: Holders = [];
  const hold = (at: Date, personId: number | null) => {
    holder = personId;
    holders.push({ at, personId });
  };
  let draftAuthor: number | null = null;
  let interim = false;
  let finished = false;
  let state: IncidentState = "registered";
  /** The lead's first draft since the routing is owed; its clock may wait for the parts (Georgievsk p.18). */
  let draftOwed = false;
  const parts = new CoexecutorParts(incident, reg, wt, curatorAt);

  const open = (step: StepId, personId: number | null = null, from: Anchors = anchors) => {
    const rule = reg.steps[step];
    if (!rule || finished) return;
    const start = stepStart(rule, from);
    const deadline = stepDeadline(reg, step, from, wt, opts);
    if (start && deadline) running.set(step, { step, clause: rule.clause, start, deadline, personId });
  };
  /**
   * The lead's draft clock, once what it starts from has happened: with co-executors under
   * Georgievsk p.18, the moment the last part owed reached the lead, as the card counts it.
   */
  const openDraft = () => {
    if (!draftOwed || running.has("draft")) return;
    const received = anchors.receipt && parts.partsReceived(anchors.receipt);
    if (received) anchors.partsReceived = received;
    else delete anchors.partsReceived;
    open("draft");
  };
  /**
   * When the curators held the post: to route it (not routed yet, or returned), to decide on its
   * draft, or to post it themselves after «Размещу лично» (until they gave it up, or the question
   * closed and the executors were told to post it). An answer clock that ran out then is theirs.
   */
  const curatorSpans: { from: Date; to: Date | null }[] = [];
  const curatorsHold = (at: Date, held: boolean, until: Date | null = null) => {
    const last = curatorSpans.at(-1);
    const open = last !== undefined && (last.to === null || last.to > at);
    if (held && !open) curatorSpans.push({ from: at, to: until });
    else if (!held && open) last.to = at;
  };
  const curatorsHeld = (at: Date) => curatorSpans.some((s) => s.from <= at && (s.to === null || at < s.to));
  /** Whether the step's time ran out before the organization first became the lead. */
  const ranOutBefore = (r: Running, organizationId: number | null): boolean => {
    const since = leads.find((change) => change.organizationId === organizationId)?.at;
    return organizationId !== null && since !== undefined && r.deadline < since;
  };
  /** Whether nobody owed the step when its time ran out: it came to be owed only after its deadline. */
  const owedOnlyAfter = (r: Running): boolean => r.owedSince !== undefined && r.deadline < r.owedSince;
  /**
   * The step as it stands now: done by `actorId` at `completedAt`, ended not done at `endedAt`, or
   * still owed. A late one is charged to whoever held the post when its time ran out (Orenburg p.19:
   * «лиц, допустивших нарушения»), or owed it from its start (the draft's author its rework and
   * posting), not to a colleague who took it on or stood in after (the holder left or was away, the
   * post went to another organization); one nobody held then, to the organization alone: whoever
   * picked up the work already overdue is not named for it.
   */
  const instance = (
    r: Running,
    completedAt: Date | null,
    actorId: number | null,
    endedAt: Date | null = null,
    organizationId: number | null = lead,
  ): StepInstance => {
    if (isCuratorStep(reg, r.step)) {
      const curator = answeringCurator(wt, curatorAt, r, completedAt, actorId);
      return stepInstance(wt, incident.id, r, completedAt, true, null, curator, endedAt);
    }
    const late = completedAt === null || !wt.meets(r.deadline, completedAt);
    // Late, and the curators held the post when its time ran out: theirs. One met in time is the
    // organization's, though the draft that met it opened their hold (Georgievsk p.15). So is
    // one nobody owed then: Georgievsk p.15 owed anew by a lead routed to after its deadline,
    // which the organization that had the post then had met (the alerts were the curators').
    if (late && HELD_BY_CURATORS.has(r.step) && (curatorsHeld(r.deadline) || owedOnlyAfter(r)))
      return stepInstance(wt, incident.id, r, completedAt, true, null, null, endedAt);
    const ranOutWith = late ? heldAt(holders, r.deadline) : null;
    // Its time ran out before this lead first had the post (Orenburg p.8 counts from detection): the
    // organization that had it then missed it, as the alerts said then, and its executor holding it.
    if (ranOutBefore(r, organizationId))
      return stepInstance(
        wt,
        incident.id,
        r,
        completedAt,
        false,
        leadAt(leads, r.deadline),
        ranOutWith,
        endedAt,
      );
    const personId = late ? (ranOutWith ?? r.personId) : (holder ?? r.personId ?? actorId);
    return stepInstance(wt, incident.id, r, completedAt, false, organizationId, personId, endedAt);
  };
  const close = (step: StepId, at: Date, actorId: number | null) => {
    const r = running.get(step);
    if (!r) return;
    running.delete(step);
    steps.push(instance(r, at, actorId));
  };
  /**
   * A step the event ends, not done (the post routed elsewhere, answered or closed, returned by its
   * lead): reported only if already overdue then (see `overdueAt`), late up to that moment and
   * charged to whoever held it then, as a step still owed at the period's end is. Called before the
   * event changes who holds the post.
   */
  const end = (step: StepId, at: Date) => {
    const r = running.get(step);
    if (!r) return;
    running.delete(step);
    if (overdueAt(wt, r, at)) steps.push(instance(r, null, null, at));
  };
  /** Every step still running ends; the window to return the post is a right, not a duty. */
  const endAll = (at: Date) => {
    running.delete("return");
    for (const step of [...running.keys()]) end(step, at);
  };
  /**
   * A clock counted anew (the answer's from a new routing, Georgievsk p.16; the lead's draft when
   * the parts it waits for change, p.18) by `reopen`: the old one ends as in `end`; one counted from
   * what has not changed (Orenburg's, from detection) runs on as it was.
   */
  /**
   * Clocks a routing again ended already overdue, by step, held aside until the next routing: one
   * that sets the same deadline again (Orenburg p.6, a shortening undone and made again) runs on
   * and is judged once.
   */
  const endedByRouting = new Map<StepId, StepInstance>();
  const restart = (step: StepId, at: Date, reopen: () => void = () => open(step)) => {
    const old = running.get(step);
    running.delete(step);
    reopen();
    const renewed = running.get(step);
    const held = endedByRouting.get(step);
    if (held) {
      endedByRouting.delete(step);
      if (renewed?.deadline.getTime() !== held.deadline.getTime()) steps.push(held);
    }
    // Missed while the post was back with the curators: the organization that returned it had it then.
    if (old && renewed?.deadline.getTime() !== old.deadline.getTime() && overdueAt(wt, old, at))
      endedByRouting.set(step, instance(old, null, null, at, lead ?? returnedBy));
  };
  /** The lead that last returned the post: the old clocks judged at the next routing were its. */
  let returnedBy: number | null = null;

  open("routing");
  open("answer");
  for (const e of events) {
    if (e.toState !== null) state = e.toState as IncidentState;
    if (e.toState !== null && e.toState !== e.fromState) curatorsHold(e.at, CURATORS_STATES.has(e.toState));
    if (e.action === "curatorPosts") curatorsHold(e.at, true, new Date(e.at.getTime() + CLAIM_MS));
    else if (e.action === "curatorGaveUp") curatorsHold(e.at, false);
    switch (e.action) {
      case "route": {
        const first = anchors.routing === undefined;
        const nextLead: number | null = typeof e.details?.leadId === "number" ? e.details.leadId : lead;
        // The drafts of the organization that returned the post, or that it was taken from, were superseded.
        const newLead = e.fromState === "registered" || nextLead !== lead;
        // Sent to a new lead, the post starts over, as incidents.routed_at does (Georgievsk p.16).
        const anew = first || newLead;
        // The same lead, at work on it, goes on as it was (routeIncident): only the parts change.
        const kept = e.details?.leadKept === true;
        if (anew) anchors.routing = e.at;
        if (!kept) anchors.receipt = e.at;
        close("routing", e.at, e.actorId);
        if (kept) {
          if (shortenAs(e) && !interim) restart("answer", e.at);
          // The lead's draft clock counted anew: the parts it waits for changed (Georgievsk p.18).
          restart("draft", e.at, () => {
            steps.push(...parts.route(e, anchors.routing ?? e.at, lead));
            openDraft();
          });
          break;
        }
        // Taken from the lead whose draft was before the curator: routing it elsewhere is the decision.
        close("decision", e.at, e.actorId);
        // Judged as the post stood, before it changes hands: a new draft is owed, so the one owed and
        // the publication of an approved one end; so does the rework, taken to another organization.
        end("draft", e.at);
        end("publication", e.at);
        if (newLead) end("rework", e.at);
        // The final draft Georgievsk p.15 times is owed again by a new lead the post is routed to: one
        // sent before its receipt met the clock under the routing it was sent in, as the card counts.
        // Routed again to the same lead (a co-executor added), the one it sent still meets it.
        const finalMetByDraft = reg.steps.finalAfterInterim?.metBy === "draftSubmission";
        if (interim && finalMetByDraft && newLead && !running.has("finalAfterInterim")) {
          open("finalAfterInterim");
          const owedAnew = running.get("finalAfterInterim");
          if (owedAnew) owedAnew.owedSince = e.at;
        }
        running.delete("return");
        const shortened = shortenAs(e);
        // Shortened at the first routing: the clock has run from detection with that length all along.
        if (shortened && first && !interim) {
          running.delete("answer");
          open("answer");
        } else if ((anew || shortened) && !interim) restart("answer", e.at);
        if (nextLead !== lead) leads.push({ at: e.at, organizationId: nextLead });
        lead = nextLead;
        coexecutors = organizationIds(e.details?.coexecutorIds);
        hold(e.at, null);
        if (newLead) draftAuthor = null;
        steps.push(...parts.route(e, anchors.routing ?? e.at, lead));
        // Routed again to the same lead with its draft in rework, the rework's clock runs on, as on its card.
        draftOwed = !interim && !running.has("rework");
        openDraft();
        open("return");
        break;
      }
      case "accept":
        // Only the lead's acceptance moves the incident into work; a co-executor's leaves the state.
        if (e.fromState === "assigned" && e.toState !== "assigned" && e.actorId !== null)
          hold(e.at, e.actorId);
        else parts.accept(e);
        break;
      case "return":
        // The lead's return sends the post back to routing; a co-executor's drops only its part.
        if (e.toState === "registered") {
          close("return", e.at, e.actorId);
          end("draft", e.at);
          end("rework", e.at);
          // An answer clock counted from routing (Georgievsk p.16) stops here and starts again with the
          // next routing: judged now, as the returning lead's; one counted from detection runs on.
          if (reg.steps.answer.anchor === "routing") end("answer", e.at);
          steps.push(...parts.withdraw(e.at));
          draftOwed = false;
          returnedBy = lead;
          lead = null;
          coexecutors = [];
          leads.push({ at: e.at, organizationId: null });
          hold(e.at, null);
          // Routed again on the routing step's clock, counted from the return (the card's lastReturn).
          open("routing", null, { ...anchors, detection: e.at });
        } else {
          // A co-executor out of competence: the next one in turn receives the post now.
          coexecutors = coexecutors.filter((id) => id !== e.details?.organizationId);
          steps.push(...parts.returned(e));
          parts.released(e);
          openDraft();
        }
        break;
      case "sendPart": {
        const part = parts.sent(e);
        if (part) steps.push(part);
        // A part that reached the lead at once lets the next co-executor in turn have the post.
        parts.released(e);
        openDraft();
        break;
      }
      case "passOnPart": {
        const passed = parts.passedOn(e);
        if (passed) steps.push(passed);
        parts.released(e);
        openDraft();
        break;
      }
      case "releaseTurn":
        // A curator stopped waiting for a co-executor: the next one received the post now.
        parts.released(e);
        break;
      case "returnPart": {
        const decided = parts.returnedForRework(e);
        if (decided) steps.push(decided);
        break;
      }
      case "markToxic":
      case "markThreat":
        close("routing", e.at, e.actorId);
        // Closed with a draft before the curator: closing it is the decision on it.
        close("decision", e.at, e.actorId);
        endAll(e.at);
        steps.push(...parts.withdraw(e.at));
        finished = true;
        break;
      case "submitDraft":
        anchors.draftSubmission = e.at;
        draftAuthor = e.actorId;
        // A question to the author's draft meets the draft step only where the preset says so
        // (Orenburg p.9, not Georgievsk p.11): otherwise the answer's draft is still owed.
        if (e.details?.kind !== "clarification" || questionMeetsDraft(reg)) {
          draftOwed = false;
          close("draft", e.at, e.actorId);
        }
        close("rework", e.at, e.actorId);
        // The final answer's clock of Georgievsk p.15 is met by its draft, not by a question to the author's.
        if (reg.steps.finalAfterInterim?.metBy === "draftSubmission" && e.details?.kind === undefined)
          close("finalAfterInterim", e.at, e.actorId);
        // Whoever sends the draft holds the post from then on, as incidents.holder_id says.
        if (e.actorId !== null) hold(e.at, e.actorId);
        open("decision");
        break;
      case "holderRemoved": {
        // The person left the organization: what they held is nobody's until a colleague takes it on,
        // a rework or publication of their draft too; a step whose time ran out while they held the
        // post stays theirs (see `instance`).
        const gone = e.details?.personId;
        if (e.details?.organizationId === lead) {
          if (holder === gone) hold(e.at, null);
          if (draftAuthor === gone) draftAuthor = null;
          for (const r of running.values()) if (r.personId === gone) r.personId = null;
        }
        parts.unheld(e);
        break;
      }
      case "takeOver": {
        // A colleague took the post over from its holder (away, say): the steps still owed are theirs
        // from then on, the rework or posting of the former holder's draft too; one whose time ran out
        // before stays the former holder's (see `instance`).
        const { from, to } = e.details ?? {};
        if (e.details?.organizationId === lead && typeof to === "number") {
          hold(e.at, to);
          if (draftAuthor === from) draftAuthor = to;
          for (const r of running.values()) if (r.personId === from) r.personId = to;
        } else parts.takenOver(e);
        break;
      }
      case "organizationMerged": {
        // Its organization merged into another: the same people go on with it, nothing starts over;
        // what is done from now on is the absorbing organization's.
        const { organizationId: from, into, withdrawn } = e.details ?? {};
        if (typeof from !== "number" || typeof into !== "number") break;
        if (lead === from) {
          lead = into;
          leads.push({ at: e.at, organizationId: into });
        }
        steps.push(...parts.merged(e.at, from, into, typeof withdrawn === "number" ? withdrawn : undefined));
        // A part withdrawn in its turn: the next co-executor received the post now.
        parts.released(e);
        openDraft();
        break;
      }
      case "approve":
        anchors.approval = e.at;
        close("decision", e.at, e.actorId);
        // A publication counted back from the first answer's deadline (Georgievsk p.12, 16) does not bind the final one.
        if (!interim || reg.steps.publication?.before?.step !== "answer") open("publication", draftAuthor);
        break;
      case "requestRework":
        anchors.reworkRequest = e.at;
        close("decision", e.at, e.actorId);
        open("rework", draftAuthor);
        break;
      case "askClarification":
        // An approved question to the author was posted: its publication, as an interim answer's is.
        close("publication", e.at, e.actorId);
        break;
      case "publishInterim":
        close("publication", e.at, e.actorId);
        // The first interim answer starts the final answer's clock; another one does not move it.
        if (interim) break;
        anchors.interimPublication = e.at;
        interim = true;
        draftOwed = false;
        close("answer", e.at, e.actorId);
        end("draft", e.at);
        open("finalAfterInterim");
        break;
      case "publish":
        for (const step of ["publication", "answer", "finalAfterInterim"] as const)
          close(step, e.at, e.actorId);
        endAll(e.at);
        steps.push(...parts.withdraw(e.at));
        finished = true;
        break;
    }
  }
  steps.push(...endedByRouting.values());
  // Returning is optional: an executor who kept the post has not missed the return window.
  running.delete("return");
  // Still owed after a return, not routed again: the organization that returned it had it, as at a
  // routing (restart); one whose deadline fell while the curators held the post is theirs.
  for (const r of running.values()) steps.push(instance(r, null, null, null, lead ?? returnedBy));
  steps.push(...parts.owed());
  return {
    steps,
    leadOrganizationId: lead,
    leads,
    coexecutors,
    state,
    unanswered: !interim && isOpen(state),
  };
}

/**
 * When a step's outcome became known: its completion if on time, otherwise its deadline. A step
 * belongs to the month of this instant, so each is counted once, in one month. A return (p.7) is
 * owed by nobody who keeps the post: one made late is known only when made, in that month.
 */
export function decidedAt(step: StepInstance): Date {
  const { completedAt, deadline } = step;
  if (step.step === "return" && completedAt) return completedAt;
  return completedAt && !step.late ? completedAt : deadline;
}

/** Judged once, when the step is built (see StepInstance.late). */
export function isLate(step: StepInstance): boolean {
  return step.late;
}
