import { and, asc, count, eq, isNotNull, ne, notInArray, or, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.js";
import { assignments, boundChats, incidents, memberships, organizations } from "../db/schema.js";
import type { AssignmentState, IncidentState } from "../domain/incident.js";
import { nameKey, tidyName } from "../domain/names.js";
import type { OrganizationRow, RowProblem } from "../domain/organization-import.js";
import { alreadyMadeByThisUpdate, audit } from "./audit.js";
import { pageWithin } from "./paging.js";

export type Organization = typeof organizations.$inferSelect;

export const PAGE_SIZE = 8;

export function getOrganization(db: Tx, id: number): Organization | undefined {
  return db.select().from(organizations).where(eq(organizations.id, id)).get();
}

function findByName(db: Tx, name: string): Organization | undefined {
  const key = nameKey(name);
  return db
    .select()
    .from(organizations)
    .where(or(eq(organizations.nameKey, key), eq(organizations.shortNameKey, key)))
    .get();
}

/**
 * Whether another organization than `exceptId` is called so, by its full or its short name: buttons
 * and cards name organizations by short name, so a short name must be free as a full name is.
 */
export function organizationNameTaken(db: Tx, name: string, exceptId?: number): boolean {
  const key = nameKey(name);
  const found = db
    .select({ id: organizations.id })
    .from(organizations)
    .where(
      and(
        or(eq(organizations.nameKey, key), eq(organizations.shortNameKey, key)),
        exceptId === undefined ? undefined : ne(organizations.id, exceptId),
      ),
    )
    .get();
  return found !== undefined;
}

/** How many organizations are switched off: pickers of active ones say that these are not shown. */
export function countInactiveOrganizations(db: Tx): number {
  return db.select({ n: count() }).from(organizations).where(eq(organizations.active, false)).get()?.n ?? 0;
}

/** The names of the active organizations. */
export function activeOrganizationNames(db: Tx): string[] {
  return db
    .select({ name: organizations.name })
    .from(organizations)
    .where(eq(organizations.active, true))
    .all()
    .map((o) => o.name);
}

/**
 * The names of the active organizations nobody could get a post of: neither a member (an executor)
 * nor a bound work chat; by name.
 */
export function unstaffedOrganizations(db: Tx): string[] {
  return db
    .select({ name: organizations.name })
    .from(organizations)
    .where(
      and(
        eq(organizations.active, true),
        notInArray(organizations.id, db.select({ id: memberships.organizationId }).from(memberships)),
        notInArray(
          organizations.id,
          // NOT IN a list with a NULL (the curators' chat) would keep nothing.
          db
            .select({ id: boundChats.organizationId })
            .from(boundChats)
            .where(isNotNull(boundChats.organizationId)),
        ),
      ),
    )
    .orderBy(asc(organizations.nameKey))
    .all()
    .map((row) => row.name);
}

/**
 * One page of organizations, by name; `search` keeps those whose full or short name contains it
 * (any case, ё = е: SQLite's own lower() knows only ASCII, so the folded name keys are searched);
 * `except` leaves one out (the organization being merged is not offered to absorb itself).
 */
export function listOrganizations(
  db: Db,
  opts: { page: number; activeOnly?: boolean; search?: string; except?: number },
): { items: Organization[]; page: number; pages: number } {
  const key = nameKey(opts.search ?? "");
  const where = and(
    opts.activeOnly ? eq(organizations.active, true) : undefined,
    opts.except === undefined ? undefined : ne(organizations.id, opts.except),
    key === ""
      ? undefined
      : or(
          sql`instr(${organizations.nameKey}, ${key}) > 0`,
          sql`instr(coalesce(${organizations.shortNameKey}, ''), ${key}) > 0`,
        ),
  );
  const total = db.select({ n: count() }).from(organizations).where(where).get()?.n ?? 0;
  const { page, pages } = pageWithin(total, PAGE_SIZE, opts.page);
  const items = db
    .select()
    .from(organizations)
    .where(where)
    .orderBy(asc(organizations.nameKey))
    .limit(PAGE_SIZE)
    .offset(page * PAGE_SIZE)
    .all();
  return { items, page, pages };
}

/** The page of the whole list (/orgs) that holds the organization: «К списку» on its card goes back there. */
export function pageOfOrganization(db: Db, id: number): number {
  const org = getOrganization(db, id);
  if (!org) return 0;
  const before = db
    .select({ n: count() })
    .from(organizations)
    .where(sql`${organizations.nameKey} < ${org.nameKey}`)
    .get();
  return Math.floor((before?.n ?? 0) / PAGE_SIZE);
}

export type SaveResult =
  | { ok: true; organization: Organization }
  | { ok: false; reason: "name_taken" | "short_name_taken" | "not_found" };

export function createOrganization(
  db: Db,
  given: { name: string; shortName: string | null; actorId: number | null; now: Date },
): SaveResult {
  const input = {
    ...given,
    name: tidyName(given.name),
    shortName: given.shortName && tidyName(given.shortName),
  };
  return db.transaction((tx): SaveResult => {
    if (findByName(tx, input.name)) return { ok: false, reason: "name_taken" };
    if (input.shortName && organizationNameTaken(tx, input.shortName))
      return { ok: false, reason: "short_name_taken" };
    const organization = tx
      .insert(organizations)
      .values({
        name: input.name,
        shortName: input.shortName,
        nameKey: nameKey(input.name),
        shortNameKey: input.shortName && nameKey(input.shortName),
        createdAt: input.now,
      })
      .returning()
      .get();
    audit(tx, input.now, {
      actorId: input.actorId,
      entity: "organization",
      entityId: organization.id,
      action: "created",
      toState: "active",
      details: { name: input.name, shortName: input.shortName },
    });
    return { ok: true, organization };
  });
}

export function renameOrganization(
  db: Db,
  input: { id: number; name: string; actorId: number; now: Date },
): SaveResult {
  return changeName(db, input, { field: "name", to: input.name });
}

/** A new short name for the buttons and cards, or none (they show the full name then). */
export function setShortName(
  db: Db,
  input: { id: number; shortName: string | null; actorId: number; now: Date },
): SaveResult {
  return changeName(db, input, { field: "shortName", to: input.shortName });
}

type NameChange = { field: "name"; to: string } | { field: "shortName"; to: string | null };

function changeName(
  db: Db,
  input: { id: number; actorId: number; now: Date },
  given: NameChange,
): SaveResult {
  const change: NameChange =
    given.field === "name"
      ? { field: "name", to: tidyName(given.to) }
      : { field: "shortName", to: given.to && tidyName(given.to) };
  return db.transaction((tx): SaveResult => {
    const current = getOrganization(tx, input.id);
    if (!current) return { ok: false, reason: "not_found" };
    const full = change.field === "name";
    if (change.to && organizationNameTaken(tx, change.to, input.id))
      return { ok: false, reason: full ? "name_taken" : "short_name_taken" };
    const organization = tx
      .update(organizations)
      .set(
        change.field === "name"
          ? { name: change.to, nameKey: nameKey(change.to) }
          : { shortName: change.to, shortNameKey: change.to && nameKey(change.to) },
      )
      .where(eq(organizations.id, input.id))
      .returning()
      .get();
    audit(tx, input.now, {
      actorId: input.actorId,
      entity: "organization",
      entityId: input.id,
      action: full ? "renamed" : "shortNameSet",
      details: { from: current[change.field], to: change.to },
    });
    return { ok: true, organization };
  });
}

/** An incident still routed to an organization and not yet answered or closed: its part is owed. */
export interface OpenWork {
  incidentId: number;
  lead: boolean;
  state: IncidentState;
}

/**
 * The organization's open work: live assignments (not returned or withdrawn) of unfinished incidents,
 * each of which names it on the cards; `owed`, only those it still has to do (a co-executor's part
 * already given is not, unless it comes back for rework).
 */
export function openWorkOf(db: Tx, organizationId: number, which: "routed" | "owed" = "routed"): OpenWork[] {
  const done: AssignmentState[] =
    which === "owed" ? ["returned", "withdrawn", "part_sent", "part_passed"] : ["returned", "withdrawn"];
  return db
    .selectDistinct({ incidentId: incidents.id, role: assignments.role, state: incidents.state })
    .from(assignments)
    .innerJoin(incidents, eq(incidents.id, assignments.incidentId))
    .where(
      and(
        eq(assignments.organizationId, organizationId),
        notInArray(assignments.state, done),
        notInArray(incidents.state, ["answered", "closed"]),
      ),
    )
    .orderBy(asc(incidents.id))
    .all()
    .map(({ incidentId, role, state }) => ({ incidentId, lead: role === "lead", state }));
}

/** The organization's posts it still has to act on (see openWorkOf, `owed`), by number. */
export function openPostsOf(db: Tx, organizationId: number): number[] {
  return [...new Set(openWorkOf(db, organizationId, "owed").map((work) => work.incidentId))];
}

export type SwitchResult =
  | {
      ok: true;
      organization: Organization;
      /** False when it already was so (a second press): nobody is told twice. */
      changed: boolean;
      /** Switched off: what is still routed to it, for the curators to route anew. */
      openWork: OpenWork[];
    }
  | { ok: false; reason: "not_found" };

/**
 * Switches an organization on or off. Off, it is offered for no new routing, but what is already
 * routed to it stays: the open incidents are returned (and recorded) so the curators can be told.
 */
export function setOrganizationActive(
  db: Db,
  input: { id: number; active: boolean; actorId: number; now: Date },
): SwitchResult {
  return db.transaction((tx): SwitchResult => {
    const current = getOrganization(tx, input.id);
    if (!current) return { ok: false, reason: "not_found" };
    if (current.active === input.active) {
      // The press handled again after a crash made this switch: told as made, its open work again.
      const action = input.active ? "activated" : "deactivated";
      const again = alreadyMadeByThisUpdate(tx, { entity: "organization", entityId: input.id, action });
      const openWork = again && !input.active ? openWorkOf(tx, input.id, "owed") : [];
      return { ok: true, organization: current, changed: again, openWork };
    }
    const organization = tx
      .update(organizations)
      .set({ active: input.active })
      .where(eq(organizations.id, input.id))
      .returning()
      .get();
    const openWork = input.active ? [] : openWorkOf(tx, input.id, "owed");
    audit(tx, input.now, {
      actorId: input.actorId,
      entity: "organization",
      entityId: input.id,
      action: input.active ? "activated" : "deactivated",
      fromState: current.active ? "active" : "inactive",
      toState: input.active ? "active" : "inactive",
      ...(openWork.length > 0 ? { details: { openIncidentIds: openWork.map((w) => w.incidentId) } } : {}),
    });
    return { ok: true, organization, changed: true, openWork };
  });
}

/** What an import changed in an organization that was there already. */
export type ImportedField = "shortName" | "contact" | "parent";

export interface ImportReport {
  created: string[];
  updated: { name: string; fields: ImportedField[] }[];
  unchanged: string[];
  rejected: RowProblem[];
  /** The organizations whose short name changed: their open posts' cards name them anew. */
  shortNameChanged: number[];
}

/**
 * Applies parsed rows in one transaction: a row whose name (or short name) exists updates that
 * organization (an empty short name, contact or parent leaves it as it is), others are created;
 * parents may refer to rows of the same file. A row whose short
 * name another organization bears already is refused. Each organization created or changed gets an
 * audit event naming what changed.
 */
export function importOrganizations(
  db: Db,
  input: { rows: OrganizationRow[]; problems: RowProblem[]; actorId: number; now: Date; fileName: string },
): ImportReport {
  return db.transaction((tx) => {
    const report: ImportReport = {
      created: [],
      updated: [],
      unchanged: [],
      rejected: [...input.problems],
      shortNameChanged: [],
    };
    const inFile = new Set(
      input.rows.flatMap((row) => [nameKey(row.name), ...(row.shortName ? [nameKey(row.shortName)] : [])]),
    );
    const accepted = input.rows.filter((row) => {
      if (!row.parent || inFile.has(nameKey(row.parent)) || findByName(tx, row.parent)) return true;
      report.rejected.push({ line: row.line, name: row.name, problem: "parent_not_found" });
      return false;
    });
    /** The rows taken, each with its organization and what it changed (null: created). */
    const saved = new Map<string, { row: OrganizationRow; id: number; fields: ImportedField[] | null }>();
    const byName = new Map<string, number>();
    for (const row of accepted) {
      const existing = findByName(tx, row.name);
      if (row.shortName && organizationNameTaken(tx, row.shortName, existing?.id)) {
        report.rejected.push({ line: row.line, name: row.name, problem: "short_name_taken" });
        continue;
      }
      // An empty cell (or no such column) leaves what the organization has, as for the parent: a
      // list of names alone does not wipe the short names and contacts set in /orgs.
      const short =
        row.shortName === null ? {} : { shortName: row.shortName, shortNameKey: nameKey(row.shortName) };
      const contact = row.contact === null ? {} : { contact: row.contact };
      let id: number;
      let fields: ImportedField[] | null = null;
      if (!existing) {
        id = tx
          .insert(organizations)
          .values({ name: row.name, nameKey: nameKey(row.name), ...short, ...contact, createdAt: input.now })
          .returning({ id: organizations.id })
          .get().id;
      } else {
        id = existing.id;
        fields = [];
        if (row.shortName !== null && existing.shortName !== row.shortName) {
          fields.push("shortName");
          report.shortNameChanged.push(id);
        }
        if (row.contact !== null && existing.contact !== row.contact) fields.push("contact");
        if (fields.length > 0)
          tx.update(organizations)
            .set({ ...short, ...contact })
            .where(eq(organizations.id, id))
            .run();
      }
      saved.set(nameKey(row.name), { row, id, fields });
      byName.set(nameKey(row.name), id);
      if (row.shortName) byName.set(nameKey(row.shortName), id);
    }
    for (const entry of saved.values()) {
      const { row, id } = entry;
      const parentId = row.parent && (byName.get(nameKey(row.parent)) ?? findByName(tx, row.parent)?.id);
      if (!parentId) continue;
      const current = tx
        .select({ parentId: organizations.parentId })
        .from(organizations)
        .where(eq(organizations.id, id))
        .get();
      if (current?.parentId === parentId) continue;
      tx.update(organizations).set({ parentId }).where(eq(organizations.id, id)).run();
      entry.fields?.push("parent");
    }
    for (const { row, id, fields } of saved.values()) {
      if (fields === null) report.created.push(row.name);
      else if (fields.length > 0) report.updated.push({ name: row.name, fields });
      else {
        report.unchanged.push(row.name);
        continue;
      }
      audit(tx, input.now, {
        actorId: input.actorId,
        entity: "organization",
        entityId: id,
        action: fields === null ? "created_by_import" : "updated_by_import",
        details: {
          name: row.name,
          shortName: row.shortName,
          contact: row.contact,
          ...(row.parent ? { parent: row.parent } : {}),
          ...(fields ? { fields } : {}),
          fileName: input.fileName,
        },
      });
    }
    audit(tx, input.now, {
      actorId: input.actorId,
      entity: "organization",
      entityId: "*",
      action: "imported",
      details: {
        fileName: input.fileName,
        created: report.created,
        updated: report.updated.map((u) => u.name),
        rejected: report.rejected.map((r) => ({ line: r.line, problem: r.problem })),
      },
    });
    report.rejected.sort((a, b) => a.line - b.line);
    return report;
  });
}
