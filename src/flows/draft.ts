/**
 * «Подготовить ответ»: the lead executor collects the draft answer in the private chat — the text,
 * then photos, videos, documents or albums, then a preview exactly as the curators will see it —
 * and sends it for approval (Orenburg p.9, Georgievsk p.11). What was sent so far is kept after
 * every step, so an abandoned or interrupted dialogue loses nothing; the answer, the interim answer
 * and the question each keep their own.
 */

import { type Api, type Context, GrammyError, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { approvedWithText, type SameAnswer, sameAnswers } from "../app/answer-queries.js";
import {
  type Draft,
  dropDraftWork,
  latestDrafts,
  loadDraftWork,
  saveDraftWork,
  submitDraft,
} from "../app/answers.js";
import { recordDraftMessage } from "../app/draft-messages.js";
import { type Incident, loadIncident, takenOverFrom } from "../app/incidents.js";
import { claimNotice, noticeClaimed } from "../app/notices.js";
import { partAttachments } from "../app/part-attachments.js";
import { loadPerson, telegramIdsWithRole } from "../app/people.js";
import { cb } from "../bot/callback-data.js";
import { decisionButtons, retireDraftButtons, syncCards } from "../bot/cards.js";
import { toAnotherBot } from "../bot/commands.js";
import type { AppDeps } from "../bot/context.js";
import { announceEach, cardDeps, oncePerUpdate, reachCurators, ringFor } from "../bot/delivery.js";
import { ALBUM_LIMIT, albumPlan, type DraftView, sendDraft } from "../bot/draft-view.js";
import { chatRefused, notifyAdmins } from "../bot/refused-chats.js";
import { t } from "../bot/texts.js";
import { DRAFT_BUTTON, ta } from "../bot/texts-answers.js";
import { td } from "../bot/texts-drafts.js";
import { tr } from "../bot/texts-incidents.js";
import { ti } from "../bot/texts-intake.js";
import type { Attachment } from "../db/schema.js";
import { displayName, hasRole, type Person } from "../domain/access.js";
import { clip } from "../domain/clip.js";
import {
  type ActionRules,
  type AssignmentView,
  actionRules,
  activeAssignments,
  answerDeadline,
  checkDraft,
  type DraftKind,
  type DraftPurpose,
  familyOf,
  leadAssignment,
  leadsOwnPart,
  nextDeadline,
  partOverdueSince,
} from "../domain/incident.js";
import { parseSourceLink } from "../domain/source-link.js";
import { describeChanges } from "../domain/text-diff.js";
import { formatDeadline } from "../domain/time-format.js";
import {
  aboutPost,
  aboutTheChat,
  type Flow,
  isCancel,
  pressedOn,
  removeButtons,
  skipSaidToSomeone,
} from "./ask.js";

export const DRAFT_TEXT_LIMIT = 4096;
const MAX_ATTACHMENTS = 30;
/** How much of the earlier incident's answer a repeat shows. */
const EARLIER_TEXT_CHARS = 500;
/** How recent an approved answer to a post of the same text, topic and place is offered again. */
const SAME_ANSWER_DAYS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

interface Content {
  text: string | null;
  attachments: Attachment[];
}

interface EarlierAnswer {
  id: number;
  links: string[];
  text: string | null;
}

/** What the dialogue needs to begin; only plain fields, as a conversation's replay log keeps them. */
interface Opening {
  personId: number;
  kind: DraftKind;
  /** The card's button that opens this dialogue again. */
  button: string;
  header: string;
  /** `fromPrevious`: the saved work was begun from the answer's earlier draft (see draftWork.fromPrevious). */
  saved: (Content & { fromPrevious: boolean }) | null;
  /** The draft the curator returned for rework, offered as the starting point. */
  returned: (Content & { comment: string | null }) | null;
  /** For the final answer, the answer's draft from before the interim one, offered as the starting point. */
  previous: Content | null;
  repeat: EarlierAnswer | null;
  /** Approved answers to related posts, offered as the text (absent in a dialogue begun before). */
  same?: SameAnswer[];
  /** The co-executors' parts that reached the lead, for the common answer (not for a question). */
  parts: ReceivedPart[];
  /** The parts it still waits for, each with where it stands; absent from a dialogue begun before. */
  awaited?: string[];
  /** When the dialogue began (ms): taken over by a colleague since, the draft is not sent. Absent before. */
  begunAt?: number;
}

interface ReceivedPart {
  organization: string;
  text: string;
  attachments: Attachment[];
}

/**
 * The co-executors' parts the lead has (Orenburg p.14: «с учетом информации, представленной другими
 * исполнителями»; Georgievsk p.18: passed on by the curators), with their files.
 */
function receivedParts(deps: AppDeps, incident: Incident): ReceivedPart[] {
  const rules = actionRules(deps.sla.regulation);
  const own = leadsOwnPart(incident);
  const reached = activeAssignments(incident).filter((a) => a.role === "coexecutor" && reachedLead(a, rules));
  return [...(own ? [own] : []), ...reached].map((a) => ({
    organization: a.organizationName,
    text: a.partText ?? "",
    attachments: partAttachments(deps.db, a),
  }));
}

/** Whether a part is the lead's: sent straight to it, or passed on by the curators (Georgievsk p.18). */
function reachedLead(part: AssignmentView, rules: ActionRules): boolean {
  return part.state === "part_passed" || (part.state === "part_sent" && !rules.curatorPassesParts);
}

/**
 * The parts the lead still waits for, each with where it stands and its deadline if gone by: the
 * common answer is written with them (Orenburg p.14, Georgievsk p.18), so the lead knows what is missing.
 */
function awaitedParts(deps: AppDeps, incident: Incident): string[] {
  const { regulation, workingTime, timezone } = deps.sla;
  const rules = actionRules(regulation);
  const now = deps.clock.now();
  return activeAssignments(incident)
    .filter((a) => a.role === "coexecutor" && !reachedLead(a, rules))
    .map((a) => {
      const late = partOverdueSince(incident, regulation, workingTime, a.organizationId, now);
      const where = td.partAwaited[awaitedStanding(a)];
      return td.awaitedPart(
        a.organizationName,
        where,
        late && t.card.partLate(formatDeadline(late, timezone)),
      );
    });
}

function awaitedStanding(part: AssignmentView): keyof typeof td.partAwaited {
  if (part.state === "accepted") return part.partReturnedAt ? "rework" : "accepted";
  return part.state === "part_sent" ? "forApproval" : part.state === "queued" ? "queued" : "assigned";
}

/** Why this person may not prepare the incident's draft now, in words; undefined when they may. */
export function draftRefusal(
  incident: Incident,
  person: Person | undefined,
  purpose: DraftPurpose,
  rules: ActionRules,
): string | undefined {
  const refusal = checkDraft(incident, purpose, person, rules);
  if (refusal === undefined) return undefined;
  if (refusal === "forbidden") return td.notLead(incident.id);
  if (incident.row.state === "closed") return tr.closed(incident.id);
  if (purpose === "interim" && !rules.interimAnswer) return td.noInterim(incident.id);
  if (purpose === "interim" && incident.answer?.interimPublishedAt) return td.interimGiven(incident.id);
  return td.wrongState(incident.id, tr.shortState[incident.row.state]);
}

/** What a draft of this purpose is now: an answer after an interim one is the final answer. */
export function draftKind(incident: Incident, purpose: DraftPurpose): DraftKind {
  if (purpose !== "answer") return purpose;
  return incident.answer?.interimPublishedAt ? "final" : "answer";
}

function titleLine(incident: Incident, person: Person, kind: DraftKind): string {
  const lead = leadAssignment(incident);
  const organization = incident.assignments.find((a) => a === lead)?.organizationName ?? "";
  return td.curators.header(incident.id, kind, displayName(person), organization);
}

/** For a repeat: the earlier incident's published answer(s) and its last approved answer's draft. */
function earlierAnswer(deps: AppDeps, incident: Incident): EarlierAnswer | null {
  const earlierId = incident.row.repeatOfId;
  const earlier = earlierId ? loadIncident(deps.db, earlierId) : undefined;
  if (!earlier) return null;
  // Its answer, not a question to its author or an interim answer.
  const approved = latestDrafts(deps.db, earlier.id, 50).find(
    (d) => d.state === "approved" && (d.kind === "answer" || d.kind === "final"),
  );
  const text = approved?.text ?? null;
  return {
    id: earlier.id,
    links: earlier.publications.filter((p) => p.kind === "answer").map((p) => p.link),
    text: text && clip(text, EARLIER_TEXT_CHARS),
  };
}

function opening(
  deps: AppDeps,
  incidentId: number,
  person: Person | undefined,
  purpose: DraftPurpose,
): Opening | string {
  const incident = loadIncident(deps.db, incidentId);
  if (!incident) return td.notFound(incidentId);
  const refusal = draftRefusal(incident, person, purpose, actionRules(deps.sla.regulation));
  if (refusal !== undefined || !person) return refusal ?? t.refusal;
  const work = loadDraftWork(deps.db, incidentId, person.id, purpose);
  const kind = draftKind(incident, purpose);
  const latest = latestOfFamily(latestDrafts(deps.db, incidentId, FAMILY_LOOKBACK), kind);
  return {
    personId: person.id,
    kind,
    button: DRAFT_BUTTON[kind],
    header: titleLine(incident, person, kind),
    saved:
      work && (work.text || work.attachments.length > 0)
        ? { text: work.text, attachments: work.attachments, fromPrevious: work.fromPrevious }
        : null,
    // The draft returned for rework is offered back to a draft of its kind only, though a question
    // to the author came between; an interim answer posted since ends its rework.
    returned:
      latest && reworkOpen(latest, kind)
        ? { text: latest.text, attachments: latest.attachments, comment: latest.reworkComment }
        : null,
    previous:
      kind === "final" && latest?.kind === "answer"
        ? { text: latest.text, attachments: latest.attachments }
        : null,
    repeat: earlierAnswer(deps, incident),
    same: kind === "answer" || kind === "final" ? relatedAnswers(deps, incident) : [],
    parts: kind === "clarification" ? [] : receivedParts(deps, incident),
    awaited: kind === "clarification" ? [] : awaitedParts(deps, incident),
    begunAt: deps.clock.now().getTime(),
  };
}

/** The lead organization's approved answers to posts related to this one (see sameAnswers). */
function relatedAnswers(deps: AppDeps, incident: Incident): SameAnswer[] {
  const lead = leadAssignment(incident);
  if (!lead) return [];
  const since = new Date(deps.clock.now().getTime() - SAME_ANSWER_DAYS * DAY_MS);
  return sameAnswers(deps.db, incident.row, lead.organizationId, since);
}

/** How many of a post's latest drafts are looked through for the last one of a family. */
const FAMILY_LOOKBACK = 20;

/** The latest of these drafts (newest first) of `kind`'s family. */
function latestOfFamily(drafts: readonly Draft[], kind: DraftKind): Draft | undefined {
  return drafts.find((draft) => familyOf(draft.kind) === familyOf(kind));
}

/**
 * Whether a draft's rework is still what a draft of `kind` answers: the answer's rework is ended by an
 * interim answer posted since, after which the final answer is drafted (another kind).
 */
function reworkOpen(draft: Draft, kind: DraftKind): boolean {
  return draft.state === "rework" && draft.kind === kind;
}

/**
 * The curators' header: who sent it and, for a reworked draft, the final answer or a repeat, what
 * they should know. `fromPrevious`: the final answer was begun from the answer's earlier draft.
 */
function curatorsHeader(deps: AppDeps, incident: Incident, person: Person, fromPrevious: boolean): string {
  const [current, ...earlier] = latestDrafts(deps.db, incident.id, FAMILY_LOOKBACK) as [Draft, ...Draft[]];
  const previous = latestOfFamily(earlier, current.kind);
  const blocks = [titleLine(incident, person, current.kind)];
  const same = familyOf(current.kind) === "answer" && approvedWithText(deps.db, current.text, incident.id);
  if (same) blocks[0] += `\n${td.curators.sameAsApproved(same)}`;
  if (previous && reworkOpen(previous, current.kind)) {
    blocks[0] += `\n${td.curators.reworked(current.round, previous.reworkComment)}`;
    blocks.push(describeChanges(previous, current, td.diff));
  } else if (current.kind === "final") {
    const interim = incident.publications.find((p) => p.kind === "interim");
    const { timezone } = deps.sla;
    if (interim)
      blocks[0] += `\n${td.curators.afterInterim(formatDeadline(interim.publishedAt, timezone), interim.link)}`;
    if (previous && fromPrevious)
      blocks.push(
        `${td.curators.fromPrevious(formatDeadline(previous.submittedAt, timezone))}\n` +
          describeChanges(previous, current, td.diff),
      );
  }
  const repeat = earlierAnswer(deps, incident);
  if (repeat) blocks.push(td.curators.repeatOf(repeat.id, repeat.links, repeat.text));
  if (blocks.length > 1) blocks.push(td.curators.textLabel(current.kind));
  return blocks.join("\n\n");
}

/**
 * The curators' chat, or each curator privately when none is bound or it does not take the draft
 * (not those who block the bot); a chat that refuses is logged and handled as any refusal (see
 * refused-chats.ts). A draft no curator could be shown would wait unseen: the admins are told.
 * Undefined when a curator got it; otherwise whether an admin was told.
 */
async function sendToCurators(
  deps: AppDeps,
  api: Api,
  incident: Incident,
  person: Person,
  draft: DraftView,
  purpose: DraftPurpose,
  fromPrevious: boolean,
): Promise<{ adminsTold: boolean } | undefined> {
  const header = curatorsHeader(deps, incident, person, fromPrevious);
  const kind = incident.answer?.draftKind ?? "answer";
  const caption = td.curators.attachments(incident.id, kind, draft.attachments.length);
  const draftId = incident.answer?.draftId;
  const keyboard = InlineKeyboard.from(
    decisionButtons(incident.id, draftId, actionRules(deps.sla.regulation)),
  );
  // A significant post's draft rings at any hour: its answer is awaited at once.
  const { ring } = ringFor(incident);
  const show = (chatId: number) => async () => {
    try {
      const sent = await sendDraft(api, chatId, draft, { header, caption, keyboard, ring });
      if (sent && draftId)
        recordDraftMessage(deps.db, { draftId, incidentId: incident.id, chatId, messageId: sent.message_id });
      return true;
    } catch (error) {
      // The draft is committed: a chat that refuses, or a connection down beyond auto-retry's
      // attempts, leaves it to the next chat and, with none, to the admins (never to silence).
      deps.log.warn({ chatId, incidentId: incident.id, err: error }, "draft not delivered");
      if (error instanceof GrammyError) await chatRefused({ ...deps, api }, chatId, error);
      return false;
    }
  };
  const showTo = async (chatIds: number[]) => {
    let shown = false;
    // Each chat once, however often the step is handled (see oncePerUpdate): one draft to decide on.
    for (const chatId of chatIds)
      if (await oncePerUpdate(deps, `draft:${draftId}`, chatId, show(chatId))) shown = true;
    // Decided from the card while its message was on its way: the card's sync found it unrecorded.
    if (shown) await retireDraftButtons(cardDeps(deps, api), incident.id);
    return shown;
  };
  if (await reachCurators(deps, showTo)) return undefined;
  const organization = leadAssignment(incident)?.organizationName ?? "—";
  const told = await notifyAdmins(
    { ...deps, api },
    td.curators.unseen(incident.id, draftKind(incident, purpose), organization),
  );
  return { adminsTold: told > 0 };
}

/**
 * `unseen` when no curator could be shown the draft; `alone` when its author is the only curator,
 * who may not approve his own (both absent in what older dialogues stored); `due`, the curators'
 * decision when it is the deadline next.
 */
type Submitted =
  | {
      ok: true;
      due: string | null;
      unseen?: { adminsTold: boolean };
      alone?: { adminsTold: boolean };
      /** The answer deadline, passed already when the decision is still due (absent in older dialogues). */
      answerMissed?: string;
    }
  | { ok: false; text: string };

async function submit(
  deps: AppDeps,
  api: Api,
  person: Person | undefined,
  incidentId: number,
  draft: DraftView,
  purpose: DraftPurpose,
  fromPrevious: boolean,
  begunAt: Date,
): Promise<Submitted> {
  if (!person) return { ok: false, text: td.notSubmittedRights(incidentId) };
  const now = deps.clock.now();
  const rules = actionRules(deps.sla.regulation);
  const submitted = { incidentId, actor: person, now, content: draft, purpose, rules, begunAt };
  const result = submitDraft(deps.db, submitted);
  if (!result.ok) {
    const now = loadIncident(deps.db, incidentId);
    if (!now) return { ok: false, text: td.notFound(incidentId) };
    // Closed meanwhile (deleted, say): its executors no longer have it, but that is not why.
    if (now.row.state === "closed") {
      const reason = now.row.closedReason;
      const closed = reason ? ti.closed[reason](incidentId) : tr.closed(incidentId);
      return { ok: false, text: td.notSubmittedClosed(closed) };
    }
    // A colleague's draft sent meanwhile cleared this purpose's work, this person's too; a colleague
    // who took the post over took it on.
    const kept = loadDraftWork(deps.db, incidentId, person.id, purpose) !== undefined;
    const lead = leadAssignment(now);
    const taker =
      lead &&
      colleagueWhoTookOver(deps, {
        incidentId,
        organizationId: lead.organizationId,
        personId: person.id,
        since: begunAt,
      });
    if (taker) return { ok: false, text: td.notSubmittedTakenOver(incidentId, taker, kept) };
    if (result.refusal === "forbidden") return { ok: false, text: td.notSubmittedRights(incidentId) };
    const authorId = now.row.state === "on_approval" ? now.answer?.draftAuthorId : undefined;
    const author = authorId != null && authorId !== person.id ? loadPerson(deps.db, authorId) : undefined;
    const state = tr.shortState[now.row.state];
    return { ok: false, text: td.notSubmitted(incidentId, state, kept, author && displayName(author)) };
  }
  await announceEach(deps.log, "draft", () => syncCards(cardDeps(deps, api), result.incident));
  const unseen = await sendToCurators(deps, api, result.incident, person, draft, purpose, fromPrevious);
  const alone = await soleCuratorsDraft(deps, api, result.incident, person);
  const { regulation, workingTime, timezone } = deps.sla;
  // As the card's «Срок:» line: the decision, even once the answer deadline has passed (then said too).
  const next = nextDeadline(result.incident, regulation, workingTime, undefined, now);
  const due = next?.step === "decision" ? formatDeadline(next.at, timezone) : null;
  const answer = answerDeadline(result.incident, regulation, workingTime);
  const missed = due && answer && answer <= now ? { answerMissed: formatDeadline(answer, timezone) } : {};
  return { ok: true, due, ...(unseen ? { unseen } : {}), ...(alone ? { alone } : {}), ...missed };
}

/**
 * Nobody decides on their own draft: one sent by the only curator there is would wait for nobody,
 * so the admins are told to invite another curator — once per post (a rework round's draft is not
 * news to them); Telegram out of reach leaves them untold, and the author is asked to tell them.
 */
async function soleCuratorsDraft(
  deps: AppDeps,
  api: Api,
  incident: Incident,
  person: Person,
): Promise<{ adminsTold: boolean } | undefined> {
  const curators = telegramIdsWithRole(deps.db, "curator");
  if (!hasRole(person, "curator") || curators.some((id) => id !== person.telegramId)) return undefined;
  const key = `sole-curator:${incident.id}`;
  if (noticeClaimed(deps.db, key)) return { adminsTold: true };
  const told = await notifyAdmins(
    { ...deps, api },
    td.curators.alone(incident.id, displayName(person)),
  ).catch((err: unknown) => {
    deps.log.warn({ err, incidentId: incident.id }, "admins not told of the sole curator's draft");
    return 0;
  });
  if (told > 0) claimNotice(deps.db, key, deps.clock.now());
  return { adminsTold: told > 0 };
}

/**
 * Whether a message is to be answered at a step that takes no messages: an album's items come one by
 * one and it is answered once (`albums`: those this step answered already).
 */
function answerOnce(albums: Set<string>, message: Message): boolean {
  const album = message.media_group_id;
  if (album === undefined) return true;
  if (albums.has(album)) return false;
  albums.add(album);
  return true;
}

type Input =
  | { kind: "button"; ctx: Context; data: string }
  | { kind: "message"; ctx: Context; message: Message }
  | { kind: "cancel"; ctx: Context };

/**
 * The next thing the executor does in the dialogue: a press of one of its buttons, a message, or
 * /cancel. Another command leaves the dialogue (and is handled as usual); another card's button,
 * or a command to another bot, passes by to its own handler.
 */
async function nextInput(conversation: Flow): Promise<Input> {
  const ctx = await conversation.wait();
  const data = ctx.callbackQuery?.data;
  if (data?.startsWith("dr.")) return { kind: "button", ctx, data };
  const message = ctx.message;
  if (data !== undefined || !message || aboutTheChat(ctx) || toAnotherBot(message, ctx.me))
    return await conversation.skip({ next: true });
  const text = message.text?.trim();
  if (isCancel(text)) return { kind: "cancel", ctx };
  if (text?.startsWith("/")) return await conversation.halt({ next: true });
  // A reply under another post's card is about that post: it is not this draft's.
  await skipSaidToSomeone(conversation, ctx);
  return { kind: "message", ctx, message };
}

/**
 * A button of this dialogue: answered, and its keyboard taken away so it cannot be pressed twice. A
 * message that can no longer be edited (deleted, too old) keeps them: a later press gets «этот шаг
 * уже пройден».
 */
async function pressed(input: Input & { kind: "button" }): Promise<void> {
  await input.ctx.answerCallbackQuery();
  const message = input.ctx.callbackQuery?.message;
  if (message) await removeButtons(input.ctx, message);
}

async function stale(input: Input & { kind: "button" }): Promise<void> {
  await input.ctx.answerCallbackQuery({ text: td.dialogOver, show_alert: true });
}

/** What the executor may attach, as the draft keeps it; undefined for anything else. */
export function attachmentOf(message: Message): Attachment | undefined {
  const largest = message.photo?.at(-1);
  if (largest) return { type: "photo", fileId: largest.file_id, fileUniqueId: largest.file_unique_id };
  // Telegram sends a GIF with both `animation` and `document`: the animation is what it is.
  const { animation, video, document } = message;
  if (animation)
    return { type: "animation", fileId: animation.file_id, fileUniqueId: animation.file_unique_id };
  if (video) return { type: "video", fileId: video.file_id, fileUniqueId: video.file_unique_id };
  if (document) {
    const named = document.file_name ? { fileName: document.file_name } : {};
    return { type: "document", fileId: document.file_id, fileUniqueId: document.file_unique_id, ...named };
  }
  return undefined;
}

/**
 * Whether the button was pressed under the rework notice, which has just shown the curator's comment;
 * opened elsewhere (the card, «Начать» in the private chat), the dialogue shows it once.
 */
function shownAbove(ctx: Context, comment: string): boolean {
  return ctx.callbackQuery?.message?.text?.includes(ta.rework.commentLine(comment)) ?? false;
}

/**
 * A saved partial draft, the one returned for rework or, for the final answer, the answer's earlier
 * one: go on from it, or start from nothing.
 */
async function startingPoint(
  conversation: Flow,
  ctx: Context,
  id: number,
  start: Opening,
): Promise<Content | "cancel"> {
  const empty: Content = { text: null, attachments: [] };
  const base = start.saved ?? start.returned ?? start.previous;
  if (!base) return empty;
  const [button, offer] = start.saved
    ? [td.button.resume, td.resumeOffer(id, base.text, base.attachments.length)]
    : start.returned
      ? [td.button.reworkPrevious, td.reworkOffer(id, base.attachments.length)]
      : [td.button.takePrevious, td.previousOffer(id, base.attachments)];
  const keyboard = new InlineKeyboard()
    .text(button, cb("dr.resume", id))
    .row()
    .text(td.button.restart, cb("dr.restart", id));
  const offered = await ctx.reply(offer, { reply_markup: keyboard });
  const albums = new Set<string>();
  for (;;) {
    const input = await nextInput(conversation);
    if (input.kind === "cancel") return "cancel";
    if (input.kind === "message") {
      if (answerOnce(albums, input.message)) await input.ctx.reply(td.chooseAbove);
      continue;
    }
    // Only this offer's: an earlier dialogue's may have offered another base (a saved draft, not the returned one).
    const choice = input.data === cb("dr.resume", id) || input.data === cb("dr.restart", id);
    if (!choice || !pressedOn(input.ctx, offered)) {
      await stale(input);
      continue;
    }
    await pressed(input);
    return input.data === cb("dr.resume", id) ? { text: base.text, attachments: base.attachments } : empty;
  }
}

type Step = "done" | "cancel";

export function draftFlow(deps: AppDeps) {
  return async function draftDialog(
    conversation: Flow,
    ctx: Context,
    incidentId: number,
    purpose: DraftPurpose = "answer",
  ): Promise<void> {
    const start = await conversation.external((outer) => opening(deps, incidentId, outer.person, purpose));
    if (typeof start === "string") {
      await ctx.reply(start);
      return;
    }
    const id = incidentId;
    aboutPost(conversation, id);
    const content: Content = { text: null, attachments: [] };
    let kept = start.saved !== null;
    let fromPrevious = false;
    const save = async () => {
      kept = true;
      const saved = { attachments: content.attachments, text: content.text };
      await conversation.external(() =>
        saveDraftWork(deps.db, {
          incidentId,
          personId: start.personId,
          purpose,
          content: saved,
          fromPrevious,
          now: deps.clock.now(),
        }),
      );
    };
    const leave = async () => {
      await ctx.reply(td.cancelled(id, kept, start.button));
    };

    // A draft begun afresh starts from what the co-executors gave, however long ago it reached the
    // organization's chat: each part with its files, as the chat had it.
    if (!start.saved && !start.returned && start.parts.length > 0) {
      const chatId = ctx.chat?.id;
      await ctx.reply(td.partsToUse(id, start.parts.length));
      await conversation.external(async (outer) => {
        if (chatId === undefined) return;
        for (const part of start.parts) {
          const text = tr.part.notice(id, part.organization, part.text);
          await sendDraft(outer.api, chatId, { text, attachments: part.attachments }).catch((err: unknown) =>
            outer.log.warn({ err, incidentId: id }, "a co-executor's part not shown in the draft dialogue"),
          );
        }
      });
    }
    if (start.repeat) {
      const { repeat } = start;
      await ctx.reply(td.repeatOf(repeat.id, repeat.links, repeat.text), {
        link_preview_options: { is_disabled: true },
      });
    }
    const comment = start.returned?.comment;
    if (comment && !shownAbove(ctx, comment)) await ctx.reply(td.reworkComment(comment));
    const base = await startingPoint(conversation, ctx, id, start);
    if (base === "cancel") return await leave();
    content.text = base.text;
    content.attachments = [...base.attachments];
    if (base.text !== null) await showTextToCopy(ctx, start.kind, base.text);
    // The final answer begun from the answer's earlier draft, now or before its work was saved: the
    // curators are shown what changed since.
    fromPrevious = start.saved
      ? start.saved.fromPrevious && base.text !== null
      : !start.returned && !!start.previous && base.text !== null;
    // «Начать заново» over a saved draft drops it at once: left now, nothing of it is kept.
    if (start.saved && base.text === null && base.attachments.length === 0) {
      await conversation.external(() => dropDraftWork(deps.db, incidentId, start.personId, purpose));
      kept = false;
    }
    // Text from a saved or returned draft: a file's caption at the attachments step replaces it, once;
    // after that, or once a typed text replaced it, the text is this dialogue's own (see collectAttachments).
    const textKept = { value: content.text !== null };

    // An album whose caption gave the text: its other items add to it at the attachments step.
    let album: Album | undefined;
    let collect = true;
    if (content.text === null) {
      const written = await askText(conversation, ctx, id, start.kind, content, save, start);
      if (written === undefined) return await leave();
      album = written.album;
      // Another post's approved answer taken: straight to the preview, its text kept as a saved one's.
      if (written.taken) {
        collect = false;
        textKept.value = true;
      }
      await save();
    }
    /** A file sent at the preview: the attachments step begins with it. */
    let first: MessageInput | undefined;
    for (;;) {
      if (
        collect &&
        (await collectAttachments(
          conversation,
          ctx,
          id,
          start.kind,
          content,
          save,
          textKept,
          album,
          first,
        )) === "cancel"
      )
        return await leave();
      collect = false;
      album = undefined;
      first = undefined;
      const draft = { text: content.text ?? "", attachments: content.attachments };
      const choice = await preview(conversation, ctx, id, start, draft);
      if (typeof choice !== "string") {
        first = choice.attach;
        collect = true;
        continue;
      }
      if (choice === "cancel") return await leave();
      if (choice === "send") break;
      if (choice === "text") {
        const written = await askText(conversation, ctx, id, start.kind, content, save);
        if (written === undefined) return await leave();
        textKept.value = false;
        // A captioned album: its other items are still to come, at the attachments step.
        album = written.album;
        collect = album !== undefined;
      } else {
        content.attachments = [];
        await ctx.reply(td.attachmentsRemoved);
        collect = true;
      }
      await save();
    }

    const draft = { text: content.text ?? "", attachments: content.attachments };
    const outcome = await conversation.external((outer) =>
      submit(
        deps,
        outer.api,
        outer.person,
        incidentId,
        draft,
        purpose,
        fromPrevious,
        new Date(start.begunAt ?? 0),
      ),
    );
    await ctx.reply(
      outcome.ok
        ? td.submitted(id, outcome.due, outcome.unseen, outcome.alone, outcome.answerMissed)
        : outcome.text,
    );
  };
}

interface Album {
  groupId: string;
  count: number;
}

/**
 * The answer's text, into `content`: one message of at most 4096 characters, or a photo's or an
 * album's caption, or — one tap — the text and files of a related post's approved answer offered
 * with the question (`taken`). Photos and files sent before it are kept as attachments (one reply
 * per album); undefined when the executor cancels, else the album the text came with, if any.
 */
async function askText(
  conversation: Flow,
  ctx: Context,
  id: number,
  kind: DraftKind,
  content: Content,
  /** Keeps what was sent so far: files sent before the text are not lost with the dialogue. */
  save: () => Promise<void>,
  /** The co-executors' parts not come yet and the related posts' approved answers, said with the question. */
  { awaited = [], same = [] }: { awaited?: string[]; same?: SameAnswer[] } = {},
): Promise<{ album?: Album; taken?: true } | undefined> {
  const ask = [td.askText(id, kind)];
  if (awaited.length > 0) ask.push(td.partsAwaited(awaited));
  if (same.length > 0) ask.push(td.sameAnswers(same));
  const offers = new InlineKeyboard();
  for (const offer of same)
    offers.text(td.button.sameText(offer.incidentId), cb("dr.same", id, offer.incidentId)).row();
  const asked = await ctx.reply(
    ask.join("\n"),
    same.length > 0 ? { reply_markup: offers, link_preview_options: { is_disabled: true } } : {},
  );
  let album: Album | undefined;
  for (;;) {
    const input = await nextInput(conversation);
    if (input.kind === "cancel") return undefined;
    if (input.kind === "button") {
      const offer = same.find((answer) => input.data === cb("dr.same", id, answer.incidentId));
      if (offer && pressedOn(input.ctx, asked)) {
        await pressed(input);
        content.text = offer.text;
        for (const attachment of offer.attachments)
          if (!attachmentRefusal(content, attachment)) content.attachments.push(attachment);
        return { taken: true };
      }
      await stale(input);
      continue;
    }
    const { message } = input;
    const attachment = attachmentOf(message);
    // A voice note, a sticker, a location…: nothing to attach (at any step), and a caption is no text.
    if (!attachment && message.text === undefined) {
      await input.ctx.reply(`${td.cannotAttach} ${td.textNeeded(kind)}`);
      continue;
    }
    const groupId = message.media_group_id;
    const refused = attachment && attachmentRefusal(content, attachment);
    const text = (message.text ?? message.caption)?.trim();
    if (attachment && !refused) {
      content.attachments.push(attachment);
      album =
        groupId === undefined
          ? undefined
          : { groupId, count: album?.groupId === groupId ? album.count + 1 : 1 };
      // With its caption the text comes too, and the caller saves both.
      if (!text) await save();
    }
    if (!text) {
      // An album's items come one by one: it is answered once.
      if (!attachment) await input.ctx.reply(td.textNeeded(kind));
      else if (refused) await input.ctx.reply(refused);
      else if (groupId === undefined || album?.count === 1) await input.ctx.reply(td.keptBeforeText(kind));
      continue;
    }
    if (text.length > DRAFT_TEXT_LIMIT) {
      await input.ctx.reply(td.tooLong(text.length));
      continue;
    }
    // A post's link alone is no answer's text: most likely another answer's link, pasted here.
    if (!attachment && isLinkAlone(text)) {
      await input.ctx.reply(td.linkAsText(kind));
      continue;
    }
    content.text = text;
    // Written anew: the approved answers offered are passed over.
    if (same.length > 0) await removeButtons(ctx, asked);
    return album && album.groupId === groupId ? { album } : {};
  }
}

const isLinkAlone = (text: string) => !/\s/.test(text) && parseSourceLink(text).ok;

/** Why this attachment is not added (it is already, or the draft has as many as it may), if it is not. */
function attachmentRefusal(content: Content, attachment: Attachment): string | undefined {
  if (content.attachments.some((a) => a.fileUniqueId === attachment.fileUniqueId)) return td.duplicate;
  if (content.attachments.length >= MAX_ATTACHMENTS) return td.tooMany(MAX_ATTACHMENTS);
  return undefined;
}

/**
 * Photos, videos, documents and GIFs until «Готово». An album comes as several messages with one
 * media_group_id: it is confirmed by one message, edited as its items arrive. Only the latest
 * confirmation keeps the «Готово» button. A text typed here, the draft having one already, may be
 * a correction (Telegram's edits are not seen: the bot asks for the corrected text anew), the whole
 * text rewritten, its next part sent apart, one sentence of it corrected, or a slip: the executor
 * chooses «Заменить текст» or «Дописать к тексту» (a joined text over 4096 characters is refused as
 * too long); ignored, it changes nothing. Texts typed one after another before he chooses wait
 * together, in order, and the choice takes them all: none is dropped unsaid («Готово» pressed while
 * they wait asks for the choice; pressed again, it leaves them out). A file's caption
 * replaces a text taken from a saved or returned draft (`textKept`) while no typed text waits.
 */
async function collectAttachments(
  conversation: Flow,
  ctx: Context,
  id: number,
  kind: DraftKind,
  content: Content,
  save: () => Promise<void>,
  /** Whether the text is a saved or returned draft's, not yet replaced: cleared once it is. */
  textKept: { value: boolean },
  /** The album whose caption was the text: its next items confirm as the same album. */
  captioned?: Album,
  /** A file sent at the preview: taken as the first message here. */
  first?: MessageInput,
): Promise<Step> {
  const keyboard = () =>
    new InlineKeyboard().text(td.button.done, cb("dr.done", id)).text(td.button.cancel, cb("dr.cancel", id));
  let holder = await ctx.reply(td.askAttachments(content.attachments.length, textKept.value), {
    reply_markup: keyboard(),
  });
  let album = captioned && { ...captioned };
  /** The texts typed since the last choice, in order, waiting for «Заменить текст» or «Дописать к тексту». */
  let offered: { message: Message; texts: string[]; told?: boolean } | undefined;
  const setText = async (text: string, said: string) => {
    content.text = text;
    textKept.value = false;
    await save();
    await removeButtons(ctx, holder);
    holder = await ctx.reply(said, { reply_markup: keyboard() });
    album = undefined;
  };
  for (;;) {
    const input = first ?? (await nextInput(conversation));
    first = undefined;
    if (input.kind === "cancel") return "cancel";
    if (input.kind === "button") {
      const choice = input.data === cb("dr.done", id) || input.data === cb("dr.cancel", id);
      if (choice && pressedOn(input.ctx, holder)) {
        // «Готово» would drop the typed texts: told so once, a second press leaves them out.
        if (input.data === cb("dr.done", id) && offered && !offered.told) {
          await input.ctx.answerCallbackQuery();
          await input.ctx.reply(td.textsWaiting(offered.texts.length));
          offered.told = true;
          continue;
        }
        await pressed(input);
        return input.data === cb("dr.done", id) ? "done" : "cancel";
      }
      const use =
        input.data === cb("dr.replace", id)
          ? "replace"
          : input.data === cb("dr.append", id)
            ? "append"
            : undefined;
      if (use && offered && pressedOn(input.ctx, offered.message)) {
        await pressed(input);
        const typed = offered.texts.join("\n");
        const text = use === "append" ? `${content.text ?? ""}\n${typed}` : typed;
        offered = undefined;
        if (text.length > DRAFT_TEXT_LIMIT) await ctx.reply(td.tooLong(text.length));
        else await setText(text, use === "append" ? td.textAppended(kind) : td.textReplaced(kind));
        continue;
      }
      await stale(input);
      continue;
    }
    const { message } = input;
    const attachment = attachmentOf(message);
    const text = message.text?.trim();
    if (!attachment && text) {
      if (text.length > DRAFT_TEXT_LIMIT) await input.ctx.reply(td.tooLong(text.length));
      // A post's link alone is no answer's text: most likely another answer's link, pasted here.
      else if (isLinkAlone(text)) await input.ctx.reply(td.linkNotText(kind));
      else {
        // One question for all the texts waiting: the earlier one's buttons would take only its own.
        if (offered) await removeButtons(ctx, offered.message);
        const texts = [...(offered?.texts ?? []), text];
        const choose = new InlineKeyboard()
          .text(td.button.replaceText(texts.length), cb("dr.replace", id))
          .row()
          .text(td.button.appendText(texts.length), cb("dr.append", id));
        const message = await input.ctx.reply(td.secondText(kind, texts.length), { reply_markup: choose });
        offered = { message, texts };
      }
      continue;
    }
    if (!attachment) {
      await input.ctx.reply(td.cannotAttach);
      continue;
    }
    const refused = attachmentRefusal(content, attachment);
    if (refused) {
      await input.ctx.reply(refused);
      continue;
    }
    content.attachments.push(attachment);
    // A caption is a text too: it replaces a kept one unless typed texts wait for the choice, which
    // decides the text then; never dropped unsaid.
    const caption = message.caption?.trim();
    const replaces = !!caption && textKept.value && !offered && caption.length <= DRAFT_TEXT_LIMIT;
    if (replaces) {
      content.text = caption;
      textKept.value = false;
    }
    await save();
    if (caption) await input.ctx.reply(replaces ? td.captionReplaced(kind) : td.captionNotTaken(kind));
    const total = content.attachments.length;
    const groupId = message.media_group_id;
    if (groupId !== undefined && album?.groupId === groupId) {
      album.count++;
      if (await editAlbumConfirmation(ctx, holder, td.albumReceived(album.count, total), keyboard()))
        continue;
    }
    await removeButtons(ctx, holder);
    const count = groupId !== undefined && album?.groupId === groupId ? album.count : 1;
    const confirmation = groupId !== undefined ? td.albumReceived(count, total) : td.received(total);
    holder = await input.ctx.reply(confirmation, { reply_markup: keyboard() });
    album = groupId !== undefined ? { groupId, count } : undefined;
  }
}

/**
 * The text the dialogue starts from, as a block one tap copies whole: on a phone, a sentence is
 * corrected by copying the text, editing it and sending it back. Telegram's copy button (`copy_text`)
 * takes up to 256 characters, short of most answers; a `pre` block takes the whole message.
 */
async function showTextToCopy(ctx: Context, kind: DraftKind, text: string): Promise<void> {
  const titled = `${td.textToCopy(kind)}\n${text}`;
  const shown = titled.length <= DRAFT_TEXT_LIMIT ? titled : text;
  await ctx.reply(shown, {
    entities: [{ type: "pre", offset: shown.length - text.length, length: text.length }],
  });
}

/** One confirmation per album, edited as its items arrive; false when it can no longer be edited. */
async function editAlbumConfirmation(
  ctx: Context,
  holder: Message,
  text: string,
  keyboard: InlineKeyboard,
): Promise<boolean> {
  try {
    await ctx.api.editMessageText(holder.chat.id, holder.message_id, text, { reply_markup: keyboard });
    return true;
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    return false;
  }
}

type Choice = "send" | "text" | "clear" | "cancel";
type MessageInput = Input & { kind: "message" };

/** The draft exactly as the curators will get it, with what to do next under it. */
async function preview(
  conversation: Flow,
  ctx: Context,
  id: number,
  { header, kind }: { header: string; kind: DraftKind },
  draft: DraftView,
): Promise<Choice | { attach: MessageInput }> {
  const plan = albumPlan(draft.attachments);
  const notes = [td.previewTitle];
  const visual = draft.attachments.filter((a) => a.type === "photo" || a.type === "video").length;
  const documents = draft.attachments.filter((a) => a.type === "document").length;
  if (visual > ALBUM_LIMIT || documents > ALBUM_LIMIT)
    notes.push(td.severalAlbums(plan.map((group) => group.length)));
  if (visual > 0 && documents > 0) notes.push(td.documentsApart);
  const keyboard = new InlineKeyboard().text(td.button.send, cb("dr.send", id)).row();
  keyboard.text(td.button.editText, cb("dr.text", id));
  if (draft.attachments.length > 0) keyboard.text(td.button.removeAttachments, cb("dr.clear", id));
  keyboard.row().text(td.button.cancel, cb("dr.cancel", id));
  const shown = await sendDraft(ctx.api, ctx.chat?.id ?? 0, draft, {
    header: `${notes.join("\n")}\n\n${header}`,
    caption: td.curators.attachments(id, kind, draft.attachments.length),
    keyboard,
  });
  const choices: Record<string, Choice> = {
    [cb("dr.send", id)]: "send",
    [cb("dr.text", id)]: "text",
    [cb("dr.clear", id)]: "clear",
    [cb("dr.cancel", id)]: "cancel",
  };
  const albums = new Set<string>();
  for (;;) {
    const input = await nextInput(conversation);
    if (input.kind === "cancel") return "cancel";
    if (input.kind === "message") {
      // A file forgotten till now is added, as at the attachments step, which takes over from here.
      if (attachmentOf(input.message)) return { attach: input };
      const typed = input.message.text !== undefined;
      if (answerOnce(albums, input.message))
        await input.ctx.reply(typed ? td.previewTextHint : td.usePreviewButtons);
      continue;
    }
    // Only this preview's buttons: «Отправить» under an earlier one (the answer's, left when
    // «Промежуточный ответ» was opened) must not send the draft shown now.
    const choice = pressedOn(input.ctx, shown) ? choices[input.data] : undefined;
    if (choice === undefined) {
      await stale(input);
      continue;
    }
    await pressed(input);
    return choice;
  }
}

/**
 * The colleague, by name, who took this person's post (or part: `organizationId`'s) over with
 * «Взять себе» since `since` — the dialogue's start — if one did: its sending is then refused.
 */
export function colleagueWhoTookOver(
  deps: AppDeps,
  input: { incidentId: number; organizationId: number; personId: number; since: Date },
): string | undefined {
  const taker = takenOverFrom(deps.db, input);
  const colleague = taker !== undefined ? loadPerson(deps.db, taker) : undefined;
  return colleague ? displayName(colleague) : undefined;
}
