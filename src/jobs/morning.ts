/**
 * The morning's digests and the alerts they say for the sweep: one rule for both of when a
 * digest is due and what its «пропущены сроки» covers; and the open posts' list a chat gets when
 * bound, which is its digest of the day.
 */
import { TZDate } from "@date-fns/tz";
import { startOfDay } from "date-fns/startOfDay";
import { reopenAlertsById, reopenReminders, settledReminders } from "../app/alerts.js";
import { claimNotice, noticeClaimed } from "../app/notices.js";
import type { SlaRuntime } from "../app/sla.js";
import type { Db } from "../db/client.js";
import type { DueAlert } from "../domain/reminders.js";
import { formatDeadline } from "../domain/time-format.js";

/** A working day's morning: its date as the digests show it, and the deadlines their «пропущены сроки» cover. */
export interface Morning {
  day: string;
  /** The start of the previous working day: on a Monday, Friday's (and the weekend after it). */
  since: Date;
  /** The start of today: a deadline before it passed while the office was away. */
  today: Date;
  /** Past the morning (see MORNING_ENDS): a digest a restart or an outage held back greets no «Доброе утро». */
  late: boolean;
}

/** The local hour from which a digest is no morning greeting. */
const MORNING_ENDS = 12;

export function morningOf(sla: SlaRuntime, now: Date): Morning {
  const wt = sla.workingTime;
  const local = new TZDate(now.getTime(), sla.timezone);
  const today = startOfDay(local);
  // The previous digest's window ended where this one begins: the last working day and the days off
  // after it are all covered, so nothing that went overdue on a Friday or before a holiday is lost.
  const previousWorkingDay = wt.addWorkingDays(wt.nextWorkingMoment(today), -1);
  const since = startOfDay(new TZDate(previousWorkingDay.getTime(), sla.timezone));
  return {
    day: dayOf(sla, now),
    since,
    today,
    late: local.getHours() >= MORNING_ENDS,
  };
}

/** How many working days back a chat's «пропущены сроки» reaches over days its digest did not go out. */
const CATCH_UP_DAYS = 10;

/**
 * Where a chat's «пропущены сроки» begins: at the start of the last working day its digest went out
 * (that one's window ended there), so that a day without one — Telegram down all day, the bot stopped
 * — is said the next morning, an overdue alert the sweep left to it too; the morning's `since` when
 * the digest went out the day before, or when the chat had none lately (a chat bound since).
 */
export function missedSince(db: Db, sla: SlaRuntime, chatId: number, morning: Morning): Date {
  const wt = sla.workingTime;
  let day = morning.since;
  for (let i = 0; i < CATCH_UP_DAYS; i++) {
    if (noticeClaimed(db, digestKey(chatId, dayOf(sla, day)))) return day;
    day = startOfDay(new TZDate(wt.addWorkingDays(wt.nextWorkingMoment(day), -1).getTime(), sla.timezone));
  }
  return morning.since;
}

/** A day as the digests' keys and titles name it (dd.MM.yyyy, local). */
function dayOf(sla: SlaRuntime, at: Date): string {
  return formatDeadline(at, sla.timezone).slice(0, 10);
}

/** The ledger's key of a chat's morning digest of a day. */
export function digestKey(chatId: number, day: string): string {
  return `morning:${chatId}:${day}`;
}

/**
 * The open posts' list a chat just bound got in the working day (bot/features/incidents.ts
 * showOpenPosts) is its digest of the day: none repeats it minutes later. Bound before work begins,
 * the chat still gets its digest, with the time left as of the start and «пропущены сроки». A
 * reminder the sweep had already left to this digest is given back to it, to be sent on its own.
 */
export function listedAsDigest(db: Db, sla: SlaRuntime, chatId: number, now: Date): void {
  if (!sla.workingTime.isWorking(now)) return;
  const { day, today } = morningOf(sla, now);
  db.transaction(() => {
    if (claimNotice(db, digestKey(chatId, day), now))
      reopenReminders(db, chatId, SAID_BY_MORNING_DIGEST, today, []);
  });
}

/** How far back the sweep looks for reminders folded into a digest that never went out. */
const LAPSED_FOLDS_MS = 14 * 24 * 60 * 60_000;

/**
 * Gives the sweep back the reminders folded into a digest whose day ended without it (Telegram took
 * none of its sends that day, or the bot stopped in the middle and came back after work): no digest
 * will say them now. As claims never sent, those their posts still owe are sent on their own (or
 * folded into the morning's digest that says them, see the sweep's requeueUnsent); the others are
 * settled as no longer due.
 */
export function reopenLapsedFolds(db: Db, sla: SlaRuntime, now: Date): void {
  const { today } = morningOf(sla, now);
  const since = new Date(today.getTime() - LAPSED_FOLDS_MS);
  const lapsed = settledReminders(db, SAID_BY_MORNING_DIGEST, since, today)
    .filter(({ chatId, claimedAt }) => !noticeClaimed(db, digestKey(chatId, dayOf(sla, claimedAt))))
    .map(({ id }) => id);
  reopenAlertsById(db, lapsed);
}

/** The ledger's mark of an alert its chat's morning digest says instead: settled, never sent. */
export const SAID_BY_MORNING_DIGEST = "said by the morning digest";

/**
 * Whether an alert is said by a chat's morning digest still to come in this tick (the digests run
 * right after the sweep), so that it is not sent on its own in the same minute: an overdue alert of
 * a deadline missed before today's work began (held over the night or the weekend), among «пропущены
 * сроки»; a reminder due as today's work began (held over the night too, or due at that minute), its
 * post's line naming the deadline and the time left. A digest the chat refuses (or Telegram rejects)
 * says nothing, and one whose lines name another deadline of the post (or leave the post out) does
 * not say that reminder: they are given back to the sweep (see morningDigests).
 */
export function saidByMorningDigest(
  db: Db,
  sla: SlaRuntime,
  now: Date,
  chatId: number,
  { kind, deadline, dueAt }: Pick<DueAlert, "kind" | "deadline" | "dueAt">,
): boolean {
  const wt = sla.workingTime;
  if (!wt.isWorking(now)) return false;
  const { day, since, today } = morningOf(sla, now);
  if (noticeClaimed(db, digestKey(chatId, day))) return false;
  if (kind === "reminder") return dueAt <= wt.nextWorkingMoment(today);
  return kind === "overdue" && deadline >= since && deadline < today;
}
