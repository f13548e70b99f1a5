/**
 * The monthly figures per organization and overall: timeliness, quality and dynamics (Orenburg p.20,
 * Georgievsk p.23). Every number comes from stored events, drafts and publications and from the SLA
 * engine; nothing reads "now", so a month's report is the same whenever it is computed. The current
 * month may be reported so far, as of an instant the caller gives: then only what was known by then
 * counts (a step not done is late only once its deadline has passed).
 */
import { lostWindows } from "../app/restores.js";
import type { SlaRuntime } from "../app/sla.js";
import type { Db } from "../db/client.js";
import type { WorkingTime } from "../domain/calendar/index.js";
import { type IncidentState, isOpen } from "../domain/incident.js";
import { nameKey } from "../domain/names.js";
import { type Regulation, STEP_IDS, type StepId } from "../domain/regulation/index.js";
import { type LostWindow, restoreGraceUntil } from "../domain/reminders.js";
import {
  answerPublications,
  decidedDrafts,
  forEachMonthActivity,
  type MonthActivity,
  monthCounts,
  organizationNames,
  personNames,
  voidedPosts,
} from "./load.js";
import { type MonthBounds, monthBounds, monthOf, type ReportMonth, shiftMonth } from "./month.js";
import { decidedAt, type IncidentEvent, isLate, leadAt, type Replay, type StepInstance } from "./replay.js";
import { carriedInto, sortViolations, stepsOfMonth, type Violation, violationOf } from "./violations.js";

export interface StepFigure {
  step: StepId;
  total: number;
  onTime: number;
}

/** Deadlines with how many of them were met in time. */
export interface Met {
  total: number;
  onTime: number;
}

export interface Ranked {
  name: string;
  count: number;
}

export interface Figures {
  received: number;
  answered: number;
  answeredOnTime: number;
  steps: StepFigure[];
  /**
   * The month's answer deadlines (the answer, the final one after an interim answer, its draft where
   * that is the clock), met in time or not — an answer posted late or not at all is one missed: an
   * organization's share of answers in time is of these (Orenburg p.20, Georgievsk p.23), and those
   * missed are `overdue`.
   */
  answerDeadlines: Met;
  /**
   * The answer deadlines missed (the answer, the final one after an interim answer, its draft where
   * that is the clock), `notDone` of them with no answer by the end or the period's end.
   */
  overdue: { count: number; notDone: number; medianMinutes: number | null; worstMinutes: number | null };
  returned: number;
  reworked: number;
  approved: number;
  approvedFirstRound: number;
  qualityAverage: number | null;
  interim: number;
  finals: number;
  finalsOnTime: number;
  repeats: number;
  toxic: number;
  threats: number;
  /** The threats the bot sent to the competent bodies (Orenburg p.17). */
  threatsForwarded: number;
  significant: number;
  violations: number;
  topTopics: Ranked[];
  topPlaces: Ranked[];
}

/** The curators' own steps (routing, the decision, passing a part on): theirs, not an organization's. */
export interface CuratorFigures {
  total: number;
  onTime: number;
  violations: number;
  /** The answer deadlines that were theirs: run out while they held the post. */
  answerDeadlines: Met;
  /** The answer deadlines missed while the curators held the post, as an organization's are counted. */
  overdue: Figures["overdue"];
  /**
   * The posts received in the month that no organization had at its end, left unrouted (not routed
   * yet, or returned): with `closed` and the organizations' they add up to the month's «Поступило».
   */
  received: number;
  /** Those closed without an answer before any organization had them: insults and threats. */
  closed: number;
}

/**
 * The posts still waiting for an answer at the end of the period (no answer, not even an interim one,
 * and not closed), whenever they came: under Georgievsk p.16 the answer's clock starts only at
 * routing, so those never routed miss no deadline, yet they are unanswered all the same.
 */
export interface Unanswered {
  count: number;
  significant: number;
  /** Those no organization had then: not routed yet, or returned. */
  unrouted: number;
}

export interface OrganizationFigures extends Figures {
  organizationId: number;
  name: string;
}

export interface ExecutorFigures {
  personId: number;
  name: string;
  /** The organizations whose answers and reworks the row counts: two people of one name told apart. */
  organizations: string[];
  answered: number;
  onTime: number;
  reworks: number;
}

/**
 * A post the month's figures count (received in the month, worked on in it, or still open at its
 * end), as it stood at the period's end; or one received in it and closed as void, which none counts.
 * A month keeps a hundred thousand of them till its workbook is written: the instants are epoch
 * milliseconds, not Dates (a Date is ≈ 4 times a number's memory), and a post with no co-executors
 * shares one empty list.
 */
export interface ReportPost {
  id: number;
  detectedAt: number;
  network: string;
  link: string;
  leadOrganizationId: number | null;
  coexecutorIds: readonly number[];
  /** Null for a voided post closed after the period's end: not replayed, so not known. */
  state: IncidentState | null;
  answeredAt: number | null;
  answeredOnTime: boolean | null;
  closedReason: "toxic" | "threat" | "void" | null;
  /** A voided post closed as a duplicate of this one. */
  duplicateOf: number | null;
  /** A threat: when the bot sent it to the competent bodies, if it did (Orenburg p.17). */
  threatForwardedAt?: Date | null;
}

/**
 * A step counted in an earlier month's report, late and not done by its end, that was done (or
 * stopped being owed) in this one: listed once more, with how late it turned out, but counted only there.
 */
export interface CarriedViolation extends Violation {
  countedIn: ReportMonth;
}

/** The few numbers compared across months. */
export interface Headline {
  month: ReportMonth;
  received: number;
  answered: number;
  answeredOnTime: number;
}

export interface MonthlyReport {
  month: ReportMonth;
  bounds: MonthBounds;
  /** The instant a month still running is reported as of; null for a finished month. */
  asOf: Date | null;
  /**
   * When the report was made, for the workbook of a finished month: recomputed later from the audit
   * trail it may differ (the settings in force now standing in, see `settingsStandInBefore`), so a
   * copy sent to the heads says when it was made.
   */
  madeAt?: Date | undefined;
  timezone: string;
  fullDayMinutes: number;
  /**
   * The preset in force now: a step's name says how it is met (see `stepLabel`). Each post's steps are
   * judged by the preset it was received under (forEachMonthActivity).
   */
  regulation: Regulation;
  /**
   * Where posts received before this instant were judged by the settings in force now, theirs not
   * recorded (see settingsHistory): the Сводка says so. Null where every post was judged by its own.
   */
  settingsStandInBefore: Date | null;
  overall: Figures;
  unanswered: Unanswered;
  organizations: OrganizationFigures[];
  curators: CuratorFigures;
  executors: ExecutorFigures[];
  violations: Violation[];
  /** The violations whose deadline a restore made pass (see Violation.lostWithRestore): in no figure. */
  setAside: number;
  carriedOver: CarriedViolation[];
  /** In number order. */
  posts: ReportPost[];
  /** The month's posts closed as void (deleted, registered by mistake, duplicates): not in «Поступило». */
  voided: number;
  organizationNames: Map<number, string>;
  personNames: Map<number, string>;
  /** Null where that month has no data. */
  previous: Headline | null;
  lastYear: Headline | null;
  /** The 12 months ending with this one, oldest first. */
  trend: Headline[];
}

const TOP = 5;
/** The co-executors of every post that has none (see ReportPost). */
const NO_COEXECUTORS: readonly number[] = Object.freeze([]);
const ANSWER_STEPS: StepId[] = ["answer", "finalAfterInterim"];

/** Counts for one scope (overall or one organization). */
class Tally {
  received = 0;
  answered = 0;
  answeredOnTime = 0;
  returned = 0;
  reworked = 0;
  approved = 0;
  approvedFirstRound = 0;
  qualitySum = 0;
  qualityCount = 0;
  interim = 0;
  finals = 0;
  finalsOnTime = 0;
  repeats = 0;
  toxic = 0;
  threats = 0;
  threatsForwarded = 0;
  significant = 0;
  violations = 0;
  readonly steps = new Map<StepId, StepFigure>();
  readonly overdueMinutes: number[] = [];
  overdueNotDone = 0;
  /** By folded name (any case, ё = е, as a surge counts them): the name as first written, and how many. */
  readonly topics = new Map<string, Ranked>();
  readonly places = new Map<string, Ranked>();

  step(step: StepInstance): void {
    const figure = this.steps.get(step.step) ?? { step: step.step, total: 0, onTime: 0 };
    figure.total++;
    if (!isLate(step)) figure.onTime++;
    this.steps.set(step.step, figure);
  }

  answerDeadlines(): Met {
    const met = { total: 0, onTime: 0 };
    for (const id of ANSWER_STEPS) {
      met.total += this.steps.get(id)?.total ?? 0;
      met.onTime += this.steps.get(id)?.onTime ?? 0;
    }
    return met;
  }

  figures(): Figures {
    return {
      received: this.received,
      answered: this.answered,
      answeredOnTime: this.answeredOnTime,
      steps: STEP_IDS.flatMap((id) => this.steps.get(id) ?? []),
      answerDeadlines: this.answerDeadlines(),
      overdue: overdueOf(this.overdueMinutes, this.overdueNotDone),
      returned: this.returned,
      reworked: this.reworked,
      approved: this.approved,
      approvedFirstRound: this.approvedFirstRound,
      qualityAverage: this.qualityCount > 0 ? this.qualitySum / this.qualityCount : null,
      interim: this.interim,
      finals: this.finals,
      finalsOnTime: this.finalsOnTime,
      repeats: this.repeats,
      toxic: this.toxic,
      threats: this.threats,
      threatsForwarded: this.threatsForwarded,
      significant: this.significant,
      violations: this.violations,
      topTopics: ranked(this.topics),
      topPlaces: ranked(this.places),
    };
  }
}

/**
 * An organization's late step that nobody of it held when its time ran out, the post routed in the
 * period and not accepted by it before then (one whose holder left was taken): marked not taken, with
 * who of it accepted the post after, so that the violation is not read as theirs nor as a holder's.
 */
function withNotTaken<V extends Violation>(v: V, events: readonly IncidentEvent[]): V {
  if (v.curatorStep || v.personId !== null || v.organizationId === null) return v;
  const before = events.filter((e) => e.at < v.deadline);
  const accepts = (e: IncidentEvent) =>
    e.action === "accept" && e.details?.organizationId === v.organizationId;
  if (!before.some((e) => e.action === "route") || before.some(accepts)) return v;
  const later = events.find((e) => e.at >= v.deadline && accepts(e));
  return { ...v, notTaken: { by: later?.actorId ?? null } };
}

/** Actions after which a post no longer just waits for its author's reply to a question. */
const PAST_QUESTION = new Set(["submitDraft", "publish", "publishInterim", "route", "return"]);

/**
 * A step still owed at the period's end of a post whose last move was a question to its author
 * (no draft, answer or routing since): the office waits for the citizen, as the line says.
 */
function withAwaitingAuthor<V extends Violation>(
  v: V,
  events: readonly IncidentEvent[],
  state: IncidentState,
): V {
  if (v.completedAt !== null || v.endedAt !== null || (state !== "in_work" && state !== "awaiting_final"))
    return v;
  const asked = events.findLastIndex((e) => e.action === "askClarification");
  if (asked < 0 || events.slice(asked + 1).some((e) => PAST_QUESTION.has(e.action))) return v;
  return { ...v, awaitingAuthorSince: (events[asked] as IncidentEvent).at };
}

/** Missed answer deadlines: how many, how many never answered, and how late in working minutes. */
function overdueOf(minutes: readonly number[], notDone: number): Figures["overdue"] {
  const sorted = [...minutes].sort((a, b) => a - b);
  return {
    count: sorted.length,
    notDone,
    medianMinutes: median(sorted),
    worstMinutes: sorted.at(-1) ?? null,
  };
}

/** In whole minutes, as every lateness is said: of two middle values, their mean rounded down. */
function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : Math.floor(((sorted[mid - 1] ?? 0) + upper) / 2);
}

function ranked(counts: Map<string, Ranked>): Ranked[] {
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, "ru"))
    .slice(0, TOP);
}

function bump(map: Map<string, Ranked>, name: string | null): void {
  if (!name?.trim()) return;
  const key = nameKey(name);
  const found = map.get(key);
  if (found) found.count++;
  else map.set(key, { name: name.trim(), count: 1 });
}

/**
 * The month's report; with `asOf` inside the month, the month so far (an instant after the month
 * gives the finished month, one before it an empty one).
 */
export function buildMonthlyReport(db: Db, sla: SlaRuntime, month: ReportMonth, asOf?: Date): MonthlyReport {
  const wt = sla.workingTime;
  const bounds = monthBounds(month, sla.timezone);
  const ongoing = asOf !== undefined && asOf.getTime() < bounds.end.getTime();
  const period: MonthBounds = ongoing
    ? { start: bounds.start, end: new Date(Math.max(asOf.getTime(), bounds.start.getTime())) }
    : bounds;
  const overall = new Tally();
  const curators = {
    total: 0,
    onTime: 0,
    violations: 0,
    received: 0,
    closed: 0,
    answerDeadlines: { total: 0, onTime: 0 },
  };
  const unanswered: Unanswered = { count: 0, significant: 0, unrouted: 0 };
  const curatorsOverdue: number[] = [];
  let curatorsNotDone = 0;
  const byOrganization = new Map<number, Tally>();
  const leadOf = new Map<number, number | null>();
  const leadsOf = new Map<number, Replay["leads"]>();
  const interimIncidents = new Set<number>();
  /** Incidents whose answer clock (by its step) ran out while the curators held the post. */
  const heldByCurators = new Map<number, Set<StepId>>();
  /** The spans whose deadlines a restore made pass: their violations are set aside (see afterGrace). */
  const lost = lostWindows(db, wt);
  /** Answers (`id:step`) whose deadline a restore made pass: late in no figure. */
  const lostAnswers = new Set<string>();
  let setAside = 0;
  const violations: Violation[] = [];
  const carriedOver: CarriedViolation[] = [];
  const posts: ReportPost[] = [];
  const overallOnly = [overall];
  const scopesOf = new Map<number, Tally[]>();
  const scopes = (organizationId: number | null | undefined): Tally[] => {
    if (organizationId === null || organizationId === undefined) return overallOnly;
    let tallies = scopesOf.get(organizationId);
    if (!tallies) {
      const tally = new Tally();
      byOrganization.set(organizationId, tally);
      tallies = [overall, tally];
      scopesOf.set(organizationId, tallies);
    }
    return tallies;
  };

  const visit = ({ incident, replay, events, sla: judgedBy }: MonthActivity) => {
    const lead = replay.leadOrganizationId;
    const steps =
      lost.length === 0 ? replay.steps : replay.steps.map((s) => afterGrace(lost, s, judgedBy.workingTime));
    if (incident.detectedAt >= bounds.start || events.length > 0 || isOpen(replay.state)) {
      posts.push({
        id: incident.id,
        detectedAt: incident.detectedAt.getTime(),
        network: incident.network,
        link: incident.link,
        leadOrganizationId: lead,
        coexecutorIds: replay.coexecutors.length > 0 ? replay.coexecutors : NO_COEXECUTORS,
        state: replay.state,
        answeredAt: incident.answeredAt?.getTime() ?? null,
        answeredOnTime: incident.answeredOnTime,
        closedReason: replay.state === "closed" ? incident.closedReason : null,
        duplicateOf: null,
        threatForwardedAt: events.find((e) => e.action === "threatForwarded")?.at ?? null,
      });
    }
    leadOf.set(incident.id, lead);
    leadsOf.set(incident.id, replay.leads);
    if (steps.some((s) => s.step === "finalAfterInterim")) interimIncidents.add(incident.id);
    for (const s of steps) {
      if (ANSWER_STEPS.includes(s.step) && lostWithRestore(lost, s))
        lostAnswers.add(`${incident.id}:${s.step}`);
      if (!s.curatorStep || (s.step !== "answer" && s.step !== "finalAfterInterim")) continue;
      const held = heldByCurators.get(incident.id) ?? new Set<StepId>();
      heldByCurators.set(incident.id, held.add(s.step));
    }
    if (replay.unanswered) {
      unanswered.count++;
      if (incident.importance === "significant") unanswered.significant++;
      if (lead === null) unanswered.unrouted++;
    }
    if (incident.detectedAt >= bounds.start) {
      if (lead === null && replay.state === "closed") curators.closed++;
      else if (lead === null) curators.received++;
      for (const tally of scopes(lead)) {
        tally.received++;
        if (incident.importance === "significant") tally.significant++;
        if (incident.repeatOfId !== null) tally.repeats++;
        bump(tally.topics, incident.topic);
        bump(tally.places, incident.place);
      }
    }
    for (const event of events) {
      // An interim answer is the organization's that held the post then; the closings, the post's.
      const owner = event.action === "publishInterim" ? leadAt(replay.leads, event.at) : lead;
      for (const tally of scopes(owner)) {
        if (event.action === "markToxic") tally.toxic++;
        else if (event.action === "markThreat") tally.threats++;
        else if (event.action === "threatForwarded") tally.threatsForwarded++;
        else if (event.action === "publishInterim") tally.interim++;
      }
    }
    for (const step of steps) {
      if (step.step === "return" && step.completedAt && step.completedAt >= bounds.start) {
        for (const tally of scopes(step.organizationId)) tally.returned++;
      }
    }
    for (const step of stepsOfMonth(steps, period)) {
      const violation = violationOf(step, period, judgedBy.workingTime, incident.link);
      if (violation && lostWithRestore(lost, step)) {
        violations.push({ ...violation, lostWithRestore: true });
        setAside++;
        continue;
      }
      const tallies = scopes(step.organizationId);
      for (const tally of tallies) tally.step(step);
      if (step.curatorStep) {
        curators.total++;
        if (!isLate(step)) curators.onTime++;
        if (ANSWER_STEPS.includes(step.step)) {
          curators.answerDeadlines.total++;
          if (!isLate(step)) curators.answerDeadlines.onTime++;
        }
      }
      if (!violation) continue;
      violations.push(withAwaitingAuthor(withNotTaken(violation, events), events, replay.state));
      if (step.curatorStep) curators.violations++;
      if (step.curatorStep && ANSWER_STEPS.includes(step.step)) {
        curatorsOverdue.push(violation.lateMinutes);
        if (violation.completedAt === null) curatorsNotDone++;
      }
      for (const tally of tallies) {
        tally.violations++;
        if (!ANSWER_STEPS.includes(step.step)) continue;
        tally.overdueMinutes.push(violation.lateMinutes);
        if (violation.completedAt === null) tally.overdueNotDone++;
      }
    }
    for (const step of carriedInto(steps, period)) {
      const violation = violationOf(step, period, judgedBy.workingTime, incident.link);
      if (!violation) continue;
      const aside = lostWithRestore(lost, step) ? { lostWithRestore: true as const } : {};
      carriedOver.push({
        ...withNotTaken(violation, events),
        ...aside,
        countedIn: monthOf(decidedAt(step), sla.timezone),
      });
    }
  };
  const settingsStandInBefore = forEachMonthActivity(db, sla, period, visit);
  let voided = 0;
  for (const { closedAt, ...post } of voidedPosts(db, period)) {
    voided++;
    posts.push({
      ...post,
      detectedAt: post.detectedAt.getTime(),
      leadOrganizationId: null,
      coexecutorIds: NO_COEXECUTORS,
      state: closedAt !== null && closedAt < period.end ? "closed" : null,
      answeredAt: null,
      answeredOnTime: null,
      closedReason: "void",
    });
  }
  posts.sort((a, b) => a.id - b.id);

  const executors = new Map<number, ExecutorFigures>();
  const organizationsOf = new Map<number, Set<number>>();
  /** A person's row, counting one of `organizationId`'s answers or reworks. */
  const executor = (personId: number, organizationId: number | null | undefined): ExecutorFigures => {
    let figure = executors.get(personId);
    if (!figure) {
      figure = { personId, name: "", organizations: [], answered: 0, onTime: 0, reworks: 0 };
      executors.set(personId, figure);
    }
    const organizations = organizationsOf.get(personId) ?? new Set<number>();
    if (organizationId !== null && organizationId !== undefined) organizations.add(organizationId);
    organizationsOf.set(personId, organizations);
    return figure;
  };
  for (const publication of answerPublications(db, period.start, period.end)) {
    const onTime = publication.onTime === true;
    const final = interimIncidents.has(publication.incidentId);
    // A late answer whose clock ran out while the curators held the post is theirs («кураторы» in
    // the violations), not the organization's or the executor's who posted it; the whole office's
    // share keeps it late. One posted by the end of a restore's grace is late in no share.
    const step: StepId = final ? "finalAfterInterim" : "answer";
    const lostAnswer = lostAnswers.has(`${publication.incidentId}:${step}`);
    const theirs = onTime || lostAnswer || heldByCurators.get(publication.incidentId)?.has(step) === true;
    const lead = leadOf.get(publication.incidentId);
    for (const tally of scopes(lead)) {
      const inTime = tally === overall ? onTime || lostAnswer : theirs;
      tally.answered++;
      if (inTime) tally.answeredOnTime++;
      if (final) {
        tally.finals++;
        if (inTime) tally.finalsOnTime++;
      }
    }
    const person = executor(publication.answeredBy, lead);
    person.answered++;
    if (theirs) person.onTime++;
  }
  for (const draft of decidedDrafts(db, period)) {
    // The organization whose draft it was: the lead when it was decided, not the month's last one.
    const lead = leadAt(leadsOf.get(draft.incidentId) ?? [], draft.decidedAt);
    for (const tally of scopes(lead)) {
      if (draft.state === "rework") tally.reworked++;
      else {
        tally.approved++;
        if (draft.round === 1) tally.approvedFirstRound++;
        if (draft.quality !== null) {
          tally.qualitySum += draft.quality;
          tally.qualityCount++;
        }
      }
    }
    if (draft.state === "rework") executor(draft.authorId, lead).reworks++;
  }

  const orgNames = organizationNames(db);
  const people = personNames(db);
  // The same month last year and the 12 months ending with this one, in one pass.
  const [lastYear, ...trend] = headlines(db, sla.timezone, shiftMonth(month, -12), 13);
  const withData = (h: Headline | undefined) => (h && (h.received > 0 || h.answered > 0) ? h : null);
  return {
    month,
    bounds,
    asOf: ongoing ? period.end : null,
    timezone: sla.timezone,
    fullDayMinutes: wt.fullDayMinutes,
    regulation: sla.regulation,
    settingsStandInBefore,
    overall: overall.figures(),
    unanswered,
    organizations: [...byOrganization]
      .map(([organizationId, tally]) => ({
        organizationId,
        name: orgNames.get(organizationId) ?? `№ ${organizationId}`,
        ...tally.figures(),
      }))
      .sort((a, b) => a.name.localeCompare(b.name, "ru")),
    curators: { ...curators, overdue: overdueOf(curatorsOverdue, curatorsNotDone) },
    executors: [...executors.values()]
      .map((e) => ({
        ...e,
        name: people.get(e.personId) ?? `№ ${e.personId}`,
        organizations: [...(organizationsOf.get(e.personId) ?? [])]
          .map((id) => orgNames.get(id) ?? `№ ${id}`)
          .sort((a, b) => a.localeCompare(b, "ru")),
      }))
      .sort(
        (a, b) =>
          a.name.localeCompare(b.name, "ru") ||
          a.organizations.join().localeCompare(b.organizations.join(), "ru"),
      ),
    violations: sortViolations(violations),
    setAside,
    carriedOver: sortViolations(carriedOver),
    posts,
    voided,
    organizationNames: orgNames,
    personNames: people,
    previous: withData(trend.at(-2)),
    lastYear: withData(lastYear),
    trend,
  };
}

/**
 * A late step whose deadline a restore made pass (see lostWindows), done (or no longer owed) by the
 * grace's end: what was done before may have been lost, so its violation is set aside.
 */
function lostWithRestore(lost: readonly LostWindow[], step: StepInstance): boolean {
  return isLate(step) && restoreGraceUntil(lost, step.deadline, step.start) !== undefined;
}

/**
 * A step whose deadline a restore made pass, still not done at the grace's end, judged as the bot
 * alerts it: due at the grace's end (late from then, in the month it passes in). Any other step is
 * as replayed; one done by then is set aside (lostWithRestore).
 */
function afterGrace(lost: readonly LostWindow[], step: StepInstance, wt: WorkingTime): StepInstance {
  const until = isLate(step) ? restoreGraceUntil(lost, step.deadline, step.start) : undefined;
  const outcome = step.completedAt ?? step.endedAt;
  if (!until || (outcome && outcome <= until)) return step;
  return { ...step, deadline: until, late: step.completedAt === null || !wt.meets(until, step.completedAt) };
}

/** Received, answered and on-time answers for `count` months from `first`. */
export function headlines(db: Db, timezone: string, first: ReportMonth, count: number): Headline[] {
  const months = Array.from({ length: count }, (_, i) => shiftMonth(first, i));
  // Month starts as epoch ms: SQLite buckets rows by comparison, not by a time-zone conversion.
  const starts = months.map((m) => monthBounds(m, timezone).start.getTime());
  const end = monthBounds(months.at(-1) ?? first, timezone).end.getTime();
  const counts = monthCounts(db, starts, end);
  return months.map((month, i) => ({
    month,
    received: counts[i]?.received ?? 0,
    answered: counts[i]?.answered ?? 0,
    answeredOnTime: counts[i]?.answeredOnTime ?? 0,
  }));
}

/**
 * A share as a whole percent, rounded down (199 of 200 on time is 99%, never a perfect 100%), or
 * null with nothing to divide.
 */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.floor((part * 100) / whole) : null;
}

export function hasData(report: MonthlyReport): boolean {
  const o = report.overall;
  return o.received + o.answered + o.violations + o.toxic + o.threats + o.interim > 0;
}
