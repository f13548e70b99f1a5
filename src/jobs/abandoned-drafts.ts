/**
 * A draft dialogue noticed only on the next update cannot time out by itself: this sweep reminds
 * the executor of a draft left unfinished (the partial draft is kept), once per pause, naming what
 * was left — the answer, the interim answer or the question — and the card's button that opens it;
 * only to someone who may still send that draft.
 */
import { eq, lt } from "drizzle-orm";
import { giveBackNotice, leaseNotice, settleNotice } from "../app/notices.js";
import { findPerson } from "../app/people.js";
import { deliverLong } from "../bot/delivery.js";
import { openCardButton } from "../bot/keyboards.js";
import { DRAFT_BUTTON } from "../bot/texts-answers.js";
import { td } from "../bot/texts-drafts.js";
import { draftWork, people } from "../db/schema.js";
import { actionRules, checkDraft } from "../domain/incident.js";
import { draftKind } from "../flows/draft.js";
import { readPost } from "./posts.js";
import type { SweepDeps } from "./sweep.js";

export const ABANDONED_AFTER_MS = 30 * 60_000;
/** A reminder's send left by a stopped process is taken over after this long. */
const LEASE_MS = 10 * 60_000;

export async function remindAbandonedDrafts(deps: SweepDeps): Promise<number> {
  const { db, clock, sla } = deps;
  const now = clock.now();
  if (!sla.workingTime.isWorking(now)) return 0;
  const stale = db
    .select({ work: draftWork, telegramId: people.telegramId })
    .from(draftWork)
    .innerJoin(people, eq(people.id, draftWork.personId))
    .where(lt(draftWork.updatedAt, new Date(now.getTime() - ABANDONED_AFTER_MS)))
    .all();
  const rules = actionRules(sla.regulation);
  let sent = 0;
  for (const { work, telegramId } of stale) {
    const incident = readPost(deps, work.incidentId, "the unfinished drafts' reminders");
    if (!incident || (incident.state !== "in_work" && incident.state !== "awaiting_final")) continue;
    // Only someone who may still send it: not an executor of an organization the post was taken from.
    if (checkDraft(incident, work.purpose, findPerson(db, telegramId), rules)) continue;
    // The answer's key is the one used before purposes were kept: a reminder sent then is not repeated.
    const pause = `draft-work:${work.incidentId}:${work.personId}:${work.updatedAt.getTime()}`;
    const key = work.purpose === "answer" ? pause : `${pause}:${work.purpose}`;
    if (!leaseNotice(db, key, LEASE_MS, now)) continue;
    const kind = draftKind(incident, work.purpose);
    // After a weekend the card is far up the chat: the reminder shows it again at the bottom.
    const outcome = await deliverLong(
      deps,
      deps.api,
      telegramId,
      td.abandoned(work.incidentId, kind, DRAFT_BUTTON[kind]),
      openCardButton(work.incidentId),
    );
    // Failed only for now (Telegram down): the next tick reminds; a person who blocked the bot is not
    // tried. A stop before the end leaves it to a tick after the lease.
    if (outcome === "failed") giveBackNotice(db, key);
    else settleNotice(db, key, clock.now());
    if (outcome === "sent") sent++;
  }
  return sent;
}
