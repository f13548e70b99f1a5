/**
 * A head added later (by an invite) missed the significant posts announced before: on gaining the
 * role with «Срочные» they get one message with those still open, each as heads hear of it (Orenburg
 * p.21, Georgievsk p.24: the start of its text, and «Открыть № N» under the message) and with its next
 * deadline. With none open, nothing is said; a head of an
 * organization, who gets its violations only, is told of none. A briefing Telegram could not take
 * for now (no network, 5xx) stays owed, across restarts, and the heads' retry sends it (jobs/heads.ts).
 */
import { headOf, openSignificantIncidents } from "../app/heads.js";
import { headNoticeKey } from "../app/intake.js";
import {
  claimNotice,
  giveBackNotice,
  leaseNotice,
  noticesStartingWith,
  releaseNotice,
} from "../app/notices.js";
import { nextDeadline } from "../domain/incident.js";
import { formatDeadline } from "../domain/time-format.js";
import { networkName, snippet } from "../flows/intake.js";
import type { CardDeps } from "./cards.js";
import { deliverLong } from "./delivery.js";
import { openCardButtons } from "./keyboards.js";
import { stepLabel } from "./texts.js";
import { ti } from "./texts-intake.js";
import { tp } from "./texts-people.js";

const OWED = "head-briefing-owed:";
/** A briefing being sent holds this lease: the retry and the role's grant at once brief him once. */
const BRIEFING_LEASE_MS = 5 * 60_000;

/** The people whose briefing is owed: it failed for now, or a stop came before it went out. */
export function briefingsOwed(deps: Pick<CardDeps, "db">): number[] {
  return noticesStartingWith(deps.db, OWED).map((key) => Number(key.slice(OWED.length)));
}

/**
 * The person just gained the role or «Срочные»: the briefing is owed until it is out. `lead`, said
 * first in the same message (or alone, with nothing open), is what the admin changed: one message a press.
 * A retry later sends the briefing without it.
 */
export async function briefNewHead(deps: CardDeps, personId: number, lead?: string): Promise<void> {
  claimNotice(deps.db, `${OWED}${personId}`, deps.clock.now());
  await brief(deps, personId, lead);
}

/** Sends an owed briefing, if nobody else is sending it; once sent or never to be, none is owed. */
export async function brief(deps: CardDeps, personId: number, lead?: string): Promise<void> {
  const owed = `${OWED}${personId}`;
  const lease = `head-briefing:${personId}`;
  if (!leaseNotice(deps.db, lease, BRIEFING_LEASE_MS, deps.clock.now())) {
    // Another sends the briefing now: the change is told on its own.
    const telegramId = headOf(deps.db, personId)?.telegramId;
    if (lead !== undefined && telegramId !== undefined) await deliverLong(deps, deps.api, telegramId, lead);
    return;
  }
  try {
    if (await sendBriefing(deps, personId, lead)) releaseNotice(deps.db, owed);
  } finally {
    giveBackNotice(deps.db, lease);
  }
}

/** False when Telegram could not take it for now: to be tried again. */
async function sendBriefing(deps: CardDeps, personId: number, lead?: string): Promise<boolean> {
  const head = headOf(deps.db, personId);
  if (!head) return true;
  const open = head.purposes.includes("urgent")
    ? openSignificantIncidents(deps.db, deps.sla.regulation.significantRecipients.importance)
    : [];
  if (open.length === 0) {
    if (lead === undefined) return true;
    return (await deliverLong(deps, deps.api, head.telegramId, lead)) !== "failed";
  }
  const { regulation, workingTime, timezone } = deps.sla;
  const entries = open.map((incident) => {
    const { id, link, text } = incident.row;
    const { clause } = regulation.significantRecipients;
    const post = ti.significant(
      id,
      networkName(link),
      link,
      snippet(text),
      clause,
      incident.row.importance,
      incident.row,
    );
    const next = nextDeadline(incident, regulation, workingTime, undefined, deps.clock.now());
    if (!next) return post;
    return `${post}\n${tp.newHead.deadline(formatDeadline(next.at, timezone), stepLabel(regulation, next.step, incident.answer?.draftKind), next.clause)}`;
  });
  const told = await deliverLong(
    deps,
    deps.api,
    head.telegramId,
    [...(lead === undefined ? [] : [lead]), tp.newHead.title(open.length), ...entries].join("\n\n"),
    openCardButtons(open.map((incident) => incident.id)),
  );
  // Told of them here: the heads' retry of a notice another head missed does not tell him again.
  if (told === "sent")
    for (const incident of open)
      claimNotice(
        deps.db,
        headNoticeKey(incident.id, incident.row.importance, head.telegramId),
        deps.clock.now(),
      );
  return told !== "failed";
}
