/**
 * What each head receives. Heads are several people with different duties: under Orenburg the
 * Governor is told of significant posts (p.21), the deputy minister gets the monthly summary (p.20)
 * and the heads of the organizations their organization's violations (p.19); under Georgievsk the
 * head of the district gets all of it (p.23, p.24). Each head has a set of purposes and, for a head
 * of an organization, that organization. A head who joins later hears of the significant posts still
 * open.
 */
import { and, asc, eq, inArray, notInArray } from "drizzle-orm";
import type { Tx } from "../db/client.js";
import {
  HEAD_PURPOSES,
  type HeadPurpose,
  headSettings,
  incidents,
  people,
  roleGrants,
} from "../db/schema.js";
import type { Importance } from "../domain/incident.js";
import { type Incident, loadIncident } from "./incidents.js";

export interface HeadSettings {
  /** In the order of HEAD_PURPOSES. */
  purposes: HeadPurpose[];
  /** A head of an organization: the violations and escalations of this organization only. */
  organizationId: number | null;
}

/** A head as the notices and reports address them. */
export interface Head extends HeadSettings {
  personId: number;
  telegramId: number;
  /** Known to block the bot: not written to, but counted («every head blocked → the curators»). */
  blocked: boolean;
}

/**
 * A new head without an organization gets everything, as every head did before purposes existed; a
 * head of an organization gets its violations only: the district-wide ones are switched on by an
 * admin if wanted.
 */
export function defaultHeadSettings(organizationId: number | null): HeadSettings {
  return { purposes: organizationId === null ? [...HEAD_PURPOSES] : ["violations"], organizationId };
}

function columns(purposes: readonly HeadPurpose[]) {
  return {
    urgent: purposes.includes("urgent"),
    summary: purposes.includes("summary"),
    violations: purposes.includes("violations"),
  };
}

/** Writes a head's settings (the role just granted, or an admin's change); call inside the change's transaction. */
export function writeHeadSettings(tx: Tx, personId: number, settings: HeadSettings, now: Date): void {
  const values = { ...columns(settings.purposes), organizationId: settings.organizationId, updatedAt: now };
  tx.insert(headSettings)
    .values({ personId, ...values })
    .onConflictDoUpdate({ target: headSettings.personId, set: values })
    .run();
}

/** The head role taken away: a later head role starts from its invite's settings again. */
export function deleteHeadSettings(tx: Tx, personId: number): void {
  tx.delete(headSettings).where(eq(headSettings.personId, personId)).run();
}

function loadHeads(db: Tx, personId?: number): Head[] {
  return db
    .select({
      personId: people.id,
      telegramId: people.telegramId,
      blockedAt: people.blockedAt,
      urgent: headSettings.urgent,
      summary: headSettings.summary,
      violations: headSettings.violations,
      organizationId: headSettings.organizationId,
    })
    .from(roleGrants)
    .innerJoin(people, eq(people.id, roleGrants.personId))
    .leftJoin(headSettings, eq(headSettings.personId, roleGrants.personId))
    .where(and(eq(roleGrants.role, "head"), personId === undefined ? undefined : eq(people.id, personId)))
    .orderBy(asc(people.id))
    .all()
    .map((row) => ({
      personId: row.personId,
      telegramId: row.telegramId,
      blocked: row.blockedAt !== null,
      // A head without a row (granted outside grantRole) is taken as the migration took the heads
      // before purposes: everything, rather than silence about a significant post.
      purposes: HEAD_PURPOSES.filter((purpose) => row[purpose] ?? true),
      organizationId: row.organizationId,
    }));
}

/** The person's settings as a head; undefined when they are not a head. */
export function headOf(db: Tx, personId: number): Head | undefined {
  return loadHeads(db, personId)[0];
}

/** Every head, blocked or not. */
export function allHeads(db: Tx): Head[] {
  return loadHeads(db);
}

/** Every head with this purpose, blocked or not, whatever their organization. */
export function headsWith(db: Tx, purpose: HeadPurpose): Head[] {
  return loadHeads(db).filter((head) => head.purposes.includes(purpose));
}

/** Those the bot can write to: not known to block it. */
export function reachableHeads(heads: readonly Head[]): number[] {
  return heads.filter((head) => !head.blocked).map((head) => head.telegramId);
}

/**
 * Whether a violation of this organization's step is this head's to hear of: a head without an
 * organization hears of all; a head of an organization of its own only. The curators' own steps
 * (`organizationId` null) concern no organization (Orenburg p.19 is about the executors).
 */
export function concerns(head: HeadSettings, organizationId: number | null): boolean {
  return head.organizationId === null || head.organizationId === organizationId;
}

/** Posts of these importance levels (those the heads hear of at once) not yet answered or closed, oldest first. */
export function openSignificantIncidents(db: Tx, levels: Importance[]): Incident[] {
  return db
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(inArray(incidents.importance, levels), notInArray(incidents.state, ["answered", "closed"])))
    .orderBy(asc(incidents.id))
    .all()
    .map((row) => loadIncident(db, row.id))
    .filter((incident) => incident !== undefined);
}
