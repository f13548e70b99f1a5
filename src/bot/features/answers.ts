import { createConversation } from "@grammyjs/conversations";
import { markQuality } from "../../app/answer-queries.js";
import { approveAndClaim, approveDraft, openClaim, recordCuratorPosting } from "../../app/answers.js";
import { alreadyMadeByThisUpdate } from "../../app/audit.js";
import { reachableCuratorChats } from "../../app/chats.js";
import { type Incident, loadIncident, passOnPart, releaseTurn } from "../../app/incidents.js";
import { nobodyToPost } from "../../app/people.js";
import { displayName, hasRole, type Person } from "../../domain/access.js";
import { assignmentsOf, partNamed, publishAction } from "../../domain/incident.js";
import { findLinks } from "../../domain/source-link.js";
import {
  type AnswerAction,
  approvedDraft,
  linkFlow,
  partRefusal,
  partRefusalNow,
  partReturnFlow,
  refusalNow,
  refusalText,
  reworkFlow,
  rulesOf,
  tell,
  tellCoexecutorPassedOn,
  tellCuratorsOfPartOnApproval,
  tellLeadOfPart,
  tellToPost,
} from "../../flows/answers.js";
import { ANSWER_WINDOW_MS } from "../../flows/ask.js";
import { handTurnOn } from "../../flows/incident-answers.js";
import { afterTurn } from "../after-turn.js";
import { ID, onAction } from "../callback-data.js";
import { isCard, syncCards } from "../cards.js";
import { Features } from "../composer.js";
import type { AppDeps, BotContext } from "../context.js";
import { announceEach, cardDeps, sendLong } from "../delivery.js";
import { LINK_DIALOG, openDialog } from "../dialogs.js";
import { sendAttachments } from "../draft-view.js";
import { refuse } from "../refuse.js";
import { t } from "../texts.js";
import { type LinkKind, ta } from "../texts-answers.js";
import { tr } from "../texts-incidents.js";

const DIALOGS = { rework: "answer.rework", link: LINK_DIALOG, partReturn: "part.return" } as const;

const popup = (ctx: BotContext, text: string) => ctx.answerCallbackQuery({ text, show_alert: true });

/** The curator's decision on a draft, the quality mark, and the links of what was posted in the network. */
export function answersFeature(deps: AppDeps): Features<BotContext> {
  const composer = new Features<BotContext>();
  composer.use(createConversation(reworkFlow(deps), DIALOGS.rework));
  composer.use(createConversation(linkFlow(deps), DIALOGS.link));
  composer.use(createConversation(partReturnFlow(deps), DIALOGS.partReturn));

  // Buttons sent before drafts were named decide on the latest draft.
  for (const args of [[ID, ID], [ID]]) {
    composer.callbackQuery(onAction("inc.ok", args), (ctx) => approve(ctx, ...draftButton(ctx.match)));
    composer.callbackQuery(onAction("inc.okself", args), (ctx) =>
      approvePostSelf(ctx, ...draftButton(ctx.match)),
    );
    composer.callbackQuery(onAction("inc.rework", args), (ctx) =>
      startDialog(ctx, Number(ctx.match[1]), "requestRework", { draftId: draftButton(ctx.match)[1] }),
    );
  }
  composer.callbackQuery(onAction("inc.q", [ID, ID, "[1-5]"]), (ctx) =>
    quality(ctx, Number(ctx.match[1]), Number(ctx.match[3]), Number(ctx.match[2])),
  );
  // Sent before the marks named their draft: the latest approved one.
  composer.callbackQuery(onAction("inc.q", [ID, "[1-5]"]), (ctx) =>
    quality(ctx, Number(ctx.match[1]), Number(ctx.match[2])),
  );
  composer.callbackQuery(onAction("inc.pub", [ID]), (ctx) =>
    startDialog(ctx, Number(ctx.match[1]), "publish"),
  );
  composer.callbackQuery(onAction("inc.pubself", [ID]), (ctx) => postSelf(ctx, Number(ctx.match[1])));
  composer.callbackQuery(onAction("inc.files", [ID]), (ctx) => sendApprovedFiles(ctx, Number(ctx.match[1])));
  // «Ответ на № N размещён» under a link an executor sent unasked (intake.ts): that link is the answer's.
  composer.callbackQuery(onAction("inc.publink", [ID]), (ctx) =>
    startDialog(ctx, Number(ctx.match[1]), "publish", { offered: linkAnswered(ctx) }),
  );
  // Buttons sent before parts could be returned do not name the version.
  for (const args of [
    [ID, ID, ID],
    [ID, ID],
  ]) {
    composer.callbackQuery(onAction("inc.passon", args), (ctx) => passOn(ctx, partButton(ctx.match)));
    composer.callbackQuery(onAction("inc.partrw", args), (ctx) =>
      startPartReturn(ctx, partButton(ctx.match)),
    );
  }
  composer.callbackQuery(onAction("inc.turn", [ID, ID]), (ctx) =>
    releaseTurnNow(ctx, Number(ctx.match[1]), Number(ctx.match[2])),
  );
  composer.callbackQuery(/^aw\./, (ctx) =>
    popup(ctx, ctx.chat?.type === "private" ? ta.dialogOver : t.othersDialog),
  );
  return composer;
}

/** A curator's button on a co-executor's part: the incident, the part, and which sending of it. */
interface PartButton {
  id: number;
  assignmentId: number;
  version: number | undefined;
}

function partButton(match: string | RegExpMatchArray): PartButton {
  return {
    id: Number(match[1]),
    assignmentId: Number(match[2]),
    version: match[3] === undefined ? undefined : Number(match[3]),
  };
}

/** A curator's decision button on a draft: the incident and, on newer buttons, the draft itself. */
function draftButton(match: string | RegExpMatchArray): [id: number, draftId: number | undefined] {
  return [Number(match[1]), match[2] === undefined ? undefined : Number(match[2])];
}

/**
 * «Согласовать»: one tap; of two curators pressing at once exactly one approves. Pressed under an
 * earlier draft after a new one came, it approves nothing and says so.
 */
async function approve(ctx: BotContext, id: number, draftId: number | undefined) {
  const { app } = ctx;
  if (!ctx.person) return refuse(ctx);
  const result = approveDraft(app.db, { incidentId: id, actor: ctx.person, now: app.clock.now(), draftId });
  if (!result.ok && result.refusal === "changed") return popup(ctx, ta.approve.stale(id));
  if (!result.ok) return popup(ctx, refusalNow(app, id, "approve", ctx.person));
  // Made: the chat's next press need not wait for the announcement.
  afterTurn(ctx, "approval", () => announceApproval(ctx, result.incident));
}

/**
 * «Согласовать и разместить лично» (Georgievsk p.12): the approval and «Размещу лично» in one tap,
 * made together, so the executors hear once that the curator posts it — never first that they are to.
 * The press is answered by the link question, as «Размещу лично» is. Of two curators pressing at
 * once one approves; a double tap is pointed to the question asked.
 */
async function approvePostSelf(ctx: BotContext, id: number, draftId: number | undefined) {
  const { app } = ctx;
  const curator = ctx.person;
  if (!curator) return refuse(ctx);
  const { curatorMayPublish } = app.sla.regulation;
  if (!curatorMayPublish.value) return popup(ctx, ta.publish.curatorMayNot(curatorMayPublish.clause));
  const now = app.clock.now();
  const result = approveAndClaim(app.db, { incidentId: id, actor: curator, now, draftId });
  if (!result.ok && result.refusal === "changed") return popup(ctx, ta.approve.stale(id));
  if (!result.ok) {
    const claim = result.refusal === "forbidden" ? undefined : openClaim(app.db, id, now, ANSWER_WINDOW_MS);
    if (claim?.event.actorId === curator.id && ctx.conversation.active(DIALOGS.link) > 0)
      return ctx.answerCallbackQuery({ text: t.dialogOpen });
    if (claim && claim.event.actorId !== curator.id)
      return popup(ctx, ta.publish.otherCuratorPosts(id, claim.curator ? displayName(claim.curator) : ""));
    return popup(ctx, refusalNow(app, id, "approve", curator));
  }
  // Approved and claimed: announced even should the question not open (the claim's sweep follows it up).
  const kind = result.incident.answer?.draftKind ?? "answer";
  await tellCuratorPosts(ctx, result.incident, ta.approve.curatorPosts(id, kind, displayName(curator)));
  await startDialog(ctx, id, "publish", { curatorPosts: true });
  afterTurn(ctx, "approval", () => announceApproval(ctx, result.incident, curator));
}

/**
 * The executors hear that the curator posts the answer within the press's turn, not after it: the
 * chat's next update, a /cancel of the link question that hands the posting back to them, waits for
 * it, so they never get the stale notice after the handback.
 */
async function tellCuratorPosts(ctx: BotContext, incident: Incident, notice: string) {
  const to = { organization: true, holder: true, except: ctx.chat?.id, once: "curator-posts" };
  await announceEach(ctx.log, "curator posts", () => tell(ctx.app, ctx.api, incident, notice, to));
}

/**
 * `poster`: the curator who approved it to post it himself; the press was answered by his link question,
 * and the executors were told in its turn (tellCuratorPosts).
 */
async function announceApproval(ctx: BotContext, incident: Incident, poster?: Person) {
  const { app } = ctx;
  const { id } = incident;
  const kind = incident.answer?.draftKind ?? "answer";
  // The chats are told side by side; the notice comes after the card so it is the newest message.
  // Neither of the two may keep the executor from hearing that the answer is approved. The sync puts
  // the optional quality marks under the draft, where the curator decided (see retireDecidedDrafts).
  const first = await Promise.allSettled([
    poster ? undefined : ctx.answerCallbackQuery({ text: ta.approve.done(id, kind) }),
    syncCards(cardDeps(app, ctx.api), incident),
  ]);
  if (!poster) {
    const curatorsTold = await tellToPost(app, ctx.api, incident);
    await tellNobodyToPost(ctx, incident, curatorsTold);
  }
  // The approval is made and announced: a failed side message is the operators' to see, not the curator's.
  for (const failed of first) {
    if (failed.status === "rejected")
      ctx.log.error({ err: failed.reason }, "approval: an announcement failed");
  }
}

/**
 * The curator who approved an answer the lead organization has nobody to post (see nobodyToPost)
 * hears so where he pressed: the notice went to a work chat where nobody can act on it. The curators'
 * chat told the notice instead of the organization (`curatorsTold`) hears no second message: its card
 * says the same.
 */
async function tellNobodyToPost(ctx: BotContext, incident: Incident, curatorsTold: boolean) {
  const lead = nobodyToPost(ctx.app.db, incident);
  const chatId = ctx.chat?.id;
  if (!lead || chatId === undefined) return;
  if (curatorsTold && reachableCuratorChats(ctx.app.db).includes(chatId)) return;
  const kind = incident.answer?.draftKind ?? "answer";
  const { curatorMayPublish } = ctx.app.sla.regulation;
  const text = ta.approve.nobodyToPost(incident.id, kind, lead.organizationName, curatorMayPublish.value);
  await sendLong(ctx.app, ctx.api, chatId, text, undefined, { once: "nobody-to-post" });
}

/**
 * «Вложения» under the approval notice: the approved draft's photos, videos and files, sent to the
 * chat it was pressed in, for whoever posts the answer. Curators and the executors of an
 * organization that has the post may ask; only while the answer waits to be posted.
 */
async function sendApprovedFiles(ctx: BotContext, id: number) {
  const incident = loadIncident(ctx.app.db, id);
  const person = ctx.person;
  if (!person) return refuse(ctx);
  if (!incident) return popup(ctx, tr.notFoundNumber(id));
  if (!hasRole(person, "curator") && assignmentsOf(incident, person).length === 0)
    return popup(ctx, ta.approve.filesNotYours(id));
  const draft = approvedDraft(ctx.app.db, incident);
  const chatId = ctx.chat?.id;
  if (!draft || draft.attachments.length === 0 || chatId === undefined)
    return popup(ctx, ta.approve.noFiles(id));
  // A double tap (or two colleagues at once) sends them once; asked again later, they come again.
  const now = ctx.app.clock.now().getTime();
  const filesSent = filesSentBy.get(ctx.app) ?? new Map<string, number>();
  filesSentBy.set(ctx.app, filesSent);
  for (const [key, at] of filesSent) if (now - at >= FILES_AGAIN_MS) filesSent.delete(key);
  const key = `${chatId}:${id}`;
  if (filesSent.has(key)) return ctx.answerCallbackQuery({ text: ta.approve.filesJustSent });
  filesSent.set(key, now);
  await ctx.answerCallbackQuery({ text: ta.approve.filesSent });
  await sendAttachments(ctx.api, chatId, draft.attachments, ta.approve.filesCaption(id));
}

/** When each chat was last sent a post's approved files (see sendApprovedFiles), by bot. */
const filesSentBy = new WeakMap<AppDeps, Map<string, number>>();
const FILES_AGAIN_MS = 30_000;

/**
 * «Не ждать очереди: <организация>»: a curator gives the post to the next co-executor now (Orenburg
 * p.14); the one before it still owes its part. Of two curators pressing at once, one passes it.
 */
async function releaseTurnNow(ctx: BotContext, id: number, assignmentId: number) {
  const { app } = ctx;
  if (!ctx.person) return refuse(ctx);
  const result = releaseTurn(app.db, {
    incidentId: id,
    assignmentId,
    actor: ctx.person,
    now: app.clock.now(),
  });
  if (!result.ok) {
    if (result.refusal === "not_found") return popup(ctx, tr.notFoundNumber(id));
    return popup(ctx, result.refusal === "forbidden" ? tr.accept.turnNotCurator : tr.accept.turnGone(id));
  }
  const incident = result.incident;
  const turn = incident.assignments.find((a) => a.id === assignmentId);
  afterTurn(ctx, "release-turn", async () => {
    const announced = await Promise.allSettled([
      ctx.answerCallbackQuery({
        text: tr.accept.turnReleased(id, turn ? (turn.organizationShortName ?? turn.organizationName) : ""),
      }),
      handTurnOn(app, ctx.api, incident, result.before),
    ]);
    for (const failed of announced) {
      if (failed.status === "rejected") ctx.log.error({ err: failed.reason }, "turn: an announcement failed");
    }
  });
}

/**
 * «Согласовать и передать»: a curator passes a co-executor's part on to the lead organization
 * (Georgievsk p.18): its chat and the executor holding the post get it, and the co-executor hears it
 * went; with the answer's draft waiting for the curators, they and the lead hear it lacks the part.
 * The button names the part (its assignment), so a part sent again after a re-routing needs its own
 * tap. Of two curators pressing at once, one passes it; the other is told.
 */
async function passOn(ctx: BotContext, { id, assignmentId, version }: PartButton) {
  const { app } = ctx;
  if (!ctx.person) return refuse(ctx);
  const result = passOnPart(app.db, {
    incidentId: id,
    assignmentId,
    version,
    actor: ctx.person,
    now: app.clock.now(),
    rules: rulesOf(app),
  });
  if (!result.ok) return popup(ctx, partRefusalNow(app, id, assignmentId, version, ctx.person));
  const incident = result.incident;
  const pressed = ctx.callbackQuery?.message;
  // The notice's button is spent; a card's buttons are the sync's to set.
  const onNotice = pressed && !isCard(app.db, id, pressed.chat.id, pressed.message_id);
  // A part kept through a routing again is in a new assignment, with the same sending.
  const part = partNamed(incident, assignmentId)?.id ?? assignmentId;
  afterTurn(ctx, "pass-on", async () => {
    const announced = await Promise.allSettled([
      ctx.answerCallbackQuery({ text: tr.part.passedOn(id) }),
      onNotice ? ctx.editMessageReplyMarkup() : Promise.resolve(),
      handTurnOn(app, ctx.api, incident, result.before),
      tellLeadOfPart(app, ctx.api, incident, part),
      tellCuratorsOfPartOnApproval(app, ctx.api, incident, part),
      tellCoexecutorPassedOn(app, ctx.api, incident, part),
    ]);
    for (const failed of announced) {
      if (failed.status === "rejected")
        ctx.log.error({ err: failed.reason }, "pass-on: an announcement failed");
    }
  });
}

/**
 * «На доработку: <орган>» on a co-executor's part: rights and state first, so a refusal is a pop-up;
 * then the comment is asked for. Pressed on a notice, the notice loses its buttons once it is done.
 */
async function startPartReturn(ctx: BotContext, { id, assignmentId, version }: PartButton) {
  const { app } = ctx;
  const incident = loadIncident(app.db, id);
  if (!incident) return popup(ctx, tr.notFoundNumber(id));
  const refusal = partRefusal(app, incident, assignmentId, version, ctx.person);
  if (refusal) return popup(ctx, refusal);
  const pressed = ctx.callbackQuery?.message;
  const notice =
    pressed && !isCard(app.db, id, pressed.chat.id, pressed.message_id)
      ? { chatId: pressed.chat.id, messageId: pressed.message_id }
      : undefined;
  await openDialog(ctx, DIALOGS.partReturn, id, assignmentId, version ?? null, ...(notice ? [notice] : []));
}

async function quality(ctx: BotContext, id: number, mark: number, draftId?: number) {
  const { app } = ctx;
  if (!ctx.person) return refuse(ctx);
  const result = markQuality(app.db, {
    incidentId: id,
    actor: ctx.person,
    now: app.clock.now(),
    quality: mark,
    draftId,
  });
  if (!result.ok)
    return popup(ctx, result.refusal === "not_decider" ? ta.quality.notDecider : ta.quality.notApproved);
  await ctx.answerCallbackQuery({ text: ta.quality.thanks(mark) });
  // The marks come off the draft (or a private offer sent before they moved there): the pop-up said
  // it. A card's buttons are the sync's to set.
  const pressed = ctx.callbackQuery?.message;
  if (pressed && !isCard(app.db, id, pressed.chat.id, pressed.message_id)) await ctx.editMessageReplyMarkup();
}

const LINK_KINDS: Partial<Record<AnswerAction, LinkKind>> = {
  publish: "publish",
  publishInterim: "interim",
  askClarification: "clarify",
};

/** The buttons that open a dialogue: rights and state are checked first, so a refusal is a pop-up. */
/** The link in the message the pressed one answers, if it has one. */
function linkAnswered(ctx: BotContext): string | undefined {
  const message = ctx.callbackQuery?.message;
  const original = message && "reply_to_message" in message ? message.reply_to_message : undefined;
  return findLinks(original?.text ?? original?.caption ?? "")[0];
}

interface DialogOptions {
  /** The draft a decision's button names. */
  draftId?: number | undefined;
  /** «Размещу лично»: see postSelf. */
  curatorPosts?: boolean;
  /** A link the person gave already, taken without asking when it will do. */
  offered?: string | undefined;
}

/** Whether the dialogue was opened (not refused, not a double tap). */
async function startDialog(
  ctx: BotContext,
  id: number,
  asked: AnswerAction,
  { draftId, curatorPosts = false, offered }: DialogOptions = {},
): Promise<boolean> {
  const incident = loadIncident(ctx.app.db, id);
  const refused = (text: string) => popup(ctx, text).then(() => false);
  if (!incident) return refused(tr.notFoundNumber(id));
  // «Размещено» posts whatever was approved: the answer, an interim answer or the question to the author.
  const action = asked === "publish" ? publishAction(incident) : asked;
  const refusal = refusalText(ctx.app, incident, action, ctx.person);
  if (refusal) return refused(refusal);
  if (draftId !== undefined && incident.answer?.draftId !== draftId) return refused(ta.approve.stale(id));
  const kind = LINK_KINDS[action];
  if (kind) return openDialog(ctx, DIALOGS.link, id, kind, curatorPosts, offered);
  return openDialog(ctx, DIALOGS.rework, id, draftId ?? null);
}

/**
 * «Размещу лично» (Georgievsk p.12): the link dialogue, and the executors hear that the curator posts
 * the answer, so that it does not appear twice; told again if he gives it up (linkFlow). Pressed while
 * his own claim holds, it asks the link again: the claim, its window and the executors' notice stand.
 */
async function postSelf(ctx: BotContext, id: number) {
  const { db, clock, sla } = ctx.app;
  // The claim keeps the executors from posting and makes the answer's alerts the curators': a
  // curator's alone, where the preset lets curators post (callback data is not trusted).
  if (!hasRole(ctx.person, "curator")) return popup(ctx, ta.publish.selfCuratorsOnly);
  if (!sla.regulation.curatorMayPublish.value)
    return popup(ctx, ta.publish.curatorMayNot(sla.regulation.curatorMayPublish.clause));
  // One curator posts it: another's claim still open is told, not doubled (two answers in public).
  const claim = openClaim(db, id, clock.now(), ANSWER_WINDOW_MS);
  if (claim && claim.event.actorId !== ctx.person?.id)
    return popup(ctx, ta.publish.otherCuratorPosts(id, claim.curator ? displayName(claim.curator) : ""));
  // His own claim holding is asked its link again; one this very update made (handled again after a
  // crash) goes on to its notice.
  const held =
    claim && !alreadyMadeByThisUpdate(db, { entity: "incident", entityId: id, action: "curatorPosts" });
  if (!(await startDialog(ctx, id, "publish", { curatorPosts: true })) || held) return;
  const incident = loadIncident(db, id);
  const curator = ctx.person;
  if (!incident || !curator) return;
  if (!recordCuratorPosting(db, { incidentId: id, actor: curator, now: clock.now(), posting: true })) return;
  const kind = incident.answer?.draftKind ?? "answer";
  await tellCuratorPosts(ctx, incident, ta.publish.curatorPosts(id, displayName(curator), kind));
}
