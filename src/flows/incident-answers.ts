/**
 * What executors send back on a card: the reason of a return (Orenburg p.7, Georgievsk p.10) and a
 * co-executor's part of the information (Orenburg p.14, Georgievsk p.18).
 */
import { type Context, InlineKeyboard } from "grammy";
import { type Incident, loadIncident, returnIncident, sendPart } from "../app/incidents.js";
import { cb } from "../bot/callback-data.js";
import { partButtons, syncCards } from "../bot/cards.js";
import type { AppDeps } from "../bot/context.js";
import { cardDeps, notifyCurators, notifyOrganization } from "../bot/delivery.js";
import { tr } from "../bot/texts-incidents.js";
import type { Person } from "../domain/access.js";
import {
  actionRules,
  assignmentFor,
  assignmentsOf,
  leadAssignment,
  passOnDeadlines,
} from "../domain/incident.js";
import { stepDeadline } from "../domain/regulation/index.js";
import { formatDeadline } from "../domain/time-format.js";
import { type Flow, waitForAnswer } from "./ask.js";

/** When the return step's deadline (counted from this person's receipt) has passed, it as text. */
function lateReturn(
  deps: AppDeps,
  incidentId: number,
  person: Person | undefined,
  organizationId: number | undefined,
): string | null {
  const incident = loadIncident(deps.db, incidentId);
  const mine = incident && assignmentFor(incident, "return", person, undefined, organizationId);
  if (!mine) return null;
  const { regulation, workingTime, timezone } = deps.sla;
  const due = stepDeadline(regulation, "return", { receipt: mine.receivedAt }, workingTime);
  return due && due < deps.clock.now() ? formatDeadline(due, timezone) : null;
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
 * Waits for a text answer in the dialogue's chat: `buttons` map callback data to a ready answer;
 * /cancel ends the dialogue; another command or another card's button leaves it and is handled as usual.
 */
async function waitForText(
  conversation: Flow,
  buttons: Record<string, string>,
  check: (text: string) => boolean,
  hint: string,
  acceptCaption = false,
): Promise<Reply> {
  for (;;) {
    const answer = await waitForAnswer(conversation);
    const data = answer.callbackQuery?.data;
    if (data !== undefined) {
      const chosen = buttons[data];
      if (data === "ans.cancel" || chosen !== undefined) await answer.answerCallbackQuery();
      if (data === "ans.cancel") return { cancelled: true };
      if (chosen !== undefined) return { text: chosen };
      await conversation.skip({ next: true });
    }
    const text = (answer.message?.text ?? (acceptCaption ? answer.message?.caption : undefined))?.trim();
    if (text === "/cancel") return { cancelled: true };
    if (text?.startsWith("/")) await conversation.halt({ next: true });
    if (text !== undefined && check(text)) return { text };
    if (answer.message) await answer.reply(hint);
  }
}

async function closePrompt(ctx: Context, chatId: number, messageId: number): Promise<void> {
  await ctx.api.editMessageReplyMarkup(chatId, messageId, { reply_markup: new InlineKeyboard() });
}

/** «Вернуть»: a reason from the common ones or in the executor's words, then the return itself. */
export function returnFlow(deps: AppDeps) {
  return async function returnIncidentDialog(
    conversation: Flow,
    ctx: Context,
    incidentId: number,
    organizationId?: number,
  ): Promise<void> {
    const late = await conversation.external((outer) =>
      lateReturn(deps, incidentId, outer.person, organizationId),
    );
    const keyboard = new InlineKeyboard();
    const buttons: Record<string, string> = {};
    tr.return.reasons.forEach((reason, i) => {
      keyboard.text(reason, cb("ans.reason", i)).row();
      buttons[cb("ans.reason", i)] = reason;
    });
    keyboard.text(tr.route.cancel, cb("ans.cancel"));
    const prompt = await ctx.reply(tr.return.ask(incidentId, late), { reply_markup: keyboard });
    const valid = (text: string) => text.length >= 3 && text.length <= 500;
    const reply = await waitForText(conversation, buttons, valid, tr.return.badReason);
    await closePrompt(ctx, prompt.chat.id, prompt.message_id);
    if ("cancelled" in reply) {
      await ctx.reply(tr.cancelled);
      return;
    }
    const reason = reply.text;
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
      const mine = returnedBy(result.incident, outer.person, organizationId);
      await syncCards(cardDeps(deps, outer.api), result.incident);
      const organization = mine?.organizationName ?? "";
      const notice =
        mine?.role === "coexecutor"
          ? tr.return.noticeCoexecutor(incidentId, organization, reason, late !== null)
          : tr.return.noticeLead(incidentId, organization, reason, late !== null);
      await notifyCurators(deps, outer.api, notice);
      return true;
    });
    await ctx.reply(done ? tr.return.done(incidentId) : tr.return.failed(incidentId));
  };
}

/**
 * «Отправить информацию»: the co-executor's part, for the curators and the lead organization — under
 * Georgievsk p.18 for the curators first, who pass it on. `organizationId` is the organization whose
 * card the button was on (absent on cards sent before buttons named it).
 */
export function partFlow(deps: AppDeps) {
  return async function sendPartDialog(
    conversation: Flow,
    ctx: Context,
    incidentId: number,
    organizationId?: number,
  ): Promise<void> {
    const rules = actionRules(deps.sla.regulation);
    const lead = await conversation.external(() => {
      const incident = loadIncident(deps.db, incidentId);
      return (incident && leadAssignment(incident)?.organizationName) ?? "";
    });
    const keyboard = new InlineKeyboard().text(tr.route.cancel, cb("ans.cancel"));
    const ask = rules.curatorPassesParts ? tr.part.askForApproval : tr.part.ask;
    const prompt = await ctx.reply(ask(incidentId, lead), { reply_markup: keyboard });
    const reply = await waitForText(conversation, {}, (text) => text.length > 0, tr.part.needText, true);
    await closePrompt(ctx, prompt.chat.id, prompt.message_id);
    if ("cancelled" in reply) {
      await ctx.reply(tr.cancelled);
      return;
    }
    const text = reply.text;
    const forApproval = rules.curatorPassesParts === true;
    const done = await conversation.external(async (outer) => {
      if (!outer.person) return false;
      const now = deps.clock.now();
      const result = sendPart(deps.db, {
        incidentId,
        organizationId,
        actor: outer.person,
        now,
        text,
        rules,
      });
      if (!result.ok) return false;
      const mine = assignmentsOf(result.incident, outer.person).find(
        (a) =>
          a.role === "coexecutor" &&
          (organizationId !== undefined
            ? a.organizationId === organizationId
            : a.state === "part_sent" || a.state === "part_passed"),
      );
      await syncCards(cardDeps(deps, outer.api), result.incident);
      if (!mine) return true;
      if (forApproval) {
        // Georgievsk p.18: the curators approve the part and pass it on; the lead waits for them.
        // (Handled again after a crash, a part already passed on is not offered twice.)
        if (mine.state === "part_sent") {
          const decide = InlineKeyboard.from(partButtons(incidentId, mine).map((button) => [button]));
          await notifyCurators(deps, outer.api, partForApproval(deps, result.incident, mine, text), decide);
        }
        return true;
      }
      const notice = tr.part.notice(incidentId, mine.organizationName, text);
      await notifyCurators(deps, outer.api, notice);
      const leadNow = leadAssignment(result.incident);
      if (leadNow) await notifyOrganization(deps, outer.api, leadNow.organizationId, notice);
      return true;
    });
    const sent = forApproval ? tr.part.doneForApproval(incidentId) : tr.part.done(incidentId);
    await ctx.reply(done ? sent : tr.part.failed(incidentId));
  };
}

/** The part for the curators, with their deadline to pass it on (Georgievsk p.18). */
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
  return tr.part.forApproval(
    incident.id,
    part.organizationName,
    text,
    due ? formatDeadline(due.at, timezone) : null,
    clause,
  );
}
