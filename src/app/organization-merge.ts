import { and, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.js";
import {
  assignments,
  headSettings,
  incidents,
  invites,
  memberships,
  notifications,
  organizations,
  people,
} from "../db/schema.js";
import type { AssignmentState } from "../domain/incident.js";
import { audit, madeByThisUpdate } from "./audit.js";
import { chatOfOrganization, dropBinding, findBoundChat } from "./chats.js";
import { loadIncident, releaseTurnAfterWithdrawal } from "./incidents.js";
import { getOrganization, type OpenWork, type Organization, openWorkOf } from "./organizations.js";
import { addMembership } from "./people.js";

/** A co-executor's part not yet given: the lead organization, now the same one, owes it to itself. */
const OWED: AssignmentState[] = ["queued", "assigned", "accepted"];

/** What merging one organization into another would move, for the admin's confirmation. */
export interface MergePlan {
  from: Organization;
  into: Organization;
  /** The executors of `from` (one already in `into` too just stays there). */
  executors: number;
  /** The heads of `from`, who get `into`'s violations instead. */
  heads: number;
  /** The open posts routed to `from`, and how many of them it has taken into work. */
  openPosts: number;
  inWork: number;
}

export type MergeRefusal = "not_found" | "same" | "inactive" | "into_inactive";

export type MergePlanResult = { ok: true; plan: MergePlan } | { ok: false; reason: MergeRefusal };

function check(
  db: Tx,
  fromId: number,
  intoId: number,
): { ok: false; reason: MergeRefusal } | { from: Organization; into: Organization } {
  const from = getOrganization(db, fromId);
  const into = getOrganization(db, intoId);
  if (!from || !into) return { ok: false, reason: "not_found" };
  if (from.id === into.id) return { ok: false, reason: "same" };
  if (!from.active) return { ok: false, reason: "inactive" };
  if (!into.active) return { ok: false, reason: "into_inactive" };
  return { from, into };
}

const memberIds = (db: Tx, organizationId: number) =>
  db
    .select({ personId: memberships.personId })
    .from(memberships)
    .where(eq(memberships.organizationId, organizationId))
    .all()
    .map((row) => row.personId);

const headIds = (db: Tx, organizationId: number) =>
  db
    .select({ personId: headSettings.personId })
    .from(headSettings)
    .where(eq(headSettings.organizationId, organizationId))
    .all()
    .map((row) => row.personId);

/** The live assignments of `from` on unfinished posts (see openWorkOf), rows as stored. */
function liveParts(db: Tx, organizationId: number) {
  return db
    .select({ a: assignments })
    .from(assignments)
    .innerJoin(incidents, eq(incidents.id, assignments.incidentId))
    .where(
      and(
        eq(assignments.organizationId, organizationId),
        notInArray(assignments.state, ["returned", "withdrawn"]),
        notInArray(incidents.state, ["answered", "closed"]),
      ),
    )
    .orderBy(assignments.incidentId, assignments.position)
    .all()
    .map((row) => row.a);
}

export function planMerge(db: Tx, fromId: number, intoId: number): MergePlanResult {
  const found = check(db, fromId, intoId);
  if ("ok" in found) return found;
  const parts = liveParts(db, fromId);
  return {
    ok: true,
    plan: {
      ...found,
      executors: memberIds(db, fromId).length,
      heads: headIds(db, fromId).length,
      openPosts: new Set(parts.map((a) => a.incidentId)).size,
      inWork: new Set(parts.filter((a) => a.state === "accepted").map((a) => a.incidentId)).size,
    },
  };
}

export type MergeResult =
  | {
      ok: true;
      from: Organization;
      into: Organization;
      /** The Telegram ids of the executors and of the heads moved, to tell each one. */
      executors: number[];
      heads: number[];
      /** The posts now `into`'s, with its part in each, for its chat. */
      openWork: OpenWork[];
      /** The posts whose organizations changed: their cards are shown anew. */
      incidentIds: number[];
      /** `from`'s work chat, unbound. */
      chat: { chatId: number; title: string } | null;
    }
  | { ok: false; reason: MergeRefusal };

/**
 * «Объединить с…»: `from` is absorbed by `into`, in one transaction. Its executors and heads become
 * `into`'s (one already there is not added twice), its open invites invite to `into`. Its live parts
 * of unfinished posts become `into`'s as they stand — state, holder, drafts, deadlines and return
 * window: the post is not routed anew, the same people go on with it. Where `into` is on the post
 * too, the lead's part is `into`'s and a co-executor's part of either is withdrawn: the lead
 * organization writes the common answer and needs no information from itself; a part already given
 * is closed as `into`'s, its text still in the lead's draft (see leadsOwnPart). Beside a part of
 * `into` as a co-executor still owed, `from`'s part already given is `into`'s and `into`'s owed one is
 * withdrawn; beside one also given, `from`'s stays as it is. A part in its turn withdrawn lets the next
 * co-executor in the order have the post. The organizations under `from` go under `into`. Then `from`
 * is switched off, its work chat unbound. Each post, each organization and the chat get an audit
 * event; a post's records `from` by the name of the time, as «История» and the reports show it.
 * A second press finds `from` switched off and changes nothing; the same press handled again after
 * a crash is answered as made, so that whoever it tells is told still.
 */
export function mergeOrganization(
  db: Db,
  input: { fromId: number; intoId: number; actorId: number; now: Date },
): MergeResult {
  return db.transaction(
    (tx): MergeResult => {
      const found = check(tx, input.fromId, input.intoId);
      if ("ok" in found) {
        if (found.reason !== "inactive") return found;
        const made = madeByThisUpdate(tx, {
          entity: "organization",
          entityId: input.fromId,
          action: "merged",
        });
        return made ? asMade(tx, input, made) : found;
      }
      const { from, into } = found;
      const incidentIds = moveParts(tx, from, into, input.now, input.actorId);
      const executors = memberIds(tx, from.id);
      // Each person's change is audited as any other membership change, "merged" its reason.
      const personEvent = (personId: number, action: string, details: Record<string, unknown>) =>
        audit(tx, input.now, {
          actorId: input.actorId,
          entity: "person",
          entityId: personId,
          action,
          details: { ...details, reason: "merged" },
        });
      for (const personId of executors) {
        addMembership(tx, personId, into.id, input.actorId, input.now, "merged");
        personEvent(personId, "membership_removed", { organizationIds: [from.id] });
      }
      tx.delete(memberships).where(eq(memberships.organizationId, from.id)).run();
      const heads = headIds(tx, from.id);
      tx.update(headSettings)
        .set({ organizationId: into.id, updatedAt: input.now })
        .where(eq(headSettings.organizationId, from.id))
        .run();
      for (const personId of heads)
        personEvent(personId, "head_organization_set", { before: from.id, after: into.id });
      tx.update(invites)
        .set({ organizationId: into.id })
        .where(and(eq(invites.organizationId, from.id), isNull(invites.usedAt), isNull(invites.revokedAt)))
        .run();
      const chatId = chatOfOrganization(tx, from.id);
      const bound = chatId === undefined ? undefined : findBoundChat(tx, chatId);
      if (bound) dropBinding(tx, bound, { actorId: input.actorId, now: input.now, reason: "merged" });
      const children = reparentChildren(tx, from, into, input.now, input.actorId);
      tx.update(organizations).set({ active: false }).where(eq(organizations.id, from.id)).run();
      const chat = bound ? { chatId: bound.chatId, title: bound.title } : null;
      const details = { into: into.id, intoName: into.name, executors, heads, incidentIds, chat, children };
      audit(tx, input.now, {
        actorId: input.actorId,
        entity: "organization",
        entityId: from.id,
        action: "merged",
        fromState: "active",
        toState: "inactive",
        details,
      });
      audit(tx, input.now, {
        actorId: input.actorId,
        entity: "organization",
        entityId: into.id,
        action: "absorbed",
        details: { from: from.id, fromName: from.name, executors, heads, incidentIds },
      });
      return asMade(tx, input, details);
    },
    { behavior: "immediate" },
  );
}

/** The result of a merge from what its audit event recorded. */
function asMade(
  tx: Tx,
  input: { fromId: number; intoId: number },
  made: Record<string, unknown>,
): MergeResult {
  const from = getOrganization(tx, input.fromId);
  const into = getOrganization(tx, input.intoId);
  if (!from || !into) return { ok: false, reason: "not_found" };
  const ids = (value: unknown) => (Array.isArray(value) ? value.filter((v) => typeof v === "number") : []);
  const incidentIds = ids(made.incidentIds);
  const moved = new Set(incidentIds);
  const chat = made.chat as { chatId: number; title: string } | null | undefined;
  return {
    ok: true,
    from,
    into,
    executors: telegramIds(tx, ids(made.executors)),
    heads: telegramIds(tx, ids(made.heads)),
    openWork: openWorkOf(tx, into.id).filter((work) => moved.has(work.incidentId)),
    incidentIds,
    chat: chat ?? null,
  };
}

/**
 * The organizations under `from` (its `parentId`) go under `into`; `into` itself, if anywhere under
 * `from` (a child, a grandchild), first goes under `from`'s own parent, so that no organization ends
 * up under itself. Each change audited. Returns the ids of those moved.
 */
function reparentChildren(
  tx: Tx,
  from: Organization,
  into: Organization,
  now: Date,
  actorId: number,
): number[] {
  const moved: number[] = [];
  const reparent = (id: number, before: number | null, after: number | null) => {
    tx.update(organizations).set({ parentId: after }).where(eq(organizations.id, id)).run();
    audit(tx, now, {
      actorId,
      entity: "organization",
      entityId: id,
      action: "parentSet",
      details: { before, after, reason: "merged" },
    });
    moved.push(id);
  };
  if (isUnder(tx, into, from.id)) reparent(into.id, into.parentId, from.parentId);
  const children = tx.select().from(organizations).where(eq(organizations.parentId, from.id)).all();
  for (const child of children) reparent(child.id, from.id, into.id);
  return moved;
}

/** Whether the organization is somewhere under `ancestorId`, following its parents up. */
function isUnder(tx: Tx, org: Organization, ancestorId: number): boolean {
  const seen = new Set<number>();
  for (let parentId = org.parentId; parentId !== null && !seen.has(parentId); ) {
    if (parentId === ancestorId) return true;
    seen.add(parentId);
    parentId =
      tx
        .select({ parentId: organizations.parentId })
        .from(organizations)
        .where(eq(organizations.id, parentId))
        .get()?.parentId ?? null;
  }
  return false;
}

function telegramIds(tx: Tx, personIds: number[]): number[] {
  if (personIds.length === 0) return [];
  return tx
    .select({ telegramId: people.telegramId })
    .from(people)
    .where(inArray(people.id, personIds))
    .all()
    .map((row) => row.telegramId);
}

/**
 * Gives `into` the live parts `from` has of unfinished posts (see mergeOrganization); returns the
 * posts changed. Each is a change like any other: its version moves on (a card or alert planned from
 * it as it was sees it is stale), the sweep plans its reminders anew, and the alerts already sent
 * for a co-executor's part count as sent to the organization that now has it.
 */
function moveParts(tx: Tx, from: Organization, into: Organization, now: Date, actorId: number): number[] {
  const changed: number[] = [];
  for (const part of liveParts(tx, from.id)) {
    const theirs = tx
      .select()
      .from(assignments)
      .where(
        and(
          eq(assignments.incidentId, part.incidentId),
          eq(assignments.organizationId, into.id),
          notInArray(assignments.state, ["returned", "withdrawn"]),
        ),
      )
      .get();
    const withdraw = (id: number) =>
      tx
        .update(assignments)
        .set({ state: "withdrawn", withdrawnAt: now })
        .where(eq(assignments.id, id))
        .run();
    let withdrawn: number | undefined;
    const given = part.role === "coexecutor" && !OWED.includes(part.state);
    // Beside `into`'s co-executor part still owed, a part already given is the one kept (see below).
    const theirsOwed = theirs?.role === "coexecutor" && OWED.includes(theirs.state);
    if (theirs && part.role === "coexecutor" && !(given && theirsOwed)) {
      // Beside another co-executor's part of `into` also given, a part already given stays as it is: the lead has both.
      if (given && theirs.role !== "lead") continue;
      // Given to `into` as the lead, the part is its own, closed but for its draft (see leadsOwnPart).
      if (given)
        tx.update(assignments).set({ organizationId: into.id }).where(eq(assignments.id, part.id)).run();
      withdraw(part.id);
      withdrawn = from.id;
    } else {
      tx.update(assignments).set({ organizationId: into.id }).where(eq(assignments.id, part.id)).run();
      // `into`'s own co-executor part, owed or given, is closed: an organization has one live part; the
      // part of `from` already given is `into`'s, no longer asked of it.
      if (theirs) {
        withdraw(theirs.id);
        withdrawn = into.id;
      }
      if (part.role === "coexecutor")
        tx.run(
          sql`UPDATE OR IGNORE ${notifications} SET organization_id = ${into.id}
              WHERE incident_id = ${part.incidentId} AND organization_id = ${from.id}`,
        );
    }
    // A part in its turn withdrawn, the next co-executor in the order (Orenburg p.14) need not wait for it.
    const after = withdrawn === undefined ? undefined : loadIncident(tx, part.incidentId);
    const released = after ? releaseTurnAfterWithdrawal(tx, after, now) : {};
    tx.update(incidents)
      .set({ version: sql`${incidents.version} + 1`, updatedAt: now, nextActionAt: now })
      .where(eq(incidents.id, part.incidentId))
      .run();
    audit(tx, now, {
      actorId,
      entity: "incident",
      entityId: part.incidentId,
      action: "organizationMerged",
      details: {
        organizationId: from.id,
        into: into.id,
        role: part.role,
        ...(withdrawn !== undefined ? { withdrawn } : {}),
        ...released,
        // The names of the time, as every incident event records them (see organizationNamesOf).
        organizationNames: { [from.id]: from.name, [into.id]: into.name },
      },
    });
    changed.push(part.incidentId);
  }
  return changed;
}
