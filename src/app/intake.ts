import { and, eq, gte, notExists, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { cards, incidents, noticesSent, people } from "../db/schema.js";
import type { Importance } from "../domain/incident.js";
import { parseSourceLink } from "../domain/source-link.js";
import { alreadyMadeByThisUpdate } from "./audit.js";
import { findByLinkKey, type RegisterResult, registerIncident } from "./incidents.js";
import { upsertPerson } from "./people.js";

/**
 * A post as the curator described it. Plain JSON (times in ms) because it travels through a
 * stored conversation.
 */
export interface PostDraft {
  link: string;
  text: string | null;
  author: string | null;
  topic: string | null;
  place: string | null;
  importance: Importance;
  /** The post's own publication time, if the curator gave it. */
  postedAt: number | null;
  repeatOfId: number | null;
}

/**
 * The number of an already registered post with the same link (by duplicate key), if any. A post
 * registered by the very update being handled again after a crash is no duplicate: its
 * registration goes on to be announced.
 */
export function registeredNumber(db: Db, link: string): number | undefined {
  const parsed = parseSourceLink(link);
  const found = parsed.ok ? findByLinkKey(db, parsed.key) : undefined;
  if (!found) return undefined;
  const again = { entity: "incident", entityId: found.id, action: "registered" } as const;
  return alreadyMadeByThisUpdate(db, again) ? undefined : found.id;
}

/** Registers the draft; the link was validated while asking, so a bad one here is a programming error. */
export function registerPost(db: Db, draft: PostDraft, actorId: number, now: Date): RegisterResult {
  const parsed = parseSourceLink(draft.link);
  if (!parsed.ok) throw new Error(`registerPost got an invalid link: ${parsed.problem}`);
  return registerIncident(db, {
    link: parsed.url,
    linkKey: parsed.key,
    network: parsed.network,
    text: draft.text,
    author: draft.author,
    topic: draft.topic,
    place: draft.place,
    importance: draft.importance,
    postedAt: draft.postedAt === null ? null : new Date(draft.postedAt),
    repeatOfId: draft.repeatOfId,
    actorId,
    now,
  });
}

/** Whether the incident's card has gone out to any chat yet. */
export function hasCards(db: Db, incidentId: number): boolean {
  return (
    db.select({ id: cards.incidentId }).from(cards).where(eq(cards.incidentId, incidentId)).get() !==
    undefined
  );
}

/** Who registers the posts of monitoring software, as «История» names it. No Telegram user has id 0. */
const MONITORING = { id: 0, first_name: "Система мониторинга" };

export function monitoringActor(db: Db, now: Date): number {
  return db.transaction((tx) => upsertPerson(tx, MONITORING, now));
}

/** The notices-ledger key of the heads' notice of a significant post. */
export const significantNoticeKey = (incidentId: number) => `significant:${incidentId}`;

/**
 * Posts of monitoring software registered since `since`, still waiting to be routed, whose card
 * never went out, or, significant, whose heads were never told (Telegram was unreachable or refused,
 * or the process stopped first).
 */
export function unannouncedArrivals(db: Db, since: Date): number[] {
  return db
    .select({ id: incidents.id })
    .from(incidents)
    .innerJoin(people, eq(people.id, incidents.registeredBy))
    .where(
      and(
        eq(people.telegramId, MONITORING.id),
        eq(incidents.state, "registered"),
        gte(incidents.detectedAt, since),
        or(
          notExists(
            db.select({ id: cards.incidentId }).from(cards).where(eq(cards.incidentId, incidents.id)),
          ),
          and(
            eq(incidents.importance, "significant"),
            notExists(
              db
                .select({ key: noticesSent.key })
                .from(noticesSent)
                .where(eq(noticesSent.key, sql`'significant:' || ${incidents.id}`)),
            ),
          ),
        ),
      ),
    )
    .all()
    .map((row) => row.id);
}

/** The message id of the incident's card in a chat, to point the curator at it. */
export function cardMessageId(db: Db, incidentId: number, chatId: number): number | undefined {
  return db
    .select({ messageId: cards.messageId })
    .from(cards)
    .where(and(eq(cards.incidentId, incidentId), eq(cards.chatId, chatId)))
    .get()?.messageId;
}
