/**
 * «Размещу лично» (Georgievsk p.12) tells the executors not to post the approved answer. A curator who
 * then sends no link — the question timed out, another command ended it — would leave it unposted
 * with nobody to do it: once the question has closed, this sweep tells the lead organization and the
 * holder to post it (or give its link) after all, once per claim, in working time (a significant
 * post's at night too, with sound, as its alerts) — with the approved text where the approval and the
 * claim were one tap. The curator hears it first, privately: he may have posted it meanwhile, and
 * gives its link with the notice's «Прислать ссылку».
 */
import { and, eq } from "drizzle-orm";
import { InlineKeyboard } from "grammy";
import { approvedTextOwed, claimSilenceKey, latestClaimEvent } from "../app/answers.js";
import type { Incident } from "../app/incidents.js";
import { present } from "../app/leave.js";
import { giveBackNotice, leaseNotice, noticeClaimed, settleNotice } from "../app/notices.js";
import { cb } from "../bot/callback-data.js";
import { deliverLong, ringFor } from "../bot/delivery.js";
import { t } from "../bot/texts.js";
import { ta } from "../bot/texts-answers.js";
import { incidents } from "../db/schema.js";
import { displayName } from "../domain/access.js";
import { approvalNotice, listenersOf } from "../flows/answers.js";
import { ANSWER_WINDOW_MS } from "../flows/ask.js";
import { readPost } from "./posts.js";
import type { SweepDeps } from "./sweep.js";

type Claim = NonNullable<ReturnType<typeof latestClaimEvent>>;
type Notice = { text: string | string[]; keyboard?: InlineKeyboard | undefined };

/** A reminder's send left by a stopped process is taken over after this long. */
const LEASE_MS = 10 * 60_000;

/**
 * Tells the curator and the executors of each claim left without a link; returns how many posts they
 * were told of.
 */
export async function remindUnpostedClaims(deps: SweepDeps): Promise<number> {
  const { db, clock, sla } = deps;
  const now = clock.now();
  const approved = eq(incidents.state, "approved");
  const owed = sla.workingTime.isWorking(now)
    ? approved
    : and(approved, eq(incidents.importance, "significant"));
  const closedBefore = new Date(now.getTime() - ANSWER_WINDOW_MS);
  const waiting = db.select({ id: incidents.id }).from(incidents).where(owed).all();
  let told = 0;
  for (const { id } of waiting) {
    const claim = latestClaimEvent(db, id);
    if (claim?.event.action !== "curatorPosts" || !(claim.event.at < closedBefore)) continue;
    const silence = claimSilenceKey(claim.event.id);
    // Told under one key for all its chats before each chat had its own.
    if (noticeClaimed(db, silence)) continue;
    const incident = readPost(deps, id, "the reminders of «Размещу лично»");
    if (incident?.state !== "approved") continue;
    // Each chat once: one Telegram refused for now (5xx, a 429 given up on) is tried at the next tick.
    // The notice is built only for a chat still owed it: every minute passes the posts told already.
    let notice: Notice | undefined;
    let sent = false;
    const curatorChat = curatorChatOf(deps, claim);
    const executors = listenersOf(deps, incident, { organization: true, holder: true });
    // The curator's line has a key of its own: one who is also the organization's executor gets both
    // in his chat, his line first, then the executors' notice with the approved text and «Размещено».
    const deliveries = [
      ...(curatorChat === undefined
        ? []
        : [{ chatId: curatorChat, key: `${silence}:curator`, toExecutors: false }]),
      ...executors.map((chatId) => ({ chatId, key: `${silence}:${chatId}`, toExecutors: true })),
    ];
    for (const { chatId, key, toExecutors } of deliveries) {
      if (!leaseNotice(db, key, LEASE_MS, now)) continue;
      if (toExecutors) notice ??= silenceNotice(deps, incident, claim);
      const message = toExecutors && notice ? notice : lapseNotice(incident);
      const outcome = await deliverLong(
        deps,
        deps.api,
        chatId,
        message.text,
        message.keyboard,
        ringFor(incident),
      );
      if (outcome === "failed") giveBackNotice(db, key);
      else settleNotice(db, key, clock.now());
      sent ||= outcome === "sent";
    }
    if (sent) told++;
  }
  return told;
}

/** The private chat of the claim's curator, unless he blocks the bot or is on leave. */
function curatorChatOf(deps: SweepDeps, claim: Claim): number | undefined {
  const curator = claim.curator;
  if (!curator || curator.blockedAt !== null) return undefined;
  return present(deps, [curator.telegramId])[0];
}

/**
 * The curator's notice of his claim left without a link: had he posted it meanwhile, «Прислать ссылку»
 * asks for the link alone, as «Размещено» does (no new claim, the executors not told to hold off again).
 */
function lapseNotice(incident: Incident): Notice {
  const kind = incident.answer?.draftKind ?? "answer";
  const keyboard = new InlineKeyboard().text(t.button.sendLink, cb("inc.pub", incident.id));
  return { text: ta.publish.curatorLapsed(incident.id, kind), keyboard };
}

/**
 * The executors' notice of a claim left without a link; approved in the claim's own tap, they were
 * told only that the curator posts it, so the approval notice — its text and «Размещено» — comes with it.
 */
function silenceNotice(deps: SweepDeps, incident: Incident, claim: Claim): Notice {
  const who = claim.curator ? displayName(claim.curator) : "";
  const kind = incident.answer?.draftKind ?? "answer";
  const owed = approvedTextOwed(deps.db, incident.id, claim.event.id);
  const silent = ta.publish.curatorSilent(incident.id, who, kind, owed);
  return owed ? approvalNotice(deps, incident, silent) : { text: silent };
}
