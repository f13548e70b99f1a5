/**
 * The admin's «Сотрудники» (/people): who has access, and taking a role, an organization or all access
 * away, or adding an organization; what each head receives, one tap per purpose. Every press re-reads
 * the admin's rights and the person's access from the database; a change that takes access away is
 * confirmed first (a head's purpose needs none: one tap undoes it; nor does an organization added,
 * chosen from the list) and checked again inside its transaction.
 */

import { GrammyError, InlineKeyboard } from "grammy";
import { chatOfOrganization, findBoundChat, findBoundChatByPurpose } from "../../app/chats.js";
import { headOf } from "../../app/heads.js";
import { loadIncident } from "../../app/incidents.js";
import { invitesUsedBy } from "../../app/invites.js";
import { leaveOf, leaveToday, setLeave } from "../../app/leave.js";
import { countInactiveOrganizations, getOrganization } from "../../app/organizations.js";
import {
  type AccessChange,
  type AccessChangeInput,
  type AccessPlan,
  type AccessRefusal,
  changeAccess,
  type HeldIncidents,
  incidentsHeldBy,
  type JoinRefusal,
  joinOrganization,
  listPeople,
  loadPerson,
  PEOPLE_PAGE_SIZE,
  type PersonSummary,
  pageOfPerson,
  personName,
  planAccessChange,
  reachableMembers,
  setHeadPurpose,
  telegramIdsOfMembers,
} from "../../app/people.js";
import type { Db } from "../../db/client.js";
import { HEAD_PURPOSES, type HeadPurpose, PERSON_ROLES, type PersonRole } from "../../db/schema.js";
import { displayName, type Person, rolesOf, telegramName } from "../../domain/access.js";
import { clip } from "../../domain/clip.js";
import { leadAssignment } from "../../domain/incident.js";
import { leaveAsOf } from "../../domain/leave.js";
import { formatDeadline } from "../../domain/time-format.js";
import { afterTurn } from "../after-turn.js";
import { cb, ID, onAction } from "../callback-data.js";
import { syncCards } from "../cards.js";
import { setPersonCommands } from "../commands.js";
import { Features } from "../composer.js";
import type { BotContext } from "../context.js";
import { cardDeps, deliverLong, notifyCurators, notifyOrganization, oncePerUpdate } from "../delivery.js";
import { buttonLabel, cardButtons, organizationPicker } from "../keyboards.js";
import { refreshHolderCards, tellOfLeave } from "../leave.js";
import { briefNewHead } from "../new-head.js";
import { refuse, requirePermission, requirePrivate } from "../refuse.js";
import { chatRefused } from "../refused-chats.js";
import { ROLE_NAMES, t } from "../texts.js";
import { type HeldPosts, type LeftPosts, tp } from "../texts-people.js";
import { briefNewExecutor } from "./start.js";

export const people = new Features<BotContext>();
const admin = requirePermission("managePeople");

const MESSAGE_LIMIT = 4096;
/** A page holds PEOPLE_PAGE_SIZE lines: each is cut to fit them all in one message. */
const LINE_LIMIT = 480;
/** `r:<role>`, `o:<organizationId>` or `a` (all access), after the person's id. */
const CHANGE = `r:(?:${PERSON_ROLES.join("|")})|o:${ID}|a`;

function encodeChange(change: AccessChange): string {
  if (change.kind === "role") return `r:${change.role}`;
  return change.kind === "membership" ? `o:${change.organizationId}` : "a";
}

function decodeChange(data: string): AccessChange {
  if (data === "a") return { kind: "all" };
  if (data.startsWith("r:")) return { kind: "role", role: data.slice(2) as PersonRole };
  return { kind: "membership", organizationId: Number(data.slice(2)) };
}

/** «Закрыть доступ полностью» of the person's card, asked for confirmation (as an invite's notice offers it). */
export const closeAccessData = (personId: number) => cb("ppl.ask", personId, encodeChange({ kind: "all" }));

const roleNames = (person: Person) => rolesOf(person).map((role) => ROLE_NAMES[role]);

function listView(ctx: BotContext, requested: number): { text: string; keyboard: InlineKeyboard } {
  const { items, page, pages } = listPeople(ctx.app.db, { page: requested });
  const today = leaveToday(ctx.app);
  const keyboard = new InlineKeyboard();
  if (items.length === 0) return { text: tp.listEmpty, keyboard };
  const lines = items.map((person, i) => {
    const n = page * PEOPLE_PAGE_SIZE + i + 1;
    const leave = leaveAsOf(person.leaveFrom, person.leaveUntil, today);
    const name = tp.leave.listed(displayName(person), leave);
    keyboard.text(buttonLabel(`${n}. ${displayName(person)}`), cb("ppl.open", person.id)).row();
    const headed = headOf(ctx.app.db, person.id)?.organizationId ?? null;
    const organization = headed === null ? undefined : getOrganization(ctx.app.db, headed);
    const heads = organization ? (organization.shortName ?? organization.name) : null;
    return clip(tp.listLine(n, name, rolesOf(person), person.organizations, heads), LINE_LIMIT);
  });
  if (pages > 1) {
    if (page > 0) keyboard.text("◀", cb("ppl.page", page - 1));
    keyboard.text(`${page + 1}/${pages}`, cb("ppl.noop"));
    if (page < pages - 1) keyboard.text("▶", cb("ppl.page", page + 1));
  }
  return { text: [tp.listTitle(page, pages), ...lines].join("\n"), keyboard };
}

people.command("people", requirePrivate, admin, async (ctx) => {
  const { text, keyboard } = listView(ctx, 0);
  await ctx.reply(text, { reply_markup: keyboard });
});

people.callbackQuery(onAction("ppl.page", [ID]), admin, async (ctx) => {
  const { text, keyboard } = listView(ctx, Number(ctx.match[1]));
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(text, { reply_markup: keyboard });
});

people.callbackQuery(onAction("ppl.back", [ID]), admin, async (ctx) => {
  const { text, keyboard } = listView(ctx, pageOfPerson(ctx.app.db, Number(ctx.match[1])));
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(text, { reply_markup: keyboard });
});

people.callbackQuery("ppl.noop", (ctx) => ctx.answerCallbackQuery());

/**
 * The person's card: who they are, what they hold, what they receive as a head (a button per
 * purpose), and a button for each thing that can be taken away.
 */
async function showPerson(ctx: BotContext, personId: number, toast?: string): Promise<void> {
  const { db, config, sla } = ctx.app;
  const person = loadPerson(db, personId);
  if (!person) {
    await ctx.answerCallbackQuery({ text: tp.refusal.notFound, show_alert: true });
    return;
  }
  const configuredAdmin = config.adminIds.includes(person.telegramId) && person.roles.has("admin");
  const keyboard = new InlineKeyboard();
  const head = headOf(db, person.id);
  if (head) {
    for (const purpose of HEAD_PURPOSES) {
      const on = head.purposes.includes(purpose);
      const label = tp.heads.button(purpose, on, sla.regulation);
      keyboard.text(label, cb("ppl.hp", person.id, purpose, on ? 0 : 1)).row();
    }
  }
  const ask = (change: AccessChange) => cb("ppl.ask", person.id, encodeChange(change));
  for (const role of PERSON_ROLES) {
    if (!person.roles.has(role) || (role === "admin" && configuredAdmin)) continue;
    keyboard.text(tp.button.takeRole(role), ask({ kind: "role", role })).row();
  }
  for (const org of person.organizations) {
    const change = { kind: "membership", organizationId: org.id } as const;
    keyboard.text(buttonLabel(tp.button.leaveOrganization(org)), ask(change)).row();
  }
  keyboard.text(tp.button.addOrganization, cb("ppl.orgs", person.id, 0)).row();
  const leave = leaveOf(db, person.id, leaveToday(ctx.app));
  keyboard.text(leave ? tp.leave.button.change : tp.leave.button.set, cb("ppl.leave", person.id));
  if (leave) keyboard.text(tp.leave.button.cancel, cb("lv.cancel", person.id));
  keyboard.row();
  const named = person.officialName ? tp.officialName.button.change : tp.officialName.button.set;
  keyboard.text(named, cb("ppl.name", person.id)).row();
  const removable = person.organizations.length > 0 || person.roles.size > (configuredAdmin ? 1 : 0);
  if (removable) keyboard.text(tp.button.removeAll, ask({ kind: "all" })).row();
  keyboard.text(tp.button.back, cb("ppl.back", person.id));
  const { timezone } = ctx.app.sla;
  const invited = invitesUsedBy(db, person.id).map((used) =>
    t.invite.card(
      displayName(used.inviter),
      formatDeadline(used.usedAt, timezone),
      used.role,
      used.organizationName,
    ),
  );
  const card = tp.card({
    name: tp.officialName.title(person.officialName, telegramName(person)),
    telegramId: person.telegramId,
    roles: roleNames(person),
    organizations: person.organizations,
    held: incidentsHeldBy(db, person.id, person.organizationIds),
    blockedSince: person.blockedAt && formatDeadline(person.blockedAt, timezone),
    leave,
    configuredAdmin,
    invited,
    ...(head && {
      head: tp.heads.card(
        head.purposes,
        head.organizationId === null ? null : (getOrganization(db, head.organizationId)?.name ?? null),
        sla.regulation,
      ),
    }),
  });
  await ctx.answerCallbackQuery(toast === undefined ? {} : { text: toast });
  await ctx.editMessageText(clip(card, MESSAGE_LIMIT), { reply_markup: keyboard });
}

people.callbackQuery(onAction("ppl.open", [ID]), admin, (ctx) => showPerson(ctx, Number(ctx.match[1])));

/**
 * «ppl.hp:<person>:<purpose>:<0|1>»: one tap switches a head's purpose to the state the button names,
 * so a press delivered twice or an old card's button changes nothing more. The admin's rights and
 * the person's head role are checked again inside the change.
 */
people.callbackQuery(onAction("ppl.hp", [ID, HEAD_PURPOSES.join("|"), "[01]"]), admin, async (ctx) => {
  if (!ctx.person) return await refuse(ctx);
  const personId = Number(ctx.match[1]);
  const purpose = ctx.match[2] as HeadPurpose;
  const enabled = ctx.match[3] === "1";
  const result = setHeadPurpose(ctx.app.db, {
    actorId: ctx.person.id,
    personId,
    purpose,
    enabled,
    now: ctx.app.clock.now(),
  });
  if (!result.ok) {
    if (result.refusal === "not_head") return await showPerson(ctx, personId, tp.heads.notHead);
    const text = result.refusal === "forbidden" ? t.refusal : tp.refusal.notFound;
    return await ctx.answerCallbackQuery({ text, show_alert: true });
  }
  ctx.log.info({ personId, purpose, enabled, changed: result.changed }, "head purpose set");
  const toast = result.changed ? tp.heads.switched(purpose, enabled) : tp.heads.already(purpose, enabled);
  await showPerson(ctx, personId, toast);
  if (!result.changed) return;
  // The head is told what changed and what he receives now; «Срочные» switched on adds, in the same
  // message, the significant posts still open, as one who joins hears of them.
  const { head } = result;
  const organization =
    head.organizationId === null ? null : (getOrganization(ctx.app.db, head.organizationId)?.name ?? null);
  const notice = tp.heads.changed({
    purpose,
    enabled,
    purposes: head.purposes,
    organization,
    regulation: ctx.app.sla.regulation,
  });
  const deps = cardDeps(ctx.app, ctx.api);
  if (purpose === "urgent" && enabled) await briefNewHead(deps, personId, notice);
  else await deliverLong(deps, ctx.api, head.telegramId, notice);
});

/**
 * «/leave»: the person's own leave — its days asked (or typed after the command), or, while on or
 * planned, cancelled.
 */
people.command("leave", requirePrivate, async (ctx) => {
  const { person } = ctx;
  if (!person) return await refuse(ctx);
  const typed = ctx.match.trim();
  const leave = leaveOf(ctx.app.db, person.id, leaveToday(ctx.app));
  if (leave && !typed) {
    const keyboard = new InlineKeyboard().text(tp.leave.button.cancel, cb("lv.cancel", person.id));
    return void (await ctx.reply(tp.leave.statusOwn(leave), { reply_markup: keyboard }));
  }
  await ctx.conversation.exitAll();
  await ctx.conversation.enter("leave", person.id, person.id, ...(typed ? [typed] : []));
});

/** «Указать отпуск» on a person's card in /people. */
people.callbackQuery(onAction("ppl.leave", [ID]), admin, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.conversation.exitAll();
  await ctx.conversation.enter("leave", ctx.person?.id, Number(ctx.match[1]));
});

/** «Отменить отпуск»: the person's own (under /leave) or, by an admin, on the person's card. */
people.callbackQuery(onAction("lv.cancel", [ID]), async (ctx) => {
  if (!ctx.person) return await refuse(ctx);
  const personId = Number(ctx.match[1]);
  const { db, clock } = ctx.app;
  const today = leaveToday(ctx.app);
  const result = setLeave(db, { actorId: ctx.person.id, personId, leave: null, today, now: clock.now() });
  if (!result.ok) return await refuseChange(ctx, personId, result.refusal);
  const byAdmin = personId !== ctx.person.id;
  const told = byAdmin && result.changed ? result.person.telegramId : undefined;
  afterTurn(ctx, "leave cancelled", async () => {
    if (told !== undefined) await tellOfLeave(ctx.app, ctx.api, told, tp.leave.cancelledByAdmin);
    await refreshHolderCards(ctx.app, ctx.api, personId);
  });
  if (byAdmin) return await showPerson(ctx, personId, tp.leave.cancelledFor(displayName(result.person)));
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(result.changed ? tp.leave.cancelledOwn : tp.leave.notOn);
});

async function refuseChange(ctx: BotContext, personId: number, refusal: AccessRefusal): Promise<void> {
  if (refusal === "not_held") {
    await showPerson(ctx, personId, tp.refusal.notHeld);
    return;
  }
  const text = {
    forbidden: t.refusal,
    not_found: tp.refusal.notFound,
    last_admin: tp.refusal.lastAdmin,
    configured_admin: tp.refusal.configuredAdmin,
  }[refusal];
  await ctx.answerCallbackQuery({ text, show_alert: true });
}

function organizationName(plan: AccessPlan, change: AccessChange): string {
  return change.kind === "membership"
    ? (plan.organizations.find((o) => o.id === change.organizationId)?.name ?? "")
    : "";
}

/**
 * «ppl.ask» and «ppl.do» name the person and the change; the admin who presses makes it. `handle`
 * gets them as the use-cases take them. Nobody known pressing is no actor: refused.
 */
function onAccessChange(
  action: string,
  handle: (ctx: BotContext, request: AccessChangeInput) => Promise<void>,
): void {
  people.callbackQuery(onAction(action, [ID, CHANGE]), admin, async (ctx) => {
    if (!ctx.person) return await refuse(ctx);
    await handle(ctx, {
      actorId: ctx.person.id,
      personId: Number(ctx.match[1]),
      change: decodeChange(ctx.match[2] as string),
      configuredAdmins: ctx.app.config.adminIds,
    });
  });
}

/** «Снять роль», «Исключить из», «Закрыть доступ»: what it would do, and a button to do it. */
onAccessChange("ppl.ask", async (ctx, request) => {
  const { personId, change } = request;
  const planned = planAccessChange(ctx.app.db, request);
  if (!planned.ok) return await refuseChange(ctx, personId, planned.refusal);
  const { plan } = planned;
  const name = displayName(plan.person);
  const question =
    change.kind === "role"
      ? tp.confirm.role(name, change.role)
      : change.kind === "membership"
        ? tp.confirm.organization(name, organizationName(plan, change))
        : tp.confirm.all(name, plan.roles, plan.organizations);
  const { person } = plan;
  const stranger =
    change.kind === "membership" && person.organizations.length === 1 && person.roles.size === 0;
  const text = [
    question,
    ...(stranger ? [tp.confirm.onlyOrganization] : []),
    ...(plan.keptAdmin ? [tp.confirm.keptAdmin] : []),
    ...heldLines(ctx, plan),
    ...(plan.lastCurator ? [tp.confirm.lastCurator] : []),
  ].join("\n\n");
  const yes =
    change.kind === "role"
      ? tp.button.confirmRole
      : change.kind === "membership"
        ? tp.button.confirmOrganization
        : tp.button.confirmAll;
  const keyboard = new InlineKeyboard()
    .text(yes, cb("ppl.do", personId, encodeChange(change)))
    .text(tp.button.cancel, cb("ppl.open", personId));
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(clip(text, MESSAGE_LIMIT), { reply_markup: keyboard });
});

/** The confirmed change: made, then the organization, the curators and the person are told. */
onAccessChange("ppl.do", async (ctx, request) => {
  const { personId, change } = request;
  const result = changeAccess(ctx.app.db, { ...request, now: ctx.app.clock.now() });
  if (!result.ok) return await refuseChange(ctx, personId, result.refusal);
  await ctx.answerCallbackQuery();
  const { plan, after } = result;
  const name = displayName(after);
  const lines = [
    change.kind === "role"
      ? tp.done.role(name, change.role)
      : change.kind === "membership"
        ? tp.done.organization(name, organizationName(plan, change))
        : tp.done.all(name),
    ...(plan.keptAdmin ? [tp.confirm.keptAdmin] : []),
    tp.done.nowRoles(roleNames(after)),
    ...(await announceHeld(ctx, name, plan)),
    ...(await announceNobodyLeft(ctx, name, plan)),
    ...(plan.lastCurator ? [tp.confirm.lastCurator] : []),
    ...groupChatsHint(ctx, plan),
  ];
  await refreshHeldCards(ctx, plan);
  if (after.telegramId !== ctx.from?.id) {
    const told = await tellPerson(ctx, after, accessNotice(after, change, plan));
    lines.push(told ? tp.done.told : tp.done.notTold);
  }
  await updateMenu(ctx, after);
  const keyboard = new InlineKeyboard()
    .text(tp.button.toPerson, cb("ppl.open", personId))
    .text(tp.button.back, cb("ppl.back", personId));
  await ctx.editMessageText(clip(lines.join("\n\n"), MESSAGE_LIMIT), { reply_markup: keyboard });
});

/**
 * «Добавить в орган…»: the active organizations, paged; the person's id rides in the picker's
 * actions («ppl.join:<person>:<organization>», «ppl.orgs:<person>:<page>»).
 */
people.callbackQuery(onAction("ppl.orgs", [ID, ID]), admin, async (ctx) => {
  const person = loadPerson(ctx.app.db, Number(ctx.match[1]));
  if (!person) return await ctx.answerCallbackQuery({ text: tp.refusal.notFound, show_alert: true });
  const { keyboard, empty, pages } = organizationPicker(ctx.app.db, {
    page: Number(ctx.match[2]),
    pickAction: cb("ppl.join", person.id),
    pageAction: cb("ppl.orgs", person.id),
    activeOnly: true,
  });
  if (pages > 1) keyboard.row();
  keyboard.text(tp.button.cancel, cb("ppl.open", person.id));
  const none = countInactiveOrganizations(ctx.app.db) > 0 ? t.invite.allInactive : t.invite.noOrganizations;
  const prompt = empty ? none : tp.join.choose(displayName(person));
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(prompt, { reply_markup: keyboard });
});

/**
 * The organization chosen: the person is its executor from now on, told so quietly, and starts with
 * its open posts as one who joins by an invite does (the curators hear it has an executor again).
 */
people.callbackQuery(onAction("ppl.join", [ID, ID]), admin, async (ctx) => {
  if (!ctx.person) return await refuse(ctx);
  const personId = Number(ctx.match[1]);
  const result = joinOrganization(ctx.app.db, {
    actorId: ctx.person.id,
    personId,
    organizationId: Number(ctx.match[2]),
    now: ctx.app.clock.now(),
  });
  if (!result.ok) return await refuseJoin(ctx, result.refusal, result.organizationName);
  const { person, organization } = result;
  if (!result.changed) return await showPerson(ctx, personId, tp.join.already);
  ctx.log.info({ personId, organizationId: organization.id }, "person added to an organization");
  await ctx.answerCallbackQuery();
  const name = displayName(person);
  const lines = [tp.join.done(name, organization.name), tp.done.nowRoles(roleNames(person))];
  const self = person.telegramId === ctx.from?.id;
  const notice = `${tp.notice.joined(organization.name)}\n${tp.notice.nowRoles(roleNames(person))}`;
  const told = self || (await tellPerson(ctx, person, notice, true));
  if (!self) lines.push(told ? tp.done.told : tp.done.notTold);
  if (told) await briefNewExecutor(ctx, person, organization.id, person.telegramId);
  await updateMenu(ctx, person);
  const keyboard = new InlineKeyboard()
    .text(tp.button.toPerson, cb("ppl.open", personId))
    .text(tp.button.back, cb("ppl.back", personId));
  await ctx.editMessageText(clip(lines.join("\n\n"), MESSAGE_LIMIT), { reply_markup: keyboard });
});

async function refuseJoin(ctx: BotContext, refusal: JoinRefusal, organization = ""): Promise<void> {
  const text = {
    forbidden: t.refusal,
    not_found: tp.refusal.notFound,
    organization_not_found: t.org.notFound,
    organization_inactive: t.org.switchedOff(organization),
  }[refusal];
  await ctx.answerCallbackQuery({ text, show_alert: true });
}

/** The cards of the posts the person held stop naming them (their own private ones stop changing). */
async function refreshHeldCards(ctx: BotContext, plan: AccessPlan): Promise<void> {
  for (const id of new Set(plan.held.flatMap((held) => held.incidentIds))) {
    const incident = loadIncident(ctx.app.db, id);
    if (!incident) continue;
    await syncCards(cardDeps(ctx.app, ctx.api), incident).catch((err: unknown) =>
      ctx.log.error({ err, incident: id }, "access change: a card was not updated"),
    );
  }
}

/** An organization the person leaves (or would leave) with no executor, and its open posts. */
interface LeftAlone extends LeftPosts {
  organizationId: number;
}

/**
 * The organizations the person is the last executor of, with the posts they hold there and those
 * nobody does: the same before the change and after it (the person is no longer a member then).
 */
function leftAlone(ctx: BotContext, plan: AccessPlan): LeftAlone[] {
  const { db } = ctx.app;
  const ids = (list: HeldIncidents[], organizationId: number) =>
    list.find((o) => o.organizationId === organizationId)?.incidentIds ?? [];
  return plan.organizations.flatMap(({ id, name }) => {
    const alone = telegramIdsOfMembers(db, [id]).every((member) => member === plan.person.telegramId);
    const left = {
      organizationId: id,
      organizationName: name,
      held: ids(plan.held, id),
      untaken: ids(plan.orphaned, id),
    };
    return alone && left.held.length + left.untaken.length > 0 ? [left] : [];
  });
}

/** The posts the person holds in organizations that keep other executors: those pass them on. */
function passedOn(ctx: BotContext, plan: AccessPlan): HeldIncidents[] {
  const alone = new Set(leftAlone(ctx, plan).map((o) => o.organizationId));
  return plan.held.filter((held) => !alone.has(held.organizationId));
}

/**
 * What the admin is told before confirming of the posts the person holds: an organization keeping
 * other executors hears to pass them on; of one left with nobody, one paragraph says which posts
 * the person holds and which nobody has taken, and that the curators will route them elsewhere.
 */
function heldLines(ctx: BotContext, plan: AccessPlan): string[] {
  const passed = passedOn(ctx, plan);
  return [
    ...(passed.length > 0 ? [tp.confirm.held(passed)] : []),
    ...leftAlone(ctx, plan).map((o) => tp.confirm.nobodyLeft(o)),
  ];
}

/**
 * Posts the person held go on with someone else in their organization: it hears which (its chat,
 * or its other executors privately); when all who are left block the bot and it has no chat, the
 * curators do, to reach the executors another way or route them again. The admin hears which
 * organizations were told and which were not. An organization left with nobody is
 * announceNobodyLeft's.
 */
async function announceHeld(ctx: BotContext, name: string, plan: AccessPlan): Promise<string[]> {
  const passed = passedOn(ctx, plan);
  if (passed.length === 0) return [];
  const notTold: (string | undefined)[] = [];
  for (const held of passed) notTold.push(await announceHeldOf(ctx, name, held));
  const allTold = notTold.every((line) => line === undefined);
  return [
    tp.done.held(passed, allTold),
    ...passed.flatMap((held, i) => {
      const line = notTold[i];
      if (line !== undefined) return [line];
      return allTold ? [] : [tp.done.organizationTold(held)];
    }),
  ];
}

/**
 * One organization's held posts, announced. Reachability is read at its turn: telling an organization
 * before may have found a shared executor blocking the bot. Returns what the admin hears when the
 * organization itself could not be told.
 */
async function announceHeldOf(
  ctx: BotContext,
  name: string,
  held: HeldIncidents,
): Promise<string | undefined> {
  const { db } = ctx.app;
  const { organizationId, organizationName: organization, incidentIds } = held;
  // A work chat counts only with an executor left to read it: those left without access cannot act.
  const members = telegramIdsOfMembers(db, [organizationId]);
  const reachable =
    reachableMembers(db, [organizationId]).length > 0 ||
    (members.length > 0 && chatOfOrganization(db, organizationId) !== undefined);
  // Each post's card one tap away: there the organization passes it on, the curators reroute it.
  const cards = cardButtons(incidentIds);
  if (reachable) {
    const notice = tp.organizationNotice(name, organization, heldPosts(db, held));
    const heard = await notifyOrganization(ctx.app, ctx.api, organizationId, notice, cards);
    return heard === "organization" ? undefined : tp.done.notDelivered(organization, heard === "curators");
  }
  const blocking = members.map((telegramId) => personName(db, telegramId));
  const told = await notifyCurators(
    ctx.app,
    ctx.api,
    tp.curatorsNotice(name, organization, incidentIds, blocking),
    cards,
  );
  return tp.done.unreachable(organization, blocking, told);
}

/**
 * The held posts by what the organization is left to do: of those it leads, one whose draft is at the
 * curators or approved needs no next draft, only the posting.
 */
function heldPosts(db: Db, { organizationId, incidentIds }: HeldIncidents): HeldPosts {
  const posts: HeldPosts = { inWork: [], onApproval: [], approved: [] };
  for (const id of incidentIds) {
    const incident = loadIncident(db, id);
    const state = incident?.row.state;
    const leads = incident && leadAssignment(incident)?.organizationId === organizationId;
    if (leads && (state === "on_approval" || state === "approved"))
      posts[state === "approved" ? "approved" : "onApproval"].push(id);
    else posts.inWork.push(id);
  }
  return posts;
}

/**
 * An organization left with no executor: its open posts — those the person held and those nobody
 * holds — have nobody to take them, and its work chat nobody with access to read it. The curators
 * hear which in one message, to route them elsewhere; the admin, whether they were told.
 */
async function announceNobodyLeft(ctx: BotContext, name: string, plan: AccessPlan): Promise<string[]> {
  const lines: string[] = [];
  for (const o of leftAlone(ctx, plan)) {
    const hasChat = chatOfOrganization(ctx.app.db, o.organizationId) !== undefined;
    const ids = [...o.held, ...o.untaken];
    const notice = tp.nobodyLeftNotice(name, o, hasChat);
    const told = await notifyCurators(ctx.app, ctx.api, notice, cardButtons(ids));
    lines.push(tp.done.nobodyLeft(o, told, hasChat));
  }
  return lines;
}

/** The bot cannot take anyone out of a group chat: the admin is reminded of the ones that matter. */
function groupChatsHint(ctx: BotContext, plan: AccessPlan): string[] {
  const { db } = ctx.app;
  const chatIds = plan.organizations.map((o) => chatOfOrganization(db, o.id));
  if (plan.roles.includes("curator")) chatIds.push(findBoundChatByPurpose(db, "curators"));
  const titles = chatIds.flatMap((id) => {
    const title = id === undefined ? undefined : findBoundChat(db, id)?.title;
    return title === undefined ? [] : [`«${title}»`];
  });
  return titles.length > 0 ? [tp.done.workChat(titles)] : [];
}

/** What the person hears of the access taken away, and what is left them. */
function accessNotice(person: PersonSummary, change: AccessChange, plan: AccessPlan): string {
  const now = tp.notice.nowRoles(roleNames(person));
  return change.kind === "role"
    ? `${tp.notice.role(change.role)}\n${now}`
    : change.kind === "membership"
      ? `${tp.notice.organization(organizationName(plan, change))}\n${now}`
      : plan.keptAdmin
        ? `${tp.notice.allButAdmin}\n${now}`
        : tp.notice.all;
}

/**
 * Tells the person privately (`quiet`: without sound), once however often the press is handled;
 * one who never opened the bot or blocks it is no error to the admin. One known to block the bot is
 * not tried (Telegram would refuse), one found refusing now is marked so.
 */
async function tellPerson(
  ctx: BotContext,
  person: PersonSummary,
  text: string,
  quiet = false,
): Promise<boolean> {
  if (person.blockedAt !== null) return false;
  return oncePerUpdate(ctx.app, "access-notice", person.telegramId, async () => {
    try {
      await ctx.api.sendMessage(person.telegramId, text, quiet ? { disable_notification: true } : {});
      return true;
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error;
      ctx.log.warn({ telegramId: person.telegramId, error: error.description }, "access change not told");
      await chatRefused({ ...ctx.app, api: ctx.api, log: ctx.log }, person.telegramId, error);
      return false;
    }
  });
}

/** The person's command menu follows their roles; a chat Telegram refuses keeps the old one. */
async function updateMenu(ctx: BotContext, person: Person): Promise<void> {
  try {
    await setPersonCommands(ctx.api, person);
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    ctx.log.warn({ telegramId: person.telegramId, error: error.description }, "command menu not updated");
  }
}
