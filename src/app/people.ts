import { and, eq, inArray, sql } from "drizzle-orm";
import { type Db, preparedPerConnection, type Tx } from "../db/client.js";
import { memberships, type PersonRole, people, roleGrants } from "../db/schema.js";
import type { Person } from "../domain/access.js";
import { audit } from "./audit.js";

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

/** Grants a person-wide role; returns false if the person already had it. */
export function grantRole(
  tx: Tx,
  personId: number,
  role: PersonRole,
  actorId: number | null,
  now: Date,
): boolean {
  const inserted = tx
    .insert(roleGrants)
    .values({ personId, role, grantedAt: now })
    .onConflictDoNothing()
    .run();
  if (inserted.changes === 0) return false;
  audit(tx, now, {
    actorId,
    entity: "person",
    entityId: personId,
    action: "role_granted",
    details: { role },
  });
  return true;
}

export function addMembership(
  tx: Tx,
  personId: number,
  organizationId: number,
  actorId: number | null,
  now: Date,
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
    details: { organizationId },
  });
  return true;
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

export function markBlocked(db: Db, telegramId: number, now: Date): void {
  db.update(people).set({ blockedAt: now }).where(eq(people.telegramId, telegramId)).run();
}

export function telegramIdsWithRole(db: Tx, role: PersonRole): number[] {
  return db
    .select({ telegramId: people.telegramId })
    .from(people)
    .innerJoin(roleGrants, eq(roleGrants.personId, people.id))
    .where(eq(roleGrants.role, role))
    .all()
    .map((r) => r.telegramId);
}

export function telegramIdsOfMembers(db: Tx, organizationIds: number[]): number[] {
  if (organizationIds.length === 0) return [];
  return db
    .selectDistinct({ telegramId: people.telegramId })
    .from(people)
    .innerJoin(memberships, and(eq(memberships.personId, people.id)))
    .where(inArray(memberships.organizationId, organizationIds))
    .all()
    .map((r) => r.telegramId);
}
