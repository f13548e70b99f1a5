/**
 * The heads with «Срочные» must hear of a significant post at once (Orenburg p.21, Georgievsk p.24):
 * a head Telegram could not reach for now when the post was registered or raised (no network, 5xx),
 * or a stop before all were told, is told by the sweep — at once, then after 1, 2, 4… minutes, at
 * most hourly, for a day after the post's last change. Nobody is told twice (see tellHeads). A new
 * head's briefing of the posts still open that Telegram could not take is sent the same way.
 */
import { headsOwed } from "../app/intake.js";
import { Backoff } from "../backoff.js";
import { brief, briefingsOwed } from "../bot/new-head.js";
import { retrySurges } from "../bot/surge.js";
import { tellHeads } from "../flows/intake.js";
import { readPost } from "./posts.js";
import type { SweepDeps } from "./sweep.js";

const WINDOW_MS = 24 * 60 * 60_000;

/** The retry of the heads' notices; one per process, as it remembers how often each post was tried. */
export function headsRetry(): (deps: SweepDeps) => Promise<void> {
  const retries = new Backoff<number>();
  const briefings = new Backoff<number>();
  return async (deps) => {
    const { db, clock, sla } = deps;
    const now = clock.now().getTime();
    const owed = headsOwed(db, new Date(now - WINDOW_MS), sla.regulation.significantRecipients.importance);
    for (const id of retries.due(owed, now)) {
      const incident = readPost(deps, id, "the heads' notices");
      // No network for one is likely none for the next, but each is tried as counted.
      if (incident)
        await tellHeads(deps, incident).catch((err: unknown) =>
          deps.log.warn({ err, incidentId: id }, "heads not told for now"),
        );
    }
    for (const personId of briefings.due(briefingsOwed(deps), now))
      await brief(deps, personId).catch((err: unknown) =>
        deps.log.warn({ err, personId }, "a new head's briefing not sent for now"),
      );
  };
}

/**
 * The retry of surge notices someone missed for now (see retrySurges), after 1, 2, 4… minutes, at
 * most hourly, while the surge's window lasts; one per process, as headsRetry.
 */
export function surgeRetry(): (deps: SweepDeps) => Promise<number> {
  const retries = new Backoff<string>();
  return (deps) => retrySurges(deps, (owed) => retries.due(owed, deps.clock.now().getTime()));
}
