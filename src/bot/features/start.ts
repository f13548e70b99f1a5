import {
  chatOfOrganization,
  findBoundChat,
  findBoundChatByPurpose,
  workChatTitle,
  workChatTitles,
} from "../../app/chats.js";
import { headOf } from "../../app/heads.js";
import { loadIncident, openIncidents } from "../../app/incidents.js";
import { redeemInvite } from "../../app/invites.js";
import {
  getOrganization,
  listOrganizations,
  openPostsOf,
  unstaffedOrganizations,
} from "../../app/organizations.js";
import {
  findPerson,
  hadExecutorsBefore,
  telegramIdsOfMembers,
  telegramIdsWithRole,
} from "../../app/people.js";
import { displayName, type Person, rolesOf } from "../../domain/access.js";
import { formatMinutes } from "../../domain/calendar/index.js";
import { syncCards } from "../cards.js";
import { setPersonCommands } from "../commands.js";
import { Features } from "../composer.js";
import type { BotContext } from "../context.js";
import { cardDeps, notifyCurators, sendLong } from "../delivery.js";
import { cardButtons } from "../keyboards.js";
import { briefNewHead } from "../new-head.js";
import { curatorsReached } from "../refused-chats.js";
import { type SetupStep, t } from "../texts.js";
import { tp } from "../texts-people.js";
import { showOpenPosts } from "./incidents.js";
import { tellInviteReopened, tellInviteUsed } from "./invites.js";

export const start = new Features<BotContext>();

const privateChat = start.chatType("private");

privateChat.command("start", async (ctx) => {
  const token = ctx.match.trim();
  if (token === "") {
    const steps = ctx.person && rolesOf(ctx.person).includes("admin") ? setupLeft(ctx) : [];
    const setup = steps.length > 0 ? `\n\n${t.setup(steps, presetInForce(ctx))}` : "";
    await ctx.reply(ctx.person ? helpFor(ctx) + setup : t.unknownPerson);
    if (ctx.person) await setPersonCommands(ctx.api, ctx.person);
    return;
  }
  const { db, clock } = ctx.app;
  const result = redeemInvite(db, token, ctx.from, clock.now());
  if (!result.ok) {
    // A second tap on one's own link; anyone else is told it is used (and to tell the admin).
    const again = result.reason === "used" && result.byThisPerson && ctx.person;
    await ctx.reply(again ? t.alreadyRegistered : t.inviteRejected[result.reason]);
    if (result.reason === "used" && !result.byThisPerson) await tellInviteReopened(ctx, result.inviteId);
    return;
  }
  ctx.log.info({ personId: result.personId, role: result.role }, "invite redeemed");
  const welcome =
    result.role === "head"
      ? headWelcome(ctx, result.personId, result.alreadyHad, result.organizationName)
      : t.welcome(
          result.role,
          result.organizationName,
          result.alreadyHad,
          workChatTitle(db, result.role, result.organizationId),
        );
  const person = findPerson(db, ctx.from.id);
  // Reports name people officially: one who joins is asked once how, to answer with /name, now or later.
  const askName = !result.alreadyHad && person?.officialName === null;
  await ctx.reply(askName ? `${welcome}\n\n${tp.officialName.askNew}` : welcome);
  await tellInviteUsed(ctx, result.inviteId);
  if (person) await setPersonCommands(ctx.api, person);
  // The significant posts announced before this head came are still theirs to know of, if they get them.
  if (result.role === "head" && !result.alreadyHad)
    await briefNewHead(cardDeps(ctx.app, ctx.api), result.personId);
  if (result.role === "executor" && !result.alreadyHad && result.organizationId !== null && person)
    await briefNewExecutor(ctx, person, result.organizationId);
  if (result.role === "curator" && !result.alreadyHad && person) await briefNewCurator(ctx, person);
});

/**
 * An executor who joins starts with the organization's open posts, as a chat bound to it does. Its
 * first one since the last left, or its first ever while it has no work chat (its posts reached
 * nobody, as the curators were warned at routing): the curators hear it has one, with the posts
 * still open. Each once, however often the /start is handled (see oncePerUpdate). `to`: his private
 * chat when an admin added him (/people), quietly.
 */
export async function briefNewExecutor(
  ctx: BotContext,
  person: Person,
  organizationId: number,
  to?: number,
): Promise<void> {
  await showOpenPosts(ctx, organizationId, to);
  const { db } = ctx.app;
  await refreshApprovedCards(ctx, organizationId);
  if (telegramIdsOfMembers(db, [organizationId]).length > 1) return;
  const back = hadExecutorsBefore(db, organizationId);
  if (!back && chatOfOrganization(db, organizationId) !== undefined) return;
  const open = openPostsOf(db, organizationId);
  const organization = getOrganization(db, organizationId);
  if (open.length === 0 || !organization) return;
  const notice = (back ? tp.executorBack : tp.executorFirst)(organization.name, displayName(person), open);
  await notifyCurators(ctx.app, ctx.api, notice, cardButtons(open), { once: "executor-back" });
}

/** The curators' cards of the organization's approved answers stop saying nobody is there to post them. */
async function refreshApprovedCards(ctx: BotContext, organizationId: number): Promise<void> {
  for (const id of openPostsOf(ctx.app.db, organizationId)) {
    const incident = loadIncident(ctx.app.db, id);
    if (incident?.row.state === "approved") await syncCards(cardDeps(ctx.app, ctx.api), incident);
  }
}

/** A new curator's private cards of the posts waiting for the curators, at most; the rest are in /list. */
const NEW_CURATOR_CARDS = 10;

/**
 * A curator who joins starts with the posts waiting for the curators (to be routed, drafts to decide
 * on): pointed to the curators' chat where one is bound, else their cards privately, as the curators
 * get them without a chat (kept up to date from then on). Posts reaching no curator were told to the
 * admins once: the next such is told again.
 */
async function briefNewCurator(ctx: BotContext, person: Person): Promise<void> {
  const { db } = ctx.app;
  curatorsReached(db);
  const waiting = openIncidents(db, { states: ["registered", "on_approval"] });
  if (waiting.length === 0) return;
  const routing = waiting.filter((row) => row.state === "registered").length;
  const chatId = findBoundChatByPurpose(db, "curators");
  const chat = chatId === undefined ? undefined : (findBoundChat(db, chatId)?.title ?? "");
  const shown = chat === undefined ? waiting.slice(0, NEW_CURATOR_CARDS) : [];
  const text = tp.newCurator({ routing, approval: waiting.length - routing, shown: shown.length, chat });
  await sendLong(ctx.app, ctx.api, person.telegramId, text, undefined, { once: "curator-waiting" });
  const deps = cardDeps(ctx.app, ctx.api);
  for (const row of shown) {
    const incident = loadIncident(db, row.id);
    const target = { chatId: person.telegramId, audience: { kind: "curators" } } as const;
    if (incident) await syncCards(deps, incident, [target]);
  }
}

/** What the office still lacks, each item until done: an admin in a new office is told where to begin. */
function setupLeft(ctx: BotContext): SetupStep[] {
  const { db } = ctx.app;
  const steps: SetupStep[] = [];
  if (listOrganizations(db, { page: 0 }).items.length === 0) steps.push({ kind: "organizations" });
  if (telegramIdsWithRole(db, "curator").length === 0) steps.push({ kind: "curators" });
  const unstaffed = unstaffedOrganizations(db);
  if (unstaffed.length > 0) steps.push({ kind: "unstaffed", names: unstaffed });
  if (findBoundChatByPurpose(db, "curators") === undefined) steps.push({ kind: "curatorsChat" });
  return steps;
}

/** The preset in force, as the setup list names it. */
function presetInForce(ctx: BotContext) {
  const { regulation, timezone, schedule } = ctx.app.sla;
  const hours = `${formatMinutes(schedule.start)}–${formatMinutes(schedule.end)}`;
  return { title: regulation.title, timezone, hours };
}

/**
 * A head is told what the bot will send them: a head of an organization gets less than the head of
 * all. A head already, invited as a head of another scope, keeps their settings and is told so.
 */
function headWelcome(
  ctx: BotContext,
  personId: number,
  alreadyHad: boolean,
  invitedFor: string | null,
): string {
  const { db, sla } = ctx.app;
  const head = headOf(db, personId);
  const organizationId = head?.organizationId ?? null;
  const organization = organizationId === null ? null : (getOrganization(db, organizationId)?.name ?? null);
  return tp.heads.welcome({
    alreadyHad,
    purposes: head?.purposes ?? [],
    organization,
    regulation: sla.regulation,
    invitedOtherwise: alreadyHad && invitedFor !== organization ? { organization: invitedFor } : undefined,
  });
}

/**
 * /start or /help in a group, anyone's: what the chat is for, and that the rest is in the private
 * chat. Other group messages the bot cannot take get nothing: groups are chatty.
 */
start.chatType(["group", "supergroup"]).command(["start", "help"], async (ctx) => {
  const bound = findBoundChat(ctx.app.db, ctx.chat.id);
  const serves =
    bound?.purpose === "curators" ? "curators" : bound && { organization: bound.organizationName ?? "?" };
  await ctx.reply(t.chat.help(serves, ctx.me.username));
});

start.command("help", async (ctx) => {
  await ctx.reply(ctx.person ? helpFor(ctx) : t.help([]));
});

/**
 * The help for this person: where each role's cards come; a head is told what they receive, as the
 * admin set it.
 */
function helpFor(ctx: BotContext): string {
  const person = ctx.person;
  if (!person) return t.help([]);
  const { db, sla } = ctx.app;
  const roles = rolesOf(person);
  const chats = Object.fromEntries(
    roles.map((role) => [role, workChatTitles(db, role, person.organizationIds)]),
  );
  const head = headOf(db, person.id);
  if (!head) return t.help(roles, undefined, chats);
  const organization = head.organizationId === null ? null : getOrganization(db, head.organizationId);
  const gets = tp.headReceives(head.purposes, organization?.name ?? null, sla.regulation);
  return t.help(
    roles,
    { gets, ofOrganization: head.organizationId !== null, summary: head.purposes.includes("summary") },
    chats,
  );
}
