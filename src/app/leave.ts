/**
 * A person's leave («в отпуске до …»): set and cancelled by the person or an admin, from today or
 * planned ahead, over by itself after its last day. While it is on, the bot writes to the person
 * privately nothing unasked; a planned one changes nothing till its first day.
 */

import { and, eq, gte, isNotNull, isNull, lt, lte, or } from "drizzle-orm";
import type { Clock } from "../clock.js";
import type { Db, Tx } from "../db/client.js";
import { people } from "../db/schema.js";
import { can } from "../domain/access.js";
import { type Leave, leaveAsOf, localDay, withoutAway } from "../domain/leave.js";
import { audit } from "./audit.js";
import { loadPerson, type PersonSummary } from "./people.js";

export type LeaveResult =
  | { ok: true; person: PersonSummary; leave: Leave | null; changed: boolean }
  | { ok: false; refusal: "forbidden" | "not_found" };

/**
 * Sets the leave (see Leave), or cancels it (null), whether on or planned: the person's own, or
 * anyone's by an admin. Cancelling a leave already over changes nothing.
 */
export function setLeave(
  db: Db,
  input: { actorId: number; personId: number; leave: Leave | null; today: string; now: Date },
): LeaveResult {
  return db.transaction(
    (tx): LeaveResult => {
      const actor = loadPerson(tx, input.actorId);
      if (input.actorId !== input.personId && !can(actor, "managePeople"))
        return { ok: false, refusal: "forbidden" };
      const person = loadPerson(tx, input.personId);
      if (!person) return { ok: false, refusal: "not_found" };
      const { leave } = input;
      const before = leaveOf(tx, person.id, input.today);
      if (before?.from === leave?.from && before?.until === leave?.until)
        return { ok: true, person, leave: before, changed: false };
      const row = { leaveFrom: leave?.from ?? null, leaveUntil: leave?.until ?? null };
      tx.update(people).set(row).where(eq(people.id, person.id)).run();
      audit(tx, input.now, {
        actorId: input.actorId,
        entity: "person",
        entityId: person.id,
        action: leave === null ? "leave_cancelled" : "leave_set",
        details: { from: row.leaveFrom, until: row.leaveUntil, before },
      });
      return { ok: true, person, leave, changed: true };
    },
    { behavior: "immediate" },
  );
}

/** The person's leave as it stands `today`, on or planned; none once over. */
export function leaveOf(db: Tx, personId: number, today: string): Leave | null {
  const row = db
    .select({ from: people.leaveFrom, until: people.leaveUntil })
    .from(people)
    .where(eq(people.id, personId))
    .get();
  return row ? leaveAsOf(row.from, row.until, today) : null;
}

/** Those on leave `today` (begun, not over), with its first day if planned and its last. */
export function peopleOnLeave(
  db: Tx,
  today: string,
): { personId: number; telegramId: number; from: string | null; until: string }[] {
  return db
    .select({
      personId: people.id,
      telegramId: people.telegramId,
      from: people.leaveFrom,
      until: people.leaveUntil,
    })
    .from(people)
    .where(
      and(
        isNotNull(people.leaveUntil),
        gte(people.leaveUntil, today),
        or(isNull(people.leaveFrom), lte(people.leaveFrom, today)),
      ),
    )
    .all()
    .flatMap((row) => (row.until === null ? [] : [{ ...row, until: row.until }]));
}

/** The private chats (Telegram ids) of those on leave `today`: the bot writes nothing there unasked. */
export function awayChats(db: Tx, today: string): Set<number> {
  return new Set(peopleOnLeave(db, today).map((person) => person.telegramId));
}

/** What a leave is read against: the clock, in the office's time zone. */
export interface PresenceDeps {
  db: Tx;
  clock: Clock;
  sla: { timezone: string };
}

/** Today, as leaves count it (`yyyy-MM-dd`, local). */
export function leaveToday(deps: Omit<PresenceDeps, "db">): string {
  return localDay(deps.clock.now(), deps.sla.timezone);
}

/** Of these chats, those the bot writes to unasked now: see withoutAway, the one rule of it. */
export function present(deps: PresenceDeps, chatIds: number[], last = false): number[] {
  return withoutAway(chatIds, awayChats(deps.db, leaveToday(deps)), last);
}

/** Those whose leave ended before `today` and was not cancelled, with its last day. */
export function leavesOver(db: Tx, today: string): { personId: number; until: string }[] {
  return db
    .select({ personId: people.id, until: people.leaveUntil })
    .from(people)
    .where(and(isNotNull(people.leaveUntil), lt(people.leaveUntil, today)))
    .all()
    .flatMap((row) => (row.until === null ? [] : [{ personId: row.personId, until: row.until }]));
}
