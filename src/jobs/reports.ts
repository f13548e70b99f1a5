/**
 * Monthly reports sent by themselves, in working time, to each recipient once (claimed in
 * notices_sent per chat, see deliverOnce):
 * - the summary of last month to the heads with «Сводка» and the curators' chat on the month's first
 *   working day (Orenburg p.20);
 * - the violations on the preset's day (Georgievsk p.23: «не позднее 5 числа» — a day off moves it
 *   to the working day before) to the heads with «Нарушения» and the curators' chat; with no day
 *   (Orenburg p.19) together with the summary, and each organization concerned gets its own share in
 *   its work chat. A head of an organization gets that organization's share only.
 */
import { TZDate } from "@date-fns/tz";
import { chatOfOrganization, curatorChats, findBoundChat } from "../app/chats.js";
import { type Head, headsWith } from "../app/heads.js";
import { claimNotice, claimStaleNotice, noticeClaimed, releaseNotice } from "../app/notices.js";
import { getOrganization } from "../app/organizations.js";
import { findPerson, isBlocked, telegramIdsOfMembers } from "../app/people.js";
import { notifyAdmins, tellAdminsOnce } from "../bot/refused-chats.js";
import { tp } from "../bot/texts-people.js";
import { tr } from "../bot/texts-reports.js";
import type { Db } from "../db/client.js";
import { displayName } from "../domain/access.js";
import type { WorkingTime } from "../domain/calendar/index.js";
import {
  type Deliverable,
  deliverRendered,
  type SendOutcome,
  type SentParts,
  summaryForOrganizationHead,
} from "../reports/deliver.js";
import { monthKey, monthName, monthOf, type ReportMonth, shiftMonth } from "../reports/month.js";
import type { RenderedReports } from "../reports/render.js";
import type { JobDeps, SweepDeps } from "./sweep.js";

function isWorkingDay(year: number, month: number, day: number, wt: WorkingTime): boolean {
  const start = new TZDate(year, month - 1, day, wt.timezone);
  const next = new TZDate(year, month - 1, day + 1, wt.timezone);
  return wt.nextWorkingMoment(start).getTime() < next.getTime();
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function firstWorkingDay(year: number, month: number, wt: WorkingTime): number {
  for (let day = 1; day <= daysIn(year, month); day++) if (isWorkingDay(year, month, day, wt)) return day;
  return 1;
}

/**
 * The day of the month a report due «не позднее `day` числа» is sent: that day if it is worked,
 * otherwise the working day before it; if the month has none before it (January's holidays), that
 * day itself, holiday though it is: last month's report cannot go before last month is over, and the
 * regulation's date is kept (see reportDue).
 */
export function reportDay(year: number, month: number, day: number, wt: WorkingTime): number {
  const last = Math.min(day, daysIn(year, month));
  for (let d = last; d >= 1; d--) if (isWorkingDay(year, month, d, wt)) return d;
  return last;
}

/**
 * Whether a report due «не позднее `day` числа» of this month is due now: in working time from its
 * report day on; on a report day that is not worked (January), from the start of the working hours
 * that day, and sent then though nobody works (quietly, as everything outside working time).
 */
function reportDue(year: number, month: number, day: number, wt: WorkingTime, now: Date): boolean {
  const due = reportDay(year, month, day, wt);
  if (isWorkingDay(year, month, due, wt)) {
    const today = new TZDate(now.getTime(), wt.timezone).getDate();
    return wt.isWorking(now) && today >= due;
  }
  const from = new TZDate(year, month - 1, due, 0, wt.schedule.start, wt.timezone);
  return now.getTime() >= from.getTime();
}

/**
 * The curators' chat (each curator privately when none is bound) and these heads privately, those
 * who block the bot too: they are not sent the report, but the admins hear that they did not get it
 * (see deliverOnce).
 */
function leadershipChats(deps: SweepDeps, heads: readonly Head[]): number[] {
  return [...new Set([...curatorChats(deps.db), ...heads.map((head) => head.telegramId)])];
}

/** One automatic report for one chat. */
interface Recipient {
  /** Its line in the notices ledger: claimed once the chat has the report, or refuses it for good. */
  key: string;
  /** The line of the report it gets, one rendering for several chats: Telegram rejecting it is told once. */
  report: string;
  chatId: number;
  rendered: Deliverable;
  /** What the admins are told if the chat refuses: the report's name and how to ask for it by hand. */
  name: string;
  command: string;
}

/** A month's report of one kind: claimed in the ledger once every recipient is done with it. */
interface Report {
  key: string;
  recipients: Recipient[];
}

function addressed(
  key: string,
  chats: number[],
  rendered: Deliverable,
  about: Pick<Recipient, "name" | "command">,
): Recipient[] {
  return chats.map((chatId) => ({ key: `${key}:to:${chatId}`, report: key, chatId, rendered, ...about }));
}

/** Where an organization's own violations go: its work chat, or its executors privately. */
function organizationChats(deps: SweepDeps, organizationId: number): number[] {
  const chat = chatOfOrganization(deps.db, organizationId);
  return chat !== undefined ? [chat] : telegramIdsOfMembers(deps.db, [organizationId]);
}

function aboutShare(deps: SweepDeps, month: ReportMonth, organizationId: number) {
  const name = getOrganization(deps.db, organizationId)?.name ?? "";
  return { name: tr.reportName.ofOrganization(month, name), command: tr.reportCommand.share(month) };
}

/** Each organization concerned gets its own violations in its work chat (Orenburg p.19). */
function organizationShares(deps: SweepDeps, key: string, month: ReportMonth, rendered: RenderedReports) {
  return rendered.byOrganization.flatMap(({ organizationId, rendered: share }) =>
    addressed(
      `${key}:org:${organizationId}`,
      organizationChats(deps, organizationId),
      share,
      aboutShare(deps, month, organizationId),
    ),
  );
}

/**
 * A head of an organization gets that organization's violations only (Orenburg p.19: «руководителям
 * органов исполнительной власти … для организации работы по устранению недостатков»). An
 * organization without a violation that month still gets a short «нарушений нет»: the head expects
 * the month's word on their staff, and silence could not be told from a report that never came. A
 * head who gets the whole report anyway (also a curator without a curators' chat) is not sent the
 * share; one who gets it as an executor of an organization without a work chat has the same line in
 * the ledger, so it goes once.
 */
function headShares(
  deps: SweepDeps,
  key: string,
  month: ReportMonth,
  rendered: RenderedReports,
  heads: readonly Head[],
  served: ReadonlySet<number>,
): Recipient[] {
  return heads.flatMap(({ telegramId, organizationId }) => {
    if (organizationId === null || served.has(telegramId)) return [];
    const about = aboutShare(deps, month, organizationId);
    const organization = getOrganization(deps.db, organizationId);
    // Named as the report names organizations: the short name where there is one.
    const name = organization?.shortName ?? organization?.name ?? "";
    const share = rendered.byOrganization.find((own) => own.organizationId === organizationId)?.rendered ?? {
      text: tp.heads.noViolations(monthName(month), name),
    };
    return addressed(`${key}:org:${organizationId}`, [telegramId], share, about);
  });
}

/** A claim to send older than this is taken as a process stopped in the middle of the send. */
const LEASE_MS = 60 * 60_000;

/** Who a chat is, for the admins: a bound chat's title, or a person's name. */
function recipientName(db: Db, chatId: number): string {
  const chat = findBoundChat(db, chatId);
  if (chat) return tr.recipientChat(chat.title);
  const person = findPerson(db, chatId);
  return person ? displayName(person) : tr.unknownChat(chatId);
}

/** Tells the admins that a chat refused a report; false when Telegram could not be reached to say so. */
async function adminsTold(deps: JobDeps, recipient: Recipient): Promise<boolean> {
  const who = recipientName(deps.db, recipient.chatId);
  try {
    await notifyAdmins(deps, tr.reportRefused(recipient.name, who, recipient.command));
    return true;
  } catch (err) {
    deps.log.warn({ err }, "could not tell the admins of a refused report; it will be tried again");
    return false;
  }
}

/**
 * Tells the admins, once per report however many chats it went to, that Telegram rejected it as it
 * is: no chat is to blame, and asking for it by hand would fail alike. False as adminsTold.
 */
function adminsToldOfRejection(deps: JobDeps, recipient: Recipient): Promise<boolean> {
  return tellAdminsOnce(deps, `report-rejected:${recipient.report}`, tr.reportRejected(recipient.name));
}

/** Whether a send needs no other try: done, or never to be done and the admins told why. */
async function settles(deps: JobDeps, recipient: Recipient, delivery: SendOutcome): Promise<boolean> {
  if (delivery === "delivered") return true;
  if (delivery === "refused") return adminsTold(deps, recipient);
  if (delivery === "rejected") return adminsToldOfRejection(deps, recipient);
  return false;
}

/**
 * Sends a report to one chat unless it has it: "delivered" now; "settled" when there is nothing
 * to do (it has it, or it can never go, the chat refusing or Telegram rejecting the report, and the
 * admins were told); "pending" to try again later.
 * Each message that reaches the chat is recorded at once, so a retry sends only the rest. A person
 * known to block the bot is not sent it: that is a refusal told to the admins, without asking Telegram.
 */
async function deliverOnce(
  deps: JobDeps,
  recipient: Recipient,
): Promise<"delivered" | "settled" | "pending"> {
  const { db, clock } = deps;
  if (noticeClaimed(db, recipient.key)) return "settled";
  // Claimed before sending, so that two processes do not both send. A stopped process's claim is
  // taken over after LEASE_MS: only the message it had in flight may then arrive twice.
  const lease = `${recipient.key}:sending`;
  const now = clock.now();
  if (!claimStaleNotice(db, lease, new Date(now.getTime() - LEASE_MS), now)) return "pending";
  const sent: SentParts = {
    has: (part) => noticeClaimed(db, `${recipient.key}:sent:${part}`),
    add: (part) => void claimNotice(db, `${recipient.key}:sent:${part}`, clock.now()),
  };
  const delivery = isBlocked(db, recipient.chatId)
    ? "refused"
    : await deliverRendered(deps, recipient.chatId, recipient.rendered, sent);
  if (!(await settles(deps, recipient, delivery))) {
    releaseNotice(db, lease);
    return "pending";
  }
  claimNotice(db, recipient.key, clock.now());
  return delivery === "delivered" ? "delivered" : "settled";
}

/** First retry of a month's reports that failed; each next one waits twice as long, up to MAX. */
const RETRY_MS = 15 * 60_000;
const MAX_RETRY_MS = 4 * 60 * 60_000;
/** After this many failed renders in a row the admins are told (once). */
const FAILURES_TOLD = 3;

/**
 * A month whose reports could not be rendered, or did not reach every chat yet: how many times in
 * a row, and when to try again (rendering takes seconds: not at every tick).
 */
interface Failure {
  renders: number;
  deliveries: number;
  retryAt: number;
}

/** Per database (one per bot; tests run several in one process), by month. */
const failures = new WeakMap<Db, Map<string, Failure>>();

function failuresOf(db: Db): Map<string, Failure> {
  const known = failures.get(db);
  if (known) return known;
  const map = new Map<string, Failure>();
  failures.set(db, map);
  return map;
}

function retryAt(attempts: number, now: Date): number {
  return now.getTime() + Math.min(RETRY_MS * 2 ** (attempts - 1), MAX_RETRY_MS);
}

/**
 * Called by the minute tick; returns how many chats got a report. Each recipient of each report is
 * claimed in the ledger on its own (see deliverOnce), so a chat that failed for now is tried again
 * later, with the month rendered afresh, while the chats served are not sent it again; a chat that
 * refuses for good is told to the admins and not tried again. A render that fails (or a stop in the
 * middle of one) leaves the month to be tried again, later and later, and the admins hear of it
 * after a few tries.
 */
export async function monthlyReports(deps: JobDeps): Promise<number> {
  const { db, sla, clock } = deps;
  const now = clock.now();
  const wt = sla.workingTime;
  const local = new TZDate(now.getTime(), sla.timezone);
  const current = monthOf(now, sla.timezone);
  const reported = shiftMonth(current, -1);
  const key = monthKey(reported);
  const summaryKey = `report:summary:${key}`;
  const violationsKey = `report:violations:${key}`;
  const today = local.getDate();
  const violationsDay = sla.regulation.violationsReport.day;
  const summaryDue = wt.isWorking(now) && today >= firstWorkingDay(current.year, current.month, wt);
  const violationsDue =
    violationsDay === null ? summaryDue : reportDue(current.year, current.month, violationsDay, wt, now);
  const wantSummary = summaryDue && !noticeClaimed(db, summaryKey);
  const wantViolations = violationsDue && !noticeClaimed(db, violationsKey);
  if (!wantSummary && !wantViolations) return 0;
  const failed = failuresOf(db).get(key);
  if (failed && now.getTime() < failed.retryAt) return 0;

  const summaryHeads = headsWith(db, "summary");
  const violationsHeads = headsWith(db, "violations");
  // The organizations' chats get their shares where the preset sends violations with no day of
  // their own (Orenburg p.19); a head of an organization gets theirs under any preset.
  const sharesToChats = violationsDay === null;
  const byOrganization =
    wantViolations && (sharesToChats || violationsHeads.some((head) => head.organizationId !== null));
  let rendered: RenderedReports;
  try {
    rendered = await deps.reports({
      month: reported,
      summary: wantSummary,
      violations: wantViolations,
      byOrganization,
      madeAt: now,
    });
  } catch (err) {
    const renders = (failed?.renders ?? 0) + 1;
    failuresOf(db).set(key, { renders, deliveries: failed?.deliveries ?? 0, retryAt: retryAt(renders, now) });
    deps.log.error(
      { err, month: key, count: renders },
      "monthly report not rendered; it will be tried again",
    );
    if (renders >= FAILURES_TOLD)
      await tellAdminsOnce(deps, `report-failed:${key}`, tr.renderFailed(reported, renders));
    return 0;
  }

  // A month without data renders nothing: no recipients, so done and not rendered again.
  const reports: Report[] = [];
  if (wantSummary) {
    const whole = leadershipChats(
      deps,
      summaryHeads.filter((head) => head.organizationId === null),
    );
    // A head of one organization gets the summary's text: the workbook names everyone's people.
    const ofOne = summaryHeads
      .filter((head) => head.organizationId !== null)
      .map((head) => head.telegramId)
      .filter((id) => !whole.includes(id));
    const about = { name: tr.reportName.summary(reported), command: tr.reportCommand.summary(reported) };
    const summary = rendered.summary
      ? [
          ...addressed(summaryKey, whole, rendered.summary, about),
          ...addressed(summaryKey, ofOne, summaryForOrganizationHead(rendered.summary), about),
        ]
      : [];
    reports.push({ key: summaryKey, recipients: summary });
  }
  if (wantViolations) {
    const whole = violationsHeads.filter((head) => head.organizationId === null);
    const chats = leadershipChats(deps, whole);
    const about = {
      name: tr.reportName.violations(reported),
      command: tr.reportCommand.violations(reported),
    };
    const violations = rendered.violations ? addressed(violationsKey, chats, rendered.violations, about) : [];
    const shares = sharesToChats ? organizationShares(deps, violationsKey, reported, rendered) : [];
    const ofHeads = rendered.violations
      ? headShares(deps, violationsKey, reported, rendered, violationsHeads, new Set(chats))
      : [];
    reports.push({ key: violationsKey, recipients: [...violations, ...shares, ...ofHeads] });
  }

  let sent = 0;
  let unfinished = false;
  for (const report of reports) {
    let finished = true;
    for (const recipient of report.recipients) {
      const outcome = await deliverOnce(deps, recipient);
      if (outcome === "delivered") sent++;
      if (outcome === "pending") finished = false;
    }
    if (finished) claimNotice(db, report.key, now);
    else unfinished = true;
  }
  if (!unfinished) failuresOf(db).delete(key);
  else {
    const deliveries = (failed?.deliveries ?? 0) + 1;
    failuresOf(db).set(key, { renders: 0, deliveries, retryAt: retryAt(deliveries, now) });
  }
  return sent;
}
