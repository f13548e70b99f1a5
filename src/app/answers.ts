/**
 * The answer half of the workflow: drafts, the curator's decision, publication, interim answers and
 * questions to the author. Every change goes through `transition` (one transaction + audit event).
 */
import { and, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { type Db, preparedPerConnection, type Tx } from "../db/client.js";
import {
  type Attachment,
  auditEvents,
  DRAFT_KINDS,
  drafts,
  draftWork,
  people,
  publications,
} from "../db/schema.js";
import type { Person } from "../domain/access.js";
import {
  type ActionRules,
  checkDraft,
  type DraftKind,
  type DraftPurpose,
  familyOf,
  leadAssignment,
  workState,
} from "../domain/incident.js";
import { audit, madeByThisUpdate } from "./audit.js";
import {
  type Incident,
  loadIncident,
  type TransitionResult,
  takenOverFrom,
  transition,
} from "./incidents.js";
import { noticeClaimed, noticesStartingWith } from "./notices.js";

export type Draft = typeof drafts.$inferSelect;

export interface DraftContent {
  text: string;
  attachments: Attachment[];
}

/** The latest drafts of an incident, newest first: [current, previous] for the rework diff. */
export function latestDrafts(db: Tx, incidentId: number, limit = 2): Draft[] {
  return latestDraftsQuery(db).all({ incidentId, limit });
}

/** Every decision on a draft reads it. */
const latestDraftsQuery = preparedPerConnection((db) =>
  db
    .select()
    .from(drafts)
    .where(eq(drafts.incidentId, sql.placeholder("incidentId")))
    .orderBy(desc(drafts.id))
    .limit(sql.placeholder("limit"))
    .prepare(),
);

/**
 * «Отправить на согласование»: a new draft row (the earlier one of the same round stays for the
 * diff), the incident goes «на согласовании». After an interim answer the answer is the final one.
 */
export function submitDraft(
  db: Db,
  input: {
    incidentId: number;
    actor: Person;
    now: Date;
    content: DraftContent;
    purpose?: DraftPurpose;
    /** The preset's: without a final answer's clock no interim answer is drafted (checkDraft). */
    rules?: ActionRules;
    /**
     * When the dialogue that wrote it began: a colleague who took the post over from the author since
     * («Взять себе») holds it, and the draft is not sent ("forbidden").
     */
    begunAt?: Date;
  },
): TransitionResult {
  const purpose = input.purpose ?? "answer";
  const { begunAt } = input;
  const takenOver = (incident: Incident) => {
    const lead = leadAssignment(incident);
    // Taken back since, the post is the author's again.
    if (!begunAt || !lead || incident.holderId === input.actor.id) return false;
    const about = { incidentId: incident.id, organizationId: lead.organizationId, personId: input.actor.id };
    return takenOverFrom(db, { ...about, since: begunAt }) !== undefined;
  };
  return transition(db, {
    incidentId: input.incidentId,
    action: "submitDraft",
    actor: input.actor,
    now: input.now,
    check: (incident) =>
      checkDraft(incident, purpose, input.actor, input.rules) ??
      (takenOver(incident) ? "forbidden" : undefined),
    details: {
      length: input.content.text.length,
      attachments: input.content.attachments.length,
      ...(purpose !== "answer" ? { kind: purpose } : {}),
    },
    change: (tx, incident) => {
      const kind: DraftKind =
        purpose !== "answer" ? purpose : incident.answer?.interimPublishedAt ? "final" : "answer";
      // The round of this lead's drafts: one taken from an organization the post left is not its.
      // The final answer after an interim one goes on the answer's rounds (one family, flows/draft.ts).
      const since = leadAssignment(incident)?.receivedAt ?? new Date(0);
      const family = DRAFT_KINDS.filter((other) => familyOf(other) === familyOf(kind));
      const earlier = tx
        .select({ id: drafts.id })
        .from(drafts)
        .where(
          and(
            eq(drafts.incidentId, incident.id),
            inArray(drafts.kind, family),
            gte(drafts.submittedAt, since),
          ),
        )
        .all();
      tx.update(drafts)
        .set({ state: "superseded" })
        .where(and(eq(drafts.incidentId, incident.id), inArray(drafts.state, ["submitted"])))
        .run();
      tx.insert(drafts)
        .values({
          incidentId: incident.id,
          kind,
          round: earlier.length + 1,
          authorId: input.actor.id,
          text: input.content.text,
          attachments: input.content.attachments,
          state: "submitted",
          submittedAt: input.now,
        })
        .run();
      // Only this purpose's work is done: a half-written answer outlives an interim answer sent meanwhile.
      tx.delete(draftWork)
        .where(and(eq(draftWork.incidentId, incident.id), eq(draftWork.purpose, purpose)))
        .run();
      // Whoever sends the draft holds the post: the decision, a rework above all, is theirs to hear.
      return { state: "on_approval", holderId: input.actor.id };
    },
  });
}

/** «Согласовать»: one tap; an optional quality mark (1–5) feeds the monthly quality figure. */
export function approveDraft(
  db: Db,
  input: { incidentId: number; actor: Person; now: Date; quality?: number; draftId?: number | undefined },
): TransitionResult {
  return transition(db, {
    incidentId: input.incidentId,
    action: "approve",
    actor: input.actor,
    now: input.now,
    check: seenDraft(input.draftId),
    details: (before) => ({
      ...(input.quality !== undefined ? { quality: input.quality } : {}),
      ...kindDetail(before),
    }),
    change: (tx, incident) => {
      decideLatest(tx, incident, {
        state: "approved",
        decidedBy: input.actor.id,
        decidedAt: input.now,
        quality: input.quality ?? null,
        reworkComment: null,
      });
      return { state: "approved" };
    },
  });
}

/**
 * «Согласовать и разместить лично» (Georgievsk p.12): the approval and the curator's «Размещу лично»
 * in one transaction, audited as the two taps are (`approve`, then `curatorPosts`), so the executors
 * are never told to post what the curator posts. Refused as «Согласовать» is; an update handled again
 * after a crash made both already.
 */
export function approveAndClaim(
  db: Db,
  input: { incidentId: number; actor: Person; now: Date; draftId?: number | undefined },
): TransitionResult {
  return db.transaction(
    () => {
      const result = approveDraft(db, input);
      if (result.ok) recordCuratorPosting(db, { ...input, posting: true, withApproval: true });
      return result;
    },
    { behavior: "immediate" },
  );
}

/**
 * «Размещу лично» (Georgievsk p.12) and its cancellation: no state changes, but the executors were told
 * not to post, so the claim is audited (`curatorPosts`, `curatorGaveUp`) and a claim left without a
 * link is found by the sweep (jobs/curator-posting.ts). Recorded only while the approved text waits.
 * `withApproval`: claimed in the approval's tap, so the executors have not been sent the approved text.
 * Undefined when nothing was recorded; a cancellation gives the event id of the claim it ended. An
 * update handled again after a crash made it already: done again, so its notice is not lost.
 */
export function recordCuratorPosting(
  db: Db,
  input: { incidentId: number; actor: Person; now: Date; posting: boolean; withApproval?: boolean },
): { claim?: number } | undefined {
  return db.transaction(
    (tx) => {
      const action = input.posting ? "curatorPosts" : "curatorGaveUp";
      const made = madeByThisUpdate(tx, { entity: "incident", entityId: input.incidentId, action });
      if (made) return typeof made.claim === "number" ? { claim: made.claim } : {};
      const incident = loadIncident(tx, input.incidentId);
      if (incident?.state !== "approved") return undefined;
      // Only the claim's own curator gives it up: another's cancel leaves it standing.
      const claim = latestClaimEvent(tx, input.incidentId)?.event;
      if (!input.posting && (claim?.action !== "curatorPosts" || claim.actorId !== input.actor.id))
        return undefined;
      const ended = input.posting ? {} : { claim: claim?.id };
      const details = input.posting ? (input.withApproval ? { withApproval: true } : undefined) : ended;
      audit(tx, input.now, {
        actorId: input.actor.id,
        entity: "incident",
        entityId: input.incidentId,
        action,
        ...(details ? { details } : {}),
      });
      return ended;
    },
    { behavior: "immediate" },
  );
}

/** What ends a «Размещу лично» claim: the claim itself, its cancellation, or a new approval (a new text). */
const CLAIM_EVENTS = ["curatorPosts", "curatorGaveUp", "approve"];

/**
 * The latest event that starts or ends a curator's «Размещу лично» claim on the post, with the
 * curator: the claim holds while it is a `curatorPosts` whose link question is still open.
 */
export function latestClaimEvent(db: Tx, incidentId: number) {
  return db
    .select({ event: auditEvents, curator: people })
    .from(auditEvents)
    .leftJoin(people, eq(people.id, auditEvents.actorId))
    .where(
      and(
        eq(auditEvents.entity, "incident"),
        eq(auditEvents.entityId, String(incidentId)),
        inArray(auditEvents.action, CLAIM_EVENTS),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(1)
    .get();
}

/**
 * The «Размещу лично» claim still holding at `now`, with its curator: the latest claim event is the
 * claim, and its link question (open `windowMs`, flows/ask.ts ANSWER_WINDOW_MS) has not closed.
 */
export function openClaim(db: Tx, incidentId: number, now: Date, windowMs: number) {
  const claim = latestClaimEvent(db, incidentId);
  return claim?.event.action === "curatorPosts" && now.getTime() - claim.event.at.getTime() <= windowMs
    ? claim
    : undefined;
}

/** The ledger key of the executors' notice that a claim was left without a link (jobs/curator-posting.ts). */
export const claimSilenceKey = (claimEventId: number) => `curator-posting:${claimEventId}`;

/**
 * Whether the executors, handed back the posting of a claim (its event `claim`: left without a link,
 * or cancelled), have yet to be sent the approved text: the approval came with a claim in one tap
 * (its notice said the curator posts it), and no claim since was handed back to them.
 */
export function approvedTextOwed(db: Db, incidentId: number, claim: number): boolean {
  const events = db
    .select({ id: auditEvents.id, action: auditEvents.action, details: auditEvents.details })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entity, "incident"),
        eq(auditEvents.entityId, String(incidentId)),
        inArray(auditEvents.action, CLAIM_EVENTS),
        lte(auditEvents.id, claim),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .all();
  const approval = events.findIndex((event) => event.action === "approve");
  const since = events.slice(0, approval).reverse();
  if (approval < 0 || since[0]?.details?.withApproval !== true) return false;
  // An earlier claim cancelled, or whose silence was told, brought them the text then.
  return since.every(
    (event) => event.id === claim || (event.action === "curatorPosts" && !silenceTold(db, event.id)),
  );
}

/** Told under one key for all its chats before each chat had its own (`<key>:<chat>`). */
function silenceTold(db: Db, claimEventId: number): boolean {
  const key = claimSilenceKey(claimEventId);
  return noticeClaimed(db, key) || noticesStartingWith(db, `${key}:`).length > 0;
}

/** «На доработку» with the curator's comment: the rework clock starts. */
export function requestRework(
  db: Db,
  input: { incidentId: number; actor: Person; now: Date; comment: string; draftId?: number | undefined },
): TransitionResult {
  return transition(db, {
    incidentId: input.incidentId,
    action: "requestRework",
    actor: input.actor,
    now: input.now,
    check: seenDraft(input.draftId),
    details: (before) => ({ comment: input.comment, ...kindDetail(before) }),
    change: (tx, incident) => {
      decideLatest(tx, incident, {
        state: "rework",
        decidedBy: input.actor.id,
        decidedAt: input.now,
        quality: null,
        reworkComment: input.comment,
      });
      // A final answer returned after an interim one leaves the post waiting for it, not «в работе».
      return { state: workState(incident) };
    },
  });
}

/** An interim answer's or a question's decision says so in the audit (the answer's says nothing). */
function kindDetail(incident: Incident): { kind?: DraftKind } {
  const kind = incident.answer?.draftKind;
  return kind === "interim" || kind === "clarification" ? { kind } : {};
}

/**
 * A decision names the draft the curator saw (its buttons carry it); one made on an earlier draft
 * after a new one came is refused as "changed". Buttons sent before drafts were named decide on the latest.
 */
function seenDraft(draftId: number | undefined) {
  return (incident: Incident) =>
    draftId !== undefined && incident.answer?.draftId !== draftId ? ("changed" as const) : undefined;
}

/** The curator's decision on the latest draft: every «Согласовать» writes it. */
const decideQuery = preparedPerConnection((db) => {
  const p = sql.placeholder;
  return (
    db
      .update(drafts)
      // Placeholders in SET skip the columns' mapping: the time is epoch ms here.
      .set({
        state: sql`${p("state")}`,
        decidedBy: sql`${p("decidedBy")}`,
        decidedAt: sql`${p("decidedAt")}`,
        quality: sql`${p("quality")}`,
        reworkComment: sql`${p("reworkComment")}`,
      })
      .where(eq(drafts.id, p("id")))
      .prepare()
  );
});

function decideLatest(
  tx: Tx,
  incident: Incident,
  decision: Pick<Draft, "state" | "decidedBy" | "quality" | "reworkComment"> & { decidedAt: Date },
): void {
  const id = incident.answer?.draftId;
  if (!id) throw new Error("an incident on approval has no draft");
  decideQuery(tx).run({ ...decision, decidedAt: decision.decidedAt.getTime(), id });
}

/**
 * «Размещено» with the link (checked by the caller to be in the post's network): the incident is
 * answered; whether the answer deadline was met is fixed now, so later reports agree.
 */
export function publishAnswer(
  db: Db,
  input: { incidentId: number; actor: Person; now: Date; link: string; onTime: boolean; rules: ActionRules },
): TransitionResult {
  return recordLink(db, input, { action: "publish", kind: "answer", state: () => "answered" });
}

/** An approved interim answer was posted: the incident waits for the final one on the preset's clock. */
export function publishInterim(db: Db, input: LinkInput): TransitionResult {
  return recordLink(db, input, { action: "publishInterim", kind: "interim", state: () => "awaiting_final" });
}

/**
 * An approved question to the post's author was posted (its link): the post is back in work, waiting
 * for the answer; neither regulation stops the clock for it.
 */
export function recordClarification(db: Db, input: LinkInput): TransitionResult {
  return recordLink(db, input, { action: "askClarification", kind: "clarification", state: workState });
}

interface LinkInput {
  incidentId: number;
  actor: Person;
  now: Date;
  link: string;
  onTime?: boolean;
  rules?: ActionRules;
}

/** Something was posted in the network: its link is stored and the incident moves on. */
function recordLink(
  db: Db,
  input: LinkInput,
  what: {
    action: "publish" | "publishInterim" | "askClarification";
    kind: "answer" | "interim" | "clarification";
    state: (incident: Incident) => "answered" | "awaiting_final" | "in_work";
  },
): TransitionResult {
  return transition(db, {
    incidentId: input.incidentId,
    action: what.action,
    actor: input.actor,
    now: input.now,
    ...(input.rules ? { rules: input.rules } : {}),
    details: { link: input.link, ...(input.onTime !== undefined ? { onTime: input.onTime } : {}) },
    change: (tx, incident) => {
      tx.insert(publications)
        .values({
          incidentId: incident.id,
          kind: what.kind,
          link: input.link,
          publishedBy: input.actor.id,
          publishedAt: input.now,
          onTime: input.onTime ?? null,
        })
        .run();
      return { state: what.state(incident) };
    },
  });
}

/**
 * Keeps what an executor has sent so far for a draft of this purpose, so an abandoned dialogue loses
 * nothing: the whole of it, replacing what was kept (a text dropped by «Начать заново» is gone).
 */
export function saveDraftWork(
  db: Db,
  input: {
    incidentId: number;
    personId: number;
    purpose: DraftPurpose;
    content: { text: string | null; attachments: Attachment[] };
    /** Begun from the answer's earlier draft (the final answer): see draftWork.fromPrevious. */
    fromPrevious?: boolean;
    now: Date;
  },
): void {
  const { text, attachments } = input.content;
  const fromPrevious = input.fromPrevious ?? false;
  db.insert(draftWork)
    .values({
      incidentId: input.incidentId,
      personId: input.personId,
      purpose: input.purpose,
      text,
      attachments,
      fromPrevious,
      updatedAt: input.now,
    })
    .onConflictDoUpdate({
      target: [draftWork.incidentId, draftWork.personId, draftWork.purpose],
      set: { text, attachments, fromPrevious, updatedAt: input.now },
    })
    .run();
}

/** This person's kept work for a draft of this purpose (one row: the table's key). */
const workOf = (incidentId: number, personId: number, purpose: DraftPurpose) =>
  and(eq(draftWork.incidentId, incidentId), eq(draftWork.personId, personId), eq(draftWork.purpose, purpose));

/** «Начать заново»: what this person kept for a draft of this purpose is dropped. */
export function dropDraftWork(db: Db, incidentId: number, personId: number, purpose: DraftPurpose): void {
  db.delete(draftWork)
    .where(workOf(incidentId, personId, purpose))
    .run();
}

/** What this person kept for drafts, of any post and purpose, last changed since `since`: the latest first. */
export function draftWorkSince(db: Db, personId: number, since: Date): (typeof draftWork.$inferSelect)[] {
  return db
    .select()
    .from(draftWork)
    .where(and(eq(draftWork.personId, personId), gte(draftWork.updatedAt, since)))
    .orderBy(desc(draftWork.updatedAt))
    .all();
}

/** What this person has sent so far for a draft of this purpose, to be offered back. */
export function loadDraftWork(
  db: Db,
  incidentId: number,
  personId: number,
  purpose: DraftPurpose,
): typeof draftWork.$inferSelect | undefined {
  return db
    .select()
    .from(draftWork)
    .where(workOf(incidentId, personId, purpose))
    .get();
}
