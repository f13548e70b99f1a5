import { TZDate } from "@date-fns/tz";
import { type Api, type Context, GrammyError, InlineKeyboard } from "grammy";
import { reachableCuratorChats } from "../app/chats.js";
import { headsWith, reachableHeads } from "../app/heads.js";
import { keepHigherImportance, type PostDetail, type Subject } from "../app/importance.js";
import {
  firstOfRepeats,
  type Incident,
  type IncidentRow,
  loadIncident,
  repeatCandidates,
} from "../app/incidents.js";
import {
  cardMessageId,
  forgetHeadsTold,
  headNoticeKey,
  headsNoticeKey,
  headsTold,
  headsToldOf,
  type PostDraft,
  postDateTooOld,
  recordRepeatQuestion,
  registeredBefore,
  registerPost,
  repeatOfferKey,
} from "../app/intake.js";
import { present } from "../app/leave.js";
import { claimNotice, giveBackNotice, leaseNotice, noticeClaimed, settleNotice } from "../app/notices.js";
import { personName } from "../app/people.js";
import { cb } from "../bot/callback-data.js";
import { type CardDeps, syncCards, type Target } from "../bot/cards.js";
import { leadingCommand } from "../bot/commands.js";
import type { AppDeps, BotContext } from "../bot/context.js";
import { announceEach, oncePerUpdate, quietNow, sendLong, tellOrganization } from "../bot/delivery.js";
import { openCardButton } from "../bot/keyboards.js";
import { chatRefused } from "../bot/refused-chats.js";
import { announceSurge, surgeMates } from "../bot/surge.js";
import { t } from "../bot/texts.js";
import { type RepeatReason, ti } from "../bot/texts-intake.js";
import { hasRole } from "../domain/access.js";
import { clip } from "../domain/clip.js";
import {
  activeAssignments,
  answerDeadline,
  headsHearAtOnce,
  type Importance,
  leadAssignment,
  receivedAssignments,
} from "../domain/incident.js";
import { NETWORK_NAMES, parseSourceLink, postLinkIn } from "../domain/source-link.js";
import { formatDeadline } from "../domain/time-format.js";
import { askOf, type Flow, isCancel, pressedOn, staleStep, waitForAnswer } from "./ask.js";

/**
 * What the conversation starts with (plain JSON: it is stored with the conversation). A field that
 * is present is not asked again: /new starts empty, «Заполнить подробнее» brings the recognised
 * link, text and author, «Зарегистрировать» brings everything and only the repeat question is left.
 */
export interface IntakeArgs {
  actorId: number;
  prefill: Partial<PostDraft>;
  /** A forwarded post without a link: once the link is given, offer the one-tap registration. */
  offer?: boolean;
  /**
   * The post's own date (ms) as recognised — a forward's, or a monitoring notice's «Дата
   * публикации:» — already checked not to be in the future: one tap takes it as the post's date, the
   * date question offers it.
   */
  forwardedAt?: number;
  /** The words sent with a pasted link: the text question offers them to keep («Оставить»). */
  typedText?: string;
}

type AnnounceDeps = AppDeps & { api: Api };

const SNIPPET = 200;
/** A post's topic or text on a line among others (an escalation, a list): a few words. */
export const ABOUT = 40;
const MAX_FIELD = 300;
const MAX_REPEAT_OFFERS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

export function snippet(text: string | null | undefined, max = SNIPPET): string | null {
  if (!text) return null;
  const line = text.replace(/\s+/g, " ").trim();
  return clip(line, max);
}

/**
 * What a post is about in a few words, where many posts are named at once: its topic («на тему
 * «Отопление»», so it is not read as the author's words), else the start of its text in quotes.
 */
export function postAbout(row: Pick<IncidentRow, "topic" | "text">): string | null {
  const topic = snippet(row.topic, ABOUT);
  if (topic) return ti.aboutTopic(topic);
  const text = snippet(row.text, ABOUT);
  return text && `«${text}»`;
}

export function networkName(link: string): string {
  const parsed = parseSourceLink(link);
  return NETWORK_NAMES[parsed.ok ? parsed.network : "other"];
}

/** Shows the earlier card again in the curator's chat and points at it: no second incident. */
export async function showDuplicate(deps: AnnounceDeps, existingId: number, chatId: number): Promise<void> {
  const incident = loadIncident(deps.db, existingId);
  if (incident) await syncCards(deps, incident, [{ chatId, audience: { kind: "curators" } }]);
  const messageId = cardMessageId(deps.db, existingId, chatId);
  await deps.api.sendMessage(
    chatId,
    ti.duplicate(existingId),
    messageId === undefined
      ? {}
      : { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } },
  );
}

/**
 * Registers the post and tells whom it concerns: the card goes to the curator's chat and the
 * curators' chat; a significant post goes to the heads with «Срочные» at once, whatever the hour.
 */
export async function registerAndAnnounce(
  deps: AnnounceDeps,
  draft: PostDraft,
  actorId: number,
  chatId: number,
): Promise<{ ok: true; id: number } | { ok: false; existingId: number }> {
  const result = registerPost(deps.db, draft, actorId, deps.clock.now());
  if (!result.ok) {
    // Registered by another curator meanwhile with a lower importance than this one chose.
    const { existingId } = result;
    const now = deps.clock.now();
    const raised = keepHigherImportance(deps.db, {
      incidentId: existingId,
      importance: draft.importance,
      actorId,
      now,
    });
    if (raised) await announceDetail(deps, "importance", raised);
    await showDuplicate(deps, existingId, chatId);
    if (raised)
      await deps.api.sendMessage(chatId, ti.duplicateRaised(existingId, t.importance[draft.importance]));
    return { ok: false, existingId };
  }
  deps.log.info({ incidentId: result.incident.id, importance: draft.importance }, "incident registered");
  await announceRegistered(deps, result.incident, [{ chatId, audience: { kind: "curators" } }], {
    silent: quietNow(deps, result.incident),
  });
  return { ok: true, id: result.incident.id };
}

/**
 * After a change of the post's importance, topic, place, text or link: every card shows it; a post
 * raised to «социально значимое» goes to the heads (once: the notices ledger of registration remembers
 * them told); a text, topic, place or link corrected goes to the heads who were told of the post (see
 * tellHeadsCorrected), and so does an importance lowered from what they hear at once to what they
 * do not (see tellHeadsLowered; `importanceBefore`, what it was, is absent for a raise, which is
 * never told as lowered); a topic or place set may complete a surge; a new link is told to the
 * organizations that have the post (see tellLinkChanged).
 */
export async function announceDetail(
  deps: CardDeps,
  field: PostDetail["field"],
  incident: Incident,
  importanceBefore?: Importance,
): Promise<void> {
  const heard = (importance: Importance) => headsHearAtOnce(deps.sla.regulation, importance);
  const atOnce = heard(incident.row.importance);
  const lowered = !atOnce && importanceBefore !== undefined && heard(importanceBefore);
  await announceEach(
    deps.log,
    "post detail",
    () => syncCards(deps, incident),
    async () => {
      if (field === "text" || field === "topic" || field === "place" || field === "link")
        await tellHeadsCorrected(deps, incident, field);
      else if (field === "importance" && lowered) await tellHeadsLowered(deps, incident);
    },
    async () => {
      if (field === "topic" || field === "place") await announceSurge(deps, incident);
      else if (field === "importance" && atOnce) await tellHeads(deps, incident);
      else if (field === "link") await tellLinkChanged(deps, incident);
    },
  );
}

/**
 * The post's link changed: each organization that has it hears so without sound (nothing to do at
 * once), as its card's silent edit may go unseen: the answer is to be posted under the new link.
 */
async function tellLinkChanged(deps: CardDeps, incident: Incident): Promise<void> {
  const text = ti.linkChanged(incident.id, incident.row.link);
  for (const { organizationId } of receivedAssignments(incident))
    await tellOrganization(deps, deps.api, organizationId, text, undefined, { quiet: true });
}

/**
 * The heads' notice of a post gave its link, quoted the start of its text and named its topic and
 * place, or showed them missing: one of them corrected by a curator since (a curator's note registered
 * as the text, a topic named after the raise, the post published again, say), each head who has that
 * notice gets it in a short note of its own (see noteHeadsTold). The author is in no heads' notice:
 * its correction tells them nothing; the card they open shows it.
 */
async function tellHeadsCorrected(
  deps: CardDeps,
  incident: Incident,
  field: "text" | "link" | Subject,
): Promise<void> {
  const { id, row } = incident;
  const text =
    field === "text"
      ? ti.textCorrected(id, snippet(row.text))
      : field === "link"
        ? ti.linkCorrected(id, networkName(row.link), row.link)
        : ti.subjectCorrected(id, field, row[field]);
  await noteHeadsTold(deps, incident, field, () => text);
}

/**
 * A post the heads heard of at once, lowered by a curator below what they hear at once: each head
 * who has its notice hears it in a short note (see noteHeadsTold), or he would go on taking it as
 * significant. Once he has the note, the ledger no longer counts him told: raised again, he hears it
 * again (see tellHeads). A head the note did not reach stays told, and is not told of a raise twice.
 */
async function tellHeadsLowered(deps: CardDeps, incident: Incident): Promise<void> {
  const { id, importance } = incident.row;
  const toldAs = (telegramId: number): Importance =>
    noticeClaimed(deps.db, headNoticeKey(id, "significant", telegramId)) ? "significant" : "important";
  const noted = await noteHeadsTold(deps, incident, "importance", (telegramId) =>
    ti.importanceLowered(id, toldAs(telegramId), t.importance[importance]),
  );
  if (noted.length > 0) forgetHeadsTold(deps.db, id, noted);
}

/**
 * A post the heads were told of at once is over: its answer (or the interim one) posted, or it closed
 * without one. Each head who has its notice hears so in a short note (see noteHeadsTold): alerted at
 * once, he would otherwise never learn how it ended. One who heard it lowered is no longer told of it.
 */
export async function tellHeadsOutcome(deps: CardDeps, incident: Incident, text: string): Promise<void> {
  await noteHeadsTold(deps, incident, "outcome", () => text);
}

/**
 * Each head who has the post's notice (see headsToldOf) gets `textOf` him in a short note of its own,
 * without sound (nothing to do at once), with «Открыть № …» as the notice has: the bot keeps no id of
 * the notice to edit it; once, however often the change is handled (see oncePerUpdate). Resolves to
 * the heads who got it.
 */
async function noteHeadsTold(
  deps: CardDeps,
  incident: Incident,
  /** What the note tells of, for the log. */
  field: PostDetail["field"] | "outcome" | "routing",
  textOf: (telegramId: number) => string,
): Promise<number[]> {
  const told = new Set(headsToldOf(deps.db, incident.id));
  const noted: number[] = [];
  if (told.size === 0) return noted;
  for (const telegramId of reachableHeads(headsWith(deps.db, "urgent"))) {
    if (!told.has(telegramId)) continue;
    const note = async () => {
      try {
        await deps.api.sendMessage(telegramId, textOf(telegramId), {
          link_preview_options: { is_disabled: true },
          disable_notification: true,
          reply_markup: new InlineKeyboard().text(t.alert.open(incident.id), cb("inc.show", incident.id)),
        });
        return true;
      } catch (error) {
        if (!(error instanceof GrammyError)) throw error;
        deps.log.warn(
          { telegramId, incidentId: incident.id, field, error: error.description },
          "head not told of a change",
        );
        await chatRefused(deps, telegramId, error);
        return false;
      }
    };
    if (await oncePerUpdate(deps, `heads-${field}:${incident.id}`, telegramId, note)) noted.push(telegramId);
  }
  return noted;
}

/**
 * A post just registered: its card goes to the curators' chat and `extra` chats (`silent`: without
 * sound), a significant post to the heads with «Срочные» at once, whatever the hour, and a surge is
 * announced.
 */
export async function announceRegistered(
  deps: CardDeps,
  incident: Incident,
  extra: Target[],
  options: { silent?: boolean } = {},
): Promise<void> {
  await announceEach(
    deps.log,
    "registration",
    () => syncCards(deps, incident, extra, options),
    async () => {
      if (headsHearAtOnce(deps.sla.regulation, incident.row.importance)) await tellHeads(deps, incident);
    },
    () => announceSurge(deps, incident),
  );
}

/**
 * The answer's deadline as the heads' notice gives it; one counted from the routing (Georgievsk p.16)
 * not known before it, which the notice says so of (tellHeadsRouted gives it then).
 */
function answerBy(deps: CardDeps, incident: Incident): { at: string } | { afterRouting: string } | undefined {
  const { regulation, workingTime, timezone } = deps.sla;
  const at = answerDeadline(incident, regulation, workingTime);
  if (at) return { at: formatDeadline(at, timezone) };
  const rule = regulation.steps.answer;
  return rule.anchor === "routing" ? { afterRouting: rule.clause } : undefined;
}

/**
 * A post the heads were told of is routed: each head who has its notice hears, without sound, to whom
 * and until when its answer is due (see noteHeadsTold) — under Georgievsk p.16 the notice could not
 * say it yet.
 */
export async function tellHeadsRouted(deps: CardDeps, incident: Incident): Promise<void> {
  const lead = leadAssignment(incident);
  if (!lead) return;
  const { regulation, workingTime, timezone } = deps.sla;
  const at = answerDeadline(incident, regulation, workingTime);
  const organizations = [lead, ...activeAssignments(incident).filter((a) => a !== lead)].map(
    (a) => a.organizationShortName ?? a.organizationName,
  );
  const text = ti.routed(incident.id, organizations, at ? formatDeadline(at, timezone) : null);
  await noteHeadsTold(deps, incident, "routing", () => text);
}

/** A head's notice whose send a stopped process left is taken over after this long. */
const HEAD_LEASE_MS = 5 * 60_000;

/**
 * The heads with «Срочные» (Orenburg p.21, Georgievsk p.24) hear of a significant post once, however
 * many times it is announced (a crash, a retry of the monitoring software) or raised to significant
 * again (unless he has heard it lowered since, see tellHeadsLowered): each head's notice is recorded
 * once he has it, and the post's once every head has it, so a head who failed only for now (or a
 * stop before all were told) is tried again by the sweep (jobs/heads.ts), the others not told twice.
 * A post they heard of as needing an urgent decision (Georgievsk «Важное») is told again once raised
 * to significant; lowered, it is not.
 * The notice opens the post's card with one tap («Открыть № …»).
 * Heads who block the bot are not tried, one found refusing now is marked so; the registration (or
 * the raise) has already happened. With such heads but none the bot can write to, the curators hear
 * it in their stead (see tellCuratorsInsteadOfHeads).
 */
export async function tellHeads(deps: CardDeps, incident: Incident): Promise<void> {
  const { row } = incident;
  if (headsTold(deps.db, incident.id, row.importance)) return;
  const key = headsNoticeKey(incident.id, row.importance);
  const text = ti.significant(
    incident.id,
    networkName(row.link),
    row.link,
    snippet(row.text),
    deps.sla.regulation.significantRecipients.clause,
    row.importance,
    row,
    answerBy(deps, incident),
  );
  const toHead = (telegramId: number) => headNoticeKey(incident.id, row.importance, telegramId);
  // A head who has the post as significant already needs no «Важное» of it (lowered since).
  const told = (telegramId: number) =>
    noticeClaimed(deps.db, toHead(telegramId)) ||
    (row.importance === "important" &&
      noticeClaimed(deps.db, headNoticeKey(incident.id, "significant", telegramId)));
  // Not a head on leave while another is there (see present): all of them away, all hear it.
  const urgentHeads = () => present(deps, reachableHeads(headsWith(deps.db, "urgent")), true);
  for (const telegramId of urgentHeads()) {
    if (told(telegramId)) continue;
    // Leased before the send: two tellings at once (an announcement and the sweep's retry, two
    // processes) tell him once; a stop in the middle leaves him to the sweep after the lease.
    if (!leaseNotice(deps.db, toHead(telegramId), HEAD_LEASE_MS, deps.clock.now())) continue;
    try {
      // At once, whatever the hour; at night with sound only when significant (an urgent one comes
      // without sound then, as every other news does).
      await deps.api.sendMessage(telegramId, text, {
        link_preview_options: { is_disabled: true },
        disable_notification: quietNow(deps, incident),
        reply_markup: openCardButton(incident.id),
      });
      settleNotice(deps.db, toHead(telegramId), deps.clock.now());
    } catch (error) {
      giveBackNotice(deps.db, toHead(telegramId));
      if (!(error instanceof GrammyError)) throw error;
      deps.log.warn({ telegramId, incidentId: incident.id, error: error.description }, "head not told");
      await chatRefused(deps, telegramId, error);
    }
  }
  // Read again: one found refusing now (his account deleted) is no longer among them.
  const reachable = urgentHeads();
  if (reachable.length === 0) await tellCuratorsInsteadOfHeads(deps, key, text, !quietNow(deps, incident));
  else if (reachable.every(told)) claimNotice(deps.db, key, deps.clock.now());
}

/**
 * No head the bot can write to has «Срочные»: a significant post must still reach someone who can
 * tell them another way, so the curators get the heads' notice, naming the heads who block the bot
 * (as the sweep's heads' escalation does), or saying that no head has «Срочные» on. It counts as told
 * once a curators' chat has it; with no curator the bot can write to either, nothing is tried again.
 */
async function tellCuratorsInsteadOfHeads(
  deps: CardDeps,
  key: string,
  text: string,
  /** With sound, as the heads would have had it: at night only for a significant post. */
  ring: boolean,
): Promise<void> {
  const heads = headsWith(deps.db, "urgent").map((head) => head.telegramId);
  const curators = reachableCuratorChats(deps.db);
  if (curators.length === 0) {
    deps.log.error({ key }, "significant post told to nobody: no head and no curator the bot can reach");
    claimNotice(deps.db, key, deps.clock.now());
    return;
  }
  const names = heads.map((telegramId) => personName(deps.db, telegramId));
  const notice =
    heads.length === 0 ? t.alert.significantToNoHead(text) : t.alert.insteadOfHeads(text, names, null);
  for (const chatId of curators)
    if (await sendLong(deps, deps.api, chatId, notice, undefined, { ring }))
      claimNotice(deps.db, key, deps.clock.now());
}

/** `dd.MM.yyyy HH:mm` in the deployment's time zone; undefined when it is no real moment. */
export function parseLocalTime(text: string, timezone: string): number | undefined {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4}),?\s+(\d{1,2})[:.](\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [day, month, year, hours, minutes] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const at = new TZDate(year, month - 1, day, hours, minutes, timezone);
  const same =
    at.getFullYear() === year &&
    at.getMonth() === month - 1 &&
    at.getDate() === day &&
    at.getHours() === hours &&
    at.getMinutes() === minutes;
  return same ? at.getTime() : undefined;
}

// ---- asking -----------------------------------------------------------------------------------

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

interface Question<T> {
  /** Marks this question's buttons: a button of an earlier question is not taken as an answer. */
  step: string;
  prompt: string;
  buttons?: { label: string; value: string }[][];
  /** How a text answer is read; without it only the buttons answer. */
  parse?: (text: string) => Parsed<T> | Promise<Parsed<T>>;
  /**
   * A forwarded message: "answer" takes its text; "leave" ends this dialogue, saying so, and lets the
   * forward be recognised as a new post; by default the person is asked to finish first.
   */
  onForward?: "answer" | "leave";
}

/**
 * Asks one question and waits for a button of this question or a text that `parse` accepts. /cancel
 * ends the dialogue; another command ends it and is handled as usual. Buttons of cards and other
 * features pass through, so a curator can still act on cards while registering.
 */
async function ask<T>(
  conversation: Flow,
  ctx: Context,
  q: Question<T>,
): Promise<{ button: string } | { value: T }> {
  const keyboard = new InlineKeyboard();
  for (const row of q.buttons ?? []) {
    for (const b of row) keyboard.text(b.label, cb("int.a", q.step, b.value));
    keyboard.row();
  }
  const markup = q.buttons
    ? { reply_markup: keyboard, link_preview_options: { is_disabled: true } }
    : { link_preview_options: { is_disabled: true } };
  const offered = new Set((q.buttons ?? []).flat().map((b) => b.value));
  // The question and each time it is asked again: its buttons under any of them answer it, and no
  // other's (a question of the same step in an earlier /new left with its buttons).
  const asked = [await askOf(conversation, ctx, q.prompt, markup)];
  for (;;) {
    const answer = await waitForAnswer(conversation);
    const data = answer.callbackQuery?.data;
    if (data !== undefined) {
      const [action, step, value] = data.split(":");
      if (action !== "int.a") return await conversation.skip({ next: true });
      const ours = asked.some((message) => pressedOn(answer, message));
      if (!ours || step !== q.step || value === undefined || !offered.has(value)) {
        await staleStep(answer);
        continue;
      }
      await answer.answerCallbackQuery();
      try {
        await answer.editMessageReplyMarkup();
      } catch (error) {
        // The answer counts even if Telegram no longer lets the old question's buttons be removed.
        if (!(error instanceof GrammyError)) throw error;
      }
      return { button: value };
    }
    const message = answer.message;
    if (!message) return await conversation.skip({ next: true });
    const command = leadingCommand(message)?.name;
    if (command === "cancel" || (command === undefined && isCancel(message.text))) {
      await answer.reply(ti.cancelled);
      return await conversation.halt();
    }
    if (command !== undefined) return await conversation.halt({ next: true });
    if (message.forward_origin && q.onForward !== "answer") {
      if (q.onForward === "leave") {
        await answer.reply(ti.leftForForward);
        return await conversation.halt({ next: true });
      }
      await answer.reply(ti.finishFirst);
      continue;
    }
    const text = (message.text ?? message.caption)?.trim();
    if (!q.parse || !text) {
      asked.push(await answer.reply(q.parse ? q.prompt : ti.useButtons, markup));
      continue;
    }
    const parsed = await q.parse(text);
    if (parsed.ok) return { value: parsed.value };
    asked.push(await answer.reply(parsed.problem, markup));
  }
}

async function askButton(
  conversation: Flow,
  ctx: Context,
  q: Omit<Question<never>, "parse">,
): Promise<string> {
  const reply = await ask<never>(conversation, ctx, q);
  return "button" in reply ? reply.button : reply.value;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const limited = (text: string): Parsed<string> =>
  text.length <= MAX_FIELD ? ok(text) : { ok: false, problem: ti.tooLong(MAX_FIELD) };

async function askLink(conversation: Flow, ctx: Context, prompt: string): Promise<string> {
  const reply = await ask(conversation, ctx, {
    step: "link",
    prompt,
    onForward: "leave",
    parse: (text) => {
      const whole = parseSourceLink(text);
      const parsed = whole.ok ? whole : (postLinkIn(text) ?? whole);
      return parsed.ok ? ok(parsed.url) : { ok: false, problem: ti.badLink[parsed.problem] };
    },
  });
  return "value" in reply ? reply.value : "";
}

/**
 * The post's text: «Нет текста» gives null. Words sent with the post's link (`typed`) are offered to
 * keep, since they may be the curator's own note rather than the post's.
 */
async function askText(conversation: Flow, ctx: Context, typed: string | undefined): Promise<string | null> {
  if (typed === undefined) return askOptional(conversation, ctx, "text", ti.askText, ti.button.noText, ok);
  const reply = await ask(conversation, ctx, {
    step: "text",
    prompt: ti.askTypedText(snippet(typed) ?? typed),
    buttons: [[{ label: ti.button.keepText, value: "keep" }], [{ label: ti.button.noText, value: "skip" }]],
    parse: ok,
    onForward: "answer",
  });
  if ("value" in reply) return reply.value;
  return reply.button === "keep" ? typed : null;
}

/** The post's text, or an optional field: «Пропустить» / «Нет текста» give null. */
async function askOptional(
  conversation: Flow,
  ctx: Context,
  step: string,
  prompt: string,
  skipLabel: string,
  parse: (text: string) => Parsed<string>,
): Promise<string | null> {
  const reply = await ask(conversation, ctx, {
    step,
    prompt,
    buttons: [[{ label: skipLabel, value: "skip" }]],
    parse,
    ...(step === "text" ? { onForward: "answer" as const } : {}),
  });
  return "value" in reply ? reply.value : null;
}

async function askImportance(conversation: Flow, ctx: Context): Promise<Importance> {
  const levels: Importance[] = ["normal", "important", "significant"];
  const value = await askButton(conversation, ctx, {
    step: "imp",
    prompt: ti.askImportance,
    buttons: levels.map((level) => [{ label: ti.button.importance[level], value: level }]),
  });
  return levels.find((level) => level === value) ?? "normal";
}

/**
 * The post's own time; «Сейчас» means it was just found (null: the clocks count from detection). A
 * forwarded post's date (`forwarded`) is offered to keep with one tap.
 */
async function askPostedAt(
  conversation: Flow,
  ctx: Context,
  deps: AppDeps,
  forwarded: number | undefined,
): Promise<number | null> {
  const when = localTime(deps, forwarded);
  const reply = await ask(conversation, ctx, {
    step: "time",
    prompt: when ? ti.askPostedAtForwarded(when) : ti.askPostedAt,
    buttons: [
      ...(when ? [[{ label: ti.button.keepPostedAt(when), value: "fwd" }]] : []),
      [{ label: ti.button.now, value: "now" }],
    ],
    parse: async (text) => {
      const at = parseLocalTime(text, deps.sla.timezone);
      if (at === undefined) return { ok: false, problem: ti.badTime };
      const now = await conversation.external(() => deps.clock.now().getTime());
      if (at > now) return { ok: false, problem: ti.futureTime };
      return postDateTooOld(at, new Date(now)) ? { ok: false, problem: ti.tooOldTime } : ok(at);
    },
  });
  if ("value" in reply) return reply.value;
  return reply.button === "fwd" && forwarded !== undefined ? forwarded : null;
}

/** An earlier incident offered as the one a post repeats, with a few words about it. */
export interface RepeatOffer {
  id: number;
  about: string;
  /** Its text is the post's (see postTextKey): the post may be a duplicate of it, to be closed. */
  sameText: boolean;
  /** What it (or a repeat of it) shares with the post, as the matcher found it. */
  why: RepeatReason;
  /** The posts marked already as its repeats (directly or through another). */
  repeats: number;
}

/**
 * Recent incidents with the same text, author, topic or place (PRODUCT.md "repeat"), detected
 * within the preset's window before the post, registered before it: never the post itself. The
 * posts of a surge it is part of are not offered for the surge's topic or place alone (see
 * surgeMates: the same news at once, listed together in the surge's notice). Another comment at the
 * same link (Одноклассники, Дзен…) may repeat one registered there. A post that is itself a repeat
 * is offered as the first post of its chain (see firstOfRepeats): the issue is that one's, and the
 * copies of one text are one choice, not one each.
 */
export function repeatOffers(deps: Pick<AppDeps, "db" | "sla" | "clock">, post: IncidentRow): RepeatOffer[] {
  const since = new Date(post.detectedAt.getTime() - deps.sla.regulation.repeatWindow.days * DAY_MS);
  const { textKey, author, topic, place } = post;
  const candidates = repeatCandidates(deps.db, {
    textKey,
    author,
    topic,
    place,
    since,
    // Several may be of one chain: enough to fill the offers with chains.
    limit: MAX_REPEAT_OFFERS * 4,
    beforeId: post.id,
    surging: surgeMates(deps, post),
  });
  const offers = new Map<number, RepeatOffer>();
  for (const row of candidates) {
    const { first, repeats } = firstOfRepeats(deps.db, row);
    if (offers.has(first.id)) continue;
    offers.set(first.id, {
      id: first.id,
      about: snippet(first.text, 80) ?? [first.author, first.topic, first.place].filter(Boolean).join(", "),
      sameText: textKey !== null && first.textKey === textKey,
      why: repeatReason(candidates, row, first),
      repeats,
    });
  }
  return [...offers.values()].slice(0, MAX_REPEAT_OFFERS);
}

/**
 * What an offered post shares with the post, as the matcher found it: its own signs when it is a
 * candidate itself, else those of the likeliest of its repeats (`row`), named.
 */
function repeatReason(
  candidates: ReturnType<typeof repeatCandidates>,
  row: ReturnType<typeof repeatCandidates>[number],
  first: IncidentRow,
): RepeatReason {
  const by = candidates.find((candidate) => candidate.id === first.id) ?? row;
  return {
    signs: by.signs.map((sign) => ({ sign, value: sign === "topic" || sign === "place" ? by[sign] : null })),
    ...(by.id === first.id ? {} : { via: by.id }),
  };
}

/**
 * The repeat question under a post's card: its buttons (features/intake.ts) decide it whenever
 * pressed. An earlier post with the same text may be the post itself under another link: it can be
 * closed as that one's duplicate at once.
 */
export function repeatQuestion(
  incidentId: number,
  offers: RepeatOffer[],
): { text: string; keyboard: InlineKeyboard } {
  const text = ti.repeatOffer(
    incidentId,
    offers.map((offer) => ti.repeatLine(offer.id, offer.about, offer.why, offer.repeats)),
  );
  const keyboard = new InlineKeyboard();
  for (const offer of offers) {
    keyboard.text(ti.button.repeatOf(offer.id, offer.repeats), cb("int.rep", incidentId, offer.id)).row();
    if (offer.sameText)
      keyboard.text(ti.button.duplicateOf(offer.id), cb("int.dup", incidentId, offer.id)).row();
  }
  keyboard.text(ti.button.notRepeat, cb("int.new", incidentId));
  return { text, keyboard };
}

/**
 * After a curator registered a post: whether it repeats a recent one (Orenburg p.15; Georgievsk
 * p.19) is asked under its card in the curator's chat, once it is registered — a question left
 * unanswered loses no post, and the heads of a significant one are not kept waiting for it.
 */
async function askRepeatUnderCard(deps: AnnounceDeps, incidentId: number, chatId: number): Promise<void> {
  const incident = loadIncident(deps.db, incidentId);
  if (!incident) return;
  // Asked here once: the same post sent again by monitoring software does not ask the curators' chat.
  claimNotice(deps.db, repeatOfferKey(incidentId), deps.clock.now());
  const offers = repeatOffers(deps, incident.row);
  if (offers.length === 0) return;
  const { text, keyboard } = repeatQuestion(incidentId, offers);
  const card = cardMessageId(deps.db, incidentId, chatId);
  const sent = await deps.api.sendMessage(chatId, text, {
    reply_markup: keyboard,
    link_preview_options: { is_disabled: true },
    // Under the card just sent, which rang already (or did not, at night): the question adds no sound.
    disable_notification: true,
    ...(card === undefined
      ? {}
      : { reply_parameters: { message_id: card, allow_sending_without_reply: true } }),
  });
  recordRepeatQuestion(deps.db, { incidentId, chatId, messageId: sent.message_id, now: deps.clock.now() });
}

// ---- the dialogue -----------------------------------------------------------------------------

/** «Зарегистрировать сообщение»: link, text, author, topic, place, importance, the post's time. */
export function intakeFlow(deps: AppDeps) {
  return async function intake(conversation: Flow, ctx: Context, args: IntakeArgs): Promise<void> {
    const chatId = ctx.chatId;
    if (chatId === undefined) return;
    const announce = (outside: { api: Api }) => ({ ...deps, api: outside.api });
    // A curator's role taken away while a question waited ends the dialogue before it shows or
    // changes anything: the person is the one the update names, read afresh.
    const mayRegister = (outside: BotContext) =>
      outside.person?.id === args.actorId && hasRole(outside.person, "curator");
    const refuse = async () => {
      await ctx.reply(ti.onlyCurators);
    };
    // Through JSON, so the first run and every replay after a restart see the same fields.
    let draft: Partial<PostDraft> = JSON.parse(JSON.stringify(args.prefill));

    const link =
      draft.link ?? (await askLink(conversation, ctx, args.offer ? ti.askLinkForForward : ti.askLink));
    const before = await conversation.external((outside) =>
      mayRegister(outside) ? registeredBefore(deps.db, link, draft.text ?? null) : "refused",
    );
    if (before === "refused") return await refuse();
    const duplicate = (id: number) =>
      conversation.external((outside) => showDuplicate(announce(outside), id, chatId));
    if (before && "same" in before) return await duplicate(before.same);
    if (before) {
      // Одноклассники, Дзен…: a comment has its post's link, so the curator tells which it is.
      const choice = await askButton(conversation, ctx, {
        step: "comment",
        prompt: ti.sameLink(before.beside),
        buttons: [
          [{ label: ti.button.anotherComment, value: "comment" }],
          [{ label: ti.button.sameComment, value: "same" }],
        ],
      });
      if (choice !== "comment") return await duplicate(before.beside.at(-1) ?? 0);
      draft.anotherComment = true;
    }
    draft.link = link;

    if (args.offer) {
      const choice = await askButton(conversation, ctx, {
        step: "offer",
        prompt: ti.summary({
          network: networkName(link),
          link,
          author: draft.author ?? null,
          topic: draft.topic ?? null,
          place: draft.place ?? null,
          postedAt: localTime(deps, args.forwardedAt),
          start: snippet(draft.text),
        }),
        buttons: [[{ label: ti.button.register, value: "reg" }], [{ label: ti.button.more, value: "more" }]],
      });
      if (choice === "reg") draft = oneTap(draft, args.forwardedAt);
    }

    const text = draft.text !== undefined ? draft.text : await askText(conversation, ctx, args.typedText);
    const field = (step: string, prompt: string) =>
      askOptional(conversation, ctx, step, prompt, ti.button.skip, limited);
    const author = draft.author !== undefined ? draft.author : await field("author", ti.askAuthor);
    const topic = draft.topic !== undefined ? draft.topic : await field("topic", ti.askTopic);
    const place = draft.place !== undefined ? draft.place : await field("place", ti.askPlace);
    const importance = draft.importance ?? (await askImportance(conversation, ctx));
    const postedAt =
      draft.postedAt !== undefined
        ? draft.postedAt
        : await askPostedAt(conversation, ctx, deps, args.forwardedAt);
    const repeatOfId = draft.repeatOfId ?? null;

    const complete: PostDraft = {
      link,
      text,
      author,
      topic,
      place,
      importance,
      postedAt,
      repeatOfId,
      ...(draft.anotherComment ? { anotherComment: true } : {}),
    };
    const registered = await conversation.external(async (outside) => {
      if (!mayRegister(outside)) return false;
      const result = await registerAndAnnounce(announce(outside), complete, args.actorId, chatId);
      // The post is registered and its card shown: a question Telegram did not take is logged, not
      // shown as an error (the card's «Изменить сведения» links a repeat all the same).
      if (result.ok && repeatOfId === null)
        await announceEach(deps.log, "repeat question", () =>
          askRepeatUnderCard(announce(outside), result.id, chatId),
        );
      return true;
    });
    if (!registered) await refuse();
  };
}

/** «Зарегистрировать» at once: an ordinary post, with no topic or place yet. */
const ONE_TAP_DEFAULTS: Omit<PostDraft, "link" | "repeatOfId" | "postedAt"> = {
  text: null,
  author: null,
  topic: null,
  place: null,
  importance: "normal",
};

/**
 * The recognised fields of a post registered with one tap, the rest by default. A forwarded post
 * was published when Telegram says (`forwardedAt`); any other was found just now (null: the clocks
 * count from detection).
 */
export function oneTap(recognised: Partial<PostDraft>, forwardedAt: number | undefined): Partial<PostDraft> {
  return { ...ONE_TAP_DEFAULTS, postedAt: forwardedAt ?? null, ...recognised };
}

/** A moment as people see it (local time of the deployment), or null when there is none. */
export function localTime(deps: Pick<AppDeps, "sla">, at: number | undefined): string | null {
  return at === undefined ? null : formatDeadline(new Date(at), deps.sla.timezone);
}
