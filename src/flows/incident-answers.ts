/**
 * What executors send back on a card: the reason of a return (Orenburg p.7, Georgievsk p.10) and a
 * co-executor's part of the information, with its photos, videos and files (Orenburg p.14, 16;
 * Georgievsk p.18, 20).
 */
import { type Api, type Context, GrammyError, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { dropDraftWork, loadDraftWork } from "../app/answers.js";
import { type Incident, loadIncident, returnIncident, routedInOrder, sendPart } from "../app/incidents.js";
import { claimNotice, noticeClaimed } from "../app/notices.js";
import { partAttachments, recordPartAttachments } from "../app/part-attachments.js";
import { cb } from "../bot/callback-data.js";
import { partButtons } from "../bot/cards.js";
import type { AppDeps } from "../bot/context.js";
import {
  announceEach,
  notifyCurators,
  organizationChats,
  reachCurators,
  ringFor,
  syncHandOver,
  tellCuratorsInsteadOf,
} from "../bot/delivery.js";
import { sendDraft } from "../bot/draft-view.js";
import { chatRefused } from "../bot/refused-chats.js";
import { t } from "../bot/texts.js";
import { ta } from "../bot/texts-answers.js";
import { tr } from "../bot/texts-incidents.js";
import type { Attachment } from "../db/schema.js";
import type { Person } from "../domain/access.js";
import {
  actionRules,
  activeAssignments,
  assignmentFor,
  assignmentsOf,
  leadAssignment,
  passOnDeadlines,
} from "../domain/incident.js";
import { stepDeadline } from "../domain/regulation/index.js";
import { formatDeadline } from "../domain/time-format.js";
import { partAfterApproval, partOnApproval, tellLeadOfPart, tellLeadOfReturn } from "./answers.js";
import { aboutPost, askOf, type Flow, isCancel, removeButtons, staleStep, waitForAnswer } from "./ask.js";
import { attachmentOf, colleagueWhoTookOver } from "./draft.js";
import { tellTakenFrom } from "./withdrawn.js";

/** When the return step's deadline (counted from this person's receipt) has passed, it as text. */
function returnAsked(
  deps: AppDeps,
  incidentId: number,
  person: Person | undefined,
  organizationId: number | undefined,
): { late: string | null; lead: string | null } {
  const incident = loadIncident(deps.db, incidentId);
  const mine = incident && assignmentFor(incident, "return", person, undefined, organizationId);
  const due = mine && returnDue(deps, mine.receivedAt);
  const late =
    due && !deps.sla.workingTime.meets(due, deps.clock.now()) ? formatDeadline(due, deps.sla.timezone) : null;
  // A co-executor is told which organization asks the author (the lead's «Запрос автору»).
  const lead = mine?.role === "coexecutor" && incident ? leadAssignment(incident) : undefined;
  return { late, lead: lead ? (lead.organizationShortName ?? lead.organizationName) : null };
}

/** The return step's deadline for a post received then (Orenburg p.7, Georgievsk p.10). */
function returnDue(deps: AppDeps, receivedAt: Date): Date | undefined {
  return stepDeadline(deps.sla.regulation, "return", { receipt: receivedAt }, deps.sla.workingTime);
}

/**
 * The assignment the person's organization has just returned: its latest one marked returned (of
 * the organization the button named, when it named one).
 */
function returnedBy(
  incident: Incident,
  person: Person,
  organizationId: number | undefined,
): Incident["assignments"][number] | undefined {
  const ours = (id: number) =>
    organizationId === undefined ? person.organizationIds.includes(id) : id === organizationId;
  return incident.assignments
    .filter((a) => a.state === "returned" && ours(a.organizationId))
    .reduce<Incident["assignments"][number] | undefined>(
      (latest, a) => (latest && latest.id > a.id ? latest : a),
      undefined,
    );
}

type Reply = { text: string } | { cancelled: true };

/**
 * A dialogue's buttons name it: its incident and the update that opened it (the same on every
 * replay), so a button left under an earlier dialogue's message acts in no later one.
 */
interface DialogueButtons {
  reason(index: number): string;
  send: string;
  cancel: string;
}

function dialogueButtons(opening: Context, incidentId: number): DialogueButtons {
  const dialogue = [incidentId, opening.update.update_id] as const;
  return {
    reason: (index) => cb("ans.reason", ...dialogue, index),
    send: cb("ans.send", ...dialogue),
    cancel: cb("ans.cancel", ...dialogue),
  };
}

/**
 * A press of a button this dialogue did not offer: another dialogue's (also one of the buttons
 * before they named their dialogue) gets a short pop-up and does nothing; a card's or another
 * feature's is handled as usual while the dialogue goes on waiting.
 */
async function otherButton(conversation: Flow, answer: Context): Promise<void> {
  if (answer.callbackQuery?.data?.startsWith("ans.")) {
    await staleStep(answer);
    return;
  }
  await conversation.skip({ next: true });
}

/**
 * Waits for a text answer in the dialogue's chat: `choices` map this dialogue's buttons to a ready
 * answer; its `cancel` button or /cancel ends the dialogue; another command or another card's button
 * leaves it and is handled as usual.
 */
async function waitForText(
  conversation: Flow,
  choices: Record<string, string>,
  cancel: string,
  check: (text: string) => boolean,
  hint: string,
): Promise<Reply> {
  for (;;) {
    const answer = await waitForAnswer(conversation);
    const data = answer.callbackQuery?.data;
    if (data !== undefined) {
      const chosen = choices[data];
      if (data === cancel || chosen !== undefined) {
        await answer.answerCallbackQuery();
        return chosen === undefined ? { cancelled: true } : { text: chosen };
      }
      await otherButton(conversation, answer);
      continue;
    }
    const text = answer.message?.text?.trim();
    if (isCancel(text)) return { cancelled: true };
    if (text?.startsWith("/")) await conversation.halt({ next: true });
    if (text !== undefined && check(text)) return { text };
    if (answer.message) await answer.reply(hint);
  }
}

/** «Вернуть»: a reason from the common ones or in the executor's words, then the return itself. */
export function returnFlow(deps: AppDeps) {
  return async function returnIncidentDialog(
    conversation: Flow,
    ctx: Context,
    incidentId: number,
    organizationId?: number,
  ): Promise<void> {
    aboutPost(conversation, incidentId);
    const { late, lead } = await conversation.external((outer) =>
      returnAsked(deps, incidentId, outer.person, organizationId),
    );
    const buttons = dialogueButtons(ctx, incidentId);
    const keyboard = new InlineKeyboard();
    const choices: Record<string, string> = {};
    tr.return.reasons.forEach((reason, i) => {
      keyboard.text(reason, buttons.reason(i)).row();
      choices[buttons.reason(i)] = reason;
    });
    keyboard.text(tr.route.cancel, buttons.cancel);
    const clause = deps.sla.regulation.steps.return?.clause ?? "";
    const prompt = await askOf(conversation, ctx, tr.return.ask(incidentId, late, clause, lead), {
      reply_markup: keyboard,
    });
    const valid = (text: string) => text.length >= 3 && text.length <= 500;
    const reply = await waitForText(conversation, choices, buttons.cancel, valid, tr.return.badReason);
    await removeButtons(ctx, prompt);
    if ("cancelled" in reply) {
      await ctx.reply(tr.cancelled);
      return;
    }
    let reason = reply.text;
    // A reason picked from the buttons says little (Georgievsk p.10 wants the return justified):
    // whose competence it is, if the executor knows, helps the curator route it at once.
    if (tr.return.reasons.includes(reason)) {
      const whose = await askOf(conversation, ctx, tr.return.whose(reason), {
        reply_markup: new InlineKeyboard()
          .text(tr.return.asIs, buttons.send)
          .row()
          .text(tr.route.cancel, buttons.cancel),
      });
      const short = (text: string) => text.length >= 2 && text.length <= 300;
      const more = await waitForText(
        conversation,
        { [buttons.send]: "" },
        buttons.cancel,
        short,
        tr.return.badWhose,
      );
      await removeButtons(ctx, whose);
      if ("cancelled" in more) {
        await ctx.reply(tr.cancelled);
        return;
      }
      if (more.text) reason = `${reason}: ${more.text}`;
    }
    const done = await conversation.external(async (outer) => {
      if (!outer.person) return false;
      const result = returnIncident(deps.db, {
        incidentId,
        organizationId,
        actor: outer.person,
        now: deps.clock.now(),
        reason,
      });
      if (!result.ok) return false;
      // The post as the return found it: handled again after a crash, as it was then.
      const { before } = result;
      const mine = returnedBy(result.incident, outer.person, organizationId);
      const organization = mine?.organizationName ?? "";
      // Late as of the return itself, however long the reason took to type.
      const due = mine && returnDue(deps, mine.receivedAt);
      const wasLate =
        due !== undefined && mine?.returnedAt != null && !deps.sla.workingTime.meets(due, mine.returnedAt);
      const coexecutor = mine?.role === "coexecutor";
      const notice = coexecutor
        ? tr.return.noticeCoexecutor(incidentId, organization, reason, wasLate)
        : tr.return.noticeLead(incidentId, organization, reason, wasLate);
      await announceEach(
        outer.log,
        "return",
        () => syncHandOver(deps, outer.api, result.incident, before),
        // The lead's return leaves the post with nobody: the curators route it again from here.
        () =>
          notifyCurators(
            deps,
            outer.api,
            notice,
            coexecutor
              ? undefined
              : new InlineKeyboard().text(t.button.route, cb("inc.routenew", incidentId)),
            { ...ringFor(result.incident), once: "returned" },
          ),
        async () => {
          if (coexecutor) await tellTurnCame(deps, outer.api, result.incident);
        },
        async () => {
          if (coexecutor) await tellLeadOfReturn(deps, outer.api, result.incident, organization);
        },
        // The lead's return takes the post from its co-executors too.
        () => tellTakenFrom(deps, outer.api, before, result.incident),
      );
      return true;
    });
    await ctx.reply(done ? tr.return.done(incidentId) : tr.return.failed(incidentId));
  };
}

/** Telegram takes 10 to an album; a part carries at most three albums, as a draft does. */
const MAX_PART_ATTACHMENTS = 30;

interface PartContent {
  text: string;
  attachments: Attachment[];
}

/** The confirmation of what was received, with the dialogue's buttons; one per album. */
interface Confirmation {
  message: Message;
  albumId: string | undefined;
}

/**
 * Says how many files the part has so far, with «Отправить» once it has a text. The items of one
 * album share one confirmation, edited as they arrive; any other message gets a new one below.
 */
async function confirm(
  at: Context,
  buttons: DialogueButtons,
  previous: Confirmation | undefined,
  albumId: string | undefined,
  content: PartContent,
): Promise<Confirmation> {
  const hasText = content.text !== "";
  const text = ta.part.received(content.attachments.length, hasText);
  const keyboard = new InlineKeyboard();
  if (hasText) keyboard.text(ta.part.send, buttons.send);
  keyboard.text(tr.route.cancel, buttons.cancel);
  if (previous && albumId !== undefined && previous.albumId === albumId) {
    try {
      await at.api.editMessageText(previous.message.chat.id, previous.message.message_id, text, {
        reply_markup: keyboard,
      });
      return previous;
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error;
    }
  }
  if (previous) await removeButtons(at, previous.message);
  return { message: await at.reply(text, { reply_markup: keyboard }), albumId };
}

/**
 * The co-executor's part: every message adds its text (or caption) and its photo, video or file.
 * A message with a text completes the part at once — a text, or a photo with a caption, is the
 * common part — unless it is one of an album's items: an album comes as several messages, so
 * after one the part waits for «Отправить» or a text. /cancel or «Отмена» ends the dialogue.
 */
async function collectPart(
  conversation: Flow,
  ctx: Context,
  buttons: DialogueButtons,
  /** A saved draft offered as the part: «Отправить» before anything is sent sends it. */
  offered?: PartContent,
): Promise<PartContent | "cancelled"> {
  const content: PartContent = { text: "", attachments: [] };
  let confirmation: Confirmation | undefined;
  const done = async <T>(result: T): Promise<T> => {
    if (confirmation) await removeButtons(ctx, confirmation.message);
    return result;
  };
  for (;;) {
    const answer = await waitForAnswer(conversation);
    const data = answer.callbackQuery?.data;
    if (data === buttons.cancel) {
      await answer.answerCallbackQuery();
      return await done("cancelled");
    }
    const nothingYet = content.text === "" && content.attachments.length === 0;
    if (data === buttons.send && nothingYet && offered) {
      await answer.answerCallbackQuery();
      return await done(offered);
    }
    if (data === buttons.send && content.text === "") {
      await answer.answerCallbackQuery({ text: ta.part.textFirst, show_alert: true });
      continue;
    }
    if (data === buttons.send) {
      await answer.answerCallbackQuery();
      return await done(content);
    }
    if (data !== undefined) {
      await otherButton(conversation, answer);
      continue;
    }
    const message = answer.message;
    if (!message) continue;
    const typed = message.text?.trim();
    if (isCancel(typed)) return await done("cancelled");
    if (typed?.startsWith("/")) await conversation.halt({ next: true });
    const text = typed ?? message.caption?.trim() ?? "";
    const attachment = attachmentOf(message);
    if (text === "" && !attachment) {
      await answer.reply(ta.part.needContent);
      continue;
    }
    if (text !== "") content.text = content.text === "" ? text : `${content.text}\n\n${text}`;
    const known = content.attachments.some((a) => a.fileUniqueId === attachment?.fileUniqueId);
    if (attachment && !known && content.attachments.length >= MAX_PART_ATTACHMENTS)
      await answer.reply(ta.part.tooMany(MAX_PART_ATTACHMENTS));
    else if (attachment && !known) content.attachments.push(attachment);
    const albumId = message.media_group_id;
    if (text !== "" && albumId === undefined) return await done(content);
    // The same file again changes nothing to confirm.
    if (known && text === "") continue;
    confirmation = await confirm(answer, buttons, confirmation, albumId, content);
  }
}

/**
 * The part as its recipients see it: its photos, videos and files first, then the notice; a
 * significant post's rings at any hour (it is to be passed on or used at once). A chat that refuses
 * is handled as any refusal (a person marked as blocking the bot, a group told to the admins).
 */
async function sendPartTo(
  deps: AppDeps,
  api: Api,
  incident: Incident,
  chatIds: number[],
  notice: string,
  attachments: Attachment[],
  keyboard?: InlineKeyboard,
): Promise<boolean> {
  let shown = false;
  const { ring } = ringFor(incident);
  for (const chatId of chatIds) {
    try {
      await sendDraft(
        api,
        chatId,
        { text: notice, attachments },
        { ring, ...(keyboard ? { keyboard } : {}) },
      );
      shown = true;
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error;
      deps.log.warn({ chatId, error: error.description }, "part not delivered");
      await chatRefused({ ...deps, api }, chatId, error);
    }
  }
  return shown;
}

/** The curators' chat, or each curator privately when none is bound (not those who block the bot). */
async function tellCuratorsOfPart(
  deps: AppDeps,
  api: Api,
  incident: Incident,
  notice: string,
  attachments: Attachment[],
  keyboard?: InlineKeyboard,
): Promise<void> {
  // Their chat refusing, each curator privately: they have 30 minutes to pass it on (Georgievsk p.18).
  await reachCurators(deps, (chats) => sendPartTo(deps, api, incident, chats, notice, attachments, keyboard));
}

/** A part for an organization (see organizationChats); when nobody there gets it, the curators hear so. */
export async function tellOrganizationOfPart(
  deps: AppDeps,
  api: Api,
  incident: Incident,
  organizationId: number,
  notice: string,
  attachments: Attachment[],
  /** What the curators are told the organization did not get, if not the notice itself. */
  missed = notice,
): Promise<void> {
  const chats = organizationChats(deps, organizationId);
  const shown = await sendPartTo(deps, api, incident, chats, notice, attachments);
  // The curators have the part already: they hear that its organization did not get it.
  if (!shown) await tellCuratorsInsteadOf(deps, api, organizationId, missed, ringFor(incident));
}

/**
 * The cards after a co-executor's turn may have come (one that had the post before, `before`, gets
 * its card anew below), then the parts it is to take into account.
 */
export async function handTurnOn(
  deps: AppDeps,
  api: Api,
  incident: Incident,
  before?: Incident,
): Promise<void> {
  await syncHandOver(deps, api, incident, before);
  await tellTurnCame(deps, api, incident);
}

/**
 * Orenburg p.14: a co-executor whose turn came after others (it got the post later than the lead;
 * `atRouting`, routed in order with parts kept from before, the one getting it now) gets the parts
 * given before it, as the lead got them; its card came with the cards' sync. Each part once,
 * however often the releasing action is handled (a twin update, again after a crash). Co-executors
 * routed all at once (and under Georgievsk, which sets no order) have no turns: parts go to the lead.
 */
export async function tellTurnCame(
  deps: AppDeps,
  api: Api,
  incident: Incident,
  options: { atRouting?: boolean } = {},
): Promise<void> {
  const lead = leadAssignment(incident);
  if (!lead || (!options.atRouting && !routedInOrder(deps.db, incident.id))) return;
  const live = activeAssignments(incident);
  const given = live.filter((a) => a.role === "coexecutor" && a.state === "part_passed");
  const turns = live.filter(
    (a) =>
      a.role === "coexecutor" &&
      (a.state === "assigned" || a.state === "accepted") &&
      (options.atRouting || a.receivedAt > lead.receivedAt),
  );
  for (const turn of turns) {
    for (const part of given) {
      // Recorded once sent: a crash in between sends it again rather than never. The sending, not
      // the rows: a part kept through a routing again is not sent to the same organization twice.
      const key = `turn:${incident.id}:${turn.organizationId}:${part.organizationId}:${part.partSentAt?.getTime()}`;
      if (noticeClaimed(deps.db, key)) continue;
      const notice = tr.part.before(incident.id, part.organizationName, part.partText ?? "");
      const attachments = partAttachments(deps.db, part);
      await tellOrganizationOfPart(deps, api, incident, turn.organizationId, notice, attachments);
      claimNotice(deps.db, key, deps.clock.now());
    }
  }
}

/**
 * «Отправить информацию»: the co-executor's part, with its photos, videos and files, for the
 * curators and the lead organization — under Georgievsk p.18 for the curators first, who pass it
 * on. `organizationId` is the organization whose card the button was on (absent on cards sent
 * before buttons named it).
 */
export function partFlow(deps: AppDeps) {
  return async function sendPartDialog(
    conversation: Flow,
    ctx: Context,
    incidentId: number,
    organizationId?: number,
  ): Promise<void> {
    aboutPost(conversation, incidentId);
    const rules = actionRules(deps.sla.regulation);
    // A colleague who takes the part over («Взять себе») while this dialogue is open takes it on.
    const begunAt = new Date(await conversation.external(() => deps.clock.now().getTime()));
    const lead = await conversation.external(() => {
      const incident = loadIncident(deps.db, incidentId);
      return (incident && leadAssignment(incident)?.organizationName) ?? "";
    });
    const saved = await conversation.external((outer) => savedAnswerDraft(deps, incidentId, outer.person));
    const buttons = dialogueButtons(ctx, incidentId);
    const keyboard = new InlineKeyboard();
    if (saved) keyboard.text(ta.part.send, buttons.send);
    keyboard.text(tr.route.cancel, buttons.cancel);
    const forApproval = rules.curatorPassesParts === true;
    const ask = saved
      ? ta.part.fromDraft(incidentId, lead, saved.text, saved.attachments.length, forApproval)
      : (forApproval ? ta.part.askForApproval : ta.part.ask)(incidentId, lead);
    const prompt = await askOf(conversation, ctx, ask, { reply_markup: keyboard });
    const reply = await collectPart(conversation, ctx, buttons, saved);
    await removeButtons(ctx, prompt);
    if (reply === "cancelled") {
      await ctx.reply(tr.cancelled);
      return;
    }
    const { text, attachments } = reply;
    const done = await conversation.external(async (outer) => {
      if (!outer.person) return false;
      const now = deps.clock.now();
      const taker = takenOverFromMe(deps, incidentId, organizationId, outer.person, begunAt);
      if (taker !== undefined) return taker;
      const result = sendPart(deps.db, {
        incidentId,
        organizationId,
        actor: outer.person,
        now,
        text,
        rules,
      });
      if (!result.ok) return false;
      // A part sent, from the saved draft or written anew, uses it up: it is not offered again (a
      // part returned for rework is reworked from the part, not from the old answer).
      if (saved) dropDraftWork(deps.db, incidentId, outer.person.id, "answer");
      const mine = assignmentsOf(result.incident, outer.person).find(
        (a) =>
          a.role === "coexecutor" &&
          (organizationId !== undefined
            ? a.organizationId === organizationId
            : a.state === "part_sent" || a.state === "part_passed"),
      );
      // Kept for the lead, whom a curator passes the part on to later (Georgievsk p.18).
      if (mine) {
        const actorId = outer.person.id;
        recordPartAttachments(deps.db, { part: mine, incidentId, actorId, attachments, now });
      }
      const handOver = () => syncHandOver(deps, outer.api, result.incident, result.before);
      if (!mine) {
        await announceEach(outer.log, "part", handOver);
        return true;
      }
      if (forApproval) {
        // Georgievsk p.18: the curators approve the part and pass it on; the lead waits for them.
        // (Handled again after a crash, a part already passed on is not offered twice.)
        const decide = InlineKeyboard.from(partButtons(incidentId, mine).map((button) => [button]));
        await announceEach(outer.log, "part", handOver, async () => {
          if (mine.state === "part_sent")
            await tellCuratorsOfPart(
              deps,
              outer.api,
              result.incident,
              partForApproval(deps, result.incident, mine, text),
              attachments,
              decide,
            );
        });
        return true;
      }
      const notice = [
        tr.part.notice(incidentId, mine.organizationName, text),
        ...partOnApproval(deps, result.incident, "curators"),
        ...partAfterApproval(deps, result.incident, "curators"),
      ].join("\n\n");
      await announceEach(
        outer.log,
        "part",
        handOver,
        () => tellCuratorsOfPart(deps, outer.api, result.incident, notice, attachments),
        () => tellLeadOfPart(deps, outer.api, result.incident, mine.id),
        () => tellTurnCame(deps, outer.api, result.incident),
      );
      return true;
    });
    const sent = forApproval ? tr.part.doneForApproval(incidentId) : tr.part.done(incidentId);
    if (typeof done === "string") await ctx.reply(ta.part.takenOver(incidentId, done));
    else await ctx.reply(done ? sent : tr.part.failed(incidentId));
  };
}

/**
 * The answer's draft this person saved while his organization was the lead (his «Отправить на
 * согласование» refused once it was routed anew), now that none of his organizations is: offered as
 * the part, so the text is not lost. Only one with a text: a part is sent with one.
 */
function savedAnswerDraft(
  deps: AppDeps,
  incidentId: number,
  person: Person | undefined,
): PartContent | undefined {
  const incident = loadIncident(deps.db, incidentId);
  if (!incident || !person || assignmentsOf(incident, person).some((a) => a.role === "lead"))
    return undefined;
  const work = loadDraftWork(deps.db, incidentId, person.id, "answer");
  if (!work?.text) return undefined;
  return { text: work.text, attachments: work.attachments.slice(0, MAX_PART_ATTACHMENTS) };
}

/** The colleague (by name) who took this person's part over since the dialogue began, if one did. */
function takenOverFromMe(
  deps: AppDeps,
  incidentId: number,
  organizationId: number | undefined,
  person: Person,
  since: Date,
): string | undefined {
  const incident = loadIncident(deps.db, incidentId);
  const part =
    organizationId ??
    (incident && assignmentsOf(incident, person).find((a) => a.role === "coexecutor"))?.organizationId;
  if (part === undefined) return undefined;
  return colleagueWhoTookOver(deps, { incidentId, organizationId: part, personId: person.id, since });
}

/**
 * The part for the curators, with their deadline to pass it on (Georgievsk p.18); told, when the
 * lead's answer draft waits for their decision or is approved already, that it lacks the part.
 */
function partForApproval(
  deps: AppDeps,
  incident: Incident,
  part: Incident["assignments"][number],
  text: string,
): string {
  const { regulation, workingTime, timezone } = deps.sla;
  const due = passOnDeadlines(incident, regulation, workingTime).find(
    (d) => d.organizationId === part.organizationId,
  );
  const clause = regulation.steps.coexecutorPassOn?.clause ?? "";
  const notice = tr.part.forApproval(
    incident.id,
    part.organizationName,
    text,
    due ? formatDeadline(due.at, timezone) : null,
    clause,
  );
  const lacking = [
    ...partOnApproval(deps, incident, "curators"),
    ...partAfterApproval(deps, incident, "curators"),
  ];
  return [notice, ...lacking].join("\n\n");
}
