/**
 * An organization a post was taken from — routed to another lead, dropped as a co-executor, or a
 * co-executor whose lead returned the post — hears it, and so does whoever of it took the post into
 * work: otherwise only its card changes, silently, and it may go on preparing, or post an approved
 * answer, for a post no longer its. A co-executor left waiting by its lead's return hears, quietly,
 * when the post is routed anew without it. Each hears it once, however often the change is handled (see
 * oncePerUpdate).
 */
import type { Api } from "grammy";
import { type Incident, partsLeftByLeadReturn } from "../app/incidents.js";
import type { AppDeps } from "../bot/context.js";
import { memberChat, organizationChats, ringFor, sendLong, tellCuratorsInsteadOf } from "../bot/delivery.js";
import { tr } from "../bot/texts-incidents.js";
import {
  activeAssignments,
  leadAssignment,
  OWED_PART_STATES,
  receivedAssignments,
  runningDeadlines,
} from "../domain/incident.js";
import { formatDeadline } from "../domain/time-format.js";
import { tellLeadOfReturn } from "./answers.js";

type Assignment = Incident["assignments"][number];

/**
 * The parts the change took from organizations left without the post: the lead's (also when it stays
 * as a co-executor of another lead), and a co-executor's still owed, or sent and waiting for the
 * curators (one that reached the lead has nothing more to do).
 */
function takenFrom(before: Incident, after: Incident): Assignment[] {
  const keeping = new Set(receivedAssignments(after).map((a) => a.organizationId));
  const newLead = leadAssignment(after)?.organizationId;
  return receivedAssignments(before).filter((a) => {
    if (after.assignments.find((b) => b.id === a.id)?.state !== "withdrawn") return false;
    // A lead kept as a co-executor of another lead is no longer to prepare (or post) the answer.
    if (a.role === "lead") return newLead !== a.organizationId;
    return !keeping.has(a.organizationId) && OWED_PART_STATES.has(a.state);
  });
}

export async function tellTakenFrom(
  deps: AppDeps,
  api: Api,
  before: Incident,
  after: Incident,
): Promise<void> {
  const lead = leadAssignment(after);
  const newLead = lead ? (lead.organizationShortName ?? lead.organizationName) : null;
  const keeping = new Set(receivedAssignments(after).map((a) => a.organizationId));
  const waiting = new Set(
    activeAssignments(after)
      .filter((a) => a.state === "queued")
      .map((a) => a.organizationId),
  );
  const anew = leadAnew(before, after);
  // A significant post's are heard at any hour: its new draft is awaited, its approved answer not to be posted.
  const sound = ringFor(after);
  if (anew) {
    const coexecutors = activeAssignments(after)
      .filter((a) => a.role === "coexecutor")
      .map((a) => a.organizationShortName ?? a.organizationName);
    const text = tr.withdrawn.leadAnew(before.id, before.state === "approved", coexecutors);
    const options = { ...sound, once: `anew:${anew.id}` };
    const told = await Promise.all(
      recipients(deps, anew, before.holderId).map((chatId) =>
        sendLong(deps, api, chatId, text, undefined, options),
      ),
    );
    // It must take the post again for a new draft: nobody there could hear it, the curators do.
    if (!told.includes(true)) await tellCuratorsInsteadOf(deps, api, anew.organizationId, text, options);
  }
  for (const part of takenFrom(before, after)) {
    const approved = before.state === "approved";
    const text =
      part.role === "lead"
        ? newLead && keeping.has(part.organizationId)
          ? tr.withdrawn.leadToCoexecutor(before.id, newLead, ...partDue(deps, after, part), approved)
          : newLead && waiting.has(part.organizationId)
            ? tr.withdrawn.leadToQueued(before.id, newLead, approved)
            : tr.withdrawn.lead(before.id, newLead, approved)
        : newLead
          ? tr.withdrawn.coexecutor(before.id)
          : tr.withdrawn.leadReturned(before.id);
    const taker = part.role === "lead" ? before.holderId : part.acceptedBy;
    const options = { ...sound, once: `taken:${part.id}` };
    await Promise.all(
      recipients(deps, part, taker).map((chatId) => sendLong(deps, api, chatId, text, undefined, options)),
    );
    // The lead kept on the post waited for that part: it will not come, and its draft's clock may run now.
    if (part.role === "coexecutor" && lead && lead.organizationId === leadAssignment(before)?.organizationId)
      await tellLeadOfReturn(deps, api, after, part.organizationName, true);
  }
  // Told to wait for the routing anew (tr.withdrawn.leadReturned), and routed without: nothing to do, so quietly.
  const named = new Set(activeAssignments(after).map((a) => a.organizationId));
  for (const part of lead ? partsLeftByLeadReturn(deps.db, before) : []) {
    if (named.has(part.organizationId)) continue;
    const text = tr.withdrawn.notRoutedAnew(before.id);
    await Promise.all(
      recipients(deps, part, part.acceptedBy).map((chatId) =>
        sendLong(deps, api, chatId, text, undefined, { quiet: true, once: `anew-without:${part.id}` }),
      ),
    );
  }
}

/** The deadline of the part a lead kept as a co-executor now owes, and its clause. */
function partDue(deps: AppDeps, after: Incident, part: Assignment): [due: string | null, clause: string] {
  const { regulation, workingTime, timezone } = deps.sla;
  const due = runningDeadlines(after, regulation, workingTime, part.organizationId).find(
    (d) => d.step === "coexecutorPart",
  );
  return due ? [formatDeadline(due.at, timezone), due.clause] : [null, ""];
}

/** The organization's chats, and privately whoever of it had taken the post (not while on leave). */
function recipients(deps: AppDeps, part: Assignment, taker: number | null): number[] {
  const chats = organizationChats(deps, part.organizationId);
  const privately = memberChat(deps, taker, part.organizationId);
  if (privately !== undefined && !chats.includes(privately)) chats.push(privately);
  return chats;
}

/**
 * The lead routed anew to itself (co-executors added or dropped) while its draft was before the curators or
 * approved: its part starts again, to be taken into work for a new draft — the approved answer is
 * not to be posted. Its old part, which it must hear of; none otherwise.
 */
function leadAnew(before: Incident, after: Incident): Assignment | undefined {
  if (before.state !== "approved" && before.state !== "on_approval") return undefined;
  const was = leadAssignment(before);
  const now = leadAssignment(after);
  return was && now && was.organizationId === now.organizationId && was.id !== now.id ? was : undefined;
}
