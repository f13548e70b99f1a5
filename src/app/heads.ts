/**
 * What the head is told of at once (Orenburg p.21, Georgievsk p.24): significant posts. One who
 * becomes head later hears of those still open.
 */
import { and, asc, eq, notInArray } from "drizzle-orm";
import type { Tx } from "../db/client.js";
import { incidents } from "../db/schema.js";
import { type Incident, loadIncident } from "./incidents.js";

/** Significant posts not yet answered or closed, oldest first. */
export function openSignificantIncidents(db: Tx): Incident[] {
  return db
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.importance, "significant"), notInArray(incidents.state, ["answered", "closed"])))
    .orderBy(asc(incidents.id))
    .all()
    .map((row) => loadIncident(db, row.id))
    .filter((incident) => incident !== undefined);
}
