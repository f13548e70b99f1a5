/**
 * A person's leave as the chats see it: the work chat hears once which posts the person holds, so that a
 * colleague takes them over («Взять себе»); the cards name the holder «(в отпуске до …)»; back, he
 * hears which posts he still holds. A leave planned ahead is all this from its first day.
 */

import { TZDate } from "@date-fns/tz";
import type { Api } from "grammy";
import { allHeads, headOf } from "../app/heads.js";
import { loadIncident } from "../app/incidents.js";
import { awayChats, leavesOver, peopleOnLeave } from "../app/leave.js";
import { claimNotice, releaseNotice } from "../app/notices.js";
import {
  type HeldIncidents,
  incidentsHeldBy,
  loadPerson,
  personName,
  telegramIdsOfMembers,
} from "../app/people.js";
import { displayName } from "../domain/access.js";
import { type Leave, localDay } from "../domain/leave.js";
import { syncCards } from "./cards.js";
import type { AppDeps } from "./context.js";
import { deliverLong, notifyCurators, organizationChats, sendLong } from "./delivery.js";
import { cardButtons, openCardButtons } from "./keyboards.js";
import { tp } from "./texts-people.js";

type LeaveDeps = Pick<AppDeps, "db" | "clock" | "sla" | "log"> & { config?: { adminIds: number[] } };

/** The ledger key of the notice of one leave (its person and last day) to one organization. */
const leaveNoticeKey = (personId: number, until: string, organizationId: number) =>
  `leave:${personId}:${until}:org:${organizationId}`;

/** The ledger key of the first day of one leave planned ahead (its person and days). */
const beganKey = (personId: number, from: string, until: string) =>
  `leave:${personId}:${from}:${until}:began`;

/** The ledger key of the day after one leave (its person and last day). */
const endedKey = (personId: number, until: string) => `leave:${personId}:${until}:ended`;

/**
 * Tells each organization whose posts a person on leave holds, once per leave: its work chat (or, with
 * none, its other executors privately); the curators, when nobody else there can take them. Waits for
 * working time, so a leave set at night or on a day off is told at the start of the next working day.
 * A leave planned ahead is told so from its first day, whose first tick has his cards name him away,
 * as setting a leave does at once; the first tick after a leave's last day has them name him no longer.
 */
export async function announceLeaves(deps: LeaveDeps, api: Api): Promise<void> {
  const { db, clock, sla } = deps;
  const now = clock.now();
  const today = localDay(now, sla.timezone);
  const leaves = peopleOnLeave(db, today);
  for (const leave of leaves)
    if (leave.from !== null && claimNotice(db, beganKey(leave.personId, leave.from, leave.until), now))
      await refreshHolderCards(deps, api, leave.personId);
  for (const leave of leavesOver(db, today))
    if (claimNotice(db, endedKey(leave.personId, leave.until), now))
      await refreshHolderCards(deps, api, leave.personId);
  if (!sla.workingTime.isWorking(now)) return;
  for (const leave of leaves) {
    const person = loadPerson(db, leave.personId);
    if (!person) continue;
    for (const held of incidentsHeldBy(db, person.id, person.organizationIds)) {
      const key = leaveNoticeKey(person.id, leave.until, held.organizationId);
      if (!claimNotice(db, key, now)) continue;
      const named = { id: person.id, telegramId: person.telegramId, name: displayName(person) };
      const told = await announceHeld(deps, api, named, leave.until, held);
      if (!told) releaseNotice(db, key);
    }
  }
}

/**
 * One organization's posts held by the person on leave, told: its work chat, or its other executors
 * privately where it has none; the curators too, when no other executor is there to take them.
 * Whether anyone heard.
 */
async function announceHeld(
  deps: LeaveDeps,
  api: Api,
  person: { id: number; telegramId: number; name: string },
  until: string,
  held: HeldIncidents,
): Promise<boolean> {
  const { db } = deps;
  const { organizationId, organizationName, incidentIds } = held;
  const buttons = cardButtons(incidentIds);
  let told = false;
  const text = tp.leave.chatNotice(person.name, until, incidentIds);
  for (const chatId of organizationChats(deps, organizationId))
    if (await sendLong(deps, api, chatId, text, buttons)) told = true;
  const alone = telegramIdsOfMembers(db, [organizationId]).every((id) => id === person.telegramId);
  if (alone) {
    const notice = tp.leave.curatorsNotice(person.name, organizationName, until, incidentIds);
    if (await notifyCurators(deps, api, notice, buttons)) told = true;
  }
  return told;
}

/** The ledger key of the greeting after one leave (its person and last day). */
const backKey = (personId: number, until: string) => `leave:${personId}:${until}:back`;

/**
 * «С возвращением!»: as his first working day after a leave begins, the person hears privately which
 * posts he holds, a button for each; once per leave, and nothing when he holds none. A leave
 * cancelled early has no greeting: he knows he is back.
 */
export async function welcomeBack(deps: LeaveDeps, api: Api): Promise<void> {
  const { db, clock, sla } = deps;
  const now = clock.now();
  if (!sla.workingTime.isWorking(now)) return;
  const today = localDay(now, sla.timezone);
  for (const leave of leavesOver(db, today)) {
    if (firstWorkingDayAfter(deps, leave.until) !== today) continue;
    const key = backKey(leave.personId, leave.until);
    const person = loadPerson(db, leave.personId);
    // Claimed holding none too: a post he takes later that day is no news to greet him with.
    if (!person || !claimNotice(db, key, now)) continue;
    const held = incidentsHeldBy(db, person.id, person.organizationIds).flatMap((h) => h.incidentIds);
    const ids = [...new Set(held)].sort((a, b) => a - b);
    if (ids.length === 0) continue;
    const text = tp.leave.welcomeBack(ids);
    // Failed only for now, it is tried at the next tick; a chat that refuses is not tried again.
    if ((await deliverLong(deps, api, person.telegramId, text, openCardButtons(ids))) === "failed")
      releaseNotice(db, key);
  }
}

/** The local day (`yyyy-MM-dd`) of the first working day after a leave's last day. */
function firstWorkingDayAfter(deps: Pick<LeaveDeps, "sla">, until: string): string {
  const [year, month, day] = until.split("-").map(Number) as [number, number, number];
  const dayAfter = new TZDate(year, month - 1, day + 1, deps.sla.timezone);
  return localDay(deps.sla.workingTime.nextWorkingMoment(dayAfter), deps.sla.timezone);
}

/** The cards of the posts the person holds name him anew: the leave set or no longer, his official name. */
export async function refreshHolderCards(deps: LeaveDeps, api: Api, personId: number): Promise<void> {
  const person = loadPerson(deps.db, personId);
  if (!person) return;
  const ids = incidentsHeldBy(deps.db, person.id, person.organizationIds).flatMap((h) => h.incidentIds);
  for (const id of new Set(ids)) {
    const incident = loadIncident(deps.db, id);
    if (incident) await syncCards({ ...deps, api }, incident);
  }
}

/**
 * What setting a leave is answered with (`name`: the person's, when an admin set it for him), by what
 * he does: an executor's posts are told to his colleagues; a head (of no organization's executors, no
 * curator) no longer hears of significant posts and violations, which the other heads of his
 * organization still get — though of significant posts he still hears while no other head with
 * «Срочные» is there (see tellHeads); a curator's work goes on in the curators' chat.
 */
export function leaveSetText(deps: LeaveDeps, personId: number, name: string | null, leave: Leave): string {
  const { db } = deps;
  const person = loadPerson(db, personId);
  const head = person && person.organizationIds.length === 0 ? headOf(db, personId) : undefined;
  // A head who is a curator too hears first what a head stops getting: the curators' chat goes on.
  if (person && !head && person.organizationIds.length === 0 && person.roles.has("curator"))
    return tp.leave.setCurator(name, leave);
  if (!person || !head) return name ? tp.leave.setFor(name, leave) : tp.leave.setOwn(leave);
  const away = awayChats(db, localDay(deps.clock.now(), deps.sla.timezone));
  const others = allHeads(db).filter(
    (other) => other.personId !== personId && !other.blocked && !away.has(other.telegramId),
  );
  const stillUrgent =
    head.purposes.includes("urgent") && !others.some((other) => other.purposes.includes("urgent"));
  const stops = (["urgent", "violations"] as const).filter(
    (purpose) => head.purposes.includes(purpose) && !(purpose === "urgent" && stillUrgent),
  );
  const colleagues = others
    .filter(
      (other) =>
        other.organizationId === head.organizationId &&
        stops.some((purpose) => other.purposes.includes(purpose)),
    )
    .map((other) => personName(db, other.telegramId));
  return tp.leave.setHead({ name, leave, stops, colleagues, stillUrgent });
}

/** The person hears, without sound, that an admin set his leave or cancelled it: once per update. */
export async function tellOfLeave(
  deps: LeaveDeps,
  api: Api,
  telegramId: number,
  text: string,
): Promise<void> {
  await sendLong(deps, api, telegramId, text, undefined, { quiet: true, once: "leave-by-admin" });
}
