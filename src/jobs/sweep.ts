/**
 * The deadline sweep: reminders before each step's deadline to whoever must act, overdue alerts to
 * the organization's chat and the curators. Idempotent: every alert is claimed in the ledger before
 * it is sent, so overlapping ticks, restarts and several processes send it once.
 */

import { type Api, GrammyError } from "grammy";
import type { Logger } from "pino";
import {
  type AlertKey,
  claimAlert,
  dueIncidentIds,
  lastSentAlert,
  markAlertFailed,
  markAlertSent,
  setNextAction,
  settleAlertAgain,
  unsentAlerts,
} from "../app/alerts.js";
import { latestClaimEvent, openClaim } from "../app/answers.js";
import { chatOfOrganization, findBoundChatByPurpose, reachableCuratorChats } from "../app/chats.js";
import { allHeads, concerns, type Head, headsWith, reachableHeads } from "../app/heads.js";
import { incidentStateAt } from "../app/incident-queries.js";
import { type Incident, incidentVersions, loadIncident } from "../app/incidents.js";
import { awayChats, present } from "../app/leave.js";
import {
  loadPerson,
  nobodyToPost,
  personName,
  reachableMembers,
  reachableWithRole,
  telegramIdOfMember,
} from "../app/people.js";
import { lostWindows } from "../app/restores.js";
import type { SlaRuntime } from "../app/sla.js";
import { syncCards } from "../bot/cards.js";
import { splitMessage } from "../bot/delivery.js";
import { OPEN_BUTTONS, openCardButtons } from "../bot/keyboards.js";
import { chatRefused, isRefusal } from "../bot/refused-chats.js";
import { type SignificantLateNow, stepLabel, t } from "../bot/texts.js";
import type { Clock } from "../clock.js";
import type { Db } from "../db/client.js";
import { displayName } from "../domain/access.js";
import type { WorkingTime } from "../domain/calendar/index.js";
import {
  activeAssignments,
  HELD_BY_CURATORS,
  leadAssignment,
  leadOrganizationAt,
  nextTurn,
} from "../domain/incident.js";
import { localDay, withoutAway } from "../domain/leave.js";
import type { StepId } from "../domain/regulation/index.js";
import {
  type DueAlert,
  type LostWindow,
  mayAlert,
  planAlerts,
  upcomingReminders,
} from "../domain/reminders.js";
import { formatDeadline, formatPassedDeadline, formatRemaining } from "../domain/time-format.js";
import { ANSWER_WINDOW_MS } from "../flows/ask.js";
import { ABOUT, postAbout, snippet } from "../flows/intake.js";
import type { RenderReports } from "../reports/render.js";
import { reopenLapsedFolds, SAID_BY_MORNING_DIGEST, saidByMorningDigest } from "./morning.js";

export interface SweepDeps {
  db: Db;
  api: Api;
  sla: SlaRuntime;
  clock: Clock;
  log: Logger;
  config: { adminIds: number[] };
}

/** What every timed job needs: the sweep's dependencies and the report renderer. */
export interface JobDeps extends SweepDeps {
  reports: RenderReports;
}

export interface SweepReport {
  incidents: number;
  sent: number;
}

const BATCH = 500;
const KIND_ORDER: Record<DueAlert["kind"], number> = { escalation: 0, overdue: 1, reminder: 2 };
/** A claim older than this without a send is taken as a crash or an outage between the two. */
const STALE_CLAIM_MS = 2 * 60_000;
/** The ledger's mark of a retried alert the incident no longer owes: settled, never sent. */
const NO_LONGER_DUE = "no longer due";
/** The ledger's mark of an overdue alert a chat got the escalation of instead: settled, never sent. */
const SAID_BY_ESCALATION = "said by the escalation";
/** The ledger's mark of a reminder said early by a later point of its step (see remindEarly): never sent. */
const SAID_BY_LATER_POINT = "said by a later reminder of its step";
/** A head hears at most one escalation message this often: those due meanwhile come together at its end. */
const HEADS_QUIET_MS = 30 * 60_000;
/** An overdue alert to a chat that heard an alert with sound this recently goes without sound. */
const OVERDUE_QUIET_MS = 15 * 60_000;
/**
 * A chat reminded now also hears its reminders due this soon, early: in a stream of posts, one
 * reminder message every so often, not one every few minutes.
 */
const REMINDERS_AHEAD_MS = 20 * 60_000;
/** Telegram's 4096 characters, less the preamble the curators get when a chat refuses the alert. */
const DIGEST_LIMIT = 4096 - t.alert.undelivered("").length;

interface Outgoing {
  ledgerId: number;
  incident: Incident;
  alert: DueAlert;
  insteadOf?: InsteadOf;
  /** Whether the curators hold the answer it is about, as decided when it was addressed. */
  hold: CuratorsHold;
  reader?: Reader;
}

/**
 * Whom the curators hear an alert in place of: the heads, who all block the bot; or the executors,
 * when their organization has no work chat and the one holding the post cannot be written to.
 */
type InsteadOf = "heads" | "executors";

/**
 * Who reads an alert about an organization's step, where that changes its words: the organization
 * itself (its work chat, its executors), not named to itself.
 */
type Reader = "own";

/** A chat an alert goes to, and how it reads there. */
interface Recipient {
  chatId: number;
  insteadOf?: InsteadOf;
  reader?: Reader;
}

/** The alerts of one message to a chat, with their lines of text. */
interface Message {
  items: Outgoing[];
  lines: string[];
}

export async function sweep(deps: SweepDeps): Promise<SweepReport> {
  const { db, clock } = deps;
  const now = clock.now();
  const outbox = new Map<number, Outgoing[]>();
  /**
   * Incidents alerted now, or whose deadline passed while the alert waits for working time: their
   * cards' «осталось …» or «просрочено на …» must say what the alert says, or will.
   */
  const alerted = new Map<number, Incident>();
  const ids = dueIncidentIds(db, now, BATCH);
  // Planning and claiming are one transaction: a tick's writes cost one commit, and a second
  // process's tick waits for this one's claims instead of racing them.
  db.transaction(() => {
    const directory = new Directory(db, awayChats(db, localDay(now, deps.sla.timezone)));
    for (const id of ids) {
      // Each incident in a savepoint: one that cannot be planned (a bug, a damaged row) undoes its
      // own claims and is logged; every other post's alerts still go out.
      try {
        db.transaction(() => planIncident(deps, directory, id, now, outbox, alerted));
      } catch (error) {
        unqueue(outbox, alerted, id);
        deps.log.error(
          { incidentId: id, err: error },
          "incident's alerts not planned; tried again next tick",
        );
      }
    }
    reopenLapsedFolds(db, deps.sla, now);
    requeueUnsent(deps, directory, now, outbox, alerted);
    remindEarly(deps, directory, now, outbox, alerted);
  });
  let sent = 0;
  for (const [chatId, planned] of outbox) {
    // The sends before this chat's took their time (Telegram's limits, a 429 waited out): an alert
    // its incident no longer owes by now (the draft came meanwhile) is settled, not sent.
    const items = stillOwed(deps, chatId, planned, now);
    try {
      for (const part of digestParts(deps, items)) sent += await deliver(deps, chatId, part);
    } catch (error) {
      // One chat's flood wait or a 5xx past the retries: its claims wait for a later tick, the other
      // chats still get theirs. No network at all (HttpError) is everyone's: the tick ends.
      if (!(error instanceof GrammyError)) throw error;
      deps.log.warn({ chatId, error: error.description }, "alert not delivered for now; tried again later");
    }
  }
  // The sweep changes no incident: the cards show the same incident, with the time left as of now.
  for (const incident of alerted.values()) await syncCards(deps, incident);
  return { incidents: ids.length, sent };
}

/** Takes back what a failed planning of the incident queued (its claims were rolled back). */
function unqueue(outbox: Map<number, Outgoing[]>, alerted: Map<number, Incident>, id: number): void {
  alerted.delete(id);
  for (const [chatId, items] of outbox) {
    const kept = items.filter((item) => item.incident.id !== id);
    if (kept.length > 0) outbox.set(chatId, kept);
    else outbox.delete(chatId);
  }
}

function planIncident(
  deps: SweepDeps,
  directory: Directory,
  id: number,
  now: Date,
  outbox: Map<number, Outgoing[]>,
  alerted: Map<number, Incident>,
): void {
  const { db } = deps;
  const incident = loadIncident(db, id);
  if (!incident) return;
  const { due, addressed, superseded, nextAt, windowOver, lastPassed } = currentAlerts(
    deps,
    directory,
    incident,
    now,
  );
  // A deadline passed since the last look while its alert waits for working time (a night, the
  // holidays): the cards say so at once, an edit without a sound.
  const passedUnseen = lastPassed !== undefined && lastPassed >= (incident.row.nextActionAt ?? now);
  if (due.length > 0 || windowOver || passedUnseen) alerted.set(id, incident);
  let heldUntil: Date | undefined;
  for (const item of addressed) {
    const quietUntil = headQuietUntil(deps, directory, incident, item, now);
    if (quietUntil) {
      // Not claimed: the incident is looked at again as the head's quiet ends, and it goes out then.
      if (!heldUntil || quietUntil < heldUntil) heldUntil = quietUntil;
      continue;
    }
    const ledgerId = claimAlert(db, alertKey(id, item.alert, item.chatId), now);
    if (ledgerId === undefined) continue;
    if (saidByDigest(deps, directory, incident, item, now))
      markAlertFailed(db, ledgerId, SAID_BY_MORNING_DIGEST, now);
    else queue(outbox, item.chatId, outgoingOf(ledgerId, incident, item));
  }
  // Said by the escalation that chat gets now, so never sent later on its own (say, once the next
  // level's escalation goes to others): the ledger keeps it settled.
  for (const { chatId, alert } of superseded) {
    const ledgerId = claimAlert(db, alertKey(id, alert, chatId), now);
    if (ledgerId !== undefined) markAlertFailed(db, ledgerId, SAID_BY_ESCALATION, now);
  }
  setNextAction(db, id, heldUntil && (!nextAt || heldUntil < nextAt) ? heldUntil : (nextAt ?? null));
}

/**
 * Until when a head's escalation waits: a head told of a violation hears of the next ones (a flood
 * of posts on one accident runs out together) in one message after a while, not one every few minutes.
 * Not a significant post's, which reaches the head at once; nor past the working day's end (or into
 * the lunch), which would hold it until the next working morning: it then waits until the day's last
 * working minute, so the last half hour's come together too.
 */
function headQuietUntil(
  deps: SweepDeps,
  directory: Directory,
  incident: Incident,
  item: Addressed,
  now: Date,
): Date | undefined {
  if (item.alert.kind !== "escalation" || item.alert.to !== "heads" || item.insteadOf) return undefined;
  if (incident.row.importance === "significant") return undefined;
  const heard = directory.escalationHeardAt(item.chatId);
  const until = heard && new Date(heard.getTime() + HEADS_QUIET_MS);
  if (!until || until <= now) return undefined;
  const wt = deps.sla.workingTime;
  if (wt.isWorking(until)) return until;
  const lastMinute = wt.addWorkingMinutes(now, Math.floor(wt.workingMinutesBetween(now, until)) - 1);
  return lastMinute > now ? lastMinute : undefined;
}

/**
 * A chat reminded now hears in the same message its reminders due within the next minutes, early
 * (claimed now, so not sent again when they come due): in a stream of posts, one reminder message
 * every so often instead of one every few minutes. Each is judged as the post stands now (see
 * upcomingAlerts). A step with several points in those minutes (a draft due soon after a late
 * routing) has each claimed and its last said, so that an earlier one does not come due on its own
 * minutes later. A significant post's reminders keep their own minute; overdue alerts and
 * escalations keep their timing.
 */
function remindEarly(
  deps: SweepDeps,
  directory: Directory,
  now: Date,
  outbox: Map<number, Outgoing[]>,
  alerted: Map<number, Incident>,
): void {
  const { db } = deps;
  const reminded = new Set(
    [...outbox]
      .filter(([, items]) => items.some((i) => i.alert.kind === "reminder"))
      .map(([chatId]) => chatId),
  );
  if (reminded.size === 0) return;
  const horizon = new Date(now.getTime() + REMINDERS_AHEAD_MS);
  for (const id of dueIncidentIds(db, horizon, BATCH)) {
    try {
      const early = db.transaction(() => {
        const incident = loadIncident(db, id);
        if (!incident || incident.row.importance === "significant") return [];
        const ahead = upcomingAlerts(deps, directory, incident, now, horizon).filter(
          ({ alert, chatId }) =>
            reminded.has(chatId) &&
            // A step reminded now keeps its next point (the last minutes before its end) for its own time.
            !outbox.get(chatId)?.some((said) => said.incident.id === id && sameStep(said.alert, alert)),
        );
        return ahead.flatMap((item) => {
          const { alert, chatId } = item;
          const ledgerId = claimAlert(db, alertKey(id, alert, chatId), now);
          if (ledgerId === undefined) return [];
          const later = ahead.some(
            (other) =>
              other.chatId === chatId && sameStep(other.alert, alert) && other.alert.dueAt > alert.dueAt,
          );
          if (!later) return [{ chatId, item: outgoingOf(ledgerId, incident, item) }];
          markAlertFailed(db, ledgerId, SAID_BY_LATER_POINT, now);
          return [];
        });
      });
      for (const { chatId, item } of early) {
        queue(outbox, chatId, item);
        alerted.set(id, item.incident);
      }
    } catch (error) {
      deps.log.error({ incidentId: id, err: error }, "incident's early reminders not planned");
    }
  }
}

/**
 * An overdue alert held over the night or the weekend, or a reminder due as work begins, said by its
 * chat's morning digest coming in this tick: an organization's own step in its work chat, whose
 * «пропущены сроки» lists every one alerted and whose lines name each post's deadline ahead with the
 * time left. The chat hears it once at the start of the day, not twice in the same minute. (The
 * executor holding the post still hears it privately; the curators' digest lists only each
 * organization's first missed step of a post as it stands now, so the curators get the alert.)
 */
function saidByDigest(
  deps: SweepDeps,
  directory: Directory,
  incident: Incident,
  { chatId, alert, insteadOf }: Addressed,
  now: Date,
): boolean {
  if (insteadOf || !saidByMorningDigest(deps.db, deps.sla, now, chatId, alert)) return false;
  const part = alertedAssignment(incident, alert);
  return part !== undefined && directory.organizationChat(part.organizationId) === chatId;
}

function alertKey(incidentId: number, alert: DueAlert, chatId: number): AlertKey {
  return {
    incidentId,
    step: alert.step,
    organizationId: alert.organizationId ?? 0,
    kind: alert.kind,
    deadlineAt: alert.deadline,
    dueAt: alert.dueAt,
    chatId,
  };
}

interface Addressed extends Recipient {
  alert: DueAlert;
  hold: CuratorsHold;
}

/** The alerts an incident owes now, each with its chat: the one rule for fresh and retried alerts. */
function currentAlerts(
  deps: SweepDeps,
  directory: Directory,
  incident: Incident,
  now: Date,
): {
  due: DueAlert[];
  addressed: Addressed[];
  /** Overdue alerts a chat does not get because it gets the step's escalation now. */
  superseded: Addressed[];
  nextAt: Date | undefined;
  windowOver: boolean;
  lastPassed: Date | undefined;
} {
  const { regulation, workingTime } = deps.sla;
  const plan = planAlerts(incident, regulation, workingTime, now, directory.lostWindows(workingTime));
  return {
    due: plan.due,
    ...addressAlerts(deps, directory, incident, plan.due, now),
    nextAt: plan.nextAt,
    windowOver: plan.windowOver === true,
    lastPassed: plan.lastPassed,
  };
}

/**
 * The reminders of an incident due in (now, until], each with its chat, as the post stands now:
 * those a chat reminded now hears early (see remindEarly).
 */
function upcomingAlerts(
  deps: SweepDeps,
  directory: Directory,
  incident: Incident,
  now: Date,
  until: Date,
): Addressed[] {
  const { regulation, workingTime } = deps.sla;
  const due = upcomingReminders(incident, regulation, workingTime, now, until);
  return addressAlerts(deps, directory, incident, due, now).addressed;
}

/** Who hears each of an incident's alerts, as decided now. */
function addressAlerts(
  deps: SweepDeps,
  directory: Directory,
  incident: Incident,
  due: DueAlert[],
  now: Date,
): { addressed: Addressed[]; superseded: Addressed[] } {
  const addressed: Addressed[] = [];
  const superseded: Addressed[] = [];
  // An escalation says all an overdue alert would, louder: a chat that gets one skips the other. A
  // head told at once that a significant post's answer is late (planned first) skips its step's
  // escalation a working day later: he hears of it once.
  const escalated = new Set<string>();
  const urgent = new Set<string>();
  for (const alert of [...due].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind])) {
    if (mootPart(incident, alert)) continue;
    // Heads there are, but none the bot can write to hears of it: a violation that long must still reach someone.
    const hold = curatorsHold(deps.db, now, incident, alert);
    const addressees =
      alert.to === "urgent"
        ? urgentRecipients(directory)
        : alert.to === "heads" && directory.headsUnreachable(escalatedOrganization(incident, alert, hold))
          ? plain(directory.curators(), "heads")
          : recipients(directory, incident, alert, hold);
    for (const recipient of addressees) {
      const once = `${recipient.chatId}:${alert.step}:${alert.organizationId ?? 0}`;
      const item = { ...recipient, alert, hold };
      if (alert.kind === "escalation" && alert.to === "heads" && urgent.has(once)) {
        superseded.push(item);
        continue;
      }
      if (alert.to === "urgent") urgent.add(once);
      if (alert.kind === "escalation") escalated.add(once);
      else if (alert.kind === "overdue" && escalated.has(once)) {
        superseded.push(item);
        continue;
      }
      addressed.push(item);
    }
  }
  return { addressed, superseded };
}

/**
 * Who hears at once that a significant post's answer is late: the heads told of significant posts
 * («Срочные»), as the bot can write to them and they are not on leave; with none such, the curators,
 * saying so (see significantLateLine).
 */
function urgentRecipients(directory: Directory): Recipient[] {
  const heads = directory.urgentHeads();
  return heads.length > 0 ? plain(heads) : plain(directory.curators(), "heads");
}

/**
 * A co-executor's part escalated once the lead's draft is before the curators or approved: the answer
 * goes without it (see recipients), so nobody is to be made to act on it any more.
 */
function mootPart(incident: Incident, alert: DueAlert): boolean {
  return (
    alert.kind === "escalation" &&
    alert.organizationId !== undefined &&
    alert.actor !== "curator" &&
    ANSWER_WITH_CURATORS.has(incident.row.state)
  );
}

function queue(outbox: Map<number, Outgoing[]>, chatId: number, item: Outgoing): void {
  const list = outbox.get(chatId) ?? [];
  list.push(item);
  outbox.set(chatId, list);
}

/**
 * Claims never sent (the process died, or Telegram was down): each is decided again as a fresh
 * alert would be. It waits for working time unless the post is significant, goes out if the
 * incident still owes it to that chat, and is dropped if the incident has moved on.
 */
function requeueUnsent(
  deps: SweepDeps,
  directory: Directory,
  now: Date,
  outbox: Map<number, Outgoing[]>,
  alerted: Map<number, Incident>,
): void {
  const { db, sla } = deps;
  const owed = owedAlerts(deps, directory, now);
  for (const row of unsentAlerts(db, new Date(now.getTime() - STALE_CLAIM_MS))) {
    // A reminder claimed early (see remindEarly) and never sent is decided as it comes due.
    if (row.dueAt > now) continue;
    let current: Owed | undefined;
    try {
      current = owed(row.incidentId);
    } catch (error) {
      deps.log.error(
        { incidentId: row.incidentId, err: error },
        "unsent alert not retried; tried again next tick",
      );
      continue;
    }
    if (current && !mayAlert(current.incident, sla.workingTime, now)) continue;
    const still = current?.addressed.find((addressed) => isClaimOf(row, addressed));
    if (!current || !still) {
      markAlertFailed(db, row.id, NO_LONGER_DUE, now);
      continue;
    }
    // A reminder folded into a digest that lapsed (see reopenLapsedFolds), said by this morning's:
    // folded into it as of now, so that this digest gives it back if it does not say it.
    if (row.kind === "reminder" && saidByDigest(deps, directory, current.incident, still, now)) {
      settleAlertAgain(db, row.id, SAID_BY_MORNING_DIGEST, now);
      continue;
    }
    queue(outbox, row.chatId, outgoingOf(row.id, current.incident, still));
    alerted.set(current.incident.id, current.incident);
  }
}

interface Owed {
  incident: Incident;
  addressed: Addressed[];
}

/**
 * Each incident's alerts as of now, read once however many claims ask; undefined for one gone. With
 * `until`, the reminders it may say early up to then instead (see remindEarly).
 */
function owedAlerts(
  deps: SweepDeps,
  directory: Directory,
  now: Date,
): (incidentId: number, until?: Date) => Owed | undefined {
  const memo = new Map<string, Owed | undefined>();
  return (incidentId, until) => {
    const key = `${incidentId}@${until?.getTime() ?? "now"}`;
    if (!memo.has(key)) {
      const incident = loadIncident(deps.db, incidentId);
      const addressed = (found: Incident) =>
        until
          ? upcomingAlerts(deps, directory, found, now, until)
          : currentAlerts(deps, directory, found, now).addressed;
      memo.set(key, incident && { incident, addressed: addressed(incident) });
    }
    return memo.get(key);
  };
}

/** A claim that still holds, sent with the incident and the addressee as they are now. */
function outgoingOf(
  ledgerId: number,
  incident: Incident,
  { alert, insteadOf, hold, reader }: Addressed,
): Outgoing {
  return {
    ledgerId,
    incident,
    alert,
    hold,
    ...(insteadOf ? { insteadOf } : {}),
    ...(reader ? { reader } : {}),
  };
}

/** Whether a ledger row claims this alert to this chat: the ledger's key, field by field. */
function isClaimOf(row: ReturnType<typeof unsentAlerts>[number], { chatId, alert }: Addressed): boolean {
  return chatId === row.chatId && sameAlert(alert, { ...row, deadline: row.deadlineAt });
}

/** What tells one alert from another (the ledger's key, but the chat). */
interface AlertIdentity {
  step: string;
  kind: DueAlert["kind"];
  deadline: Date;
  dueAt: Date;
  organizationId?: number | null | undefined;
}

function sameAlert(a: AlertIdentity, b: AlertIdentity): boolean {
  return sameStep(a, b) && a.kind === b.kind && a.dueAt.getTime() === b.dueAt.getTime();
}

/** Whether two alerts are of one step of a post (its co-executor's, if any) and one deadline. */
function sameStep(a: AlertIdentity, b: AlertIdentity): boolean {
  return (
    a.step === b.step &&
    (a.organizationId ?? 0) === (b.organizationId ?? 0) &&
    a.deadline.getTime() === b.deadline.getTime()
  );
}

/**
 * The planned alerts of a chat its incidents still owe: one whose incident changed since the plan
 * (its version moved on) is checked again, and settled as no longer due when it is not.
 */
function stillOwed(deps: SweepDeps, chatId: number, planned: Outgoing[], now: Date): Outgoing[] {
  const versions = incidentVersions(deps.db, [...new Set(planned.map((item) => item.incident.id))]);
  const unchanged = (item: Outgoing) => versions.get(item.incident.id) === item.incident.row.version;
  if (planned.every(unchanged)) return planned;
  const away = awayChats(deps.db, localDay(now, deps.sla.timezone));
  const owed = owedAlerts(deps, new Directory(deps.db, away), now);
  return planned.flatMap((item) => {
    if (unchanged(item)) return [item];
    // A reminder sent early (see remindEarly) is judged as it was planned: still ahead, as of now.
    const current = owed(item.incident.id, item.alert.dueAt > now ? item.alert.dueAt : undefined);
    const still = current?.addressed.find((a) => a.chatId === chatId && sameAlert(a.alert, item.alert));
    if (current && still) return [outgoingOf(item.ledgerId, current.incident, still)];
    markAlertFailed(deps.db, item.ledgerId, NO_LONGER_DUE, now);
    return [];
  });
}

/**
 * Who receives what, looked up once per tick: many due incidents share the same chats. People who
 * block the bot are left out: Telegram would refuse each alert, and the curators would get each one
 * back as «не удалось доставить». So are those on leave: their private chats stay quiet.
 */
class Directory {
  readonly #memo = new Map<string, unknown>();
  /** `away`: the private chats of those on leave today (app/leave.ts), which hear nothing. */
  constructor(
    private readonly db: Db,
    private readonly away: Set<number>,
  ) {}

  /** Those not on leave (see withoutAway); the curators (`last`) all the same when all are. */
  #present(chatIds: number[], last = false): number[] {
    return withoutAway(chatIds, this.away, last);
  }

  #once<T>(key: string, load: () => T): T {
    if (!this.#memo.has(key)) this.#memo.set(key, load());
    return this.#memo.get(key) as T;
  }

  /** The spans whose deadlines a restore made pass (app/restores.ts): alerted as the span ends. */
  lostWindows(wt: WorkingTime): LostWindow[] {
    return this.#once("lostWindows", () => lostWindows(this.db, wt));
  }

  curators(): number[] {
    return this.#once("curators", () => this.#present(reachableCuratorChats(this.db), true));
  }

  /** When the bot last told a head of an escalation, from the ledger: before this tick's, which go together. */
  escalationHeardAt(chatId: number): Date | undefined {
    return this.#once(`heard:${chatId}`, () => lastSentAlert(this.db, chatId, { kind: "escalation" }));
  }

  /**
   * The heads with «Срочные» the bot can write to: those not on leave, or all of them when all are (a
   * significant post must reach a head).
   */
  urgentHeads(): number[] {
    return this.#once("urgentHeads", () => this.#present(reachableHeads(headsWith(this.db, "urgent")), true));
  }

  /** The heads with «Нарушения», blocked or not: read once a tick, however many incidents are due. */
  #violationsHeads(): Head[] {
    return this.#once("violationsHeads", () => headsWith(this.db, "violations"));
  }

  /** The heads an escalation of this organization's step goes to, blocking the bot or not (see concerns). */
  #headsOf(organizationId: number | null): Head[] {
    return this.#once(`heads:${organizationId}`, () =>
      this.#violationsHeads().filter((head) => concerns(head, organizationId)),
    );
  }

  /** Those of them the bot can write to. */
  heads(organizationId: number | null): number[] {
    return this.#once(`reachableHeads:${organizationId}`, () =>
      this.#present(reachableHeads(this.#headsOf(organizationId))),
    );
  }

  /**
   * The office has heads, but none the bot can write to hears of this organization's escalations:
   * every one of them blocks the bot, or none has «Нарушения» of it. (An office with no head at all
   * has no heads' level to escalate to.)
   */
  headsUnreachable(organizationId: number | null): boolean {
    return (
      this.heads(organizationId).length === 0 && this.#once("anyHead", () => allHeads(this.db).length > 0)
    );
  }

  organizationChat(organizationId: number): number | undefined {
    return this.#once(`org:${organizationId}`, () => chatOfOrganization(this.db, organizationId));
  }

  /**
   * The private chat of whoever holds an organization's part, while still its member and not
   * blocking the bot (as with the cards), nor on leave: otherwise the work chat, or the curators, hear instead.
   */
  memberChat(personId: number, organizationId: number): number | undefined {
    return this.#once(`member:${personId}:${organizationId}`, () => {
      const chatId = telegramIdOfMember(this.db, personId, organizationId);
      return chatId === undefined || this.away.has(chatId) ? undefined : chatId;
    });
  }

  /** The organization's executors the bot can write to privately. */
  members(organizationId: number): number[] {
    return this.#once(`members:${organizationId}`, () =>
      this.#present(reachableMembers(this.db, [organizationId])),
    );
  }
}

/**
 * Who must hear: curators' steps go to the curators' chat; executors' steps to the organization's
 * chat and the executor holding the post (a co-executor's: its own chat and whoever took its part);
 * an overdue alert also to the curators. Not the lead organization of a co-executor's late part: it
 * cannot make the co-executor act, and its card says the part is late (the curators can).
 */
function recipients(
  directory: Directory,
  incident: Incident,
  alert: DueAlert,
  hold: CuratorsHold,
): Recipient[] {
  if (alert.kind === "escalation")
    return plain(
      alert.to === "heads"
        ? directory.heads(escalatedOrganization(incident, alert, hold))
        : directory.curators(),
    );
  if (alert.actor === "curator" || hold) return plain(directory.curators());
  const part = alertedAssignment(incident, alert);
  const own = part ? organizationChats(directory, part.organizationId, executorOf(incident, alert)) : [];
  const chats = new Map<number, Recipient>();
  const add = (chatIds: number[], how: (chatId: number) => Omit<Recipient, "chatId"> = () => ({})) => {
    for (const chatId of chatIds) if (!chats.has(chatId)) chats.set(chatId, { chatId, ...how(chatId) });
  };
  // Its own chat reads it unnamed; the private chat of one also in another organization of the post, named.
  add(own, (chatId) =>
    part && !inAnotherOrganization(directory, incident, part, chatId) ? { reader: "own" } : {},
  );
  // Not routed yet, the post is the curators' anyway; routed, they hear whom it did not reach.
  if (own.length === 0) add(directory.curators(), () => (part ? { insteadOf: "executors" } : {}));
  else if (alert.kind === "overdue") add(directory.curators());
  return [...chats.values()];
}

/** The states in which the lead's draft is before the curators, or approved: a part is too late for it. */
const ANSWER_WITH_CURATORS: ReadonlySet<string> = new Set(["on_approval", "approved"]);

function plain(chatIds: number[], insteadOf?: InsteadOf): Recipient[] {
  return chatIds.map((chatId) => ({ chatId, ...(insteadOf ? { insteadOf } : {}) }));
}

/**
 * An organization's chats for its step: its work chat and the executor holding the step (while still
 * its member), or, before anyone has taken it, each of its executors.
 */
function organizationChats(
  directory: Directory,
  organizationId: number,
  holder: number | null | undefined,
): number[] {
  const chats = [
    directory.organizationChat(organizationId),
    ...(holder ? [directory.memberChat(holder, organizationId)] : directory.members(organizationId)),
  ];
  return chats.filter((chatId) => chatId !== undefined);
}

/** Whether a private chat is also of another organization on the post: there the co-executor is named. */
function inAnotherOrganization(
  directory: Directory,
  incident: Incident,
  part: Incident["assignments"][number],
  chatId: number,
): boolean {
  return (
    chatId > 0 &&
    activeAssignments(incident).some(
      (a) => a.organizationId !== part.organizationId && directory.members(a.organizationId).includes(chatId),
    )
  );
}

/**
 * Whether the curators hold the answer an alert is about, so that its reminders and alerts from then
 * on are theirs alone and its escalation goes to the heads of no organization (one that came before,
 * the executors had):
 * - `decision`: the draft waits for their decision; the executors can do nothing until it is made,
 *   and the approval tells them when to post;
 * - `posting`: a curator said «Размещу лично» and the executors were told not to post the approved
 *   text, while the claim's link question is open (jobs/curator-posting.ts tells them after it);
 * - `routedLate`: the deadline (Orenburg p.8 counts from detection) ran out while the lead
 *   organization did not have the post — routed late, taken from another organization or returned
 *   and routed back after it: not its violation now (the report charges whoever had the post then,
 *   the curators when nobody did), so its head is not told of it the minute it gets the post.
 */
type CuratorsHold = "decision" | "posting" | "routedLate" | undefined;

/**
 * Judged as the post stood when the alert came due — its deadline, for an overdue alert or an
 * escalation — (and, for a claim, now too): one due while the draft waited for the decision, or while
 * a curator's claim to post was open, stays the curators' after they decide or the claim ends — its
 * escalation never reaches the organization's head a minute later; one that ran out while the
 * organization had it stays the organization's, though its draft is before the curators when the
 * escalation comes.
 */
export function curatorsHold(db: Db, now: Date, incident: Incident, alert: DueAlert): CuratorsHold {
  const lead = leadAssignment(incident)?.organizationId;
  const leadsStep = alert.actor !== "curator" && alert.organizationId === undefined;
  if (lead !== undefined && leadsStep && leadOrganizationAt(incident, alert.deadline) !== lead)
    return "routedLate";
  if (!HELD_BY_CURATORS.has(alert.step)) return undefined;
  const due = alert.dueAt.getTime();
  // A draft on approval then — this one, or an earlier one returned for rework since: for a reminder,
  // when it comes (who must act now); for the deadline's overdue alert and escalation, when it ran out
  // (whose it is, as the report charges it), not when the escalation comes a day later.
  const then = alert.kind === "reminder" ? alert.dueAt : alert.deadline;
  if (incidentStateAt(db, incident.id, then) === "on_approval") return "decision";
  if (incident.row.state !== "approved") return undefined;
  const claim = latestClaimEvent(db, incident.id)?.event;
  const claimedAt = (at: number) =>
    claim?.action === "curatorPosts" &&
    at >= claim.at.getTime() &&
    at - claim.at.getTime() <= ANSWER_WINDOW_MS;
  return claimedAt(due) || claimedAt(now.getTime()) ? "posting" : undefined;
}

/**
 * The organization whose step an escalation to the heads is about (its head hears of it, Orenburg
 * p.19): the co-executor's named in the alert, else the lead's; null for the curators' own steps
 * (routing, the decision, passing a part on, the answer while they hold it) and a post not routed
 * yet, which only heads without an organization hear of.
 */
function escalatedOrganization(incident: Incident, alert: DueAlert, hold: CuratorsHold): number | null {
  if (alert.actor === "curator" || hold) return null;
  return alertedAssignment(incident, alert)?.organizationId ?? null;
}

/** Who holds the step an executors' alert is about: the lead's holder, or whoever took the co-executor's part. */
function executorOf(incident: Incident, alert: DueAlert): number | null | undefined {
  return alert.organizationId === undefined
    ? incident.row.holderId
    : alertedAssignment(incident, alert)?.acceptedBy;
}

/** The assignment whose step an alert is about: the co-executor's named in it, else the lead's. */
function alertedAssignment(incident: Incident, alert: DueAlert): Incident["assignments"][number] | undefined {
  return alert.organizationId === undefined
    ? leadAssignment(incident)
    : activeAssignments(incident).find((a) => a.organizationId === alert.organizationId);
}

/** An alert's step as its line names it, and the organization named with it. */
function stepNamed(
  { sla }: SweepDeps,
  { alert, incident, reader }: Outgoing,
): { what: string; named: string; part: Incident["assignments"][number] | undefined } {
  const part = alertedAssignment(incident, alert);
  const ofCoexecutor = alert.organizationId !== undefined;
  // A co-executor's step names the organization, by its short name: the curators may hear of several
  // at once. Its own chat and executors know whose it is.
  const named =
    reader === "own" || !part
      ? ""
      : ofCoexecutor
        ? (part.organizationShortName ?? part.organizationName)
        : part.organizationName;
  const step = stepLabel(sla.regulation, alert.step, incident.answer?.draftKind);
  return { what: ofCoexecutor ? t.alert.ofOrganization(step, named) : step, named, part };
}

/** `next`: the post's reminders to the same chat, said on this line of its missed step as what comes next. */
function alertLine(deps: SweepDeps, item: Outgoing, next: Outgoing[] = []): string {
  const { sla, clock } = deps;
  const { alert, incident, hold } = item;
  if (alert.to === "urgent") return significantLateLine(deps, item);
  const deadline = formatDeadline(alert.deadline, sla.timezone);
  const left = formatRemaining(sla.workingTime, alert.deadline, clock.now());
  const { what, named, part } = stepNamed(deps, item);
  const ofCoexecutor = alert.organizationId !== undefined;
  const curators = curatorsStep(deps, incident, alert, part, hold);
  // Whose incident it is: a curator's step (passing a part on, too) is about the lead's; an answer
  // the curators held when it ran out says so; a co-executor's own step names it already.
  const held = hold ? heldNote(hold, curators) : null;
  const holder = hold
    ? held
    : alert.actor === "curator"
      ? (leadAssignment(incident)?.organizationName ?? null)
      : ofCoexecutor
        ? null
        : (part?.organizationName ?? null);
  // What the reader of an overdue alert must do now: the curators their step, the organization its
  // own (taking the post into work first, when nobody has: said after that).
  const taken = !notTaken(alert, part);
  const actNow = curators
    ? t.alert.actNow[curators]
    : item.reader === "own"
      ? t.alert.actNow[taken ? alert.step : "accept"]
      : undefined;
  // The answer's reminder of a post no organization has: the curators' move is the routing.
  const remind =
    curators === "routing" && alert.step !== "routing" ? t.alert.reminderNotRouted : t.alert.reminder;
  const alerted =
    alert.kind === "reminder"
      ? remind(incident.id, what, deadline, alert.clause, left)
      : alert.kind === "overdue"
        ? t.alert.overdue(
            incident.id,
            what,
            formatPassedDeadline(alert.deadline, clock.now(), sla.timezone),
            alert.clause,
            left,
            taken ? actNow : undefined,
          )
        : alert.to === "heads"
          ? // The heads see no card: the line says what the post is about and whom to call to act.
            t.alert.escalation(
              incident.id,
              what,
              deadline,
              alert.clause,
              left,
              held,
              postAbout(incident.row),
              awaitingAuthorOr(deps, incident, whoActs(deps, incident, alert, part, curators)),
            )
          : t.alert.escalation(
              incident.id,
              what,
              deadline,
              alert.clause,
              left,
              holder,
              null,
              (curators && t.alert.actNow[curators]) || t.alert.intervene,
              curators && t.alert.actNow[curators] ? curators : undefined,
            );
  const thenDue =
    next.length > 0
      ? t.alert.thenDue(
          alerted,
          next.map((reminder) => ({
            what: stepNamed(deps, reminder).what,
            deadline: formatDeadline(reminder.alert.deadline, sla.timezone),
            clause: reminder.alert.clause,
          })),
        )
      : alerted;
  // A co-executor's part holding up the next one in the curator's order (Orenburg p.14) says who waits.
  const waiting = alert.organizationId !== undefined ? nextTurn(incident) : undefined;
  const inTurn = waiting
    ? t.alert.nextInTurn(thenDue, waiting.organizationShortName ?? waiting.organizationName)
    : thenDue;
  // Nobody at the organization has taken the post (or its part) yet: that, more than the step, is what to act on.
  const line = taken
    ? inTurn
    : t.alert.notTaken(inTurn, named, alert.kind === "overdue" ? actNow : undefined);
  if (item.insteadOf === "heads") {
    const organizationId = escalatedOrganization(incident, alert, hold);
    const organization = organizationId === null ? null : (part?.organizationName ?? "");
    return t.alert.insteadOfHeads(line, headNames(deps.db, organizationId), organization);
  }
  // The curators hear when nobody at the lead organization can post the approved answer: theirs to see to.
  const toHeads = alert.kind === "escalation" && alert.to === "heads";
  const stranded =
    item.reader === "own" || toHeads || curators || ofCoexecutor
      ? undefined
      : nobodyToPost(deps.db, incident);
  const nobody = stranded
    ? `\n${t.card.nobodyToPost(stranded.organizationName, sla.regulation.curatorMayPublish.value)}`
    : "";
  if (item.insteadOf === "executors") {
    const executor = executorOf(incident, alert);
    const name = executor ? loadPerson(deps.db, executor) : undefined;
    const organization = part?.organizationName ?? "";
    return `${t.alert.insteadOfExecutors(line, organization, name ? displayName(name) : null)}${nobody}`;
  }
  return `${line}${nobody}`;
}

/** The heads' call to act, after the note that the post waits for its author's reply, if it does. */
function awaitingAuthorOr(deps: SweepDeps, incident: Incident, then: string): string {
  const askedAt = incident.answer?.clarificationAskedAt;
  return askedAt ? t.alert.awaitingAuthor(formatDeadline(askedAt, deps.sla.timezone), then) : then;
}

/**
 * A significant post's answer late, as its heads hear it: the post, that its author has no answer and
 * since when, where the answer stands now and who answers. The curators hear it when no head can be
 * written to, naming the heads with «Срочные» or saying none has it on.
 */
function significantLateLine(deps: SweepDeps, { incident, alert, insteadOf }: Outgoing): string {
  const { row } = incident;
  const lead = leadAssignment(incident);
  const now: SignificantLateNow =
    row.state === "registered" || !lead
      ? "notRouted"
      : lead.state === "assigned"
        ? "notTaken"
        : row.state === "on_approval" || row.state === "approved"
          ? row.state
          : "inWork";
  const holder = row.holderId ? loadPerson(deps.db, row.holderId) : undefined;
  const line = t.alert.significantLate({
    id: incident.id,
    start: snippet(row.text, ABOUT),
    deadline: formatDeadline(alert.deadline, deps.sla.timezone),
    clause: alert.clause,
    now,
    holder: holder ? displayName(holder) : null,
    organization: lead ? (lead.organizationShortName ?? lead.organizationName) : null,
  });
  if (insteadOf !== "heads") return line;
  const heads = headsWith(deps.db, "urgent").map((head) => personName(deps.db, head.telegramId));
  return heads.length === 0 ? t.alert.significantToNoHead(line) : t.alert.insteadOfHeads(line, heads, null);
}

/**
 * Whom the heads are to call to act on an escalated step: the curators on theirs, an organization
 * on its own. An approved answer no curator has claimed may be posted by either (Georgievsk p.12:
 * the lead organization, or the curators themselves), so both are named.
 */
function whoActs(
  deps: SweepDeps,
  incident: Incident,
  alert: DueAlert,
  part: Incident["assignments"][number] | undefined,
  curators: ReturnType<typeof curatorsStep>,
): string {
  if (curators || !part) return t.alert.whoActs(null);
  const { curatorMayPublish } = deps.sla.regulation;
  const eitherPosts =
    alert.organizationId === undefined && incident.row.state === "approved" && curatorMayPublish.value;
  const organization = part.organizationShortName ?? part.organizationName;
  return t.alert.whoActs(organization, eitherPosts ? curatorMayPublish.clause : undefined);
}

/**
 * The curators' step an alert is about, as the curators are to act on it now: their own (routing,
 * the decision, passing a part on), the answer they hold (its decision, or their posting), or a post
 * no organization has (not routed yet, or returned); undefined for an organization's step. An answer
 * they held when it ran out stays theirs (see curatorsHold), but once they approved it (Orenburg
 * p.12: only the executor posts it; Georgievsk without a curator's open claim) or returned it for
 * rework, the move is the lead organization's.
 */
function curatorsStep(
  deps: SweepDeps,
  incident: Incident,
  alert: DueAlert,
  part: Incident["assignments"][number] | undefined,
  hold: CuratorsHold,
): StepId | "posting" | undefined {
  if (hold === "decision" || hold === "posting") {
    if (incident.row.state === "on_approval") return "decision";
    const claim = openClaim(deps.db, incident.id, deps.clock.now(), ANSWER_WINDOW_MS);
    return incident.row.state === "approved" && claim ? "posting" : undefined;
  }
  if (alert.actor === "curator") return alert.step;
  return part ? undefined : "routing";
}

/** What the escalation says of the curators' hold: as it is, or in the past once the move is not theirs. */
function heldNote(hold: NonNullable<CuratorsHold>, curators: ReturnType<typeof curatorsStep>): string {
  if (hold === "routedLate" || hold === curators) return t.alert.withCurators[hold];
  return t.alert.wasWithCurators[hold];
}

/** An executors' alert about an organization's post or part that none of its executors has taken yet. */
function notTaken(alert: DueAlert, part: Incident["assignments"][number] | undefined): boolean {
  return alert.actor !== "curator" && part?.state === "assigned";
}

/** The heads of this escalation by name, for the curators who hear it because none can be sent it. */
function headNames(db: Db, organizationId: number | null): string[] {
  return headsWith(db, "violations")
    .filter((head) => concerns(head, organizationId))
    .map((head) => personName(db, head.telegramId));
}

/** A line of a chat's message and the alerts it says. */
interface Said {
  items: Outgoing[];
  line: string;
}

/**
 * One line per post and step: a post's reminder goes on the line of its missed step (or that step's
 * escalation) in the same message, as the deadline that comes next, so that no message says of one
 * post both «истёк» and «осталось».
 */
function postLines(deps: SweepDeps, items: Outgoing[]): Said[] {
  const post = ({ incident, alert, reader, insteadOf }: Outgoing) =>
    `${incident.id}:${alert.organizationId ?? 0}:${reader ?? ""}:${insteadOf ?? ""}`;
  const late = new Map<string, Outgoing[]>();
  for (const item of items)
    if (item.alert.kind !== "reminder" && !late.has(post(item))) late.set(post(item), [item]);
  const groups: Outgoing[][] = [];
  for (const item of items) {
    const group = late.get(post(item));
    if (group?.[0] === item) groups.push(group);
    else if (group && item.alert.kind === "reminder") group.push(item);
    else groups.push([item]);
  }
  return groups.flatMap(([first, ...next]) =>
    first ? [{ items: [first, ...next], line: alertLine(deps, first, next) }] : [],
  );
}

/**
 * A message's lines in the order their alerts came: several parts of one co-executor in one line
 * (byOrganization), otherwise a line per post (postLines).
 */
function digestLines(deps: SweepDeps, items: Outgoing[]): Said[] {
  const groups = byOrganization(items);
  const said = [
    ...groups
      .filter((group) => group.length > 1)
      .map((group) => ({ items: group, line: partsLine(deps, group) })),
    ...postLines(deps, groups.filter((group) => group.length === 1).flat()),
  ];
  const order = new Map(items.map((item, i) => [item, i]));
  return said.sort(
    (a, b) => (order.get(a.items[0] as Outgoing) ?? 0) - (order.get(b.items[0] as Outgoing) ?? 0),
  );
}

/**
 * A digest too long for one message, or with more posts than its buttons may open, goes as several,
 * each recorded in the ledger as it is sent.
 */
function digestParts(deps: SweepDeps, items: Outgoing[]): Message[] {
  const parts: Message[] = [];
  let room = 0;
  let posts = new Set<number>();
  for (const { items: said, line } of digestLines(deps, items)) {
    const size = line.length + 4; // "\n\n• " before each line of a digest
    const more = new Set([...posts, ...said.map((item) => item.incident.id)]);
    if (size > room || more.size > BUTTONS_PER_MESSAGE) {
      parts.push({ items: [], lines: [] });
      room = DIGEST_LIMIT - t.alert.digestTitle.length;
      posts = new Set(said.map((item) => item.incident.id));
    } else posts = more;
    parts.at(-1)?.items.push(...said);
    parts.at(-1)?.lines.push(line);
    room -= size;
  }
  return parts;
}

/** «Открыть № N» under a message (see OPEN_BUTTONS): a digest with more goes as several messages. */
const BUTTONS_PER_MESSAGE = OPEN_BUTTONS;
/** At most this many parts in one line: each post it names has its button in its message. */
const PARTS_PER_LINE = BUTTONS_PER_MESSAGE;

/**
 * A chat's alerts of this tick, each on its own, but a co-executor's parts gone overdue (or escalated
 * to the curators) together, one group per organization and step, where its first part was: the
 * curators hear once that it let 11 parts pass, not in 11 alerts. Not in its own chat and private
 * chats, where each alert is of its own work, with its deadline.
 */
function byOrganization(items: Outgoing[]): Group[] {
  const groups: Group[] = [];
  const open = new Map<string, Group>();
  for (const item of items) {
    const { alert } = item;
    const named =
      alert.organizationId !== undefined &&
      alert.actor !== "curator" &&
      (alert.kind === "overdue" || alert.to === "curators") &&
      !item.reader &&
      !item.insteadOf;
    const key = `${alert.organizationId}:${alert.step}:${alert.kind}`;
    const joined = named ? open.get(key) : undefined;
    if (joined && joined.length < PARTS_PER_LINE) {
      joined.push(item);
      continue;
    }
    const group: Group = [item];
    groups.push(group);
    if (named) open.set(key, group);
  }
  return groups;
}

/** Alerts told in one line: one alert, or several parts of one co-executor (see byOrganization). */
type Group = [Outgoing, ...Outgoing[]];

/** Several parts of one co-executor in one line: its name, the step, the posts, those nobody took. */
function partsLine(deps: SweepDeps, group: Group): string {
  const { incident, alert } = group[0];
  const part = alertedAssignment(incident, alert);
  const ids = (items: Outgoing[]) => items.map((item) => item.incident.id).sort((a, b) => a - b);
  return t.alert.parts(
    alert.kind === "escalation",
    part?.organizationShortName ?? part?.organizationName ?? "",
    stepLabel(deps.sla.regulation, alert.step),
    alert.clause,
    ids(group),
    ids(group.filter((item) => notTaken(item.alert, alertedAssignment(item.incident, item.alert)))),
  );
}

/** One message per chat per tick: a single alert, or a digest when several are due at once. */
async function deliver(deps: SweepDeps, chatId: number, { items, lines }: Message): Promise<number> {
  const text =
    lines.length === 1 ? (lines[0] ?? "") : [t.alert.digestTitle, ...lines.map((l) => `• ${l}`)].join("\n\n");
  const keyboard = openCardButtons(new Set(items.map((i) => i.incident.id)));
  const now = deps.clock.now();
  // Only a significant post's alerts go out at night (see plan): they ring; others ring by day.
  const ring = items.some((item) => item.incident.row.importance === "significant");
  const silent = !ring && overdueHeardAlready(deps, chatId, items, now);
  try {
    await deps.api.sendMessage(chatId, text, {
      reply_markup: keyboard,
      link_preview_options: { is_disabled: true },
      ...(ring ? { disable_notification: false } : silent ? { disable_notification: true } : {}),
    });
    deps.db.transaction(() => {
      for (const item of items) markAlertSent(deps.db, item.ledgerId, now, silent);
    });
    return 1;
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    if (isRefusal(error)) {
      for (const item of items) markAlertFailed(deps.db, item.ledgerId, error.description, now);
      deps.log.warn({ chatId, error: error.description }, "alert not delivered; the curators get it instead");
      await fallBackToCurators(deps, chatId, text, error, ring);
      return 0;
    }
    // Any other Bad Request rejects this message, not the chat: sent again it would fail again, and
    // the other chats still get theirs. An outage (429, 5xx) is thrown: a later tick retries the claims.
    if (error.error_code !== 400) throw error;
    for (const item of items) markAlertFailed(deps.db, item.ledgerId, error.description, now);
    deps.log.error({ chatId, error: error.description }, "alert rejected by Telegram");
    return 0;
  }
}

/**
 * Overdue alerts only, to a chat that heard an overdue alert with sound in the last minutes: they go
 * without sound. As deadlines pass one by one on a busy day, the chat rings once every so often, not
 * every few minutes; a reminder before the deadline does not count (the deadline passing is news of
 * its own). The sound's times are in the ledger, so a restart keeps the pace.
 */
function overdueHeardAlready(deps: SweepDeps, chatId: number, items: Outgoing[], now: Date): boolean {
  if (!items.every((item) => item.alert.kind === "overdue")) return false;
  const rang = lastSentAlert(deps.db, chatId, { kind: "overdue", ringing: true });
  return rang !== undefined && now.getTime() - rang.getTime() < OVERDUE_QUIET_MS;
}

/**
 * A chat that refuses gets its alert to the curators instead, saying whose chat it was; the curators'
 * own chat refusing, each curator gets it privately. A group's refusal (bot removed) is told to the
 * admins once; a person who blocked the bot is marked so, and the alerts that follow skip them (see
 * Directory).
 */
async function fallBackToCurators(
  deps: SweepDeps,
  chatId: number,
  text: string,
  error: GrammyError,
  /** A significant post's alert: it rings at night too, wherever it goes. */
  ring: boolean,
): Promise<void> {
  const curatorsChat = chatId === findBoundChatByPurpose(deps.db, "curators");
  const curators = curatorsChat ? reachableWithRole(deps.db, "curator") : reachableCuratorChats(deps.db);
  const others = curators.filter((id) => id !== chatId);
  const targets = present(deps, others, true);
  const fallback =
    chatId > 0
      ? t.alert.undeliveredToPerson(personName(deps.db, chatId), text)
      : curatorsChat
        ? t.alert.undeliveredToCuratorsChat(text)
        : t.alert.undelivered(text);
  // A person's preamble holds their name: of any length, unlike the work chat's (see DIGEST_LIMIT).
  for (const target of targets)
    for (const part of splitMessage(fallback))
      await deps.api
        .sendMessage(target, part, ring ? { disable_notification: false } : {})
        .catch((err) => deps.log.warn({ err }, "fallback failed"));
  await chatRefused(deps, chatId, error);
}
