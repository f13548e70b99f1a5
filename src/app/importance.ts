/**
 * What a curator learns about a post after registering it: its importance (a post registered with
 * one tap is always «обычное»), its topic and its place; and what he corrects: the post's text and
 * author (words of his own pasted with the link, say), and its link (the citizen deleted the post and
 * posted it again, or a wrong link was registered). Each correction is a change of the incident like
 * any other: one transaction that checks it, bumps the version and writes the audit event.
 * Also the query a surge counts (Orenburg p.21, Georgievsk p.24): posts on one topic or place.
 */
import { and, asc, eq, gte, isNotNull, isNull, ne, or } from "drizzle-orm";
import type { Db, Tx } from "../db/client.js";
import { IMPORTANCES, incidents } from "../db/schema.js";
import { hasRole, type Person } from "../domain/access.js";
import type { Importance } from "../domain/incident.js";
import { nameKey } from "../domain/names.js";
import { postTextKey } from "../domain/post-text.js";
import { commentsHaveLinks, type ParsedLink, parseSourceLink } from "../domain/source-link.js";
import { audit, incidentEvents, madeByThisUpdate } from "./audit.js";
import {
  commentKeyAt,
  findByLinkKey,
  type Incident,
  type IncidentRow,
  loadIncident,
  postKeyOf,
  type TransitionRefusal,
  writeSearchKey,
} from "./incidents.js";

export type Subject = "topic" | "place";
/** A detail the curator types in the menu's dialogue: the topic and place, the post's text and author. */
export type TypedDetail = Subject | "text" | "author";

export type PostDetail =
  | { field: "importance"; value: Importance }
  | { field: TypedDetail; value: string | null }
  /** The post's own publication time (Orenburg p.13 counts the final answer from it). */
  | { field: "postedAt"; value: Date }
  /**
   * The post's link as parsed (its normalised address), checked already (see linkTakenBy): the
   * number, holder, drafts and deadlines stay.
   */
  | { field: "link"; value: string };

/** The audit event's action for each field, as «История» names it. */
export const DETAIL_ACTIONS = {
  importance: "setImportance",
  topic: "setTopic",
  place: "setPlace",
  text: "setText",
  author: "setAuthor",
  postedAt: "setPostedAt",
  link: "setLink",
} as const;

export type DetailResult =
  /**
   * `changed` is false when the field already had this value: nothing was written. `importanceBefore`:
   * the post's importance as the change found it (a lowering is told to the heads, a raise is not).
   */
  | { ok: true; incident: Incident; changed: boolean; importanceBefore: Importance }
  /** `takenBy`: the new link is that post's, registered since it was checked ("changed"). */
  | { ok: false; refusal: TransitionRefusal; takenBy?: number };

/** Whether the post is still being worked on: its details may be corrected until it is answered or closed. */
export function detailsEditable(incident: Pick<Incident, "state">): boolean {
  return incident.state !== "closed" && incident.state !== "answered";
}

/**
 * Sets the post's importance, topic, place, text, author, date or link. Curators only;
 * `expectedVersion` is the version the curator saw: if the same detail was set since (another
 * curator's change, say), nothing is done ("changed"); a link registered since for another post is
 * refused so too, naming it (`takenBy`). The workflow moving on meanwhile (routed, taken into work),
 * or another detail set, is no conflict: the curator overwrites nothing he did not see.
 */
export function changePostDetail(
  db: Db,
  input: { incidentId: number; detail: PostDetail; actor: Person; now: Date; expectedVersion?: number },
): DetailResult {
  const { field, value } = input.detail;
  const action = DETAIL_ACTIONS[field];
  return db.transaction(
    (tx): DetailResult => {
      const before = loadIncident(tx, input.incidentId);
      if (!before) return { ok: false, refusal: "not_found" };
      // Made by this very update before a crash cut its handling short: done, not "changed".
      const made = madeByThisUpdate(tx, { entity: "incident", entityId: before.id, action });
      if (made) {
        const was = field === "importance" ? (made.from as Importance) : before.row.importance;
        return { ok: true, incident: before, changed: true, importanceBefore: was };
      }
      // Rights first (a stranger learns nothing), then what no second look would change.
      if (!hasRole(input.actor, "curator")) return { ok: false, refusal: "forbidden" };
      if (!detailsEditable(before)) return { ok: false, refusal: "wrong_state" };
      if (input.expectedVersion !== undefined && staleFor(tx, before, action, input.expectedVersion))
        return { ok: false, refusal: "changed" };
      const importanceBefore = before.row.importance;
      if (sameValue(before.row, input.detail))
        return { ok: true, incident: before, changed: false, importanceBefore };
      const takenBy = field === "link" ? linkTakenBy(tx, before.id, value) : undefined;
      if (takenBy !== undefined) return { ok: false, refusal: "changed", takenBy };
      return {
        ok: true,
        incident: writeDetail(tx, before, input.detail, input.actor.id, input.now),
        changed: true,
        importanceBefore,
      };
    },
    { behavior: "immediate" },
  );
}

/**
 * A post registered again — by another curator while this one answered /new's questions, or sent
 * again by monitoring software — with a higher importance than it has: the higher stands, a change
 * like the card's «Важность» by the one who registered it (whose right to register was checked),
 * unless a curator has set its importance since it was registered: that decision stands (a retry
 * of the monitoring software does not undo a curator's «обычное»). Returns the incident when raised.
 */
export function keepHigherImportance(
  db: Db,
  input: { incidentId: number; importance: Importance; actorId: number; now: Date },
): Incident | undefined {
  const rank = (level: Importance) => IMPORTANCES.indexOf(level);
  return db.transaction(
    (tx) => {
      const before = loadIncident(tx, input.incidentId);
      if (!before || !detailsEditable(before) || rank(input.importance) <= rank(before.row.importance))
        return undefined;
      if (importanceSetByOthers(tx, before.id, input.actorId)) return undefined;
      const detail = { field: "importance", value: input.importance } as const;
      return writeDetail(tx, before, detail, input.actorId, input.now);
    },
    { behavior: "immediate" },
  );
}

/** Whether the post already has this value: a link, however it is written (the mobile site, say). */
function sameValue(row: IncidentRow, detail: PostDetail): boolean {
  if (detail.field === "link") return postKeyOf(row.linkKey) === parsedLink(detail.value).key;
  const from = row[detail.field];
  const value = detail.value;
  return from instanceof Date && value instanceof Date ? from.getTime() === value.getTime() : from === value;
}

/**
 * The post registered at the key this one would take at a new link (see linkColumns): a link is one
 * post's (the duplicate key is unique), so it cannot become this one's. A post closed as registered
 * by mistake, deleted or a duplicate does not hold its link: the repost registered by monitoring
 * software and closed as a duplicate of this one gives its link up to it (see freeLink).
 */
export function linkTakenBy(db: Tx, incidentId: number, link: string): number | undefined {
  const row = db.select().from(incidents).where(eq(incidents.id, incidentId)).get();
  if (!row) return undefined;
  const holder = findByLinkKey(db, linkColumns(db, row, link).linkKey);
  return holder && holder.id !== incidentId && holder.closedReason !== "void" ? holder.id : undefined;
}

/**
 * A post closed as void at the key this one takes keeps its link for «История» and the cards, but
 * its duplicate key moves aside (`<post's key>~<its number>`, which no link lookup matches: not even
 * as a comment at the link, see incidentsAtLink), with an audit event on it naming the post that
 * took the link.
 */
function freeLink(tx: Tx, linkKey: string, takenBy: number, actorId: number, now: Date): void {
  const holder = findByLinkKey(tx, linkKey);
  if (!holder || holder.id === takenBy) return;
  tx.update(incidents)
    .set({ linkKey: `${postKeyOf(linkKey)}~${holder.id}` })
    .where(eq(incidents.id, holder.id))
    .run();
  audit(tx, now, {
    actorId,
    entity: "incident",
    entityId: holder.id,
    action: "linkGivenUp",
    fromState: holder.state,
    toState: holder.state,
    details: { to: takenBy },
  });
}

function parsedLink(link: string): Extract<ParsedLink, { ok: true }> {
  const parsed = parseSourceLink(link);
  if (!parsed.ok) throw new Error(`a post's new link is invalid: ${parsed.problem}`);
  return parsed;
}

/**
 * The columns of a post's new link checked already: its address, duplicate key and network. Where
 * a comment has no link of its own (Одноклассники, Дзен…), one registered beside others at its
 * post's link stays a comment at the new one (see commentKeyAt); elsewhere the link is the comment's.
 */
function linkColumns(
  tx: Tx,
  row: IncidentRow,
  link: string,
): Pick<IncidentRow, "link" | "linkKey" | "network"> {
  const parsed = parsedLink(link);
  const comment = commentsHaveLinks(parsed.network) ? undefined : commentKeyAt(tx, row, parsed.key);
  return { link: parsed.url, linkKey: comment ?? parsed.key, network: parsed.network };
}

/** Whether someone else has set the post's importance since its registration (the card's «Важность»). */
function importanceSetByOthers(tx: Tx, incidentId: number, actorId: number): boolean {
  return incidentEvents(tx, incidentId, DETAIL_ACTIONS.importance).some((event) => event.actorId !== actorId);
}

/**
 * Whether a menu shown at the incident's version `seen` is out of date for the detail its audit
 * `action` sets: the detail set since (its events record the version they made; those written
 * before they did are older than any menu still pressed), or a version the post never had (forged).
 */
export function staleFor(tx: Tx, incident: Incident, action: string, seen: number): boolean {
  if (seen === incident.row.version) return false;
  if (seen > incident.row.version) return true;
  return incidentEvents(tx, incident.id, action).some((event) => {
    const made = event.details?.version;
    return typeof made === "number" && made > seen;
  });
}

/** Writes the change with its audit event; the sweep re-plans the reminders (a significant post is pinged at night too). */
function writeDetail(tx: Tx, before: Incident, detail: PostDetail, actorId: number, now: Date): Incident {
  const columns = columnOf(tx, before.row, detail);
  if (columns.linkKey !== undefined) freeLink(tx, columns.linkKey, before.id, actorId, now);
  tx.update(incidents)
    .set({ ...columns, version: before.row.version + 1, updatedAt: now, nextActionAt: now })
    .where(eq(incidents.id, before.id))
    .run();
  // /find's words (text, topic, place, author) follow the correction.
  if (detail.field !== "importance" && detail.field !== "postedAt" && detail.field !== "link")
    writeSearchKey(tx, before.id, { ...before.row, ...columns });
  audit(tx, now, {
    actorId,
    entity: "incident",
    entityId: before.id,
    action: DETAIL_ACTIONS[detail.field],
    fromState: before.state,
    toState: before.state,
    details: { from: before.row[detail.field], to: detail.value, version: before.row.version + 1 },
  });
  return loadIncident(tx, before.id) as Incident;
}

function columnOf(
  tx: Tx,
  row: IncidentRow,
  detail: PostDetail,
): Partial<
  Pick<IncidentRow, "importance" | TypedDetail | "textKey" | "postedAt" | "link" | "linkKey" | "network">
> {
  switch (detail.field) {
    case "link":
      return linkColumns(tx, row, detail.value);
    case "postedAt":
      return { postedAt: detail.value };
    case "importance":
      return { importance: detail.value };
    case "topic":
      return { topic: detail.value };
    case "place":
      return { place: detail.value };
    case "text":
      return { text: detail.value, textKey: postTextKey(detail.value) };
    case "author":
      return { author: detail.value };
  }
}

/** A topic or place as compared for a surge: «Снег», « снег » and «СНЕГ» are one topic, as are «ё» and «е». */
export const subjectKey = nameKey;

/**
 * The posts detected since `since` whose topic (or place) is `key` once folded, oldest first; one
 * voided (deleted, or registered by mistake) is no citizen's post and counts toward no surge.
 * SQLite's lower() folds only ASCII, so the fold is done here, over the window's posts.
 */
export function postsOnSubject(db: Db, subject: Subject, key: string, since: Date): number[] {
  const column = subject === "topic" ? incidents.topic : incidents.place;
  return db
    .select({ id: incidents.id, value: column })
    .from(incidents)
    .where(
      and(
        isNotNull(column),
        gte(incidents.detectedAt, since),
        or(isNull(incidents.closedReason), ne(incidents.closedReason, "void")),
      ),
    )
    .orderBy(asc(incidents.id))
    .all()
    .filter((row) => row.value !== null && subjectKey(row.value) === key)
    .map((row) => row.id);
}
