import { eq } from "drizzle-orm";
import type { Update } from "grammy/types";
import { approveDraft, submitDraft } from "../../src/app/answers.js";
import {
  acceptIncident,
  type Incident,
  loadIncident,
  registerIncident,
  routeIncident,
  type TransitionResult,
} from "../../src/app/incidents.js";
import { noticesStartingWith, releaseNotice, updateNoticesPrefix } from "../../src/app/notices.js";
import { findPerson } from "../../src/app/people.js";
import { syncCards } from "../../src/bot/cards.js";
import { inbox } from "../../src/db/schema.js";
import type { DraftPurpose, Importance } from "../../src/domain/incident.js";
import { parseSourceLink } from "../../src/domain/source-link.js";
import type { Harness } from "./bot-harness.js";
import { updates } from "./updates.js";

/**
 * A staffed office for workflow tests: a curators' chat, one organization with a work chat and an
 * executor, a second curator and a head. Ids are fixed so tests read plainly.
 */
export const OFFICE = {
  curatorsChat: -200,
  healthChat: -100,
  curator: 2001,
  curator2: 2002,
  executor: 3001,
  head: 5001,
} as const;

export function seedOffice(h: Harness): { health: number } {
  const health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
  h.seedChat(h.group(OFFICE.curatorsChat, "Кураторы"), null);
  h.seedChat(h.group(OFFICE.healthChat, "Минздрав: обращения"), health);
  h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
  h.seedPerson(OFFICE.curator2, "Светлана", ["curator"]);
  h.seedPerson(OFFICE.executor, "Иван", [], [health]);
  h.seedPerson(OFFICE.head, "Глава", ["head"]);
  return { health };
}

function person(h: Harness, telegramId: number) {
  const found = findPerson(h.db, telegramId);
  if (!found) throw new Error(`no person ${telegramId}`);
  return found;
}

function must(result: TransitionResult): Incident {
  if (!result.ok) throw new Error(`transition refused: ${result.refusal}`);
  return result.incident;
}

/** Shows the incident's cards as the bot would after a change. */
export async function showCards(h: Harness, incidentId: number): Promise<Incident> {
  const incident = loadIncident(h.db, incidentId);
  if (!incident) throw new Error(`no incident ${incidentId}`);
  await syncCards(h.deps(), incident);
  return incident;
}

export interface PostOptions {
  link?: string;
  text?: string | null;
  author?: string | null;
  topic?: string | null;
  place?: string | null;
  importance?: Importance;
  repeatOfId?: number;
  /** Another comment at a link registered already (Одноклассники, Дзен…). */
  anotherComment?: boolean;
}

/** Registers a post as the curator's intake does (its own UI is tested in intake.test.ts). */
export function seedRegistered(h: Harness, opts: PostOptions = {}): number {
  const link = parseSourceLink(opts.link ?? "https://vk.com/wall-1_1");
  if (!link.ok) throw new Error("bad link");
  const registered = registerIncident(h.db, {
    link: link.url,
    linkKey: link.key,
    network: link.network,
    text: opts.text === undefined ? "Во дворе на Ленина, 5 третью неделю не убирают снег." : opts.text,
    author: opts.author === undefined ? "Иван Петров" : opts.author,
    topic: opts.topic ?? null,
    place: opts.place ?? null,
    importance: opts.importance ?? "normal",
    postedAt: null,
    repeatOfId: opts.repeatOfId ?? null,
    ...(opts.anotherComment ? { anotherComment: true } : {}),
    actorId: person(h, OFFICE.curator).id,
    now: h.clock.now(),
  });
  if (!registered.ok) throw new Error("duplicate link");
  return registered.incident.id;
}

/**
 * Arranges an incident through the same use-cases the bot calls — registered by the curator, routed
 * to the organization and taken into work by its executor — and shows its cards.
 */
export async function seedIncidentInWork(
  h: Harness,
  organizationId: number,
  opts: PostOptions = {},
): Promise<number> {
  const id = seedRegistered(h, opts);
  routeTo(h, id, organizationId);
  must(acceptIncident(h.db, { incidentId: id, actor: person(h, OFFICE.executor), now: h.clock.now() }));
  await showCards(h, id);
  return id;
}

/** The office's curator routes the incident to one organization, as its lead (cards not shown). */
export function routeTo(h: Harness, incidentId: number, organizationId: number): void {
  must(
    routeIncident(h.db, {
      incidentId,
      leadId: organizationId,
      coexecutorIds: [],
      actor: person(h, OFFICE.curator),
      now: h.clock.now(),
    }),
  );
}

/** …and further: the executor's text-only draft submitted, optionally approved. */
export async function seedDraft(
  h: Harness,
  incidentId: number,
  opts: { text?: string; approve?: boolean; purpose?: DraftPurpose } = {},
): Promise<void> {
  const now = h.clock.now();
  must(
    submitDraft(h.db, {
      incidentId,
      actor: person(h, OFFICE.executor),
      now,
      content: { text: opts.text ?? "Здравствуйте! Снег вывезут до пятницы.", attachments: [] },
      ...(opts.purpose ? { purpose: opts.purpose } : {}),
    }),
  );
  if (opts.approve) must(approveDraft(h.db, { incidentId, actor: person(h, OFFICE.curator), now }));
  await showCards(h, incidentId);
}

/**
 * The process died after `update`'s change was committed, before its handling was recorded as done:
 * it is handled again at start. Right after `the commit`, what it sent is lost with the process, and
 * so is the notices ledger's record of it; after `the notices`, the people have them.
 */
export function diedAfter(h: Harness, update: Update, point: "the commit" | "the notices"): void {
  h.db.update(inbox).set({ doneAt: null }).where(eq(inbox.updateId, update.update_id)).run();
  if (point === "the notices") return;
  for (const key of noticesStartingWith(h.db, updateNoticesPrefix(update.update_id)))
    releaseNotice(h.db, key);
}

/** Presses a button whose callback data the person typed by hand (never shown to them): its pop-up. */
export async function pressCrafted(
  h: Harness,
  telegramId: number,
  firstName: string,
  data: string,
): Promise<string | undefined> {
  const user = h.user(telegramId, firstName);
  await user.send("/help");
  const message = h.fake.lastMessage(telegramId);
  if (!message) throw new Error("no message to press on");
  const update = await h.deliver(updates.callback(user.tg, message, data));
  return h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text as string | undefined;
}
