import { createHash } from "node:crypto";
import { and, desc, eq, gte, inArray, lt, ne, notInArray, or, sql } from "drizzle-orm";
import { type Db, preparedPerConnection, type Tx } from "../db/client.js";
import {
  assignments,
  drafts,
  draftWork,
  incidentSearchKeys,
  incidents,
  organizations,
  publications,
} from "../db/schema.js";
import type { Person } from "../domain/access.js";
import {
  type ActionRules,
  type AnswerProgress,
  type AssignmentState,
  type AssignmentView,
  activeAssignments,
  assignmentFor,
  checkAction,
  type Importance,
  type IncidentAction,
  type IncidentState,
  type IncidentView,
  leadAssignment,
  nextTurn,
  OWED_PART_STATES,
  partNamed,
  type Refusal,
  sameSending,
  workState,
} from "../domain/incident.js";
import { foldCase, nameKey } from "../domain/names.js";
import { postTextKey } from "../domain/post-text.js";
import type { Network } from "../domain/source-link.js";
import { alreadyMadeByThisUpdate, audit, eventMadeByThisUpdate, incidentEvents } from "./audit.js";
import { organizationsNamed } from "./incident-queries.js";
import { carryPartAttachments } from "./part-attachments.js";

export type IncidentRow = typeof incidents.$inferSelect;

export interface Incident extends IncidentView {
  row: IncidentRow;
  publications: (typeof publications.$inferSelect)[];
  assignments: (AssignmentView & {
    id: number;
    organizationName: string;
    /** The organization's short name, for buttons: the full official one is often too long. */
    organizationShortName: string | null;
    /** Who took the organization's part into work. */
    acceptedBy: number | null;
    returnReason: string | null;
    /** The organization's name when it returned the post (null for a return before it was recorded). */
    returnedAsName: string | null;
    partText: string | null;
    /** The curator's comment when the part was last returned for rework. */
    partReturnComment: string | null;
  })[];
}

/** The queries of loadIncident: the deadline sweep, every card and every press read an incident. */
const incidentQueries = preparedPerConnection((db) => {
  const id = sql.placeholder("id");
  return {
    row: db.select().from(incidents).where(eq(incidents.id, id)).prepare(),
    parts: db
      .select({ a: assignments, organizationName: organizations.name, shortName: organizations.shortName })
      .from(assignments)
      .innerJoin(organizations, eq(organizations.id, assignments.organizationId))
      .where(eq(assignments.incidentId, id))
      .orderBy(assignments.position, assignments.id)
      .prepare(),
    latestDraft: db
      .select()
      .from(drafts)
      .where(eq(drafts.incidentId, id))
      .orderBy(desc(drafts.id))
      .limit(1)
      .prepare(),
    firstFinalDraft: db
      .select({ submittedAt: drafts.submittedAt })
      .from(drafts)
      .where(
        and(
          eq(drafts.incidentId, id),
          eq(drafts.kind, "final"),
          gte(drafts.submittedAt, sql.placeholder("since")),
        ),
      )
      .orderBy(drafts.id)
      .limit(1)
      .prepare(),
    publications: db
      .select()
      .from(publications)
      .where(eq(publications.incidentId, id))
      .orderBy(publications.id)
      .prepare(),
  };
});

/**
 * Since when the lead organization has had the post without a break (ms; 0 with none): routed again
 * to it (a co-executor added once its answer was approved), it keeps its time; one that returned the
 * post, or had it taken to another, starts anew when it gets it back.
 */
function leadSince(views: Incident["assignments"]): number {
  const current = leadAssignment({ assignments: views });
  if (!current) return 0;
  const leads = views
    .filter((a) => a.role === "lead")
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  let since = current.receivedAt;
  for (let i = leads.indexOf(current) - 1; i >= 0; i--) {
    const earlier = leads[i];
    if (!earlier || earlier.organizationId !== current.organizationId || earlier.returnedAt) break;
    since = earlier.receivedAt;
  }
  return since.getTime();
}

export function loadIncident(db: Tx, id: number): Incident | undefined {
  const queries = incidentQueries(db);
  const row = queries.row.get({ id });
  if (!row) return undefined;
  const parts = queries.parts.all({ id });
  const published = queries.publications.all({ id });
  const views = parts.map(({ a, organizationName, shortName }) => ({
    id: a.id,
    organizationId: a.organizationId,
    organizationName,
    organizationShortName: shortName,
    role: a.role,
    position: a.position,
    state: a.state,
    receivedAt: a.receivedAt,
    partSentAt: a.partSentAt,
    partReturnedAt: a.partReturnedAt,
    partReturnComment: a.partReturnComment,
    returnedAt: a.returnedAt,
    withdrawnAt: a.withdrawnAt,
    partPassedAt: a.partPassedAt,
    acceptedBy: a.acceptedBy,
    returnReason: a.returnReason,
    returnedAsName: a.returnedAsName,
    partText: a.partText,
  }));
  // The first final draft of this lead's: one of an organization the post was taken from is not its.
  const since = leadSince(views);
  return {
    id: row.id,
    state: row.state,
    importance: row.importance,
    detectedAt: row.detectedAt,
    postedAt: row.postedAt,
    routedAt: row.routedAt,
    shortenedAnswerMinutes: row.shortenedAnswerMinutes,
    holderId: row.holderId,
    row,
    assignments: views,
    answer: answerProgress(queries.latestDraft.get({ id }), published, row.state, () =>
      queries.firstFinalDraft.get({ id, since }),
    ),
    publications: published,
  };
}

/**
 * Where the answer half stands, from the latest draft and the links published so far; after an
 * interim answer, also from the first final draft (read only then).
 */
function answerProgress(
  latest: typeof drafts.$inferSelect | undefined,
  published: (typeof publications.$inferSelect)[],
  state: IncidentState,
  firstFinalDraft: () => { submittedAt: Date } | undefined,
): AnswerProgress {
  const clarification = published.filter((p) => p.kind === "clarification").at(-1)?.publishedAt ?? null;
  // The first interim answer starts the final answer's clock; another one does not move it.
  const interimPublishedAt = published.find((p) => p.kind === "interim")?.publishedAt ?? null;
  const awaitingClarification =
    clarification !== null &&
    (state === "in_work" || state === "awaiting_final") &&
    // No draft since the question, or only the question's own (posted after its approval).
    (!latest || latest.kind === "clarification" || latest.submittedAt < clarification);
  return {
    draftId: latest?.id ?? null,
    draftKind: latest?.kind ?? null,
    draftSubmittedAt: latest?.submittedAt ?? null,
    draftAuthorId: latest?.authorId ?? null,
    reworkRequestedAt: latest?.state === "rework" ? latest.decidedAt : null,
    reworkComment: latest?.state === "rework" ? latest.reworkComment : null,
    approvedAt: latest?.state === "approved" ? latest.decidedAt : null,
    interimPublishedAt,
    finalDraftSubmittedAt: interimPublishedAt ? (firstFinalDraft()?.submittedAt ?? null) : null,
    awaitingClarification,
    clarificationAskedAt: awaitingClarification ? clarification : null,
  };
}

export function findByLinkKey(db: Tx, linkKey: string): IncidentRow | undefined {
  return db.select().from(incidents).where(eq(incidents.linkKey, linkKey)).get();
}

/**
 * Where a comment has no link of its own (Одноклассники, Дзен…), another comment under a post
 * already registered is registered at the same link: its key is the post's key and «#2», «#3»…
 * (a parsed key never has «#»: a link's fragment is not part of it).
 */
const COMMENT_ORDINAL = /#(\d+)$/;

/** The key of the link an incident was registered at (see COMMENT_ORDINAL). */
export const postKeyOf = (linkKey: string): string => linkKey.replace(COMMENT_ORDINAL, "");

/**
 * The first incident registered at the link of another comment registered there: the one at the
 * link's own key, or, with none there (its link changed, see commentKeyAt), the earliest other.
 */
export function firstAtLink(db: Tx, row: Pick<IncidentRow, "id" | "linkKey">): number | undefined {
  if (!COMMENT_ORDINAL.test(row.linkKey)) return undefined;
  const postKey = postKeyOf(row.linkKey);
  const others = incidentsAtLink(db, postKey).filter((other) => other.id !== row.id);
  return (others.find((other) => other.linkKey === postKey) ?? others[0])?.id;
}

/** Every incident registered at a link (its duplicate key), earliest first. */
export function incidentsAtLink(db: Tx, postKey: string): IncidentRow[] {
  return db
    .select()
    .from(incidents)
    .where(
      or(
        eq(incidents.linkKey, postKey),
        // Keys from «key#» up to «key$»: exactly those with «#» after the key.
        and(gte(incidents.linkKey, `${postKey}#`), lt(incidents.linkKey, `${postKey}$`)),
      ),
    )
    .orderBy(incidents.id)
    .all();
}

/** The key of one more comment registered at a link where these incidents are. */
function nextCommentKey(postKey: string, atLink: IncidentRow[]): string {
  if (atLink.length === 0) return postKey;
  const ordinals = atLink.map((row) => Number(COMMENT_ORDINAL.exec(row.linkKey)?.[1] ?? 1));
  return `${postKey}#${Math.max(...ordinals) + 1}`;
}

/**
 * The key at another post's link (`postKey`) of a comment registered beside others at its post's
 * link (see COMMENT_ORDINAL): the same number there, so that the comments under a post moved one by
 * one keep their order and none takes another's key; the next one there when another post holds that
 * number (one closed as void gives it up: see freeLink). Undefined for the first at a link.
 */
export function commentKeyAt(
  db: Tx,
  row: Pick<IncidentRow, "id" | "linkKey">,
  postKey: string,
): string | undefined {
  const ordinal = COMMENT_ORDINAL.exec(row.linkKey)?.[1];
  if (ordinal === undefined) return undefined;
  const atLink = incidentsAtLink(db, postKey).filter((other) => other.id !== row.id);
  const key = `${postKey}#${ordinal}`;
  const holder = atLink.find((other) => other.linkKey === key);
  return holder === undefined || holder.closedReason === "void" ? key : nextCommentKey(postKey, atLink);
}

export interface NewIncident {
  link: string;
  linkKey: string;
  network: Network;
  text: string | null;
  author: string | null;
  topic: string | null;
  place: string | null;
  importance: Importance;
  postedAt: Date | null;
  repeatOfId: number | null;
  /**
   * Another comment under a post whose link is registered already, in a network where a comment
   * has no link of its own: registered at the same link (see COMMENT_ORDINAL), not refused.
   */
  anotherComment?: boolean;
}

export type RegisterResult =
  | { ok: true; incident: Incident }
  | { ok: false; reason: "duplicate"; existingId: number };

/** Registers a post; the same link twice is refused with the existing number. */
export function registerIncident(
  db: Db,
  input: NewIncident & { actorId: number; now: Date },
): RegisterResult {
  return db.transaction(
    (tx): RegisterResult => {
      const atLink = input.anotherComment
        ? incidentsAtLink(tx, input.linkKey)
        : [findByLinkKey(tx, input.linkKey)].filter((row) => row !== undefined);
      const mine = atLink.find((row) =>
        alreadyMadeByThisUpdate(tx, { entity: "incident", entityId: row.id, action: "registered" }),
      );
      if (mine) return { ok: true, incident: loadIncident(tx, mine.id) as Incident };
      const first = atLink[0];
      if (first && !input.anotherComment) return { ok: false, reason: "duplicate", existingId: first.id };
      const { actorId, now, anotherComment, ...fields } = input;
      const row = tx
        .insert(incidents)
        .values({
          ...fields,
          textKey: postTextKey(input.text),
          linkKey: nextCommentKey(input.linkKey, atLink),
          state: "registered",
          detectedAt: now,
          nextActionAt: now,
          registeredBy: actorId,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: incidents.id })
        .get();
      writeSearchKey(tx, row.id, fields);
      audit(tx, now, {
        actorId,
        entity: "incident",
        entityId: row.id,
        action: "registered",
        toState: "registered",
        details: {
          link: input.link,
          network: input.network,
          importance: input.importance,
          repeatOfId: input.repeatOfId,
          ...(first ? { sameLinkAs: first.id } : {}),
        },
      });
      return { ok: true, incident: loadIncident(tx, row.id) as Incident };
    },
    { behavior: "immediate" },
  );
}

/**
 * The post's words as /find matches them (incidentsWithWords): its text, topic, place and author,
 * folded as one, as the migration that brought them in folded the posts before it (drizzle/0022).
 */
export function writeSearchKey(
  tx: Tx,
  incidentId: number,
  post: Pick<IncidentRow, "text" | "topic" | "place" | "author">,
): void {
  const words = [post.text, post.topic, post.place, post.author].filter((value) => value !== null);
  const key = foldCase(words.join(" "));
  tx.insert(incidentSearchKeys)
    .values({ incidentId, key })
    .onConflictDoUpdate({ target: incidentSearchKeys.incidentId, set: { key } })
    .run();
}

/** An author with this many posts in the repeat window is where posts come from, not who asks again. */
const SOURCE_POSTS = 3;

/**
 * Earlier incidents that the new post may repeat (PRODUCT.md "repeat": a post on an issue handled
 * before): the same text (`textKey`, see postTextKey: the same citizen's words under another link,
 * a duplicate), place, author or topic, detected within the preset's window. A post already
 * registered names its number (`beforeId`): only those registered before it. Compared as a surge
 * compares them (any case, ё = е: SQLite's lower() folds only ASCII, so the window's posts are folded
 * here; the text by its stored key, an indexed look-up). The likeliest first: the same text, the same
 * place (the surest sign), then the same author, then the topic, then the newest. An author
 * is no sign where the places differ (another issue), nor when it wrote several posts of the window
 * (a channel or a community the posts are forwarded from, not a citizen asking again). A topic or
 * place the post is in a surge on (`surging`: that surge's posts, see bot/surge.ts) is no sign
 * between the surge's posts: the same news at once, not an issue handled before; they may still
 * share another sign (the same citizen writing again, the same words).
 */
export function repeatCandidates(
  db: Db,
  input: {
    textKey?: string | null;
    author: string | null;
    topic: string | null;
    place: string | null;
    since: Date;
    limit?: number;
    beforeId?: number;
    surging?: { topic?: ReadonlySet<number>; place?: ReadonlySet<number> };
  },
): (IncidentRow & { signs: RepeatSign[] })[] {
  const wanted = (value: string | null) => (value?.trim() ? nameKey(value) : undefined);
  const author = wanted(input.author);
  const topic = wanted(input.topic);
  const place = wanted(input.place);
  const same = (value: string | null, key: string | undefined) =>
    key !== undefined && value !== null && nameKey(value) === key;
  const inWindow = and(
    gte(incidents.detectedAt, input.since),
    ne(incidents.state, "closed"),
    input.beforeId !== undefined ? lt(incidents.id, input.beforeId) : undefined,
  );
  const sameText = input.textKey
    ? db
        .select({ id: incidents.id })
        .from(incidents)
        .where(and(eq(incidents.textKey, input.textKey), inWindow))
        .all()
    : [];
  const recent =
    author === undefined && topic === undefined && place === undefined
      ? []
      : db
          .select({
            id: incidents.id,
            author: incidents.author,
            topic: incidents.topic,
            place: incidents.place,
          })
          .from(incidents)
          .where(inWindow)
          .all();
  const byAuthor = recent.filter((row) => same(row.author, author)).length;
  const authorTells = byAuthor < SOURCE_POSTS;
  const signsOf = (row: (typeof recent)[number]): RepeatSign[] => {
    const otherPlace = place !== undefined && wanted(row.place) !== undefined && !same(row.place, place);
    const sign = (subject: "topic" | "place", key: string | undefined) =>
      same(row[subject], key) && !input.surging?.[subject]?.has(row.id);
    return [
      ...(sign("place", place) ? (["place"] as const) : []),
      ...(authorTells && !otherPlace && same(row.author, author) ? (["author"] as const) : []),
      ...(sign("topic", topic) ? (["topic"] as const) : []),
    ];
  };
  const signs = new Map<number, RepeatSign[]>(sameText.map((row) => [row.id, ["text"]]));
  for (const row of recent) signs.set(row.id, [...(signs.get(row.id) ?? []), ...signsOf(row)]);
  const likeness = (id: number) =>
    (signs.get(id) ?? []).reduce((sum, sign) => sum + REPEAT_SIGN_WEIGHT[sign], 0);
  const ids = [...signs.keys()]
    .filter((id) => likeness(id) > 0)
    .sort((a, b) => likeness(b) - likeness(a) || b - a)
    .slice(0, input.limit ?? 5);
  if (ids.length === 0) return [];
  const found = db.select().from(incidents).where(inArray(incidents.id, ids)).all();
  return ids.flatMap((id) =>
    found.filter((row) => row.id === id).map((row) => ({ ...row, signs: signs.get(id) ?? [] })),
  );
}

/** What an earlier post shares with a new one, making it a repeat candidate (see repeatCandidates). */
export type RepeatSign = "text" | "place" | "author" | "topic";

/** The same words outweigh every other sign together (4 + 2 + 1). */
const REPEAT_SIGN_WEIGHT: Record<RepeatSign, number> = { text: 8, place: 4, author: 2, topic: 1 };

/**
 * The first post of the chain of repeats this one is in: the one it repeats, and the one that one
 * repeats, and so on (a post closed without an answer, say registered by mistake, ends the chain
 * below it); with how many posts repeat that first one, directly or through another.
 */
export function firstOfRepeats(db: Tx, row: IncidentRow): { first: IncidentRow; repeats: number } {
  let first = row;
  while (first.repeatOfId !== null && first.repeatOfId < first.id) {
    const earlier = db.select().from(incidents).where(eq(incidents.id, first.repeatOfId)).get();
    if (!earlier || earlier.state === "closed") break;
    first = earlier;
  }
  const counted = db.get<{ repeats: number }>(sql`
    with recursive chain(id) as (
      select id from incidents where repeat_of_id = ${first.id}
      union select incidents.id from incidents join chain on incidents.repeat_of_id = chain.id
    )
    select count(*) as repeats from chain`);
  return { first, repeats: counted.repeats };
}

/** Open incidents marked as repeats of this one: their cards tell how it went. */
export function openRepeatsOf(db: Tx, incidentId: number): number[] {
  return db
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.repeatOfId, incidentId), notInArray(incidents.state, ["closed", "answered"])))
    .all()
    .map((row) => row.id);
}

/** How long a routing is offered to follow for the next posts on its topic and place. */
export const ROUTED_ALIKE_MS = 24 * 3_600_000;

/** How a post is routed now: the lead and the co-executors in their order (Orenburg p.14). */
export interface Routing {
  incidentId: number;
  /** Each organization by its short name (or its full one). */
  lead: RoutedOrganization;
  coexecutors: RoutedOrganization[];
  inOrder: boolean;
}

interface RoutedOrganization {
  id: number;
  name: string;
}

/**
 * The organizations the post is with now, for routing another the same way; undefined when none has
 * it (not routed, returned, closed) or one of them is switched off since.
 */
export function routingOf(db: Tx, incidentId: number): Routing | undefined {
  const incident = loadIncident(db, incidentId);
  if (!incident || incident.state === "registered" || incident.state === "closed") return undefined;
  const live = activeAssignments(incident);
  const lead = live.find((a) => a.role === "lead");
  if (!lead) return undefined;
  const coexecutors = live.filter((a) => a.role === "coexecutor").sort((a, b) => a.position - b.position);
  const parts = [lead, ...coexecutors];
  const ids = parts.map((a) => a.organizationId);
  const active = db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(inArray(organizations.id, ids), eq(organizations.active, true)))
    .all();
  if (active.length < ids.length) return undefined;
  const named = (a: Incident["assignments"][number]) => ({
    id: a.organizationId,
    name: a.organizationShortName ?? a.organizationName,
  });
  return {
    incidentId,
    lead: named(lead),
    coexecutors: coexecutors.map(named),
    inOrder: routedInOrder(db, incidentId),
  };
}

/**
 * A routing in a few characters, for a button that offers it (`inc.routeas`): the lead, the
 * co-executors and their order, not which post went so — the offer of a surge's next post stays
 * the same while the posts go the same way.
 */
export function routingMark(routing: Routing): string {
  const coexecutors = routing.coexecutors.map((o) => o.id);
  const inOrder = routing.inOrder && coexecutors.length > 1;
  return createHash("sha256")
    .update(JSON.stringify([routing.lead.id, coexecutors, inOrder]))
    .digest("base64url")
    .slice(0, 8);
}

/** Whether two posts share their topic and place, compared as a surge compares them; both must have them. */
function sameTopicAndPlace(
  a: Pick<IncidentRow, "topic" | "place">,
  b: Pick<IncidentRow, "topic" | "place">,
): boolean {
  const key = (value: string | null) => (value?.trim() ? nameKey(value) : undefined);
  const topic = key(a.topic);
  const place = key(a.place);
  return topic !== undefined && place !== undefined && key(b.topic) === topic && key(b.place) === place;
}

/**
 * The posts waiting to be routed (detected within ROUTED_ALIKE_MS) on the same topic and place as
 * this one, just routed: their cards now offer to route them as it is (see routedAlike).
 */
export function waitingAlike(db: Tx, post: Pick<IncidentRow, "id" | "topic" | "place">, now: Date): number[] {
  if (!sameTopicAndPlace(post, post)) return [];
  return db
    .select({ id: incidents.id, topic: incidents.topic, place: incidents.place })
    .from(incidents)
    .where(
      and(
        eq(incidents.state, "registered"),
        gte(incidents.detectedAt, new Date(now.getTime() - ROUTED_ALIKE_MS)),
        ne(incidents.id, post.id),
      ),
    )
    .all()
    .filter((row) => sameTopicAndPlace(post, row))
    .map((row) => row.id);
}

/**
 * The post routed last (within ROUTED_ALIKE_MS) on the same topic and the same place as this one,
 * compared as a surge compares them, with how it is routed: in a surge of posts about one accident
 * each goes where the one before went («Направить так же»). Undefined when the post lacks its
 * topic or place, or no such post is with an organization now.
 */
export function routedAlike(
  db: Tx,
  post: Pick<IncidentRow, "id" | "topic" | "place">,
  now: Date,
): Routing | undefined {
  if (!sameTopicAndPlace(post, post)) return undefined;
  const routed = db
    .select({ id: incidents.id, topic: incidents.topic, place: incidents.place })
    .from(incidents)
    .where(
      and(
        gte(incidents.routedAt, new Date(now.getTime() - ROUTED_ALIKE_MS)),
        ne(incidents.id, post.id),
        notInArray(incidents.state, ["registered", "closed"]),
      ),
    )
    .orderBy(desc(incidents.routedAt), desc(incidents.id))
    .all();
  for (const row of routed) {
    if (!sameTopicAndPlace(post, row)) continue;
    const routing = routingOf(db, row.id);
    if (routing) return routing;
  }
  return undefined;
}

/**
 * Whether this post, just routed from waiting to be routed, changed the routing offered to the posts
 * waiting on its topic and place: not when it went as the post routed before it did (a surge's
 * «Направить так же»), the routing their cards offer already.
 */
export function alikeOfferChanged(
  db: Tx,
  post: Pick<IncidentRow, "id" | "topic" | "place">,
  now: Date,
): boolean {
  const offered = routedAlike(db, post, now);
  const routed = routingOf(db, post.id);
  return !offered || !routed || routingMark(offered) !== routingMark(routed);
}

export type TransitionRefusal = Refusal | "not_found" | "changed";

export type TransitionResult =
  | {
      ok: true;
      incident: Incident;
      /**
       * The incident as the change found it, and when the change was made: what to tell whom is
       * told from these, so an update handled again after a crash tells what its change did then.
       */
      before: Incident;
      at: Date;
    }
  | { ok: false; refusal: TransitionRefusal };

type IncidentColumn = keyof typeof incidents.$inferSelect;

function buildIncidentUpdate(tx: Tx, columns: IncidentColumn[]) {
  // Placeholders wrapped in sql`` are bound as given: the values are mapped for the driver below.
  const set = Object.fromEntries(columns.map((c) => [c, sql`${sql.placeholder(c)}`]));
  return tx
    .update(incidents)
    .set(set)
    .where(eq(incidents.id, sql.placeholder("id")))
    .prepare();
}

/**
 * A transition's UPDATE, prepared once per set of changed columns (a handful of them): building and
 * preparing it anew cost more than the rest of the transaction's writes.
 */
const incidentUpdates = preparedPerConnection(
  () => new Map<string, ReturnType<typeof buildIncidentUpdate>>(),
);

function writeIncident(tx: Tx, id: number, fields: Partial<IncidentRow>): void {
  const columns = (Object.keys(fields) as IncidentColumn[]).filter((c) => fields[c] !== undefined).sort();
  const updates = incidentUpdates(tx);
  const key = columns.join();
  let update = updates.get(key);
  if (!update) {
    update = buildIncidentUpdate(tx, columns);
    updates.set(key, update);
  }
  const values: Record<string, unknown> = { id };
  for (const c of columns) {
    const value = fields[c];
    values[c] = value === null ? null : incidents[c].mapToDriverValue(value as never);
  }
  update.run(values);
}

/**
 * The one door every change of an incident goes through: in one immediate transaction it reads the
 * incident, checks the action against the state machine and the actor's rights, applies `change`,
 * bumps the version and writes the audit event. Concurrent presses serialize here; the loser sees
 * the new state and gets "wrong_state".
 */
export function transition(
  db: Db,
  input: {
    incidentId: number;
    action: IncidentAction;
    actor: Person;
    now: Date;
    /** What the audit event records beside the states; a function when it depends on the incident. */
    details?: Record<string, unknown> | ((before: Incident) => Record<string, unknown>);
    /** The version the actor saw; if the incident changed since, nothing is done ("changed"). */
    expectedVersion?: number;
    rules?: ActionRules;
    /** What the action needs beyond checkAction (e.g. that this organization's part is the one waiting). */
    check?: (before: Incident) => TransitionRefusal | undefined;
    /** The organization whose card the button was on: the actor acts for its part (see assignmentFor). */
    organizationId?: number | undefined;
    change: (
      tx: Tx,
      incident: Incident,
    ) => Partial<
      Pick<IncidentRow, "state" | "holderId" | "routedAt" | "closedReason" | "shortenedAnswerMinutes">
    >;
  },
): TransitionResult {
  return db.transaction(
    (tx): TransitionResult => {
      const before = loadIncident(tx, input.incidentId);
      if (!before) return { ok: false, refusal: "not_found" };
      // The same update made this change before a crash cut its handling short: done, not refused
      // (nor "changed": the version the actor saw is the one this very change moved on).
      const again = { entity: "incident", entityId: before.id, action: input.action } as const;
      const made = eventMadeByThisUpdate(tx, again);
      if (made) return { ok: true, incident: before, before: asFound(before, made), at: made.at };
      if (input.expectedVersion !== undefined && before.row.version !== input.expectedVersion) {
        return { ok: false, refusal: "changed" };
      }
      const refusal: TransitionRefusal | undefined =
        checkAction(before, input.action, input.actor, input.rules, input.organizationId) ??
        input.check?.(before);
      if (refusal) return { ok: false, refusal };
      const details = typeof input.details === "function" ? input.details(before) : input.details;
      const fields = input.change(tx, before);
      // The sweep re-plans the incident's reminders on its next tick.
      writeIncident(tx, before.id, {
        ...fields,
        version: before.row.version + 1,
        updatedAt: input.now,
        nextActionAt: input.now,
      });
      const after = loadIncident(tx, before.id) as Incident;
      const found = altered(before, after);
      const recorded = {
        ...details,
        ...organizationNamesOf(details, [...before.assignments, ...after.assignments]),
        ...(found ? { before: found } : {}),
      };
      audit(tx, input.now, {
        actorId: input.actor.id,
        entity: "incident",
        entityId: before.id,
        action: input.action,
        fromState: before.state,
        toState: after.state,
        ...(Object.keys(recorded).length > 0 ? { details: recorded } : {}),
      });
      return { ok: true, incident: after, before, at: input.now };
    },
    { behavior: "immediate" },
  );
}

/**
 * The names the organizations an event names bear at the time: «История» shows them so after a
 * rename. Each of them is on the post before or after the change.
 */
function organizationNamesOf(
  details: Record<string, unknown> | undefined,
  parts: Incident["assignments"],
): { organizationNames?: Record<number, string> } {
  const named = organizationsNamed(details);
  const names = parts.filter((a) => named.includes(a.organizationId));
  if (names.length === 0) return {};
  return { organizationNames: Object.fromEntries(names.map((a) => [a.organizationId, a.organizationName])) };
}

/**
 * What a change altered besides the state its audit event names (as `before`): the holder it
 * replaced, and each assignment's state before it — null for one it added. An update handled again
 * after a crash reads it back (asFound) to tell the people what its change did.
 */
interface Altered {
  holderId?: number | null;
  assignments?: Record<string, AssignmentState | null>;
}

function altered(before: Incident, after: Incident): Altered | undefined {
  const assignments: Record<string, AssignmentState | null> = {};
  for (const a of after.assignments) {
    const was = before.assignments.find((b) => b.id === a.id);
    if (was?.state !== a.state) assignments[a.id] = was ? was.state : null;
  }
  const found: Altered = {
    ...(before.holderId !== after.holderId ? { holderId: before.holderId } : {}),
    ...(Object.keys(assignments).length > 0 ? { assignments } : {}),
  };
  return Object.keys(found).length > 0 ? found : undefined;
}

/**
 * The incident as the change of this audit event found it, from the incident now: its state, holder
 * and assignments as they were (see altered). An event written before `before` was recorded gives
 * the incident as it is now, but for its state.
 */
function asFound(
  now: Incident,
  made: { fromState: string | null; details: Record<string, unknown> },
): Incident {
  const found = (made.details.before ?? {}) as Altered;
  const states = new Map(Object.entries(found.assignments ?? {}));
  const assignments = now.assignments.flatMap((a) => {
    const state = states.get(String(a.id));
    if (state === undefined) return [a];
    // Added by the change; otherwise not yet returned or withdrawn by it.
    if (state === null) return [];
    return [
      {
        ...a,
        state,
        returnedAt: state === "returned" ? a.returnedAt : null,
        withdrawnAt: state === "withdrawn" ? a.withdrawnAt : null,
      },
    ];
  });
  const state = (made.fromState ?? now.state) as IncidentState;
  const holderId = found.holderId !== undefined ? found.holderId : now.holderId;
  return { ...now, state, holderId, row: { ...now.row, state, holderId }, assignments };
}

/**
 * Routes (or re-routes) the incident: the lead organization and co-executors in their order. A
 * co-executor routed again whose part had reached the lead keeps it (audit `kept`), and one whose
 * part waited for the curators (Georgievsk p.18) keeps it waiting (`keptForApproval`), and one whose
 * part they returned for rework goes on with the rework (`keptInRework`): it is not asked for the
 * same information twice (the routing flow tells a lead that has not had it). One that has the post
 * and owes its part goes on as it was (`keptWorking`, see workingParts).
 */
export function routeIncident(
  db: Db,
  input: {
    incidentId: number;
    leadId: number;
    coexecutorIds: number[];
    actor: Person;
    now: Date;
    shortenedAnswerMinutes?: number | null;
    expectedVersion?: number;
    /**
     * The co-executors get the post one after another in their order (Orenburg p.14), each when the
     * one before gives its part or returns the post; otherwise all at once.
     */
    inOrder?: boolean;
    /** Without curators passing parts on (now), a part left waiting for them is not kept but asked again. */
    rules?: ActionRules;
  },
): TransitionResult {
  const keep = (incident: Incident) =>
    givenParts(incident, input.coexecutorIds, input.rules?.curatorPassesParts !== false);
  const orgIds = [input.leadId, ...input.coexecutorIds];
  // The picker offers each organization once; twice would make two assignments of one organization.
  if (new Set(orgIds).size !== orgIds.length) {
    throw new Error(
      `routeIncident: an organization is named twice among the lead and co-executors: ${orgIds}`,
    );
  }
  const inOrder = input.inOrder === true && input.coexecutorIds.length > 1;
  // Routed again to the same lead organization while it works on the answer (say, a co-executor
  // added): it goes on as it was — who took it, since when, the post's state — with no second
  // «Взять в работу» and no new window to return it. A draft already before the curator or approved
  // goes back to work as before: the new part is for a new draft.
  const keptLead = (incident: Incident) => {
    const lead = leadAssignment(incident);
    const working = incident.state === "in_work" || incident.state === "awaiting_final";
    return working && lead?.organizationId === input.leadId && lead.state === "accepted" ? lead : undefined;
  };
  return transition(db, {
    incidentId: input.incidentId,
    action: "route",
    ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
    actor: input.actor,
    now: input.now,
    details: (incident) => {
      const given = [...keep(incident).values()];
      const ids = (status: GivenStatus) =>
        given.filter((a) => givenStatus(a) === status).map((a) => a.organizationId);
      const [kept, keptForApproval, keptInRework] = [ids("passed"), ids("waiting"), ids("rework")];
      const keptWorking = [...workingParts(incident, input.coexecutorIds).keys()];
      return {
        leadId: input.leadId,
        coexecutorIds: input.coexecutorIds,
        ...(keptLead(incident) ? { leadKept: true } : {}),
        ...(inOrder ? { inOrder } : {}),
        ...(kept.length > 0 ? { kept } : {}),
        ...(keptForApproval.length > 0 ? { keptForApproval } : {}),
        ...(keptInRework.length > 0 ? { keptInRework } : {}),
        ...(keptWorking.length > 0 ? { keptWorking } : {}),
        // The answer deadline's length from now on (Orenburg p.6), for a report of a past month.
        shortenedAnswerMinutes:
          input.shortenedAnswerMinutes !== undefined
            ? input.shortenedAnswerMinutes
            : incident.row.shortenedAnswerMinutes,
      };
    },
    change: (tx, incident) => {
      const given = keep(incident);
      // A draft of the organization that returned the post, or that the curator took it from, is not
      // the new one's to rework.
      const newLead =
        incident.state === "registered" || leadAssignment(incident)?.organizationId !== input.leadId;
      const kept = keptLead(incident);
      const working = workingParts(incident, input.coexecutorIds);
      const stay = [...working.values()].map((a) => a.id);
      withdrawLiveAssignments(tx, incident.id, input.now, kept ? [kept.id, ...stay] : stay);
      if (newLead) supersedePendingDrafts(tx, incident.id);
      let owing = 0;
      for (const [position, organizationId] of orgIds.entries()) {
        const part = position > 0 ? given.get(organizationId) : undefined;
        if (part) {
          carryPart(tx, part, position, input.now);
          // A part still waiting for the curators, or in rework, holds its turn until it reaches the lead.
          if (!part.partPassedAt) owing++;
          continue;
        }
        // A co-executor working on its part goes on as it was, its clocks from its own receipt.
        const goingOn = position > 0 ? working.get(organizationId) : undefined;
        if (goingOn) {
          tx.update(assignments).set({ position }).where(eq(assignments.id, goingOn.id)).run();
          owing++;
          continue;
        }
        if (position === 0 && kept) continue;
        // In order, the first co-executor still owing its part gets the post now; the rest wait their turn.
        const waiting = inOrder && position > 0 && owing++ > 0;
        tx.insert(assignments)
          .values({
            incidentId: incident.id,
            organizationId,
            role: position === 0 ? "lead" : "coexecutor",
            position,
            state: waiting ? "queued" : "assigned",
            receivedAt: input.now,
          })
          .run();
      }
      return {
        ...(kept ? {} : { state: "assigned" as const, holderId: null }),
        // Sent to a new lead (after a return, or taken from the old one), the answer clock that runs
        // from the post's sending to its executor restarts (Georgievsk p.16); co-executors added do not.
        routedAt: newLead ? input.now : (incident.routedAt ?? input.now),
        ...(input.shortenedAnswerMinutes !== undefined
          ? { shortenedAnswerMinutes: input.shortenedAnswerMinutes }
          : {}),
      };
    },
  });
}

/**
 * The parts of these co-executors given in the latest routing of each — reached the lead ("passed");
 * or, while curators pass parts on (`curatorsDecide`), sent and waiting for them ("waiting") or
 * returned by them for rework ("rework", Georgievsk p.18) — still live, or withdrawn with the
 * routing (the lead returned the post, the curator routes again).
 */
function givenParts(
  incident: Incident,
  coexecutorIds: number[],
  curatorsDecide: boolean,
): Map<number, Incident["assignments"][number]> {
  const latest = new Map<number, Incident["assignments"][number]>();
  for (const a of incident.assignments) {
    const seen = latest.get(a.organizationId);
    if (!seen || a.id > seen.id) latest.set(a.organizationId, a);
  }
  const given = new Map<number, Incident["assignments"][number]>();
  for (const organizationId of coexecutorIds) {
    const a = latest.get(organizationId);
    if (a?.role !== "coexecutor" || a.state === "returned") continue;
    const status = givenStatus(a);
    if (status === "passed" || (status !== undefined && curatorsDecide)) given.set(organizationId, a);
  }
  return given;
}

/**
 * The co-executors named again that have the post and owe their part, not yet sent (assigned, or
 * taken into work): they go on as they were — who took it, since when, their return window and
 * their part's clock (audit `keptWorking`).
 */
function workingParts(
  incident: Incident,
  coexecutorIds: number[],
): Map<number, Incident["assignments"][number]> {
  const named = new Set(coexecutorIds);
  const working = new Map<number, Incident["assignments"][number]>();
  for (const a of incident.assignments) {
    const live = a.state === "assigned" || a.state === "accepted";
    if (a.role === "coexecutor" && live && !a.partSentAt && named.has(a.organizationId))
      working.set(a.organizationId, a);
  }
  return working;
}

type GivenStatus = "passed" | "waiting" | "rework";

/** Where a co-executor's part stands: reached the lead, waits for the curators, or is in rework; undefined if never sent. */
function givenStatus(a: Incident["assignments"][number]): GivenStatus | undefined {
  if (!a.partSentAt) return undefined;
  if (a.partPassedAt) return "passed";
  return a.partReturnedAt && a.partReturnedAt >= a.partSentAt ? "rework" : "waiting";
}

/**
 * A given part in the new routing: the same organization's part, as it was given, with its files.
 * One in rework stays with the person who took it, its rework clock running from this routing (the
 * post was handed anew, as a new part's clock runs from receipt); the curator's comment stays.
 */
function carryPart(tx: Tx, part: Incident["assignments"][number], position: number, now: Date): void {
  const row = tx.select().from(assignments).where(eq(assignments.id, part.id)).get();
  if (!row) return;
  const { id: _, ...copy } = row;
  const status = givenStatus(part);
  const carried = tx
    .insert(assignments)
    .values({
      ...copy,
      position,
      ...(status === "rework"
        ? { state: "accepted", partReturnedAt: now }
        : { state: status === "passed" ? "part_passed" : "part_sent" }),
    })
    .returning({ id: assignments.id })
    .get();
  carryPartAttachments(tx, part, carried.id, row.incidentId, now);
}

/** «Взять в работу»: the presser becomes responsible for their organization's part. */
export function acceptIncident(
  db: Db,
  input: { incidentId: number; actor: Person; now: Date; organizationId?: number | undefined },
): TransitionResult {
  return transition(db, {
    ...input,
    action: "accept",
    // Which organization took it: a co-executor's acceptance names who answers for its part.
    details: (incident) => ({
      organizationId: ownAssignment(incident, "accept", input.actor, input.organizationId).organizationId,
    }),
    change: (tx, incident) => {
      const mine = ownAssignment(incident, "accept", input.actor, input.organizationId);
      tx.update(assignments)
        .set({ state: "accepted", acceptedBy: input.actor.id, acceptedAt: input.now })
        .where(eq(assignments.id, mine.id))
        .run();
      // After a public interim answer, the post taken by a new lead still waits for the final one.
      return mine.role === "lead" ? { state: workState(incident), holderId: input.actor.id } : {};
    },
  });
}

/** Who holds the organization's part: the lead's holder is the post's; a co-executor's, who took its part. */
export function holderOf(incident: Incident, part: Incident["assignments"][number]): number | null {
  return part.role === "lead" ? incident.holderId : part.acceptedBy;
}

/**
 * «Взять себе»: a colleague of the same organization takes over the post (or a co-executor's part)
 * another holds, say one away on leave; its deadlines stay as they are. The reminders, the decision
 * on the draft and the report's charges follow the holder from then on, and the lead's saved draft
 * work of the one it is taken from passes on with it (each purpose the taker has none of his own:
 * audit `draftPassed`). Refused ("wrong_state") when nobody or the presser holds it already, and
 * ("changed") when the post moved on since the question was asked.
 */
export function takeOverIncident(
  db: Db,
  input: {
    incidentId: number;
    actor: Person;
    now: Date;
    organizationId: number;
    expectedVersion: number;
  },
): TransitionResult {
  const mine = (incident: Incident) => ownAssignment(incident, "takeOver", input.actor, input.organizationId);
  const passed = (incident: Incident, from: number | null) =>
    mine(incident).role === "lead" && from !== null
      ? draftWorkToPass(db, incident.id, from, input.actor.id)
      : [];
  return transition(db, {
    ...input,
    action: "takeOver",
    check: (incident) => {
      const from = holderOf(incident, mine(incident));
      return from === null || from === input.actor.id ? "wrong_state" : undefined;
    },
    details: (incident) => {
      const from = holderOf(incident, mine(incident));
      const draftPassed = passed(incident, from).length > 0;
      const role = mine(incident).role;
      return {
        organizationId: input.organizationId,
        role,
        from,
        to: input.actor.id,
        ...(draftPassed ? { draftPassed } : {}),
      };
    },
    change: (tx, incident) => {
      const part = mine(incident);
      const from = holderOf(incident, part);
      tx.update(assignments).set({ acceptedBy: input.actor.id }).where(eq(assignments.id, part.id)).run();
      for (const work of passed(incident, from)) {
        const theirs = and(
          eq(draftWork.incidentId, work.incidentId),
          eq(draftWork.personId, work.personId),
          eq(draftWork.purpose, work.purpose),
        );
        tx.delete(draftWork).where(theirs).run();
        // Reminded of as left unfinished only after a pause of the new holder's own.
        tx.insert(draftWork)
          .values({ ...work, personId: input.actor.id, updatedAt: input.now })
          .run();
      }
      return part.role === "lead" ? { holderId: input.actor.id } : {};
    },
  });
}

/** The draft work `from` saved on the post that passes to `to`: each purpose `to` has none of his own. */
function draftWorkToPass(tx: Tx, incidentId: number, from: number, to: number) {
  const work = tx.select().from(draftWork).where(eq(draftWork.incidentId, incidentId)).all();
  const own = new Set(work.filter((w) => w.personId === to).map((w) => w.purpose));
  return work.filter((w) => w.personId === from && !own.has(w.purpose));
}

/**
 * The colleague who took the organization's post (or part) over from this person at or after
 * `since`, if one did: a draft dialogue begun before that is not sent.
 */
export function takenOverFrom(
  db: Tx,
  input: { incidentId: number; organizationId: number; personId: number; since: Date },
): number | undefined {
  const event = incidentEvents(db, input.incidentId, "takeOver").find(
    (e) =>
      e.details?.organizationId === input.organizationId &&
      e.details?.from === input.personId &&
      e.at >= input.since,
  );
  const to = event?.details?.to;
  return typeof to === "number" ? to : undefined;
}

/**
 * «Вернуть» with a reason: the lead's return sends the whole incident back to the curators for
 * routing again; a co-executor's return drops only its own part.
 */
export function returnIncident(
  db: Db,
  input: {
    incidentId: number;
    actor: Person;
    now: Date;
    reason: string;
    organizationId?: number | undefined;
  },
): TransitionResult {
  return transition(db, {
    incidentId: input.incidentId,
    action: "return",
    actor: input.actor,
    now: input.now,
    organizationId: input.organizationId,
    details: (incident) => {
      const mine = ownAssignment(incident, "return", input.actor, input.organizationId);
      const next = mine.role === "coexecutor" ? releasedBy(incident, mine.id) : {};
      return { reason: input.reason, organizationId: mine.organizationId, role: mine.role, ...next };
    },
    change: (tx, incident) => {
      const mine = ownAssignment(incident, "return", input.actor, input.organizationId);
      tx.update(assignments)
        .set({
          state: "returned",
          returnReason: input.reason,
          returnedAt: input.now,
          returnedAsName: mine.organizationName,
        })
        .where(eq(assignments.id, mine.id))
        .run();
      if (mine.role !== "lead") {
        releaseNext(tx, incident, input.now, mine.id);
        return {};
      }
      withdrawLiveAssignments(tx, incident.id, input.now);
      return { state: "registered", holderId: null };
    },
  });
}

/**
 * Of a post back with the curators, the co-executors' parts its lead's return took while they were
 * owed (as the return's audit event recorded their states): those told to send nothing until the
 * curators route the post anew (flows/withdrawn.ts), who are to hear how that ends. None while a
 * lead has the post.
 */
export function partsLeftByLeadReturn(db: Tx, incident: Incident): Incident["assignments"] {
  const event = incidentEvents(db, incident.id, "return")[0];
  if (leadAssignment(incident) || event?.details?.role !== "lead") return [];
  const was = (event.details.before as Altered | undefined)?.assignments ?? {};
  return incident.assignments.filter((a) => {
    const owed = was[a.id];
    return a.role === "coexecutor" && a.state === "withdrawn" && owed != null && OWED_PART_STATES.has(owed);
  });
}

/** Toxic or threatening posts close without an answer (Orenburg p.17; Georgievsk p.22). */
export function closeAsToxic(
  db: Db,
  input: { incidentId: number; actor: Person; now: Date; threat: boolean },
): TransitionResult {
  return closeUnanswered(db, { ...input, reason: input.threat ? "threat" : "toxic" });
}

export type ClosedReason = NonNullable<IncidentRow["closedReason"]>;

/** The audited action of each way to close a post without an answer. */
export const CLOSING_ACTIONS = { toxic: "markToxic", threat: "markThreat", void: "markVoid" } as const;
/** The audit action of a threat the bot sent to the competent bodies (recordThreatForwarded). */
export const THREAT_FORWARDED = "threatForwarded";

/**
 * Closes the post without an answer: toxic, a threat, or (`void`) deleted or registered by mistake;
 * `duplicate`: the post linked as a repeat is that one's duplicate, and the audit event names it
 * («История» tells a duplicate from a mistake).
 */
export function closeUnanswered(
  db: Db,
  input: { incidentId: number; actor: Person; now: Date; reason: ClosedReason; duplicate?: boolean },
): TransitionResult {
  return transition(db, {
    incidentId: input.incidentId,
    action: CLOSING_ACTIONS[input.reason],
    actor: input.actor,
    now: input.now,
    details: ({ row }) => (input.duplicate && row.repeatOfId !== null ? { duplicateOf: row.repeatOfId } : {}),
    change: (tx, incident) => {
      withdrawLiveAssignments(tx, incident.id, input.now);
      supersedePendingDrafts(tx, incident.id);
      return { state: "closed", closedReason: input.reason };
    },
  });
}

/**
 * The bot sent the post with a threat to the competent bodies' chat (Orenburg p.17): recorded on the
 * post, so its cards, the heads' note and the monthly report say it was sent and when.
 */
export function recordThreatForwarded(
  db: Db,
  input: { incidentId: number; actorId: number; now: Date },
): void {
  audit(db, input.now, {
    actorId: input.actorId,
    entity: "incident",
    entityId: input.incidentId,
    action: THREAT_FORWARDED,
  });
}

/** When the post's threat was sent to the competent bodies (recordThreatForwarded); null if it was not. */
export function threatForwardedAt(db: Tx, incidentId: number): Date | null {
  return incidentEvents(db, incidentId, THREAT_FORWARDED).at(-1)?.at ?? null;
}

/**
 * A curator links the post to the earlier incident it repeats (Orenburg p.15; Georgievsk p.19): its
 * cards show the link, the executor's draft the earlier answer, the monthly figures count it. A post
 * is linked once: a second link, however it comes (a double tap, another curator), is "wrong_state".
 * An earlier incident that does not exist, or is not earlier, is "not_found", as a missing post is.
 */
export function markRepeat(
  db: Db,
  input: { incidentId: number; repeatOfId: number; actor: Person; now: Date },
): TransitionResult {
  // Incidents are never deleted: one found now is there when the transaction runs.
  const earlier =
    input.repeatOfId < input.incidentId &&
    db.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, input.repeatOfId)).get() !==
      undefined;
  return transition(db, {
    incidentId: input.incidentId,
    action: "markRepeat",
    actor: input.actor,
    now: input.now,
    details: { repeatOfId: input.repeatOfId },
    check: (incident) =>
      !earlier ? "not_found" : incident.row.repeatOfId !== null ? "wrong_state" : undefined,
    change: (tx, incident) => {
      tx.update(incidents).set({ repeatOfId: input.repeatOfId }).where(eq(incidents.id, incident.id)).run();
      return {};
    },
  });
}

/**
 * A co-executor's part of the information (Orenburg p.14; Georgievsk p.18). The audit event names
 * the organization whose part it is, so the monthly report can tell whose part deadline was kept.
 */
export function sendPart(
  db: Db,
  input: {
    incidentId: number;
    actor: Person;
    now: Date;
    text: string;
    organizationId?: number | undefined;
    /** Under Georgievsk p.18 (curatorPassesParts) the part waits for a curator to pass it on. */
    rules?: ActionRules;
  },
): TransitionResult {
  return transition(db, {
    incidentId: input.incidentId,
    action: "sendPart",
    actor: input.actor,
    now: input.now,
    organizationId: input.organizationId,
    details: (incident) => {
      const mine = ownAssignment(incident, "sendPart", input.actor, input.organizationId);
      return {
        length: input.text.length,
        organizationId: mine.organizationId,
        ...(input.rules?.curatorPassesParts ? { forApproval: true } : releasedBy(incident, mine.id)),
      };
    },
    change: (tx, incident) => {
      const mine = ownAssignment(incident, "sendPart", input.actor, input.organizationId);
      tx.update(assignments)
        // Where curators pass parts on (Georgievsk p.18) it waits for them; elsewhere it is the lead's.
        .set({
          ...(input.rules?.curatorPassesParts
            ? { state: "part_sent" as const, partPassedAt: null }
            : { state: "part_passed" as const, partPassedAt: input.now }),
          partText: input.text,
          partSentAt: input.now,
        })
        .where(eq(assignments.id, mine.id))
        .run();
      if (!input.rules?.curatorPassesParts) releaseNext(tx, incident, input.now, mine.id);
      return {};
    },
  });
}

/**
 * «Не ждать очереди»: a curator gives the post to the next co-executor now, without waiting for the
 * one before it, which still owes its part (Orenburg p.14: the order is the curator's to set). The
 * button names the co-executor, so a stale one does not pass the turn to another.
 */
export function releaseTurn(
  db: Db,
  input: { incidentId: number; assignmentId: number; actor: Person; now: Date },
): TransitionResult {
  return transition(db, {
    incidentId: input.incidentId,
    action: "releaseTurn",
    actor: input.actor,
    now: input.now,
    check: (incident) => (nextTurn(incident)?.id === input.assignmentId ? undefined : "wrong_state"),
    details: (incident) => releasedBy(incident, "force"),
    change: (tx, incident) => {
      releaseNext(tx, incident, input.now, "force");
      return {};
    },
  });
}

interface PartDecision {
  incidentId: number;
  /** The very part the curator saw: a part sent again after a re-routing is another assignment. */
  assignmentId: number;
  /** The sending the curator saw (partVersion); a part sent again since is not decided unseen. */
  version?: number | undefined;
  actor: Person;
  now: Date;
  rules: ActionRules;
}

/**
 * A curator approves a co-executor's part and passes it on to the lead (Georgievsk p.18); the
 * audit event names whose part it was, for the report's pass-on deadline.
 */
export function passOnPart(db: Db, input: PartDecision): TransitionResult {
  return decideOnPart(db, input, "passOnPart", { state: "part_passed", partPassedAt: input.now });
}

/**
 * A curator does not approve a co-executor's part and returns it for rework, with a comment
 * (Georgievsk p.18). The part is the co-executor's again; its rework clock runs from now.
 */
export function returnPart(db: Db, input: PartDecision & { comment: string }): TransitionResult {
  const change = { state: "accepted", partReturnedAt: input.now, partReturnComment: input.comment } as const;
  return decideOnPart(db, input, "returnPart", change, { comment: input.comment });
}

function decideOnPart(
  db: Db,
  input: PartDecision,
  action: "passOnPart" | "returnPart",
  change: Partial<typeof assignments.$inferInsert>,
  details: Record<string, unknown> = {},
): TransitionResult {
  const waiting = (incident: Incident) => {
    const part = partNamed(incident, input.assignmentId);
    return part?.role === "coexecutor" && part.state === "part_sent" && sameSending(part, input.version)
      ? part
      : undefined;
  };
  return transition(db, {
    incidentId: input.incidentId,
    action,
    actor: input.actor,
    now: input.now,
    rules: input.rules,
    check: (incident) => (waiting(incident) ? undefined : "wrong_state"),
    details: (incident) => ({
      organizationId: waiting(incident)?.organizationId,
      ...details,
      ...(action === "passOnPart" ? releasedBy(incident) : {}),
    }),
    change: (tx, incident) => {
      const part = waiting(incident);
      if (part) tx.update(assignments).set(change).where(eq(assignments.id, part.id)).run();
      // A part passed on has reached the lead: the next co-executor's turn comes (Orenburg p.14).
      if (action === "passOnPart") releaseNext(tx, incident, input.now);
      return {};
    },
  });
}

/**
 * Parts still waiting for a curator when the regulation no longer has curators pass them on (the
 * preset was changed from Georgievsk p.18 to one without it): each goes to its lead as a part sent
 * now would. The audit event has no actor, since no person did it. Returns the incidents changed,
 * with the parts passed, for their cards and the leads' notices.
 */
export function passOnStrandedParts(db: Db, now: Date): { incident: Incident; assignmentIds: number[] }[] {
  const waiting = db
    .selectDistinct({ incidentId: assignments.incidentId })
    .from(assignments)
    .where(eq(assignments.state, "part_sent"))
    .all();
  return waiting.flatMap(({ incidentId }) =>
    db.transaction(
      (tx) => {
        const before = loadIncident(tx, incidentId);
        const parts = before?.assignments.filter((a) => a.state === "part_sent") ?? [];
        if (!before || parts.length === 0) return [];
        // In order, one co-executor holds the post at a time: one part passed, one turn comes.
        for (const [i, part] of parts.entries()) {
          tx.update(assignments)
            .set({ state: "part_passed", partPassedAt: now })
            .where(eq(assignments.id, part.id))
            .run();
          const turn = i === 0 ? releasedBy(before) : {};
          audit(tx, now, {
            actorId: null,
            entity: "incident",
            entityId: before.id,
            action: "passOnPart",
            fromState: before.state,
            toState: before.state,
            details: { organizationId: part.organizationId, reason: "regulation", ...turn },
          });
        }
        releaseNext(tx, before, now);
        tx.update(incidents)
          .set({ version: before.row.version + 1, updatedAt: now, nextActionAt: now })
          .where(eq(incidents.id, before.id))
          .run();
        const incident = loadIncident(tx, before.id) as Incident;
        return [{ incident, assignmentIds: parts.map((p) => p.id) }];
      },
      { behavior: "immediate" },
    ),
  );
}

/** The states of an organization that has the post. */
const HELD_ASSIGNMENT_STATES: AssignmentState[] = ["assigned", "accepted", "part_sent", "part_passed"];
/** And of one still to get it (a co-executor waiting for its turn, Orenburg p.14). */
const LIVE_ASSIGNMENT_STATES: AssignmentState[] = ["queued", ...HELD_ASSIGNMENT_STATES];

/**
 * The co-executor whose turn comes (Orenburg p.14) as `finished` gives its part to the lead or
 * returns the post: the next waiting, unless another before it in the order still owes its part —
 * one the curator let go ahead («Не ждать очереди»), whose turn this is until it is done. One after
 * it (working since an earlier routing, put later in the order) holds no turn. "force": the
 * curator's release.
 */
function turnComing(incident: Incident, finished: number | "force" | undefined) {
  const next = nextTurn(incident);
  if (!next || finished === "force") return next;
  const owing = incident.assignments.some(
    (a) =>
      a.role === "coexecutor" &&
      a.id !== finished &&
      a.position < next.position &&
      (a.state === "assigned" || a.state === "accepted"),
  );
  return owing ? undefined : next;
}

/** Whether the post's latest routing sent its co-executors one after another (Orenburg p.14). */
export function routedInOrder(db: Tx, incidentId: number): boolean {
  return incidentEvents(db, incidentId, "route")[0]?.details?.inOrder === true;
}

/** The co-executor whose turn comes (see turnComing) gets the post now; its clocks run from now. */
function releaseNext(tx: Tx, incident: Incident, now: Date, finished?: number | "force"): void {
  const next = turnComing(incident, finished);
  if (!next) return;
  tx.update(assignments).set({ state: "assigned", receivedAt: now }).where(eq(assignments.id, next.id)).run();
}

/**
 * A part taken off the post outside a routing (its organization merged into another, see
 * organization-merge.ts): the co-executor whose turn comes now gets the post, as when a part is given.
 * `incident` as it is after; returns the audit detail, as releasedBy.
 */
export function releaseTurnAfterWithdrawal(tx: Tx, incident: Incident, now: Date): { released?: number } {
  const released = releasedBy(incident);
  releaseNext(tx, incident, now);
  return released;
}

/** The audit detail of the action that releases the next co-executor: whose turn came, for the report. */
function releasedBy(incident: Incident, finished?: number | "force"): { released?: number } {
  const next = turnComing(incident, finished);
  return next ? { released: next.organizationId } : {};
}

/** A draft before the curator or in rework that nobody will decide on or rework any more. */
function supersedePendingDrafts(tx: Tx, incidentId: number): void {
  tx.update(drafts)
    .set({ state: "superseded" })
    .where(and(eq(drafts.incidentId, incidentId), inArray(drafts.state, ["submitted", "rework"])))
    .run();
}

/**
 * Takes every organization that still holds the incident off it (re-routing, the lead's return,
 * closing), but those a routing keeps (`keptIds`: the lead working on the answer, co-executors
 * working on their parts).
 */
function withdrawLiveAssignments(tx: Tx, incidentId: number, now: Date, keptIds: number[] = []): void {
  tx.update(assignments)
    .set({ state: "withdrawn", withdrawnAt: now })
    .where(
      and(
        eq(assignments.incidentId, incidentId),
        inArray(assignments.state, LIVE_ASSIGNMENT_STATES),
        keptIds.length === 0 ? undefined : notInArray(assignments.id, keptIds),
      ),
    )
    .run();
}

/** The assignment checkAction let the person act through (see assignmentFor). */
function ownAssignment(
  incident: Incident,
  action: IncidentAction,
  person: Person,
  organizationId?: number,
): Incident["assignments"][number] {
  const mine = assignmentFor(incident, action, person, undefined, organizationId);
  if (!mine) throw new Error("checkAction let through a person without an assignment");
  return mine;
}

/** The current version of each of these incidents (one that changed since it was read has moved on). */
export function incidentVersions(db: Db, ids: number[]): Map<number, number> {
  const rows = db
    .select({ id: incidents.id, version: incidents.version })
    .from(incidents)
    .where(inArray(incidents.id, ids))
    .all();
  return new Map(rows.map((row) => [row.id, row.version]));
}

/**
 * Incidents in these states (by default, open ones: neither answered nor closed), of these
 * organizations; all of them unless a limit is given, since a list or digest orders them by deadline.
 */
export function openIncidents(
  db: Db,
  filter: { organizationIds?: number[]; states?: IncidentState[]; limit?: number },
): IncidentRow[] {
  const conditions = [
    filter.states
      ? inArray(incidents.state, filter.states)
      : notInArray(incidents.state, ["answered", "closed"]),
    filter.organizationIds
      ? inArray(
          incidents.id,
          db
            .select({ id: assignments.incidentId })
            .from(assignments)
            .where(
              and(
                inArray(assignments.organizationId, filter.organizationIds),
                inArray(assignments.state, HELD_ASSIGNMENT_STATES),
              ),
            ),
        )
      : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select()
    .from(incidents)
    .where(and(...conditions))
    .orderBy(incidents.id)
    .limit(filter.limit ?? -1) // SQLite: a negative limit is none
    .all();
}
