/**
 * A surge: the preset's number of posts on one topic or one place within its window (Orenburg p.21,
 * Georgievsk p.24). The head and the curators hear at once, with the list, the moment it is reached.
 */
import { postsOnSubject, type Subject, subjectKey } from "../app/importance.js";
import type { Incident } from "../app/incidents.js";
import { claimStaleNotice } from "../app/notices.js";
import { telegramIdsWithRole } from "../app/people.js";
import type { CardDeps } from "./cards.js";
import { notifyCurators, sendLong } from "./delivery.js";
import { t } from "./texts.js";

const HOUR_MS = 3_600_000;

/**
 * Checks the incident's topic and place for a surge, when it is registered or one of them is set.
 * Posts arriving together (the monitoring software sends a burst) may each see the threshold passed:
 * the notices ledger lets one of them, in whichever process, announce it. The claim lapses with the
 * window, so the same topic surging again a window later is announced again.
 */
export async function announceSurge(deps: CardDeps, incident: Incident): Promise<void> {
  const { posts, windowHours, clause } = deps.sla.regulation.surge;
  const now = deps.clock.now();
  const since = new Date(now.getTime() - windowHours * HOUR_MS);
  for (const subject of ["topic", "place"] as const satisfies Subject[]) {
    const value = incident.row[subject]?.trim();
    if (!value) continue;
    const key = subjectKey(value);
    const recent = postsOnSubject(deps.db, subject, key, since);
    if (recent.length < posts || !claimStaleNotice(deps.db, `surge:${subject}:${key}`, since, now)) continue;
    const text = t.surge(subject, value, recent.length, windowHours, recent, clause);
    deps.log.warn({ subject, value, incidents: recent.length }, "surge");
    await notifyCurators(deps, deps.api, text);
    for (const head of telegramIdsWithRole(deps.db, "head")) await sendLong(deps, deps.api, head, text);
  }
}
