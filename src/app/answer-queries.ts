/**
 * Questions about the answer half that the transitions do not answer, and the curator's optional
 * quality mark on an approved draft (it changes no state, so it has its own transaction + audit).
 */
import { and, desc, eq, gte, inArray, ne, notInArray, type SQL, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.js";
import { type Attachment, assignments, drafts, incidents, people } from "../db/schema.js";
import { displayName, hasRole, type Person } from "../domain/access.js";
import { familyOf } from "../domain/incident.js";
import { nameKey } from "../domain/names.js";
import { audit } from "./audit.js";

export interface Decision {
  state: "approved" | "rework";
  by: string;
  at: Date;
}

/** The curator's decision on the latest draft, if it has one (for «Уже согласовано: …»). */
export function latestDecision(db: Tx, incidentId: number): Decision | undefined {
  const row = db
    .select({ draft: drafts, decider: people })
    .from(drafts)
    .leftJoin(people, eq(people.id, drafts.decidedBy))
    .where(eq(drafts.incidentId, incidentId))
    .orderBy(desc(drafts.id))
    .get();
  const { draft, decider } = row ?? {};
  if (!draft || !decider || !draft.decidedAt) return undefined;
  if (draft.state !== "approved" && draft.state !== "rework") return undefined;
  return { state: draft.state, by: displayName(decider), at: draft.decidedAt };
}

/** The answer's kinds: not a question to the author, nor an interim answer. */
const ANSWER_KINDS = ["answer", "final"] as const;

/** Why an earlier answer is offered: the post repeats that one, has its text, or its topic and place. */
export type Likeness = "repeat" | "text" | "topicPlace";

/** An approved answer to a related post, offered as the draft's text (flows/draft.ts). */
export interface SameAnswer {
  incidentId: number;
  likeness: Likeness;
  /** Its post's answer is out already, not only approved. */
  published: boolean;
  text: string;
  attachments: Attachment[];
}

/**
 * The organization's approved answers to posts related to this one, newest first, each text once (at
 * most `limit`): the post it repeats, and, approved since `since`, posts with the same text or the
 * same topic and place — in an accident every post gets the one official statement.
 */
export function sameAnswers(
  db: Tx,
  post: {
    id: number;
    repeatOfId: number | null;
    textKey: string | null;
    topic: string | null;
    place: string | null;
  },
  organizationId: number,
  since: Date,
  limit = 3,
): SameAnswer[] {
  const key = (value: string | null) => (value?.trim() ? nameKey(value) : undefined);
  const [topic, place] = [key(post.topic), key(post.place)];
  const byTopicPlace = topic !== undefined && place !== undefined;
  if (post.repeatOfId === null && post.textKey === null && !byTopicPlace) return [];
  // Joined by the post: `IN (the organization's posts)` would read that list whole, all its years.
  const ledByOrganization = and(
    eq(assignments.incidentId, incidents.id),
    eq(assignments.organizationId, organizationId),
    eq(assignments.role, "lead"),
    notInArray(assignments.state, ["returned", "withdrawn"]),
  );
  const approved = (which: SQL) =>
    db
      .select({ draft: drafts, incident: incidents })
      .from(drafts)
      .innerJoin(incidents, eq(incidents.id, drafts.incidentId))
      .innerJoin(assignments, ledByOrganization)
      .where(
        and(
          eq(drafts.state, "approved"),
          inArray(drafts.kind, ANSWER_KINDS),
          ne(drafts.incidentId, post.id),
          which,
        ),
      )
      .all();
  // Two queries, not one with OR, so that each has its index: the post's drafts, the window's.
  const rows = [
    ...(post.repeatOfId !== null ? approved(eq(drafts.incidentId, post.repeatOfId)) : []),
    ...approved(gte(drafts.decidedAt, since)),
  ].sort((a, b) => newestDecisionFirst(a.draft, b.draft));
  const likeness = (other: typeof incidents.$inferSelect): Likeness | undefined => {
    if (other.id === post.repeatOfId) return "repeat";
    if (post.textKey !== null && other.textKey === post.textKey) return "text";
    if (byTopicPlace && key(other.topic) === topic && key(other.place) === place) return "topicPlace";
    return undefined;
  };
  const seen = new Set<number>();
  const found: SameAnswer[] = [];
  for (const { draft, incident } of rows) {
    // A post's latest approved answer only, and a text offered once (from its newest post).
    if (seen.has(incident.id)) continue;
    seen.add(incident.id);
    const why = likeness(incident);
    if (why === undefined || found.some((answer) => answer.text === draft.text)) continue;
    found.push({
      incidentId: incident.id,
      likeness: why,
      published: incident.state === "answered",
      text: draft.text,
      attachments: draft.attachments,
    });
    if (found.length >= limit) break;
  }
  return found;
}

type DraftRow = typeof drafts.$inferSelect;

/** As ORDER BY decided_at DESC, id DESC. */
function newestDecisionFirst(a: DraftRow, b: DraftRow): number {
  return (b.decidedAt?.getTime() ?? 0) - (a.decidedAt?.getTime() ?? 0) || b.id - a.id;
}

/** Another post whose approved answer has exactly this text (the latest approved): the curators see so. */
export function approvedWithText(db: Tx, text: string, exceptIncidentId: number): number | undefined {
  return db
    .select({ incidentId: drafts.incidentId })
    .from(drafts)
    .where(
      and(
        eq(drafts.state, "approved"),
        inArray(drafts.kind, ANSWER_KINDS),
        // Of its length first: the index has the lengths (see drafts_text_length).
        eq(sql`length(${drafts.text})`, sql`length(${text})`),
        eq(drafts.text, text),
        ne(drafts.incidentId, exceptIncidentId),
      ),
    )
    .orderBy(desc(drafts.id))
    .get()?.incidentId;
}

/**
 * The post whose approved answer has exactly the text of this post's answer draft waiting for the
 * curators (see approvedWithText): their card says so, of a draft sent before that answer was
 * approved too. Read at each sync of the curators' card while the draft waits, through two indexes.
 */
export function waitingSameAsApproved(db: Tx, incidentId: number): number | undefined {
  const latest = db
    .select({ text: drafts.text, kind: drafts.kind, state: drafts.state })
    .from(drafts)
    .where(eq(drafts.incidentId, incidentId))
    .orderBy(desc(drafts.id))
    .get();
  if (latest?.state !== "submitted" || familyOf(latest.kind) !== "answer") return undefined;
  return approvedWithText(db, latest.text, incidentId);
}

/** The Telegram id of a person (e.g. the executor who holds an incident). */
export function telegramIdOf(db: Tx, personId: number): number | undefined {
  return db.select({ telegramId: people.telegramId }).from(people).where(eq(people.id, personId)).get()
    ?.telegramId;
}

export const QUALITY_MARKS = [1, 2, 3, 4, 5] as const;

export type QualityResult = { ok: true } | { ok: false; refusal: "not_approved" | "not_decider" };

/**
 * The quality mark (1–5) the approving curator may give after «Согласовать»: stored on the latest
 * draft while it is the approved one (`draftId`, the one the buttons were offered for, when they
 * name it: a mark pressed late never lands on a newer draft); a second press changes the mark. Only
 * the curator who approved it may mark it, while a curator.
 */
export function markQuality(
  db: Db,
  input: { incidentId: number; actor: Person; now: Date; quality: number; draftId?: number | undefined },
): QualityResult {
  return db.transaction(
    (tx): QualityResult => {
      const latest = tx
        .select()
        .from(drafts)
        .where(eq(drafts.incidentId, input.incidentId))
        .orderBy(desc(drafts.id))
        .get();
      if (latest?.state !== "approved" || (input.draftId !== undefined && latest.id !== input.draftId))
        return { ok: false, refusal: "not_approved" };
      if (latest.decidedBy !== input.actor.id || !hasRole(input.actor, "curator"))
        return { ok: false, refusal: "not_decider" };
      tx.update(drafts).set({ quality: input.quality }).where(eq(drafts.id, latest.id)).run();
      audit(tx, input.now, {
        actorId: input.actor.id,
        entity: "incident",
        entityId: input.incidentId,
        action: "qualityMark",
        details: { draftId: latest.id, quality: input.quality, previous: latest.quality },
      });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}
