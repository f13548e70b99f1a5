/**
 * A surge: the preset's number of posts on one topic or one place within its window (Orenburg p.21,
 * Georgievsk p.24). The head and the curators hear at once, with the list, the moment it is reached.
 */
import { and, asc, eq, gte } from "drizzle-orm";
import type { Incident } from "../app/incidents.js";
import { claimNotice } from "../app/notices.js";
import { telegramIdsWithRole } from "../app/people.js";
import { incidents } from "../db/schema.js";
import type { CardDeps } from "./cards.js";
import { notifyCurators, sendLong } from "./delivery.js";
import { t } from "./texts.js";

const HOUR_MS = 3_600_000;

export async function announceSurge(deps: CardDeps, incident: Incident): Promise<void> {
  const { posts, windowHours, clause } = deps.sla.regulation.surge;
  const since = new Date(incident.detectedAt.getTime() - windowHours * HOUR_MS);
  for (const field of ["topic", "place"] as const) {
    const value = incident.row[field];
    if (!value) continue;
    const column = field === "topic" ? incidents.topic : incidents.place;
    const recent = deps.db
      .select({ id: incidents.id })
      .from(incidents)
      .where(and(eq(column, value), gte(incidents.detectedAt, since)))
      .orderBy(asc(incidents.id))
      .all();
    // Said once, when the threshold is reached, not again for every later post of the same wave.
    if (recent.length !== posts || !claimNotice(deps.db, `surge:${field}:${incident.id}`, deps.clock.now()))
      continue;
    const text = t.surge(
      field,
      value,
      posts,
      windowHours,
      recent.map((r) => r.id),
      clause,
    );
    deps.log.warn({ field, value, incidents: recent.length }, "surge");
    await notifyCurators(deps, deps.api, text);
    for (const head of telegramIdsWithRole(deps.db, "head")) await sendLong(deps, deps.api, head, text);
  }
}
