import { and, asc, count, eq, inArray, isNull, ne, notInArray, or, sql } from "drizzle-orm";
import { type Db, preparedPerConnection, type Tx } from "../db/client.js";
import {
  assignments,
  auditEvents,
  HEAD_PURPOSES,
  type HeadPurpose,
  incidents,
  memberships,
  organizations,
  type PersonRole,
  people,
  roleGrants,
} from "../db/schema.js";
import { can, displayName, type Person } from "../domain/access.js";
import { type AssignmentView, leadAssignment } from "../domain/incident.js";
import { alreadyMadeByThisUpdate, audit, madeByThisUpdate } from "./audit.js";
import { defaultHeadSettings, deleteHeadSettings, type Head, headOf, writeHeadSettings } from "./heads.js";
import { openPostsOf } from "./organizations.js";
import { pageWithin } from "./paging.js";

export interface TelegramProfile {
  id: number;
  first_name: string;
  last_name?: string | undefined;
  username?: string | undefined;
}

/** Every update reads its sender afresh (rights are never cached), so these run on each one. */
const personQueries = preparedPerConnection((db) => {
  const p = sql.placeholder;
  return {
    person: db
      .select()
      .from(people)
      .where(eq(people.telegramId, p("telegramId")))
      .prepare(),
    roles: db
      .select({ role: roleGrants.role })
      .from(roleGrants)
      .where(eq(roleGrants.personId, p("personId")))
      .prepare(),
    organizations: db
      .select({ id: memberships.organizationId })
      .from(memberships)
      .where(eq(memberships.personId, p("personId")))
      .prepare(),
    /** Every approval, decision and reminder tells the person holding the incident. */
    memberTelegramId: db
      .select({ telegramId: people.telegramId })
      .from(people)
      .innerJoin(memberships, eq(memberships.personId, people.id))
      .where(
        and(
          eq(people.id, p("personId")),
          eq(memberships.organizationId, p("organizationId")),
          isNull(people.blockedAt),
        ),
      )
      .prepare(),
  };
});

export function findPerson(db: Tx, telegramId: number): Person | undefined {
  const queries = personQueries(db);
  const row = queries.person.get({ telegramId });
  if (!row) return undefined;
  const roles = queries.roles.all({ personId: row.id });
  const orgs = queries.organizations.all({ personId: row.id });
  return {
    id: row.id,
    telegramId: row.telegramId,
    firstName: row.firstName,
    lastName: row.lastName,
    username: row.username,
    officialName: row.officialName,
    roles: new Set(roles.map((r) => r.role)),
    organizationIds: orgs.map((o) => o.id),
  };
}

/** Creates the person or refreshes their name; returns the person id. */
export function upsertPerson(tx: Tx, profile: TelegramProfile, now: Date): number {
  const values = {
    firstName: profile.first_name,
    lastName: profile.last_name ?? null,
    username: profile.username ?? null,
    blockedAt: null,
  };
  const existing = tx.select({ id: people.id }).from(people).where(eq(people.telegramId, profile.id)).get();
  if (existing) {
    tx.update(people).set(values).where(eq(people.id, existing.id)).run();
    return existing.id;
  }
  const created = tx
    .insert(people)
    .values({ telegramId: profile.id, createdAt: now, ...values })
    .returning({ id: people.id })
    .get();
  audit(tx, now, { actorId: created.id, entity: "person", entityId: created.id, action: "registered" });
  return created.id;
}

/**
 * Grants a person-wide role; returns false if the person already had it (a head keeps what they
 * receive). A new head gets the settings of `headOrganizationId` (see defaultHeadSettings).
 */
export function grantRole(
  tx: Tx,
  personId: number,
  role: PersonRole,
  actorId: number | null,
  now: Date,
  headOrganizationId: number | null = null,
): boolean {
  const inserted = tx
    .insert(roleGrants)
    .values({ personId, role, grantedAt: now })
    .onConflictDoNothing()
    .run();
  if (inserted.changes === 0) return false;
  const head = role === "head" ? defaultHeadSettings(headOrganizationId) : undefined;
  if (head) writeHeadSettings(tx, personId, head, now);
  audit(tx, now, {
    actorId,
    entity: "person",
    entityId: personId,
    action: "role_granted",
    details: { role, ...head },
  });
  return true;
}

export function addMembership(
  tx: Tx,
  personId: number,
  organizationId: number,
  actorId: number | null,
  now: Date,
  /** Why, when not the person's own join or an admin's grant: "merged" (organization-merge.ts). */
  reason?: "merged",
): boolean {
  const inserted = tx
    .insert(memberships)
    .values({ personId, organizationId, grantedAt: now })
    .onConflictDoNothing()
    .run();
  if (inserted.changes === 0) return false;
  audit(tx, now, {
    actorId,
    entity: "person",
    entityId: personId,
    action: "membership_added",
    details: { organizationId, ...(reason ? { reason } : {}) },
  });
  return true;
}

export type JoinRefusal = "forbidden" | "not_found" | "organization_not_found" | "organization_inactive";

export type JoinResult =
  /** `changed`: this press added him (false: he was its executor already). */
  | { ok: true; changed: boolean; person: PersonSummary; organization: { id: number; name: string } }
  | { ok: false; refusal: JoinRefusal; organizationName?: string };

/**
 * Makes the person an executor of the organization (the admin's «Добавить в орган…» in /people), in
 * one transaction with its audit event, after checking on the database as it is now that the actor
 * is an admin and the organization is on.
 */
export function joinOrganization(
  db: Db,
  input: { actorId: number; personId: number; organizationId: number; now: Date },
): JoinResult {
  return db.transaction(
    (tx): JoinResult => {
      if (!can(loadPerson(tx, input.actorId), "managePeople")) return { ok: false, refusal: "forbidden" };
      const person = loadPerson(tx, input.personId);
      if (!person) return { ok: false, refusal: "not_found" };
      const organization = tx
        .select()
        .from(organizations)
        .where(eq(organizations.id, input.organizationId))
        .get();
      if (!organization) return { ok: false, refusal: "organization_not_found" };
      const { id, name, shortName } = organization;
      if (!organization.active)
        return { ok: false, refusal: "organization_inactive", organizationName: shortName ?? name };
      // A press handled again after a crash added him: told as added, so that he hears of it after all.
      const event = { entity: "person", entityId: person.id, action: "membership_added" } as const;
      const changed =
        addMembership(tx, person.id, id, input.actorId, input.now) || alreadyMadeByThisUpdate(tx, event);
      return {
        ok: true,
        changed,
        person: loadPerson(tx, person.id) as PersonSummary,
        organization: { id, name },
      };
    },
    { behavior: "immediate" },
  );
}

/**
 * Whether the organization had an executor before its latest one joined: it was left without any
 * (its last executor taken out), rather than never had one. A membership ends only by an admin's
 * change, whose audit event names its organizations (see changeAccess); the events of memberships
 * added may be missing from older data.
 */
export function hadExecutorsBefore(db: Tx, organizationId: number): boolean {
  const named = sql`exists (select 1 from json_each(${auditEvents.details}, '$.organizationIds') where value = ${organizationId})`;
  const removed = db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entity, "person"),
        inArray(auditEvents.action, [CHANGE_ACTIONS.membership, CHANGE_ACTIONS.all]),
        named,
      ),
    )
    .get();
  return removed !== undefined;
}

/**
 * The first admins come from ADMIN_IDS: when such a person writes, they are registered (or their
 * role restored) before anything else happens.
 */
export function ensureBootstrapAdmin(db: Db, profile: TelegramProfile, now: Date): void {
  db.transaction((tx) => {
    const personId = upsertPerson(tx, profile, now);
    grantRole(tx, personId, "admin", null, now);
  });
}

/**
 * Marks a person whose private chat refuses the bot (blocked, account deleted). The first refusal's
 * time is kept: the admins see since when, and every later refusal of the same block is no news.
 */
export function markBlocked(db: Db, telegramId: number, now: Date): void {
  db.update(people)
    .set({ blockedAt: now })
    .where(and(eq(people.telegramId, telegramId), isNull(people.blockedAt)))
    .run();
}

/** A person's name as people see it, by their Telegram id; the id itself for someone unknown. */
export function personName(db: Tx, telegramId: number): string {
  const person = findPerson(db, telegramId);
  return person ? displayName(person) : String(telegramId);
}

/** Whether the person's private chat is known to refuse the bot (see markBlocked). */
export function isBlocked(db: Tx, telegramId: number): boolean {
  return personQueries(db).person.get({ telegramId })?.blockedAt != null;
}

/**
 * Everyone with the role, blocked or not: for rights, listings and menus. What the bot writes to them
 * unasked goes to reachableWithRole instead.
 */
export function telegramIdsWithRole(db: Tx, role: PersonRole): number[] {
  return withRole(db, role, false);
}

/** Those with the role the bot can write to: not marked as blocking it (Telegram would refuse). */
export function reachableWithRole(db: Tx, role: PersonRole): number[] {
  return withRole(db, role, true);
}

function withRole(db: Tx, role: PersonRole, reachableOnly: boolean): number[] {
  return db
    .select({ telegramId: people.telegramId })
    .from(people)
    .innerJoin(roleGrants, eq(roleGrants.personId, people.id))
    .where(and(eq(roleGrants.role, role), reachableOnly ? isNull(people.blockedAt) : undefined))
    .all()
    .map((r) => r.telegramId);
}

/** The members of these organizations, blocked or not: for checks and counts (see reachableMembers). */
export function telegramIdsOfMembers(db: Tx, organizationIds: number[]): number[] {
  return members(db, organizationIds, false);
}

/** The members of these organizations the bot can write to privately (not marked as blocking it). */
export function reachableMembers(db: Tx, organizationIds: number[]): number[] {
  return members(db, organizationIds, true);
}

/**
 * Whether nobody of the organization can act on its posts: it has no executor, or every one blocks
 * the bot (as routing warns of it). One on leave still counts: he is its executor, back soon.
 */
export function noExecutorToAct(db: Tx, organizationId: number): boolean {
  return reachableMembers(db, [organizationId]).length === 0;
}

/** An approved answer the lead organization has nobody to post (see noExecutorToAct): that organization. */
export function nobodyToPost<A extends AssignmentView & { organizationName: string }>(
  db: Tx,
  incident: { row: { state: string }; assignments: A[] },
): A | undefined {
  const lead = incident.row.state === "approved" ? leadAssignment(incident) : undefined;
  return lead && noExecutorToAct(db, lead.organizationId) ? lead : undefined;
}

function members(db: Tx, organizationIds: number[], reachableOnly: boolean): number[] {
  if (organizationIds.length === 0) return [];
  return db
    .selectDistinct({ telegramId: people.telegramId })
    .from(people)
    .innerJoin(memberships, eq(memberships.personId, people.id))
    .where(
      and(
        inArray(memberships.organizationId, organizationIds),
        reachableOnly ? isNull(people.blockedAt) : undefined,
      ),
    )
    .all()
    .map((r) => r.telegramId);
}

/**
 * The Telegram id of the person who holds an organization's part, while they are still its member:
 * one taken out of it (or removed) hears no more of its posts. None while they block the bot (as the
 * cards skip them): Telegram would refuse; writing to the bot or unblocking it clears the mark.
 */
export function telegramIdOfMember(db: Tx, personId: number, organizationId: number): number | undefined {
  return personQueries(db).memberTelegramId.get({ personId, organizationId })?.telegramId;
}

// ---- Who has access, and taking it away (the admin's «Сотрудники») ----

export const PEOPLE_PAGE_SIZE = 8;

export interface PersonOrganization {
  id: number;
  name: string;
  shortName: string | null;
}

/** A person as the admin sees them: roles, organizations by name, since when they block the bot. */
export interface PersonSummary extends Person {
  blockedAt: Date | null;
  /** The first day of a leave planned ahead and its last, if one was set (see app/leave.ts). */
  leaveFrom: string | null;
  leaveUntil: string | null;
  organizations: PersonOrganization[];
}

function summaries(db: Tx, rows: (typeof people.$inferSelect)[]): PersonSummary[] {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const grants = db
    .select({ personId: roleGrants.personId, role: roleGrants.role })
    .from(roleGrants)
    .where(inArray(roleGrants.personId, ids))
    .all();
  const orgs = db
    .select({
      personId: memberships.personId,
      id: organizations.id,
      name: organizations.name,
      shortName: organizations.shortName,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(inArray(memberships.personId, ids))
    .orderBy(asc(organizations.nameKey))
    .all();
  return rows.map((row) => {
    const own = orgs.filter((o) => o.personId === row.id);
    return {
      id: row.id,
      telegramId: row.telegramId,
      firstName: row.firstName,
      lastName: row.lastName,
      username: row.username,
      officialName: row.officialName,
      roles: new Set(grants.filter((g) => g.personId === row.id).map((g) => g.role)),
      organizationIds: own.map((o) => o.id),
      organizations: own.map(({ id, name, shortName }) => ({ id, name, shortName })),
      blockedAt: row.blockedAt,
      leaveFrom: row.leaveFrom,
      leaveUntil: row.leaveUntil,
    };
  });
}

export function loadPerson(db: Tx, personId: number): PersonSummary | undefined {
  const row = db.select().from(people).where(eq(people.id, personId)).get();
  return row && summaries(db, [row])[0];
}

/** Who appears in /people: someone with a role or an organization. */
function hasAccess(db: Tx) {
  return or(
    inArray(people.id, db.select({ id: roleGrants.personId }).from(roleGrants)),
    inArray(people.id, db.select({ id: memberships.personId }).from(memberships)),
  );
}

/** /people's order, by the name it shows; the list's page of a person is counted by the same key. */
const LIST_ORDER = [
  sql`coalesce(${people.officialName}, ${people.firstName})`,
  sql`coalesce(${people.lastName}, '')`,
  people.id,
];

/**
 * One page of the people who have access (a role or an organization), by name. Someone whose access
 * was taken away keeps their row for the audit history but leaves this list.
 */
export function listPeople(
  db: Db,
  opts: { page: number },
): { items: PersonSummary[]; page: number; pages: number } {
  const total = db.select({ n: count() }).from(people).where(hasAccess(db)).get()?.n ?? 0;
  const { page, pages } = pageWithin(total, PEOPLE_PAGE_SIZE, opts.page);
  const rows = db
    .select()
    .from(people)
    .where(hasAccess(db))
    .orderBy(...LIST_ORDER.map((key) => asc(key)))
    .limit(PEOPLE_PAGE_SIZE)
    .offset(page * PEOPLE_PAGE_SIZE)
    .all();
  return { items: summaries(db, rows), page, pages };
}

/**
 * The page of /people that holds the person, or would hold them by name once their access is gone:
 * «К списку» on their card goes back where the admin came from.
 */
export function pageOfPerson(db: Db, personId: number): number {
  const person = db.select().from(people).where(eq(people.id, personId)).get();
  if (!person) return 0;
  const key = sql`(${person.officialName ?? person.firstName}, ${person.lastName ?? ""}, ${person.id})`;
  const before = db
    .select({ n: count() })
    .from(people)
    .where(and(hasAccess(db), sql`(${sql.join(LIST_ORDER, sql`, `)}) < ${key}`))
    .get();
  return Math.floor((before?.n ?? 0) / PEOPLE_PAGE_SIZE);
}

/** The posts of one organization a person holds in work. */
export interface HeldIncidents {
  organizationId: number;
  organizationName: string;
  incidentIds: number[];
}

/**
 * The open incidents the person holds for these organizations: the lead's post they took into work
 * (incidents.holder_id) or a co-executor's part they took and still owe or may get back for rework.
 * Another executor of the organization must carry them on once the person is gone.
 */
export function incidentsHeldBy(
  db: Tx,
  personId: number,
  organizationIds: readonly number[],
): HeldIncidents[] {
  if (organizationIds.length === 0) return [];
  const rows = db
    .selectDistinct({
      organizationId: assignments.organizationId,
      organizationName: organizations.name,
      incidentId: assignments.incidentId,
    })
    .from(assignments)
    .innerJoin(incidents, eq(incidents.id, assignments.incidentId))
    .innerJoin(organizations, eq(organizations.id, assignments.organizationId))
    .where(
      and(
        inArray(assignments.organizationId, [...organizationIds]),
        inArray(assignments.state, ["accepted", "part_sent"]),
        notInArray(incidents.state, ["answered", "closed"]),
        or(
          and(eq(assignments.role, "coexecutor"), eq(assignments.acceptedBy, personId)),
          and(eq(assignments.role, "lead"), eq(incidents.holderId, personId)),
        ),
      ),
    )
    .orderBy(asc(organizations.nameKey), asc(assignments.incidentId))
    .all();
  const held: HeldIncidents[] = [];
  for (const row of rows) {
    const last = held.at(-1);
    if (last?.organizationId === row.organizationId) last.incidentIds.push(row.incidentId);
    else held.push({ ...row, incidentIds: [row.incidentId] });
  }
  return held;
}

/** What the admin takes away: one role, one organization, or everything. */
export type AccessChange =
  | { kind: "role"; role: PersonRole }
  | { kind: "membership"; organizationId: number }
  | { kind: "all" };

export type AccessRefusal =
  /** The actor is no longer an admin. */
  | "forbidden"
  | "not_found"
  /** Nothing of it is left to take (someone else did it meanwhile). */
  | "not_held"
  /** Nobody would be admin afterwards. */
  | "last_admin"
  /** The admin role comes from ADMIN_IDS and would be back at the person's next message. */
  | "configured_admin";

export interface AccessPlan {
  person: PersonSummary;
  roles: PersonRole[];
  organizations: PersonOrganization[];
  /** "all" leaves the admin role of a person listed in ADMIN_IDS. */
  keptAdmin: boolean;
  held: HeldIncidents[];
  /**
   * Organizations the person is the last executor of, with their open posts and parts other than
   * those held (nobody has taken them yet, or a colleague who left did): nobody left to act on them.
   */
  orphaned: HeldIncidents[];
  /** The curator role goes from the only curator: nobody would route posts or decide on drafts. */
  lastCurator: boolean;
}

export type AccessPlanResult = { ok: true; plan: AccessPlan } | { ok: false; refusal: AccessRefusal };

export interface AccessChangeInput {
  actorId: number;
  personId: number;
  change: AccessChange;
  /** ADMIN_IDS: these people are admins whatever the database says. */
  configuredAdmins: readonly number[];
}

/**
 * What taking this access away would do, or why it may not be done, from the database as it is now
 * (the actor's rights too): asked for the confirmation and again inside the change's transaction.
 */
export function planAccessChange(db: Tx, input: AccessChangeInput): AccessPlanResult {
  const actor = loadPerson(db, input.actorId);
  if (!can(actor, "managePeople")) return { ok: false, refusal: "forbidden" };
  const person = loadPerson(db, input.personId);
  if (!person) return { ok: false, refusal: "not_found" };
  const configured = input.configuredAdmins.includes(person.telegramId);
  const { change } = input;
  const roles =
    change.kind === "all"
      ? [...person.roles].filter((role) => !(role === "admin" && configured))
      : change.kind === "role" && person.roles.has(change.role)
        ? [change.role]
        : [];
  const orgs = person.organizations.filter(
    (o) => change.kind === "all" || (change.kind === "membership" && o.id === change.organizationId),
  );
  const keptAdmin = change.kind === "all" && configured && person.roles.has("admin");
  if (change.kind === "role" && change.role === "admin" && configured) {
    return { ok: false, refusal: "configured_admin" };
  }
  if (roles.length === 0 && orgs.length === 0) {
    return { ok: false, refusal: keptAdmin ? "configured_admin" : "not_held" };
  }
  if (roles.includes("admin") && !otherAdminExists(db, person, input.configuredAdmins)) {
    return { ok: false, refusal: "last_admin" };
  }
  const held = incidentsHeldBy(
    db,
    person.id,
    orgs.map((o) => o.id),
  );
  const heldIds = new Set(held.flatMap((h) => h.incidentIds));
  const orphaned = orgs.flatMap((o) => {
    if (telegramIdsOfMembers(db, [o.id]).some((id) => id !== person.telegramId)) return [];
    const incidentIds = openPostsOf(db, o.id).filter((id) => !heldIds.has(id));
    return incidentIds.length > 0 ? [{ organizationId: o.id, organizationName: o.name, incidentIds }] : [];
  });
  const lastCurator = roles.includes("curator") && !otherWithRole(db, person.id, "curator");
  return { ok: true, plan: { person, roles, organizations: orgs, keptAdmin, held, orphaned, lastCurator } };
}

function otherWithRole(db: Tx, personId: number, role: PersonRole): boolean {
  return (
    db
      .select({ id: roleGrants.personId })
      .from(roleGrants)
      .where(and(eq(roleGrants.role, role), ne(roleGrants.personId, personId)))
      .get() !== undefined
  );
}

function otherAdminExists(db: Tx, person: Person, configuredAdmins: readonly number[]): boolean {
  if (configuredAdmins.some((id) => id !== person.telegramId)) return true;
  const other = db
    .select({ id: roleGrants.personId })
    .from(roleGrants)
    .where(and(eq(roleGrants.role, "admin"), ne(roleGrants.personId, person.id)))
    .get();
  return other !== undefined;
}

export type AccessChangeResult =
  | { ok: true; plan: AccessPlan; after: PersonSummary }
  | { ok: false; refusal: AccessRefusal };

const CHANGE_ACTIONS = { role: "role_revoked", membership: "membership_removed", all: "access_removed" };

/**
 * Takes the access away in one transaction with its audit event, after checking again, on the
 * database as it is now, that the actor is an admin and that the change may be made. The person's
 * row stays: the audit history names them.
 */
export function changeAccess(db: Db, input: AccessChangeInput & { now: Date }): AccessChangeResult {
  return db.transaction(
    (tx): AccessChangeResult => {
      const action = CHANGE_ACTIONS[input.change.kind];
      const made = madeByThisUpdate(tx, { entity: "person", entityId: input.personId, action });
      if (made) return changeMade(tx, input.personId, made);
      const planned = planAccessChange(tx, input);
      if (!planned.ok) return planned;
      const { plan } = planned;
      const personId = plan.person.id;
      const head = plan.roles.includes("head") ? headOf(tx, personId) : undefined;
      if (head) deleteHeadSettings(tx, personId);
      if (plan.roles.length > 0) {
        tx.delete(roleGrants)
          .where(and(eq(roleGrants.personId, personId), inArray(roleGrants.role, plan.roles)))
          .run();
      }
      const organizationIds = plan.organizations.map((o) => o.id);
      if (organizationIds.length > 0) {
        tx.delete(memberships)
          .where(
            and(eq(memberships.personId, personId), inArray(memberships.organizationId, organizationIds)),
          )
          .run();
      }
      for (const held of plan.held) releaseHeld(tx, personId, held, input.actorId, input.now);
      audit(tx, input.now, {
        actorId: input.actorId,
        entity: "person",
        entityId: personId,
        action: CHANGE_ACTIONS[input.change.kind],
        details: {
          roles: plan.roles,
          organizationIds,
          ...(plan.keptAdmin ? { keptAdmin: true } : {}),
          ...(head ? { headPurposes: head.purposes, headOrganizationId: head.organizationId } : {}),
          heldIncidents: plan.held.map((h) => ({
            organizationId: h.organizationId,
            incidentIds: h.incidentIds,
          })),
          ...(plan.orphaned.length > 0
            ? {
                orphanedIncidents: plan.orphaned.map((o) => ({
                  organizationId: o.organizationId,
                  incidentIds: o.incidentIds,
                })),
              }
            : {}),
        },
      });
      return { ok: true, plan, after: loadPerson(tx, personId) as PersonSummary };
    },
    { behavior: "immediate" },
  );
}

/**
 * The change this update, handled again after a crash, already made, as its audit event recorded
 * it: told as made, so that the organization, the curators and the person hear of it after all.
 */
function changeMade(tx: Tx, personId: number, made: Record<string, unknown>): AccessChangeResult {
  const after = loadPerson(tx, personId) as PersonSummary;
  const numbers = (value: unknown) =>
    Array.isArray(value) ? value.filter((n) => typeof n === "number") : [];
  const named = (ids: number[]) =>
    ids.length === 0
      ? []
      : tx
          .select({ id: organizations.id, name: organizations.name, shortName: organizations.shortName })
          .from(organizations)
          .where(inArray(organizations.id, ids))
          .all();
  const organizationsTaken = named(numbers(made.organizationIds));
  const recorded = (value: unknown): HeldIncidents[] => {
    const list = Array.isArray(value) ? (value as { organizationId: number; incidentIds: number[] }[]) : [];
    const names = new Map(named(list.map((one) => one.organizationId)).map((o) => [o.id, o.name]));
    return list.map((one) => ({ ...one, organizationName: names.get(one.organizationId) ?? "" }));
  };
  const roles = (Array.isArray(made.roles) ? made.roles : []) as PersonRole[];
  const plan = {
    person: after,
    roles,
    organizations: organizationsTaken,
    keptAdmin: made.keptAdmin === true,
    held: recorded(made.heldIncidents),
    orphaned: recorded(made.orphanedIncidents),
    lastCurator: false,
  };
  return { ok: true, plan, after };
}

/**
 * The posts a person held for an organization they leave are held by nobody until a colleague takes
 * them on (sending the draft, or the part): the cards and private notices stop naming the person.
 * Each post's history records it.
 */
function releaseHeld(tx: Tx, personId: number, held: HeldIncidents, actorId: number, now: Date): void {
  const { organizationId, organizationName } = held;
  for (const incidentId of held.incidentIds) {
    const ofOrganization = and(
      eq(assignments.incidentId, incidentId),
      eq(assignments.organizationId, organizationId),
      notInArray(assignments.state, ["returned", "withdrawn"]),
    );
    tx.update(assignments)
      .set({ acceptedBy: null })
      .where(and(ofOrganization, eq(assignments.acceptedBy, personId)))
      .run();
    const lead = tx
      .select({ id: assignments.id })
      .from(assignments)
      .where(and(ofOrganization, eq(assignments.role, "lead")))
      .get();
    if (lead) {
      tx.update(incidents)
        .set({ holderId: null })
        .where(and(eq(incidents.id, incidentId), eq(incidents.holderId, personId)))
        .run();
    }
    // A change of the incident like any other: a card sync or an alert planned from the incident as it
    // was (naming the person) sees it is stale, and the sweep plans its reminders anew.
    tx.update(incidents)
      .set({ version: sql`${incidents.version} + 1`, updatedAt: now, nextActionAt: now })
      .where(eq(incidents.id, incidentId))
      .run();
    audit(tx, now, {
      actorId,
      entity: "incident",
      entityId: incidentId,
      action: "holderRemoved",
      // The name of the time, as every incident event records it (see organizationNamesOf).
      details: { personId, organizationId, organizationNames: { [organizationId]: organizationName } },
    });
  }
}

// ---- What a head receives (the admin's «Сотрудники») ----

export type HeadPurposeRefusal = "forbidden" | "not_found" | "not_head";

export type HeadPurposeResult =
  /** `changed`: this press switched it (false: it was so already). */
  { ok: true; changed: boolean; head: Head } | { ok: false; refusal: HeadPurposeRefusal };

/**
 * Switches one of a head's purposes on or off, in one transaction with its audit event, after
 * checking on the database as it is now that the actor is an admin and the person still a head. The
 * wanted state is named, not toggled: a press delivered twice, or a stale button, changes nothing more.
 */
export function setHeadPurpose(
  db: Db,
  input: { actorId: number; personId: number; purpose: HeadPurpose; enabled: boolean; now: Date },
): HeadPurposeResult {
  return db.transaction(
    (tx): HeadPurposeResult => {
      if (!can(loadPerson(tx, input.actorId), "managePeople")) return { ok: false, refusal: "forbidden" };
      const person = loadPerson(tx, input.personId);
      if (!person) return { ok: false, refusal: "not_found" };
      const head = headOf(tx, person.id);
      if (!head) return { ok: false, refusal: "not_head" };
      const { purpose, enabled } = input;
      if (head.purposes.includes(purpose) === enabled) {
        // A press handled again after a crash made this change: it is told as made, not as «уже».
        const event = { entity: "person", entityId: person.id, action: "head_purpose_set" } as const;
        return { ok: true, changed: alreadyMadeByThisUpdate(tx, event), head };
      }
      const purposes = HEAD_PURPOSES.filter((p) => (p === purpose ? enabled : head.purposes.includes(p)));
      writeHeadSettings(tx, person.id, { purposes, organizationId: head.organizationId }, input.now);
      audit(tx, input.now, {
        actorId: input.actorId,
        entity: "person",
        entityId: person.id,
        action: "head_purpose_set",
        details: {
          purpose,
          enabled,
          before: head.purposes,
          after: purposes,
          organizationId: head.organizationId,
        },
      });
      return { ok: true, changed: true, head: { ...head, purposes } };
    },
    { behavior: "immediate" },
  );
}
