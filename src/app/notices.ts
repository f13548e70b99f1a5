import { and, eq, gte, lt, sql } from "drizzle-orm";
import { type Db, preparedPerConnection } from "../db/client.js";
import { noticesSent } from "../db/schema.js";

/** A press asks the ledger of each chat it tells (oncePerUpdate, bot/delivery.ts): prepared once. */
const ledger = preparedPerConnection((db) => {
  const p = sql.placeholder;
  return {
    claim: db
      .insert(noticesSent)
      .values({ key: p("key"), sentAt: p("sentAt") })
      .onConflictDoNothing()
      .prepare(),
    find: db
      .select({ key: noticesSent.key })
      .from(noticesSent)
      .where(eq(noticesSent.key, p("key")))
      .prepare(),
  };
});

/**
 * Claims a one-off notice: true the first time for this key (the caller sends it), false after —
 * across restarts and processes, so admins hear about a problem once, not at every start.
 */
export function claimNotice(db: Db, key: string, now: Date): boolean {
  return ledger(db).claim.run({ key, sentAt: now }).changes === 1;
}

export function noticeClaimed(db: Db, key: string): boolean {
  return ledger(db).find.get({ key }) !== undefined;
}

/** When the notice was claimed, if it is. */
export function noticeClaimedAt(db: Db, key: string): Date | undefined {
  return db.select({ sentAt: noticesSent.sentAt }).from(noticesSent).where(eq(noticesSent.key, key)).get()
    ?.sentAt;
}

/**
 * The claimed keys that begin so. A range of the key's index, not LIKE (which SQLite cannot serve
 * from a case-sensitive index): minute jobs ask it of a ledger that grows with every notice.
 */
export function noticesStartingWith(db: Db, prefix: string): string[] {
  return db
    .select({ key: noticesSent.key })
    .from(noticesSent)
    .where(startsWith(prefix))
    .all()
    .map((row) => row.key);
}

function startsWith(prefix: string) {
  const next = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return and(gte(noticesSent.key, prefix), lt(noticesSent.key, next));
}

const UPDATE = "update:";

/** The start of the ledger keys of the notices an update's handling sent (see updateNoticeKey). */
export const updateNoticesPrefix = (updateId: number) => `${UPDATE}${updateId}:`;

/**
 * The ledger key of a notice (`notice`, its name among the update's) that the handling of an
 * update sent to a chat: handled again after a crash, the update does not send it twice
 * (bot/delivery.ts, oncePerUpdate).
 */
export const updateNoticeKey = (updateId: number, notice: string, chatId: number) =>
  `${updateNoticesPrefix(updateId)}${notice}:to:${chatId}`;

/**
 * Forgets the notices updates sent before `before`: the inbox forgets those updates (app/inbox.ts),
 * and one Telegram delivered again after that would be handled as new all the same.
 */
export function forgetUpdateNotices(db: Db, before: Date): void {
  db.delete(noticesSent)
    .where(and(startsWith(UPDATE), lt(noticesSent.sentAt, before)))
    .run();
}

/** Gives a claim back when nobody could be told, so the notice is tried again later. */
export function releaseNotice(db: Db, key: string): void {
  db.delete(noticesSent).where(eq(noticesSent.key, key)).run();
}

/**
 * Claims a notice like claimNotice, also when it was claimed before `staleBefore`: that holder is
 * taken to have stopped in the middle of sending. The old claim goes only while still that old, so
 * of two processes taking it over at once just one gets it.
 */
export function claimStaleNotice(db: Db, key: string, staleBefore: Date, now: Date): boolean {
  db.delete(noticesSent)
    .where(and(eq(noticesSent.key, key), lt(noticesSent.sentAt, staleBefore)))
    .run();
  return claimNotice(db, key, now);
}

const sending = (key: string) => `${key}:sending`;

/**
 * A notice sent once, yet not lost to a stop between its claim and its send: the send holds a lease
 * (`<key>:sending`), taken over once older than `leaseMs` (the process stopped; only a message then
 * in flight may arrive twice). False when the notice is out already or another send holds it. The
 * holder ends it with settleNotice (out, or never to be) or giveBackNotice (to be tried again).
 */
export function leaseNotice(db: Db, key: string, leaseMs: number, now: Date): boolean {
  if (noticeClaimed(db, key)) return false;
  return claimStaleNotice(db, sending(key), new Date(now.getTime() - leaseMs), now);
}

export function settleNotice(db: Db, key: string, now: Date): void {
  db.transaction(() => {
    claimNotice(db, key, now);
    releaseNotice(db, sending(key));
    for (const moved of movedAway(db, key)) settleNotice(db, moved, now);
  });
}

export function giveBackNotice(db: Db, key: string): void {
  db.transaction(() => {
    releaseNotice(db, sending(key));
    for (const moved of movedAway(db, key)) giveBackNotice(db, moved);
  });
}

const MOVED = "moved:";

/**
 * The ledger key recording a lease moved to another key while its send was under way (the chat became a supergroup and the
 * send was followed to its new id: app/chats.ts): the sender ends it under the key it knows, and
 * the moved one ends with it instead of lapsing into a second send.
 */
export const movedLeaseKey = (from: string, to: string) => `${MOVED}${from}>${to}`;

/** The keys the lease of `key` was moved to (see recordMovedLease), forgotten as they are read. */
function movedAway(db: Db, key: string): string[] {
  const prefix = `${MOVED}${key}>`;
  return noticesStartingWith(db, prefix).map((alias) => {
    releaseNotice(db, alias);
    return alias.slice(prefix.length);
  });
}
