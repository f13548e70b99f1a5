/**
 * «Размещу лично» (Georgievsk p.12) tells the executors not to post the approved answer. A curator who
 * then sends no link — the question timed out, another command ended it — would leave it unposted
 * with nobody to do it: once the question has closed, this sweep tells the lead organization and the
 * holder to post it (or give its link) after all, once per claim, in working time.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { loadIncident } from "../app/incidents.js";
import { giveBackNotice, leaseNotice, settleNotice } from "../app/notices.js";
import { ta } from "../bot/texts-answers.js";
import { auditEvents, incidents, people } from "../db/schema.js";
import { displayName } from "../domain/access.js";
import { tell } from "../flows/answers.js";
import { ANSWER_WINDOW_MS } from "../flows/ask.js";
import type { SweepDeps } from "./sweep.js";

/** A reminder's send left by a stopped process is taken over after this long. */
const LEASE_MS = 10 * 60_000;
/** What ends a claim: the claim itself, its cancellation, or a new approval (a new text to post). */
const CLAIM_EVENTS = ["curatorPosts", "curatorGaveUp", "approve"];

export async function remindUnpostedClaims(deps: SweepDeps): Promise<number> {
  const { db, clock, sla } = deps;
  const now = clock.now();
  if (!sla.workingTime.isWorking(now)) return 0;
  const closedBefore = new Date(now.getTime() - ANSWER_WINDOW_MS);
  const waiting = db
    .select({ id: incidents.id })
    .from(incidents)
    .where(eq(incidents.state, "approved"))
    .all();
  let told = 0;
  for (const { id } of waiting) {
    const claim = db
      .select({ event: auditEvents, curator: people })
      .from(auditEvents)
      .leftJoin(people, eq(people.id, auditEvents.actorId))
      .where(
        and(
          eq(auditEvents.entity, "incident"),
          eq(auditEvents.entityId, String(id)),
          inArray(auditEvents.action, CLAIM_EVENTS),
        ),
      )
      .orderBy(desc(auditEvents.id))
      .limit(1)
      .get();
    if (claim?.event.action !== "curatorPosts" || !(claim.event.at < closedBefore)) continue;
    const key = `curator-posting:${claim.event.id}`;
    if (!leaseNotice(db, key, LEASE_MS, now)) continue;
    const incident = loadIncident(db, id);
    if (incident?.state !== "approved") {
      giveBackNotice(db, key);
      continue;
    }
    const who = claim.curator ? displayName(claim.curator) : "";
    await tell(
      deps,
      deps.api,
      incident,
      ta.publish.curatorSilent(id, who, incident.answer?.draftKind ?? "answer"),
      {
        organization: true,
        holder: true,
      },
    );
    settleNotice(db, key, clock.now());
    told++;
  }
  return told;
}
