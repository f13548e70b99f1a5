/**
 * A person's leave («в отпуске до …»): set and cancelled by the person or an admin, over by itself
 * after its last day. While it is on, the bot writes to the person privately nothing unasked.
 */

import { and, eq, gte, isNotNull, lt } from "drizzle-orm";
import type { Clock } from "../clock.js";
import type { Db, Tx } from "../db/client.js";
import { people } from "../db/schema.js";
import { can } from "../domain/access.js";
import { localDay, onLeave, withoutAway } from "../domain/leave.js";
import { audit } from "./audit.js";
import { loadPerson, type PersonSummary } from "./people.js";

export type LeaveResult =
  | { ok: true; person: PersonSummary; until: string | null; changed: boolean }
  | { ok: false; refusal: "forbidden" | "not_found" };

/**
 * Sets the leave's last day (`yyyy-MM-dd`), or cancels it (null): the person's own, or anyone's by an
 * admin. Cancelling a leave already over changes nothing.
 */
export function setLeave(
  db: Db,
  input: { actorId: number; personId: number; until: string | null; today: string; now: Date },
): LeaveResult {
  return db.transaction(
    (tx): LeaveResult => {
      const actor = loadPerson(tx, input.actorId);
      if (input.actorId !== input.personId && !can(actor, "managePeople"))
        return { ok: false, refusal: "forbidden" };
      const person = loadPerson(tx, input.personId);
      if (!person) return { ok: false, refusal: "not_found" };
      const before = leaveOf(tx, person.id, input.today);
      if (before === input.until) return { ok: true, person, until: before, changed: false };
      tx.update(people).set({ leaveUntil: input.until }).where(eq(people.id, person.id)).run();
      audit(tx, input.now, {
        actorId: input.actorId,
        entity: "person",
        entityId: person.id,
        action: input.until === null ? "leave_cancelled" : "leave_set",
        details: { until: input.until, before },
      });
      return { ok: true, person, until: input.until, changed: true };
    },
    { behavior: "immediate" },
  );
}

/** The last day of the person's leave, while it is on `today`. */
export function leaveOf(db: Tx, personId: number, today: string): string | null {
  const until = db
    .select({ until: people.leaveUntil })
    .from(people)
    .where(eq(people.id, personId))
    .get()?.until;
  return onLeave(until, today) ? (until ?? null) : null;
}

/** Those on leave `today`, with the last day of it. */
export function peopleOnLeave(
  db: Tx,
  today: string,
): { personId: number; telegramId: number; until: string }[] {
  return db
    .select({ personId: people.id, telegramId: people.telegramId, until: people.leaveUntil })
    .from(people)
    .where(and(isNotNull(people.leaveUntil), gte(people.leaveUntil, today)))
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
