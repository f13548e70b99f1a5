/** Read-only questions about incidents the bot asks besides the transitions: rights to see, history, search. */

import { and, asc, desc, eq, gte, inArray, isNotNull, lt, lte, notInArray, sql } from "drizzle-orm";
import { type Db, preparedPerConnection, type Tx } from "../db/client.js";
import {
  assignments,
  auditEvents,
  cards,
  draftMessages,
  incidentSearchKeys,
  incidents,
  noticesSent,
  organizations,
  people,
} from "../db/schema.js";
import { displayName, hasRole, type Person } from "../domain/access.js";
import type { Importance } from "../domain/incident.js";
import { foldCase } from "../domain/names.js";
import { type Head, headOf } from "./heads.js";

/**
 * Whose posts the person sees: every one ("all") for curators and heads of the whole district; for
 * a head of an organization, as for its executors, that organization's.
 */
export function visibleOrganizations(db: Tx, person: Person | undefined): "all" | number[] {
  return visibleTo(person, headSettingsOf(db, person));
}

const headSettingsOf = (db: Tx, person: Person | undefined): Head | undefined =>
  person && hasRole(person, "head") ? headOf(db, person.id) : undefined;

function visibleTo(person: Person | undefined, head: Head | undefined): "all" | number[] {
  if (!person) return [];
  if (hasRole(person, "curator") || (head && head.organizationId === null)) return "all";
  const ids = new Set(person.organizationIds);
  if (head?.organizationId != null) ids.add(head.organizationId);
  return [...ids];
}

/**
 * The notices-ledger key saying a surge notice listed the post to this head of an organization
 * (claimed before the notice goes out), who may then open it though it is another organization's.
 */
export const surgeListedKey = (incidentId: number, telegramId: number) =>
  `surge-listed:${incidentId}:to:${telegramId}`;

/**
 * Whether the person sees the incident: with `visibleOrganizations` "all", every one; else those where
 * one of their organizations has, or had, an assignment (a returned post stays visible to the
 * organization that returned it). A head of an organization told at once of posts of these
 * importances («Срочные», `heardAtOnce`), or of a surge listing the post, sees those too: he was
 * told of them to look.
 */
export function mayViewIncident(
  db: Tx,
  incidentId: number,
  person: Person | undefined,
  heardAtOnce: readonly Importance[] = [],
): boolean {
  const head = headSettingsOf(db, person);
  const visible = visibleTo(person, head);
  if (visible === "all" || organizationsInvolved(db, incidentId, visible).length > 0) return true;
  if (!head?.purposes.includes("urgent") || !person) return false;
  const row = db
    .select({ importance: incidents.importance })
    .from(incidents)
    .where(eq(incidents.id, incidentId))
    .get();
  if (row === undefined) return false;
  if (heardAtOnce.includes(row.importance)) return true;
  const listed = surgeListedKey(incidentId, person.telegramId);
  return db.select().from(noticesSent).where(eq(noticesSent.key, listed)).get() !== undefined;
}

/** How many of the newest posts a search by words reads: a quick answer whatever the words. */
export const WORD_SEARCH_WINDOW = 5000;
/** The matches read at a time: the newest first, more only while the person's rights let too few through. */
const WORD_SEARCH_PAGE = 50;

/**
 * The posts, newest first, among the newest `WORD_SEARCH_WINDOW`, whose text, topic, place or
 * author contain every one of the words, in any case and with ё read as е. SQLite matches them in
 * their folded keys (incidentSearchKeys), a page at a time as the caller reads on: the caller may
 * query the database between two ids, which a statement still open would forbid.
 */
export function* incidentsWithWords(db: Tx, words: readonly string[]): Generator<number> {
  const id = incidentSearchKeys.incidentId;
  // Every post has its key (registration writes it): the window is counted in the pages searched.
  const oldest = sql`coalesce((select ${id} from ${incidentSearchKeys} order by ${id} desc limit 1 offset ${WORD_SEARCH_WINDOW - 1}), 0)`;
  const matching = words.map((word) => sql`instr(${incidentSearchKeys.key}, ${foldCase(word)}) > 0`);
  let before = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const page = db
      .select({ id })
      .from(incidentSearchKeys)
      .where(and(gte(id, oldest), lt(id, before), ...matching))
      .orderBy(desc(id))
      .limit(WORD_SEARCH_PAGE)
      .all();
    for (const row of page) yield row.id;
    const last = page.at(-1);
    if (last === undefined || page.length < WORD_SEARCH_PAGE) return;
    before = last.id;
  }
}

/**
 * Prepared once per connection, the organizations passed as a JSON array: /find by words reads the
 * rights post by post, hundreds of them for an executor whose organization has few of the matches.
 */
const involvedQuery = preparedPerConnection((db) =>
  db
    .selectDistinct({ id: assignments.organizationId })
    .from(assignments)
    .where(
      and(
        eq(assignments.incidentId, sql.placeholder("incidentId")),
        sql`${assignments.organizationId} in (select value from json_each(${sql.placeholder("organizationIds")}))`,
      ),
    )
    .prepare(),
);

/** Which of these organizations has, or had, an assignment in the incident. */
export function organizationsInvolved(
  db: Tx,
  incidentId: number,
  organizationIds: readonly number[],
): number[] {
  if (organizationIds.length === 0) return [];
  return involvedQuery(db)
    .all({ incidentId, organizationIds: JSON.stringify(organizationIds) })
    .map((r) => r.id);
}

/** Who took the organization's part into work (for «уже взято в работу: …»). */
export function acceptedByOf(
  db: Tx,
  incidentId: number,
  organizationIds: readonly number[],
): { person: string; organization: string } | undefined {
  if (organizationIds.length === 0) return undefined;
  const row = db
    .select({
      person: people,
      organization: sql<string>`coalesce(${organizations.shortName}, ${organizations.name})`,
    })
    .from(assignments)
    .innerJoin(people, eq(people.id, assignments.acceptedBy))
    .innerJoin(organizations, eq(organizations.id, assignments.organizationId))
    .where(
      and(eq(assignments.incidentId, incidentId), inArray(assignments.organizationId, [...organizationIds])),
    )
    .orderBy(sql`${assignments.id} desc`)
    .get();
  return row && { person: displayName(row.person), organization: row.organization };
}

export interface HistoryEntry {
  at: Date;
  actor: string | null;
  action: string;
  fromState: string | null;
  toState: string | null;
  details: Record<string, unknown> | null;
}

/** The keys of an incident's audit event that name organizations (by id, or a list of ids). */
const ORGANIZATION_KEYS = [
  "leadId",
  "coexecutorIds",
  "kept",
  "keptForApproval",
  "keptInRework",
  "organizationId",
  "released",
] as const;

/** The organizations an incident's audit event names. */
export function organizationsNamed(details: Record<string, unknown> | null | undefined): number[] {
  return ORGANIZATION_KEYS.flatMap((key) => [details?.[key]].flat()).filter((id) => typeof id === "number");
}

/**
 * The names «История» gives the organizations of an event: those it recorded (as they were called
 * then), otherwise, for an event from before they were recorded, the current ones.
 */
export function namesAtTheTime(entry: HistoryEntry, current: Map<number, string>): Map<number, string> {
  const recorded = entry.details?.organizationNames;
  if (typeof recorded !== "object" || recorded === null) return current;
  const names = new Map(current);
  for (const [id, name] of Object.entries(recorded))
    if (typeof name === "string") names.set(Number(id), name);
  return names;
}

/** The incident's audit trail, oldest first. */
export function incidentHistory(db: Tx, incidentId: number): HistoryEntry[] {
  return db
    .select({ event: auditEvents, actor: people })
    .from(auditEvents)
    .leftJoin(people, eq(people.id, auditEvents.actorId))
    .where(and(eq(auditEvents.entity, "incident"), eq(auditEvents.entityId, String(incidentId))))
    .orderBy(asc(auditEvents.at), asc(auditEvents.id))
    .all()
    .map(({ event, actor }) => ({
      at: event.at,
      actor: actor ? displayName(actor) : null,
      action: event.action,
      fromState: event.fromState,
      toState: event.toState,
      details: event.details,
    }));
}

/** People's names as «История» shows them, by person id. */
export function personNames(db: Tx, ids: readonly number[]): Map<number, string> {
  if (ids.length === 0) return new Map();
  const rows = db
    .select()
    .from(people)
    .where(inArray(people.id, [...ids]))
    .all();
  return new Map(rows.map((r) => [r.id, displayName(r)]));
}

export function organizationNames(db: Tx, ids: readonly number[]): Map<number, string> {
  if (ids.length === 0) return new Map();
  const rows = db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(inArray(organizations.id, [...ids]))
    .all();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** When the post was closed without an answer: its closing transition (a closed post changes no more). */
export function closedAt(db: Tx, incidentId: number): Date | undefined {
  return db
    .select({ at: auditEvents.at })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entity, "incident"),
        eq(auditEvents.entityId, String(incidentId)),
        eq(auditEvents.toState, "closed"),
      ),
    )
    .orderBy(asc(auditEvents.at), asc(auditEvents.id))
    .limit(1)
    .get()?.at;
}

/** The state the incident was in at `at`, as its transitions recorded it (none before its first). */
export function incidentStateAt(db: Tx, incidentId: number, at: Date): string | undefined {
  return (
    db
      .select({ state: auditEvents.toState })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.entity, "incident"),
          eq(auditEvents.entityId, String(incidentId)),
          lte(auditEvents.at, at),
          isNotNull(auditEvents.toState),
        ),
      )
      .orderBy(desc(auditEvents.at), desc(auditEvents.id))
      .limit(1)
      .get()?.state ?? undefined
  );
}

/**
 * Forgets the card shown in a chat, so the next sync sends a fresh one at the bottom of the chat;
 * returns the old message to strip its buttons.
 */
export function forgetCard(db: Db, incidentId: number, chatId: number): number | undefined {
  const old = db
    .delete(cards)
    .where(and(eq(cards.incidentId, incidentId), eq(cards.chatId, chatId)))
    .returning({ messageId: cards.messageId })
    .get();
  return old?.messageId;
}

/**
 * Forgets the cards of open posts shown in a group that no longer serves them (unbound, or bound to
 * something else): the posts' next changes make no edit there, and a chat bound again gets fresh
 * cards. Returns their posts and messages, to strip their buttons.
 */
export function forgetOpenCardsIn(db: Db, chatId: number): { incidentId: number; messageId: number }[] {
  const open = db
    .select({ id: incidents.id })
    .from(incidents)
    .where(notInArray(incidents.state, ["answered", "closed"]));
  return db
    .delete(cards)
    .where(and(eq(cards.chatId, chatId), inArray(cards.incidentId, open)))
    .returning({ incidentId: cards.incidentId, messageId: cards.messageId })
    .all();
}

/** The post a message of the bot in a chat shows, as its card or a draft of its answer; undefined for any other. */
export function postShownIn(db: Db, chatId: number, messageId: number): number | undefined {
  const at = (table: typeof cards | typeof draftMessages) =>
    db
      .select({ incidentId: table.incidentId })
      .from(table)
      .where(and(eq(table.chatId, chatId), eq(table.messageId, messageId)))
      .get()?.incidentId;
  return at(cards) ?? at(draftMessages);
}
