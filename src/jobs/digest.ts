/**
 * Morning digest to each organization's work chat at the start of every working day: its open
 * incidents with the nearest deadlines (saying so where nobody has taken one into work; an overdue
 * answer to the author first, a socially significant post marked as its card marks it), and the
 * deadlines missed since the previous working day began (on a Monday: Friday and the weekend), each
 * with how its post ended if it has. Once per chat per day. A post where the organization owes nothing
 * any more (a co-executor's part given out) is not its open work: with nothing else, no digest.
 */
import { and, eq, gte, inArray, lt } from "drizzle-orm";
import type { InlineKeyboard } from "grammy";
import { reopenAlerts, reopenReminders } from "../app/alerts.js";
import { reachableCuratorChats } from "../app/chats.js";
import { type Incident, openIncidents } from "../app/incidents.js";
import { present } from "../app/leave.js";
import { giveBackNotice, leaseNotice, settleNotice } from "../app/notices.js";
import { partStateText } from "../bot/cards.js";
import { deliverLong, MESSAGE_LIMIT } from "../bot/delivery.js";
import { cardButtons } from "../bot/keyboards.js";
import type { SendFailure } from "../bot/refused-chats.js";
import { type DigestNotes, type OverdueCount, stepLabel, t } from "../bot/texts.js";
import { assignments, boundChats, notifications } from "../db/schema.js";
import {
  actionRules,
  activeAssignments,
  answerDeadline,
  type DraftKind,
  earliestDeadline,
  isWindow,
  type ListedDeadline,
  listedDeadline,
  type NextDeadline,
  partsGivenOut,
  passOnDeadlines,
  runningDeadlines,
} from "../domain/incident.js";
import type { StepId } from "../domain/regulation/index.js";
import { formatDeadline, formatRemaining } from "../domain/time-format.js";
import { digestKey, missedSince, morningOf, SAID_BY_MORNING_DIGEST } from "./morning.js";
import { readPost } from "./posts.js";
import { curatorsHold, type SweepDeps } from "./sweep.js";

const MAX_LINES = 30;
/** A digest's send left by a stopped process is taken over after this long. */
const LEASE_MS = 10 * 60_000;

export async function morningDigests(deps: SweepDeps): Promise<number> {
  const { db, sla, clock } = deps;
  const now = clock.now();
  const wt = sla.workingTime;
  if (!wt.isWorking(now)) return 0;
  const morning = morningOf(sla, now);
  const { day, today, late } = morning;
  let sent = 0;
  const chats = db.select().from(boundChats).where(eq(boundChats.purpose, "organization")).all();
  for (const chat of chats) {
    const key = digestKey(chat.chatId, day);
    const organizationId = chat.organizationId;
    if (organizationId === null || !leaseNotice(db, key, LEASE_MS, now)) continue;
    const open = eachPost(deps, openIncidents(db, { organizationIds: [organizationId] }), (incident) => {
      // A part given out owes nothing (until returned for rework): no daily ring for the lead's work.
      if (partsGivenOut(incident, [organizationId])) return undefined;
      // As /list: what the chat's cards owe, never the return window (a right, not a task); the
      // overdue first, a post with a step missed among them though its next deadline is ahead.
      const next = listedDeadline(incident, sla.regulation, wt, [organizationId], now);
      return { incident, next, lateAnswer: next && lateAnswer(deps, incident, next.passed) };
    })
      .filter((post) => post !== undefined)
      .sort((a, b) => (a.next?.first.at.getTime() ?? Infinity) - (b.next?.first.at.getTime() ?? Infinity));
    const since = missedSince(db, sla, chat.chatId, morning);
    const missed = missedSteps(deps, chat.chatId, organizationId, since, today);
    if (open.length === 0 && missed.size === 0) {
      db.transaction(() => {
        settleNotice(db, key, now);
        giveBackReminders(deps, chat.chatId, today, []);
      });
      continue;
    }
    const listed = open.slice(0, MAX_LINES);
    const lines = listed.map((post) => openLine(deps, post, organizationId, now));
    // A late answer its post's line leads with is not said again below.
    for (const { incident, lateAnswer } of listed) {
      const steps = missed.get(incident.id);
      if (lateAnswer && steps)
        missed.set(
          incident.id,
          steps.filter((step) => step !== lateAnswer.step),
        );
    }
    const text = digestMessages(
      [t.digest.title(day, open.length, late)],
      [
        {
          lines: [
            ...lines.map((line) => line.text),
            ...(open.length > MAX_LINES ? [t.digest.more(open.length - MAX_LINES)] : []),
          ],
        },
        {
          heading: t.digest.missedSince(formatDeadline(since, sla.timezone).slice(0, 10)),
          lines: missedLines(deps, missed),
          apart: true,
        },
      ],
    );
    const shown = cardButtons(open.slice(0, MAX_LINES).map(({ incident }) => incident.id));
    // Failed for now, it is sent at the next tick, the alerts folded into it still to say; else what
    // it did not say is given back as it is recorded.
    const outcome = await sendOrRelease(deps, chat.chatId, text, key, shown, (outcome) => {
      giveBackReminders(deps, chat.chatId, today, outcome === "sent" ? lines : []);
      // Refused or rejected for good, it said none of the alerts folded into it: they are claims
      // never sent again, and the sweep sends them on their own (the chat refusing, to the curators
      // instead).
      if (outcome !== "sent") reopenAlerts(db, chat.chatId, SAID_BY_MORNING_DIGEST, since, today);
    });
    if (outcome === "sent") sent++;
  }
  return sent;
}

/**
 * Gives the sweep back the reminders folded into a chat's digest today (see saidByMorningDigest)
 * that it did not say: one is said where its post's line names its deadline ahead, with the time
 * left; not where the line names another deadline, the post is not listed (past the lines shown, a
 * part given out, a post that cannot be read), or the digest said nothing. The sweep sends those on
 * their own a few minutes later, as claims never sent.
 */
function giveBackReminders(deps: SweepDeps, chatId: number, today: Date, lines: OpenLine[]): void {
  const said = lines.flatMap(({ id, ahead }) =>
    ahead ? [{ incidentId: id, step: ahead.step, deadlineAt: ahead.at }] : [],
  );
  reopenReminders(deps.db, chatId, SAID_BY_MORNING_DIGEST, today, said);
}

/**
 * Morning digest to the curators' chat (each curator privately where there is none) at the start of
 * every working day: the posts waiting for the curators (to route, to decide on a draft, to pass a
 * part on, to post an approved answer late to its author where they may post it), and those whose
 * organization let a deadline pass, with the organization. None when there is neither. Once per day.
 * As in the organizations' digest, a socially significant post is marked, and an overdue answer to
 * the author leads its line: the organization's, if it let it pass, else the curators' own.
 */
export async function curatorsDigest(deps: SweepDeps): Promise<number> {
  const { db, sla, clock } = deps;
  const now = clock.now();
  // The curators' chat, or each curator privately where there is none (not those on leave, unless all are).
  const chats = present(deps, reachableCuratorChats(db), true);
  if (chats.length === 0 || !sla.workingTime.isWorking(now)) return 0;
  const morning = morningOf(deps.sla, now);
  const keyOf = (chatId: number) => digestKey(chatId, morning.day);
  const unclaimed = chats.filter((chatId) => leaseNotice(db, keyOf(chatId), LEASE_MS, now));
  if (unclaimed.length === 0) return 0;
  const open = eachPost(deps, openIncidents(db, {}), (incident) => {
    const passed = runningDeadlines(incident, sla.regulation, sla.workingTime).filter((d) => d.at <= now);
    const answer = lateAnswer(deps, incident, passed);
    const late = lateAtOrganizations(deps, incident, answer, now);
    // Said once: on the organization's line if it has it, else on the curators' own.
    const said = late.some((line) => line.lateAnswer);
    return { ours: curatorsDuties(deps, incident, said ? undefined : answer), late };
  });
  const ours = open.flatMap((post) => post.ours);
  const late = open.flatMap((post) => post.late);
  if (ours.length === 0 && late.length === 0) {
    for (const chatId of unclaimed) settleNotice(db, keyOf(chatId), now);
    return 0;
  }
  const title = t.digest.title(morning.day, open.length, morning.late);
  const text = curatorsDigestText(deps, title, ours, late, now);
  // A post in both sections is one button.
  const listed = [...ours.slice(0, MAX_LINES), ...late.slice(0, MAX_LINES)].map(({ id }) => id);
  const shown = cardButtons([...new Set(listed)]);
  let sent = 0;
  for (const chatId of unclaimed)
    if ((await sendOrRelease(deps, chatId, text, keyOf(chatId), shown)) === "sent") sent++;
  return sent;
}

/** A post's line in the curators' digest: the step it is listed by, and the late answer leading it. */
interface CuratorsLine {
  id: number;
  due: NextDeadline;
  kind: DraftKind | null;
  importance: string | undefined;
  lateAnswer?: NextDeadline | undefined;
}

/** …at an organization, with the steps it missed besides (see lateAtOrganizations). */
interface LateLine extends CuratorsLine {
  organization: string;
  missed: NextDeadline[];
}

function lineOf(incident: Incident): Pick<CuratorsLine, "id" | "kind" | "importance"> {
  return { id: incident.id, kind: incident.answer?.draftKind ?? null, importance: importanceOf(incident) };
}

/**
 * What a post waits for the curators to do: their nearest step (routing, the decision, passing a part
 * on), led by the late `answer` not on an organization's line. An approved answer has no step of
 * theirs, but where they may post it themselves (Georgievsk p.12, the card's «Разместить самому»), one
 * late to its author through their hold (the draft waited for their decision, or «Размещу лично») is
 * theirs to end.
 */
function curatorsDuties(
  deps: SweepDeps,
  incident: Incident,
  answer: NextDeadline | undefined,
): CuratorsLine[] {
  const { regulation: reg, workingTime: wt } = deps.sla;
  const steps = [...runningDeadlines(incident, reg, wt), ...passOnDeadlines(incident, reg, wt)];
  const due = earliestDeadline(steps.filter((d) => reg.steps[d.step]?.actor === "curator"));
  if (due) return [{ ...lineOf(incident), due, lateAnswer: answer }];
  const theirsToPost = incident.row.state === "approved" && reg.curatorMayPublish.value;
  return answer && theirsToPost ? [{ ...lineOf(incident), due: answer, lateAnswer: answer }] : [];
}

/**
 * Each organization's line of a post where it let a deadline of its own pass, led by the late answer
 * if it is theirs. An approved answer only the executor may post (Orenburg p.12) is the lead's to end:
 * once its posting is late too, its line leads with the `answer`, though the curators held the post
 * when that ran out.
 */
function lateAtOrganizations(
  deps: SweepDeps,
  incident: Incident,
  answer: NextDeadline | undefined,
  now: Date,
): LateLine[] {
  const { db, sla } = deps;
  const { regulation: reg, workingTime: wt } = sla;
  const late: LateLine[] = [];
  for (const a of activeAssignments(incident)) {
    // A draft before the curators: the answer's clock runs on, but it is theirs to move.
    if (a.state === "queued" || (a.role === "lead" && incident.row.state === "on_approval")) continue;
    const theirs = runningDeadlines(incident, reg, wt, a.organizationId).filter(
      (d) => reg.steps[d.step]?.actor !== "curator" && !isWindow(d.step) && d.at <= now,
    );
    // Not the organization's lateness when the curators held the post then (see curatorsHold):
    // routed after the deadline, or the draft waiting for their decision.
    const part = a.role === "lead" ? {} : { organizationId: a.organizationId };
    const theirsAlone = theirs.filter((d) => {
      const actor = reg.steps[d.step]?.actor ?? "executor";
      const alert = { ...d, ...part, kind: "overdue" as const, dueAt: d.at, deadline: d.at, actor };
      return curatorsHold(db, now, incident, alert) === undefined;
    });
    const missed = earliestDeadline(theirsAlone);
    if (!missed) continue;
    // Theirs, it leads the line, the other steps they missed after it; else their first missed.
    const theirsToPost =
      a.role === "lead" && incident.row.state === "approved" && !reg.curatorMayPublish.value;
    const lead = lateAnswer(deps, incident, theirsAlone) ?? (theirsToPost ? answer : undefined);
    late.push({
      ...lineOf(incident),
      organization: a.organizationShortName ?? a.organizationName,
      due: missed,
      lateAnswer: lead,
      missed: theirsAlone.filter((d) => d !== lead).sort((x, y) => x.at.getTime() - y.at.getTime()),
    });
  }
  return late;
}

/** The curators' digest's messages: its title, «Ждут кураторов:», then «Просрочено у органов:», each nearest first. */
function curatorsDigestText(
  deps: SweepDeps,
  title: string,
  ours: CuratorsLine[],
  late: LateLine[],
  now: Date,
): string[] {
  const reg = deps.sla.regulation;
  const byDeadline = (a: { due: NextDeadline }, b: { due: NextDeadline }) =>
    a.due.at.getTime() - b.due.at.getTime();
  const when = (due: NextDeadline, kind: DraftKind | null) => dueParts(deps, due, kind, now);
  const section = (heading: string, lines: string[], apart = false): DigestSection => ({
    heading,
    apart,
    lines: [
      ...lines.slice(0, MAX_LINES),
      ...(lines.length > MAX_LINES ? [t.digest.more(lines.length - MAX_LINES)] : []),
    ],
  });
  const summary = overdueSummary(ours, late, now);
  return digestMessages(summary ? [title, summary, ""] : [title], [
    section(
      t.digest.forCurators,
      ours.sort(byDeadline).map(({ id, due, kind, importance, lateAnswer: late }) => {
        if (!late) return t.digest.line(id, ...when(due, kind), { importance });
        // The answer alone (an approved one theirs to post) has no step after it.
        const next = due === late ? null : t.digest.due(...when(due, kind));
        return lateAnswerLine(deps, id, late, next, { importance }, now);
      }),
    ),
    section(
      t.digest.lateAtOrganizations,
      late
        .sort(byDeadline)
        .map(({ id, organization, due, kind, importance, lateAnswer: late, missed }) =>
          late
            ? lateAnswerLine(
                deps,
                id,
                late,
                null,
                { importance, organization, missed: missed.map((d) => stepLabel(reg, d.step, kind)) },
                now,
              )
            : t.digest.line(id, ...when(due, kind), { importance, organization }),
        ),
      ours.length > 0,
    ),
  ]);
}

/** A digest's part: its lines under their heading (none: right under the title). */
interface DigestSection {
  heading?: string;
  lines: string[];
  /** A blank line before it (none atop a message). */
  apart?: boolean;
}

/**
 * A digest's messages: the `head`, then each section with lines, as many lines to a message as it
 * holds. A heading starts a message with its first line, never ends one; a section a message ends
 * in goes on in the next under its heading again, so that no line there is read as of the section
 * before (see t.digest.continued).
 */
function digestMessages(head: string[], sections: DigestSection[]): string[] {
  const messages: string[][] = [head];
  const fits = (lines: string[]) => lines.join("\n").length <= MESSAGE_LIMIT;
  const put = (lines: string[], next: string[]) => {
    const current = messages.at(-1) ?? [];
    if (current.length === 0 || fits([...current, ...lines])) current.push(...lines);
    else messages.push(next);
  };
  for (const { heading, lines, apart } of sections) {
    if (lines.length === 0) continue;
    const [opening, ...rest] = lines as [string, ...string[]];
    const top = heading === undefined ? [opening] : [heading, opening];
    put([...(apart ? [""] : []), ...top], top);
    for (const line of rest)
      put([line], heading === undefined ? [line] : [t.digest.continued(heading), line]);
  }
  return messages.map((lines) => lines.join("\n"));
}

/**
 * How bad it is and who is late, before the lines (which stop at MAX_LINES): the overdue posts
 * counted by organization and with the curators, each by what is late — a line's late answer, else
 * its first missed step. None for a single overdue line, which says it all.
 */
function overdueSummary(ours: CuratorsLine[], late: LateLine[], now: Date): string | undefined {
  const oursLate = ours.filter((line) => line.lateAnswer !== undefined || line.due.at <= now);
  if (oursLate.length + late.length < 2) return undefined;
  const counted = (name: string, lines: CuratorsLine[]): OverdueCount => {
    const kinds = new Map<string, number>();
    for (const line of lines) {
      const what = t.digest.overdueWhat[(line.lateAnswer ?? line.due).step];
      kinds.set(what, (kinds.get(what) ?? 0) + 1);
    }
    return { name, kinds: [...kinds].sort((a, b) => b[1] - a[1]) };
  };
  const byOrganization = new Map<string, LateLine[]>();
  for (const line of late)
    byOrganization.set(line.organization, [...(byOrganization.get(line.organization) ?? []), line]);
  const organizations = [...byOrganization]
    .sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b, "ru"))
    .map(([name, lines]) => counted(name, lines));
  return t.digest.overdueSummary(organizations, oursLate.length > 0 ? counted("", oursLate) : undefined);
}

/**
 * Reads each post for a digest: one that cannot be read (a bug, a damaged row) is logged and left
 * out, and the digest goes out with every other post.
 */
function eachPost<T>(deps: SweepDeps, rows: { id: number }[], read: (incident: Incident) => T): T[] {
  const posts: T[] = [];
  for (const { id } of rows) {
    const incident = readPost(deps, id, "a digest");
    try {
      if (incident) posts.push(read(incident));
    } catch (err) {
      deps.log.error({ incidentId: id, err }, "post left out of a digest");
    }
  }
  return posts;
}

/**
 * Sends a digest leased in the ledger (see leaseNotice: a stop in the middle leaves it to a tick
 * after the lease); one that failed only for now (Telegram down, a 429 given up on) is given back,
 * so the next minute's tick sends it; a chat that refuses is not tried again. How it went.
 */
async function sendOrRelease(
  deps: SweepDeps,
  chatId: number,
  /** Its messages (see digestMessages). */
  text: string[],
  key: string,
  /** The listed posts' cards, one tap away. */
  keyboard: InlineKeyboard,
  /**
   * What ends with the digest, in the transaction that records it: a stop between the two would
   * leave the alerts folded into it neither said nor given back.
   */
  settled: (outcome: Exclude<"sent" | SendFailure, "failed">) => void = () => {},
): Promise<"sent" | SendFailure> {
  const outcome = await deliverLong(deps, deps.api, chatId, text, keyboard);
  if (outcome === "failed") giveBackNotice(deps.db, key);
  else
    deps.db.transaction(() => {
      settleNotice(deps.db, key, deps.clock.now());
      settled(outcome);
    });
  return outcome;
}

/** Whether one of the organization's executors has taken the post (its part, for a co-executor) into work. */
function taken(incident: Incident, organizationId: number): boolean {
  return activeAssignments(incident).find((a) => a.organizationId === organizationId)?.state !== "assigned";
}

/**
 * The answer the author waits for (p.8, or the final one after an interim answer), past its
 * deadline, where the line's `passed` deadlines have it (not a co-executor's, whose part is its line).
 */
function lateAnswer(deps: SweepDeps, incident: Incident, passed: NextDeadline[]): NextDeadline | undefined {
  const at = answerDeadline(incident, deps.sla.regulation, deps.sla.workingTime)?.getTime();
  return passed.find((d) => d.at.getTime() === at && (d.step === "answer" || d.step === "finalAfterInterim"));
}

/** As its card says it: a post the heads hear of at once (Orenburg p.21). */
function importanceOf(incident: Incident): string | undefined {
  return incident.row.importance === "significant" ? t.importance.significant : undefined;
}

/** A step of a digest's line: what, by when, and the working time left (or how late it is). */
function dueParts(
  deps: SweepDeps,
  due: NextDeadline,
  kind: DraftKind | null | undefined,
  now: Date,
): [what: string, deadline: string, left: string] {
  const { regulation, timezone, workingTime } = deps.sla;
  return [
    stepLabel(regulation, due.step, kind),
    formatDeadline(due.at, timezone),
    formatRemaining(workingTime, due.at, now),
  ];
}

/** A line leading with the late answer (see lateAnswer), then `next`, the step still ahead, if any. */
function lateAnswerLine(
  deps: SweepDeps,
  id: number,
  late: NextDeadline,
  next: string | null,
  notes: DigestNotes,
  now: Date,
): string {
  const { timezone, workingTime } = deps.sla;
  const deadline = formatDeadline(late.at, timezone);
  const overdue = formatRemaining(workingTime, late.at, now);
  return t.digest.lateAnswer(id, late.step === "finalAfterInterim", deadline, overdue, next, notes);
}

/** A post's line in an organization's digest, and the deadline ahead it names with the time left. */
interface OpenLine {
  id: number;
  text: string;
  ahead?: NextDeadline | undefined;
}

function openLine(
  deps: SweepDeps,
  post: { incident: Incident; next: ListedDeadline | undefined; lateAnswer: NextDeadline | undefined },
  organizationId: number,
  now: Date,
): OpenLine {
  const { incident, next: listed } = post;
  const isTaken = taken(incident, organizationId);
  const { sla } = deps;
  const importance = importanceOf(incident);
  const asked = incident.answer?.clarificationAskedAt;
  const askedAt = asked ? formatDeadline(asked, sla.timezone) : undefined;
  if (!listed) {
    // A co-executor's line says where its own part stands, not the lead's work.
    const part = activeAssignments(incident).find(
      (a) => a.organizationId === organizationId && a.role === "coexecutor",
    );
    const state = part ? partStateText(part, actionRules(sla.regulation)) : t.state[incident.row.state];
    return {
      id: incident.id,
      text: t.digest.lineNoDeadline(incident.id, isTaken ? state : t.digest.notTaken, importance),
    };
  }
  const curatorsStep = (d: NextDeadline) => sla.regulation.steps[d.step]?.actor === "curator";
  const kind = incident.answer?.draftKind;
  const label = (d: NextDeadline) => stepLabel(sla.regulation, d.step, kind);
  const when = (d: NextDeadline) => dueParts(deps, d, kind, now);
  const late = post.lateAnswer;
  if (late) {
    // What the author waits for first; then the step still ahead, and every other one missed.
    const ahead = listed.shown.at > now ? listed.shown : undefined;
    const others = listed.passed.filter((d) => d !== late);
    const curators = [...(ahead ? [ahead] : []), ...others].some(curatorsStep);
    const text = lateAnswerLine(
      deps,
      incident.id,
      late,
      ahead ? t.digest.due(...when(ahead)) : null,
      {
        importance,
        whose: curators ? "curators" : isTaken ? undefined : "notTaken",
        missed: others.map(label),
        askedAt,
      },
      now,
    );
    return { id: incident.id, text, ahead };
  }
  // The card's «Срок:», the nearest still ahead, and the steps missed before it, as the card keeps
  // them; but a draft whose decision the curators let pass is theirs to move: that is the line.
  const held = listed.missed.find(curatorsStep);
  const shown = held ?? listed.shown;
  const missed = listed.missed.filter((d) => d !== held);
  const text = t.digest.line(incident.id, ...when(shown), {
    importance,
    whose: curatorsStep(shown) ? "curators" : isTaken ? undefined : "notTaken",
    missed: missed.map(label),
    askedAt,
  });
  return { id: incident.id, text, ahead: shown.at > now ? shown : undefined };
}

/**
 * The steps whose deadlines, passed in the window, the chat was alerted of as missed, by incident: what each
 * missed, not whether it is late now (its answer may be out, on time, since).
 */
function missedSteps(
  deps: SweepDeps,
  chatId: number,
  organizationId: number,
  since: Date,
  until: Date,
): Map<number, StepId[]> {
  const rows = deps.db
    .selectDistinct({ id: notifications.incidentId, step: notifications.step })
    .from(notifications)
    .innerJoin(assignments, eq(assignments.incidentId, notifications.incidentId))
    .where(
      and(
        eq(notifications.kind, "overdue"),
        eq(assignments.organizationId, organizationId),
        // By the deadline, not the alert: one missed at 18:00 is alerted only as work resumes.
        gte(notifications.deadlineAt, new Date(since.getTime())),
        lt(notifications.deadlineAt, new Date(until.getTime())),
        eq(notifications.chatId, chatId),
        // Its own steps: not a co-executor's late part the lead was told of before the curators alone were.
        inArray(notifications.organizationId, [0, organizationId]),
      ),
    )
    .orderBy(notifications.incidentId)
    .all();
  const missed = new Map<number, StepId[]>();
  for (const { id, step } of rows) {
    const steps = missed.get(id) ?? [];
    if (!steps.includes(step as StepId)) steps.push(step as StepId);
    missed.set(id, steps);
  }
  return missed;
}

function missedLines(deps: SweepDeps, missed: Map<number, StepId[]>): string[] {
  return [...missed].flatMap(([id, steps]) => {
    if (steps.length === 0) return [];
    const incident = readPost(deps, id, "a digest");
    // The draft a step was about, as its alert named it: the ledger keeps no kind, so the post's
    // current draft while it is open (an answered or closed post's last one was its answer).
    const open = incident && incident.row.state !== "answered" && incident.row.state !== "closed";
    const kind = open ? incident.answer?.draftKind : undefined;
    const named = steps.map((step) => stepLabel(deps.sla.regulation, step, kind));
    return t.digest.missed(id, named, incident ? outcome(incident) : null);
  });
}

/** How a post that missed a step ended, once it has: its answer on time or late, or closed. */
function outcome(incident: Incident): string | null {
  const { state } = incident.row;
  if (state !== "answered" && state !== "closed") return null;
  const answer = incident.publications.filter((p) => p.kind === "answer").at(-1);
  if (!answer) return state === "closed" ? t.digest.outcome.closed : null;
  return answer.onTime === null
    ? t.digest.outcome.answered
    : t.digest.outcome[answer.onTime ? "onTime" : "late"];
}
