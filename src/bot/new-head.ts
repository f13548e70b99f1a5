/**
 * A head added later (by an invite) missed the significant posts announced before: on gaining the
 * role with «Срочные» they get one message with those still open, each as heads hear of it (Orenburg
 * p.21, Georgievsk p.24) and with its next deadline. With none open, nothing is said; a head of an
 * organization, who gets its violations only, is told of none.
 */
import { headOf, openSignificantIncidents } from "../app/heads.js";
import { headNoticeKey } from "../app/intake.js";
import { claimNotice } from "../app/notices.js";
import { nextDeadline } from "../domain/incident.js";
import { formatDeadline } from "../domain/time-format.js";
import { networkName } from "../flows/intake.js";
import type { CardDeps } from "./cards.js";
import { sendLong } from "./delivery.js";
import { stepLabel } from "./texts.js";
import { ti } from "./texts-intake.js";
import { tp } from "./texts-people.js";

export async function briefNewHead(deps: CardDeps, personId: number): Promise<void> {
  const head = headOf(deps.db, personId);
  if (!head?.purposes.includes("urgent")) return;
  const open = openSignificantIncidents(deps.db, deps.sla.regulation.significantRecipients.importance);
  if (open.length === 0) return;
  const { regulation, workingTime, timezone } = deps.sla;
  const entries = open.map((incident) => {
    const { id, link } = incident.row;
    const { clause } = regulation.significantRecipients;
    const post = ti.significant(
      id,
      networkName(link),
      link,
      null,
      clause,
      incident.row.importance,
      incident.row,
    );
    const next = nextDeadline(incident, regulation, workingTime, undefined, deps.clock.now());
    if (!next) return post;
    return `${post}\n${tp.newHead.deadline(formatDeadline(next.at, timezone), stepLabel(regulation, next.step, incident.answer?.draftKind), next.clause)}`;
  });
  const told = await sendLong(
    deps,
    deps.api,
    head.telegramId,
    [tp.newHead.title(open.length), ...entries].join("\n\n"),
  );
  // Told of them here: the heads' retry of a notice another head missed does not tell him again.
  if (told)
    for (const incident of open)
      claimNotice(
        deps.db,
        headNoticeKey(incident.id, incident.row.importance, head.telegramId),
        deps.clock.now(),
      );
}
