import { createConversation } from "@grammyjs/conversations";
import {
  type ChatTypeContext,
  type Composer,
  type Filter,
  GrammyError,
  InlineKeyboard,
  type NextFunction,
} from "grammy";
import type { Message, MessageEntity, MessageOrigin } from "grammy/types";
import { findBoundChat } from "../../app/chats.js";
import {
  CLOSING_ACTIONS,
  type ClosedReason,
  closeUnanswered,
  type Incident,
  loadIncident,
  openIncidents,
  partsLeftByLeadReturn,
  recordThreatForwarded,
  type TransitionRefusal,
  threatForwardedAt,
} from "../../app/incidents.js";
import {
  answerNotRepeat,
  answerRepeat,
  closeAsDuplicate,
  notRepeatKey,
  type PostDraft,
  postDateTooOld,
  registeredAtLink,
  registeredBefore,
  repeatQuestionCopies,
} from "../../app/intake.js";
import { noticeClaimed } from "../../app/notices.js";
import { displayName, hasRole, type Person } from "../../domain/access.js";
import { clip } from "../../domain/clip.js";
import { activeAssignments, checkAction, type DraftKind, leadAssignment } from "../../domain/incident.js";
import { findLinks, isCommentKey, parseSourceLink, threadKeyOf } from "../../domain/source-link.js";
import { formatDeadline } from "../../domain/time-format.js";
import { refreshMenu } from "../../flows/importance.js";
import {
  type IntakeArgs,
  intakeFlow,
  localTime,
  networkName,
  oneTap,
  parseLocalTime,
  showDuplicate,
  snippet,
  tellHeadsOutcome,
} from "../../flows/intake.js";
import { cb, ID, onAction } from "../callback-data.js";
import { syncCards } from "../cards.js";
import { leadingCommand } from "../commands.js";
import { Features } from "../composer.js";
import type { AppDeps, BotContext } from "../context.js";
import { announceEach, cardDeps, notifyOrganization, oncePerUpdate } from "../delivery.js";
import { forgetAwaitedStart } from "../dialogs.js";
import { refuse } from "../refuse.js";
import { settleRepeatQuestion } from "../repeat-questions.js";
import { tr } from "../texts-incidents.js";
import { ti } from "../texts-intake.js";

const POST_TEXT_FOR_REPORT = 3000;

/**
 * Registering posts: /new, forwarded posts and links, duplicates, repeats, toxic and threats. The
 * feature goes before the dialogues, `afterDialogues` after them (see there).
 */
export function intakeFeature(deps: AppDeps): {
  feature: Composer<BotContext>;
  afterDialogues: Composer<BotContext>;
} {
  const intake = new Features<BotContext>();
  const albums = new Albums();
  // Before the dialogues: the other items of an album taken as a post are not answers to its questions.
  intake.chatType("private").on("message", async (ctx, next) => {
    const now = ctx.app.clock.now();
    const album = albums.taken(ctx.chat.id, ctx.message, now);
    if (!album) return next();
    const post = recognise(ctx.message, now, ctx.app.sla.timezone);
    // The post's text came with a later item: that item stands for the post instead, under the
    // album's link — unless the post is registered already (from the first item's summary).
    if (album.hasText || !post.text) return;
    if (album.link !== undefined && registeredAtLink(ctx.app.db, album.link).length > 0) return;
    if (album.summaryId !== undefined) {
      await ctx.api.deleteMessage(ctx.chat.id, album.summaryId).catch(() => undefined);
    } else {
      await ctx.conversation.exit("intake");
    }
    await takePost(ctx, album.link !== undefined ? { ...post, link: album.link } : post, albums);
  });

  // Parallel: a curator may register a post from a summary while another dialogue of his waits (his
  // own draft answer, say), which goes on after; installed before the others, it takes the messages
  // while it asks.
  intake.use(createConversation(intakeFlow(deps), { id: "intake", parallel: true }));

  intake.command("new", async (ctx) => {
    const curator = curatorOf(ctx);
    if (!curator) return refuse(ctx, ti.onlyCurators);
    const chat = ctx.chat;
    if (chat.type !== "private" && findBoundChat(ctx.app.db, chat.id)?.purpose !== "curators") {
      return refuse(ctx, ti.newWhere);
    }
    await ctx.conversation.exitAll();
    await ctx.conversation.enter("intake", { actorId: curator.id, prefill: {} } satisfies IntakeArgs);
  });

  const onPost = async (ctx: PrivateMessageContext, next: NextFunction, afterDialogues: boolean) => {
    const post = recognise(ctx.message, ctx.app.clock.now(), ctx.app.sla.timezone);
    if (!ctx.person || leadingCommand(ctx.message) || (!post.forwarded && !post.link)) return next();
    // A forwarded file without a post's link is an admin's import (files.ts), not a post.
    if (ctx.message.document && !post.link) return next();
    // Inside another dialogue (e.g. giving the link of a published answer) the person is answering it;
    // one that did not take it (its question expired) passes it back here, after the dialogues. But
    // a curator who forwards a channel's post while writing his own answer or part, asked for the
    // link of a posted answer, or for a comment or a reason, means to register it.
    const active = Object.entries(ctx.conversation.active()).filter(([, count]) => count > 0);
    if (!afterDialogues && active.length > 0) {
      const taken = forwardedPost(post) && curatorOf(ctx) !== undefined;
      if (taken && active.every(([name]) => WRITING.has(name))) await ctx.reply(ti.notInDraft);
      else if (taken && active.every(([name]) => name === LINK)) await ctx.reply(ti.notAsLink);
      else if (taken && active.every(([name]) => COMMENTS.has(name))) {
        // A rework comment or a return reason is not a citizen's post: that question is closed.
        await ctx.conversation.exitAll();
        await ctx.reply(ti.questionClosed);
      } else return next();
    }
    // Someone who may not register posts is told whom to give it to, once per album.
    if (!curatorOf(ctx)) {
      if (albums.taken(ctx.chat.id, ctx.message, ctx.app.clock.now())) return;
      albums.take(ctx.chat.id, ctx.message, true, ctx.app.clock.now());
      // An executor whose approved answer waits to be posted most likely sends that answer's link.
      const waiting = post.forwarded ? [] : approvedAnswersOf(ctx.app, ctx.person, post.link);
      if (waiting.length === 0) return ctx.reply(ti.notCuratorPost);
      const keyboard = new InlineKeyboard();
      // The button's dialogue takes the link from the message it answers (features/answers.ts).
      for (const { id, kind } of waiting)
        keyboard.text(ti.button.postedAnswerOf(id, kind), cb("inc.publink", id)).row();
      return ctx.reply(ti.answerLinkHere(waiting.length), {
        reply_markup: keyboard,
        reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true },
      });
    }
    await takePost(ctx, post, albums);
  };
  intake.chatType("private").on("message", (ctx, next) => onPost(ctx, next, false));

  // The curators' chat is where posts are talked over too: only a curator's forward or paste of a
  // post of a known network not registered yet gets the offer (its buttons are curators' and the
  // dialogue goes on there); a post registered already, anyone else's message, a dialogue's answer
  // are left alone. A forward without such a link is meant as a post all the same: it is told how
  // to register it, once per album; a paste of another site's link is talk (a news article, say).
  intake.chatType(["group", "supergroup"]).on("message", async (ctx, next) => {
    const now = ctx.app.clock.now();
    const post = recognise(ctx.message, now, ctx.app.sla.timezone);
    const parsed = post.link === undefined ? undefined : parseSourceLink(post.link);
    const known = post.link !== undefined && parsed?.ok === true && parsed.post;
    if (!curatorOf(ctx) || leadingCommand(ctx.message) || (!known && !post.forwarded)) return next();
    // As privately, a forwarded file without a post's link is no post.
    if (ctx.message.document && !post.link) return next();
    if (Object.values(ctx.conversation.active()).some((count) => count > 0)) return next();
    if (findBoundChat(ctx.app.db, ctx.chat.id)?.purpose !== "curators") return next();
    if (!post.link || !known) {
      // One of the bot's own messages (a digest, an alert) forwarded here is talk about it, no post.
      if (forwardedFromBot(ctx)) return next();
      if (albums.taken(ctx.chat.id, ctx.message, now)) return;
      albums.take(ctx.chat.id, ctx.message, true, now);
      await ctx.reply(ti.forwardNotTaken(post.link !== undefined), {
        reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true },
        disable_notification: true,
        link_preview_options: { is_disabled: true },
      });
      return;
    }
    // A registered link pasted is talk about it; only a forward may be another comment at it.
    const before = registeredBefore(ctx.app.db, post.link, post.text ?? null);
    if (before && ("same" in before || !post.forwarded)) return next();
    await takePost(ctx, post, albums);
  });

  intake.callbackQuery(["int.reg", "int.more"], async (ctx) => {
    const curator = curatorOf(ctx);
    if (!curator) return refuse(ctx, ti.onlyCurators);
    const source = ctx.callbackQuery.message;
    const original = source && "reply_to_message" in source ? source.reply_to_message : undefined;
    const now = ctx.app.clock.now();
    const read = original ? recognise(original, now, ctx.app.sla.timezone) : undefined;
    // An album's summary under its captioned item registers the album's link (see Albums).
    const albumLink = original && ctx.chat ? albums.taken(ctx.chat.id, original, now)?.link : undefined;
    const post = read && albumLink ? { ...read, link: albumLink } : read;
    if (!post?.link) return ctx.answerCallbackQuery({ text: ti.postGone, show_alert: true });
    if (ctx.conversation.active("intake") > 0) {
      return ctx.answerCallbackQuery({ text: ti.finishFirst, show_alert: true });
    }
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup();
    const args: IntakeArgs =
      ctx.callbackQuery.data === "int.reg"
        ? { actorId: curator.id, prefill: oneTap(recognisedFields(post), post.postedAt) }
        : fillIn(curator.id, post);
    forgetAwaitedStart(ctx);
    await ctx.conversation.enter("intake", args);
  });

  intake.callbackQuery(/^int\.a:/, (ctx) =>
    ctx.answerCallbackQuery({ text: ti.foreignStep, show_alert: true }),
  );

  intake.callbackQuery(onAction("int.rep", [ID, ID]), (ctx) =>
    markAsRepeat(ctx, Number(ctx.match[1]), Number(ctx.match[2])),
  );
  intake.callbackQuery(onAction("int.new", [ID]), (ctx) => markAsNew(ctx, Number(ctx.match[1])));
  // «Дубль № N — закрыть», offered for an earlier post with the same text: the same second tap.
  intake.callbackQuery(onAction("int.dup", [ID, ID]), (ctx) =>
    confirmClosing(ctx, Number(ctx.match[1]), "void", Number(ctx.match[2])),
  );
  intake.callbackQuery(onAction("int.dupok", [ID, ID]), (ctx) =>
    closeDuplicate(ctx, Number(ctx.match[1]), Number(ctx.match[2])),
  );

  // Closing without an answer cannot be undone (and a threat may leave the bot for law enforcement):
  // the curator confirms with a second tap.
  intake.callbackQuery(onAction("inc.toxic", [ID]), (ctx) =>
    confirmClosing(ctx, Number(ctx.match[1]), "toxic"),
  );
  intake.callbackQuery(onAction("inc.threat", [ID]), (ctx) =>
    confirmClosing(ctx, Number(ctx.match[1]), "threat"),
  );
  // «Закрыть: ошибка или пост удалён» in the details menu: the same second tap.
  intake.callbackQuery(onAction("inc.void", [ID]), (ctx) =>
    confirmClosing(ctx, Number(ctx.match[1]), "void"),
  );
  for (const [action, reason] of [
    ["int.toxic", "toxic"],
    ["int.threat", "threat"],
    ["int.void", "void"],
  ] as const) {
    intake.callbackQuery(onAction(action, [ID]), async (ctx) => {
      if (!curatorOf(ctx)) return refuse(ctx, ti.onlyCurators);
      await ctx.editMessageReplyMarkup();
      await closePost(ctx, Number(ctx.match[1]), reason);
      await refreshMenuAsked(ctx, Number(ctx.match[1]));
    });
  }

  intake.callbackQuery("int.nothreat", async (ctx) => {
    if (!curatorOf(ctx)) return refuse(ctx, ti.onlyCurators);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ti.threatNotClosed);
  });

  // A post a dialogue passed on without taking it (its question expired) is registered here, after them.
  const afterDialogues = new Features<BotContext>();
  afterDialogues.chatType("private").on("message", (ctx, next) => onPost(ctx, next, true));
  return { feature: intake, afterDialogues };
}

type PrivateMessageContext = Filter<ChatTypeContext<BotContext, "private">, "message">;

/**
 * «Оскорбительное» / «Угроза» on a card, «Закрыть: ошибка или пост удалён» in its menu, «Дубль № N —
 * закрыть» under the repeat question (`duplicateOf`): rights and state first, then the question to
 * confirm.
 */
async function confirmClosing(
  ctx: BotContext,
  id: number,
  reason: ClosedReason,
  duplicateOf?: number,
): Promise<void> {
  const incident = loadIncident(ctx.app.db, id);
  if (!incident) {
    await ctx.answerCallbackQuery({ text: ti.notFound, show_alert: true });
    return;
  }
  const refusal = checkAction(incident, CLOSING_ACTIONS[reason], ctx.person);
  if (refusal === "forbidden") return refuse(ctx, ti.onlyCurators);
  if (refusal === "wrong_state") return refuseState(ctx, incident);
  const sends = reason === "threat" && sendsThreats(ctx);
  const [question, yes] =
    reason === "threat"
      ? [ti.threatConfirm(id, sends), ti.threatYes(sends)]
      : duplicateOf !== undefined
        ? [ti.duplicateConfirm(id, duplicateOf), ti.toxicYes]
        : [reason === "void" ? ti.voidConfirm(id) : ti.toxicConfirm(id), ti.toxicYes];
  await ctx.answerCallbackQuery();
  // Asked from the details menu, the question replies to it: the menu is brought up to date after.
  // Asked from the repeat question, it replies to that.
  const menu = reason === "void" ? ctx.callbackQuery?.message?.message_id : undefined;
  await ctx.reply(question, {
    reply_markup: new InlineKeyboard()
      .text(yes, duplicateOf !== undefined ? cb("int.dupok", id, duplicateOf) : cb(`int.${reason}`, id))
      .row()
      .text(ti.threatNo, cb("int.nothreat")),
    ...(menu !== undefined
      ? { reply_parameters: { message_id: menu, allow_sending_without_reply: true } }
      : {}),
  });
}

/**
 * The details menu the confirmed question replied to, shown as the post is now: closed, without
 * buttons. Only the bot's menu of this post is touched: forged data may come from any message.
 */
async function refreshMenuAsked(ctx: BotContext, incidentId: number): Promise<void> {
  const question = ctx.callbackQuery?.message;
  const menu = question && "reply_to_message" in question ? question.reply_to_message : undefined;
  if (!menu || menu.from?.id !== ctx.me.id || !menu.text?.startsWith(tr.edit.menuTitle(incidentId))) return;
  const at = { chatId: menu.chat.id, messageId: menu.message_id };
  await refreshMenu(ctx.api, ctx.app.sla.timezone, at, loadIncident(ctx.app.db, incidentId));
}

/**
 * The posts whose approved answer waits to be posted by this person's organization (its lead), at
 * most three: the one the link is a comment under first, then the longest waiting.
 */
function approvedAnswersOf(
  deps: AppDeps,
  person: Person,
  link: string | undefined,
): { id: number; kind: DraftKind | undefined }[] {
  if (person.organizationIds.length === 0) return [];
  const parsed = link === undefined ? undefined : parseSourceLink(link);
  const thread = parsed?.ok && isCommentKey(parsed.key) ? threadKeyOf(parsed.key) : undefined;
  return openIncidents(deps.db, { organizationIds: [...person.organizationIds], states: ["approved"] })
    .map((row) => loadIncident(deps.db, row.id))
    .filter((incident): incident is Incident => {
      const lead = incident && leadAssignment(incident)?.organizationId;
      return lead !== undefined && person.organizationIds.includes(lead);
    })
    .map((incident) => ({
      id: incident.id,
      kind: incident.answer?.draftKind ?? undefined,
      under: threadKeyOf(incident.row.linkKey) === thread,
    }))
    .sort((a, b) => Number(b.under) - Number(a.under) || a.id - b.id)
    .slice(0, 3)
    .map(({ id, kind }) => ({ id, kind }));
}

function curatorOf(ctx: BotContext): Person | undefined {
  return hasRole(ctx.person, "curator") ? ctx.person : undefined;
}

function sendsThreats(ctx: BotContext): boolean {
  return ctx.app.sla.regulation.toxic.forwardThreats && ctx.app.config.lawEnforcementChatId !== undefined;
}

// ---- recognising a forwarded post or a pasted link ---------------------------------------------

/** The dialogues of a draft answer and of a co-executor's part (features/drafts.ts, incidents.ts). */
const WRITING = new Set(["incident.draft", "incident.part"]);
/** The question for the link of a posted answer (features/answers.ts): a forward is no answer's link. */
const LINK = "answer.link";
/** The questions for a comment or a reason (a rework, a part's return, the post's return). */
const COMMENTS = new Set(["answer.rework", "part.return", "incident.return"]);

function forwardedFromBot(ctx: BotContext & { message: Message }): boolean {
  const origin = ctx.message.forward_origin;
  return origin?.type === "user" && origin.sender_user.id === ctx.me.id;
}

/** A post forwarded from where it was published, with its own link (a channel's post), not a file. */
function forwardedPost(post: Recognised): boolean {
  const link = post.forwarded && post.link ? parseSourceLink(post.link) : undefined;
  return link?.ok === true && link.post;
}

interface Recognised {
  forwarded: boolean;
  link?: string;
  text?: string;
  /**
   * The text is the words sent with a pasted link, not a forward's nor a notice's «Текст:»: maybe
   * the post's, copied with its link, maybe the curator's own note. The summary says it becomes the
   * post's text, and «Заполнить подробнее» asks.
   */
  typed?: boolean;
  author?: string;
  topic?: string;
  place?: string;
  /** The post's own date (ms): a notice's «Дата публикации:», or a forward's (see postedAtOf). */
  postedAt?: number;
}

/**
 * What a curator's message says about a post: a forwarded post, a pasted link or a notice of
 * monitoring software («Инцидент Менеджмент»). The link is the best of the forwarded channel post's
 * own link, the links in the text and those hidden under words: see `postLinkOf`. The text is what
 * follows a notice's «Текст:»; otherwise a forward's text is the post's, and a paste's text is what
 * remains without its links. A notice's «Автор:» names the author (otherwise a forward's sender), «Тема:» the topic, «Адрес:» or
 * «Место:» the place, and «Дата публикации:» (local time, not in the future) the post's date;
 * otherwise a forward's date is the post's.
 */
function recognise(message: Message, now: Date, timezone: string): Recognised {
  const body = message.text ?? message.caption ?? "";
  const entities = message.entities ?? message.caption_entities ?? [];
  const origin = message.forward_origin;
  const own = origin ? channelPostLink(origin) : undefined;
  const inText = linksInText(body);
  const link = postLinkOf([
    ...(own ? [{ link: own, labelled: false }] : []),
    ...inText,
    ...hiddenLinks(body, entities),
  ]);
  const notice = noticeFields(body);
  const plain = origin ? body : inText.reduce((rest, { link: l }) => rest.replaceAll(l, ""), body);
  const text = (notice.text ?? plain).trim();
  const typed = !origin && notice.text === undefined && text !== "";
  const author = notice.author ?? (origin ? authorOf(origin) : undefined);
  const published = notice.postedAt === undefined ? undefined : parseLocalTime(notice.postedAt, timezone);
  const plausible = (at: number | undefined) =>
    at !== undefined && at <= now.getTime() && !postDateTooOld(at, now) ? at : undefined;
  const postedAt = plausible(published) ?? (origin ? plausible(postedAtOf(origin, now)) : undefined);
  return {
    forwarded: origin !== undefined,
    ...(link ? { link } : {}),
    ...(text ? { text } : {}),
    ...(typed ? { typed } : {}),
    ...(author ? { author } : {}),
    ...(notice.topic ? { topic: notice.topic } : {}),
    ...(notice.place ? { place: notice.place } : {}),
    ...(postedAt !== undefined ? { postedAt } : {}),
  };
}

interface FoundLink {
  link: string;
  /** On a line that names it the post's link («Ссылка на пост: …»). */
  labelled: boolean;
}

const LINK_LABEL = String.raw`(?:ссылка(?:\s+на\s+(?:пост|комментарий|сообщение|публикацию|запись))?|url|пост|комментарий)`;
/** A notice's line that gives the post's link. */
const LINK_LINE = new RegExp(String.raw`^\s*${LINK_LABEL}\s*:`, "iu");
/** A word that a link is hidden under, saying it is the post's link. */
const LINK_WORD = new RegExp(String.raw`^\s*${LINK_LABEL}\s*:?\s*$`, "iu");
const TEXT_LINE = /^\s*текст(?:\s+(?:сообщения|поста|комментария|публикации))?\s*:\s*/iu;
const AUTHOR_LINE = /^\s*автор\s*:\s*/iu;
const TOPIC_LINE = /^\s*тема\s*:\s*/iu;
const PLACE_LINE = /^\s*(?:адрес|место)\s*:\s*/iu;
/** The post's own date; a notice's other dates (of its detection, say) are not the post's. */
const POSTED_LINE =
  /^\s*(?:дата(?:\s+и\s+время)?\s+(?:публикации|поста|сообщения)|время\s+публикации|опубликовано|дата)\s*:\s*/iu;
/** The other fields of a notice; one of them ends the text after «Текст:». */
const FIELD_LINE = new RegExp(
  String.raw`^\s*(?:${LINK_LABEL}|автор|категория|тема|рубрика|источник|соцсеть|социальная сеть|дата[\p{L} ]*|время[\p{L} ]*|регион|район|место|адрес|тональность|охват|просмотры|статус)\s*:`,
  "iu",
);
/** So many labelled lines make a notice even without «Текст:» or a labelled link. */
const NOTICE_FIELDS = 3;
/** Longer than the dialogue takes for a typed field: a label's value so long is not the field's. */
const MAX_FIELD = 300;

function linksInText(body: string): FoundLink[] {
  const found: FoundLink[] = [];
  for (const line of body.split("\n")) {
    const labelled = LINK_LINE.test(line);
    for (const link of findLinks(line)) {
      if (!found.some((f) => f.link === link)) found.push({ link, labelled });
    }
  }
  return found;
}

function hiddenLinks(body: string, entities: MessageEntity[]): FoundLink[] {
  return entities.flatMap((e) => {
    if (e.type !== "text_link" || !parseSourceLink(e.url).ok) return [];
    const line = body.slice(body.lastIndexOf("\n", e.offset - 1) + 1).split("\n")[0] ?? "";
    const word = body.slice(e.offset, e.offset + e.length);
    return [{ link: e.url, labelled: LINK_LINE.test(line) || LINK_WORD.test(word) }];
  });
}

/**
 * A notice lists the author's profile, the community or its own page beside the post's link, in
 * any order: a link its line names the post's link comes first, then a post or comment of a known
 * network, then the first link.
 */
function postLinkOf(found: FoundLink[]): string | undefined {
  const rank = ({ link, labelled }: FoundLink) => {
    const parsed = parseSourceLink(link);
    return (labelled ? 2 : 0) + (parsed.ok && parsed.post ? 1 : 0);
  };
  let best: FoundLink | undefined;
  for (const candidate of found) if (!best || rank(candidate) > rank(best)) best = candidate;
  return best?.link;
}

interface NoticeFields {
  text?: string;
  author?: string;
  topic?: string;
  place?: string;
  /** As written: read in the deployment's time zone. */
  postedAt?: string;
}

/**
 * «Текст:» (to the next field of the notice); and, if the message is such a notice, «Автор:»,
 * «Тема:», «Адрес:» or «Место:» and «Дата публикации:».
 */
function noticeFields(body: string): NoticeFields {
  const lines = body.split("\n");
  const textAt = lines.findIndex((line) => TEXT_LINE.test(line));
  const field = (label: RegExp) => {
    const value = lines
      .find((line) => label.test(line))
      ?.replace(label, "")
      .trim();
    return value && value.length <= MAX_FIELD ? value : undefined;
  };
  let text: string | undefined;
  if (textAt >= 0) {
    const rest = lines.slice(textAt + 1);
    const end = rest.findIndex((line) => FIELD_LINE.test(line));
    text = [lines[textAt]?.replace(TEXT_LINE, ""), ...(end < 0 ? rest : rest.slice(0, end))].join("\n");
  }
  // A citizen's own post may say «Автор: …», «Место: …» or «Дата: …» too: only a notice (its post's
  // link or text labelled, or three of its fields) gives the post's author, topic, place and date; a
  // link is no topic, place or date.
  const notice =
    textAt >= 0 ||
    lines.some((line) => LINK_LINE.test(line)) ||
    lines.filter((line) => FIELD_LINE.test(line)).length >= NOTICE_FIELDS;
  const described = (label: RegExp) => {
    const value = notice ? field(label) : undefined;
    return value && findLinks(value).length === 0 ? value : undefined;
  };
  const found = {
    author: notice ? field(AUTHOR_LINE) : undefined,
    topic: described(TOPIC_LINE),
    place: described(PLACE_LINE),
    postedAt: described(POSTED_LINE),
  };
  return {
    ...(text !== undefined ? { text } : {}),
    ...Object.fromEntries(Object.entries(found).filter(([, value]) => value !== undefined)),
  };
}

/** The draft fields a recognised post fills; absent ones are asked in the dialogue. */
function recognisedFields(post: Recognised): Partial<PostDraft> {
  return {
    ...(post.link ? { link: post.link } : {}),
    ...(post.text ? { text: post.text } : {}),
    ...(post.author ? { author: post.author } : {}),
    ...(post.topic ? { topic: post.topic } : {}),
    ...(post.place ? { place: post.place } : {}),
  };
}

/**
 * The dialogue of «Заполнить подробнее»: the recognised fields, and what it offers to keep — the
 * forward's date, the words sent with a pasted link (asked as the text, not taken as it).
 */
function fillIn(curatorId: number, post: Recognised): IntakeArgs {
  const prefill = recognisedFields(post);
  const args = { actorId: curatorId, ...forwardedAt(post) };
  if (!post.typed || typeof prefill.text !== "string") return { ...args, prefill };
  const { text, ...rest } = prefill;
  return { ...args, prefill: rest, typedText: text };
}

/** What the dialogue is told of the forwarded post's date, if there is one to offer. */
function forwardedAt(post: Recognised): Pick<IntakeArgs, "forwardedAt"> {
  return post.postedAt !== undefined ? { forwardedAt: post.postedAt } : {};
}

/**
 * When the forwarded post was published: Telegram gives the original message's date for every
 * origin (a user, a hidden user, a chat, a channel), and Orenburg p.13 counts the final answer from
 * it. A bot's message is a notice of monitoring software, sent after the post: its date is not the
 * post's. As for a date the curator types, one after now is not taken (nor one before 1970).
 */
function postedAtOf(origin: MessageOrigin, now: Date): number | undefined {
  if (origin.type === "user" && origin.sender_user.is_bot) return undefined;
  const at = origin.date * 1000;
  return Number.isSafeInteger(at) && at > 0 && at <= now.getTime() ? at : undefined;
}

/**
 * A post forwarded or pasted by a curator: without a link, the dialogue asks for it; a post already
 * registered shows that card; otherwise a summary with «Зарегистрировать» and «Заполнить подробнее».
 * An album's item taken so is remembered, so that the album's other items are not taken again.
 */
async function takePost(ctx: BotContext & { chat: { id: number } }, post: Recognised, albums: Albums) {
  const curator = curatorOf(ctx);
  const message = ctx.message;
  if (!curator || !message) return;
  const remember = (summaryId?: number) =>
    albums.take(ctx.chat.id, message, post.text !== undefined, ctx.app.clock.now(), summaryId, post.link);
  if (!post.link) {
    remember();
    await ctx.conversation.enter("intake", {
      actorId: curator.id,
      prefill: recognisedFields(post),
      offer: true,
      ...forwardedAt(post),
    } satisfies IntakeArgs);
    return;
  }
  // Another comment at a registered link (Одноклассники, Дзен…) is told apart in the dialogue.
  const before = registeredBefore(ctx.app.db, post.link, post.text ?? null);
  if (before && "same" in before) {
    remember();
    await showDuplicate({ ...ctx.app, api: ctx.api }, before.same, ctx.chat.id);
    return;
  }
  // The recognised post is not stored anywhere: the summary replies to the curator's own message,
  // and a button press re-reads that message (callback_query.message.reply_to_message). So a
  // curator may forward ten posts in a row and register each from its own summary, and nothing is
  // left behind for posts never registered. Callback data (64 bytes) could not hold the text.
  const keyboard = new InlineKeyboard()
    .text(ti.button.register, cb("int.reg"))
    .row()
    .text(ti.button.more, cb("int.more"));
  const summary = ti.summary({
    network: networkName(post.link),
    link: post.link,
    author: post.author ?? null,
    topic: post.topic ?? null,
    place: post.place ?? null,
    postedAt: localTime(ctx.app, post.postedAt),
    start: snippet(post.text),
    typed: post.typed === true,
  });
  const sent = await ctx.reply(summary, {
    reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
    reply_markup: keyboard,
    link_preview_options: { is_disabled: true },
  });
  remember(sent.message_id);
}

interface AlbumTaken {
  at: number;
  /** Whether the item taken carried the post's text. */
  hasText: boolean;
  /** The summary sent for it, if any (not for a post without a link, whose dialogue asks for it). */
  summaryId?: number;
  /** The post's link as the first item gave it: the album's, whichever item carries the text. */
  link?: string;
}

/**
 * A post with several photos or videos comes as an album: one message per item sharing a
 * media_group_id, the post's text in one caption (usually the first). The first item stands for
 * the post and the others are taken in silence, unless the text comes with a later one, which then
 * stands for it instead. Kept in memory for a few minutes: an album's items arrive together.
 */
class Albums {
  static readonly KEEP_MS = 10 * 60_000;
  readonly #taken = new Map<string, AlbumTaken>();

  /** The album this item belongs to, if one of its items was taken as a post. */
  taken(chatId: number, message: Message, now: Date): AlbumTaken | undefined {
    const group = message.media_group_id;
    const found = group === undefined ? undefined : this.#taken.get(`${chatId}:${group}`);
    return found && now.getTime() - found.at < Albums.KEEP_MS ? found : undefined;
  }

  take(
    chatId: number,
    message: Message,
    hasText: boolean,
    now: Date,
    summaryId?: number,
    link?: string,
  ): void {
    const group = message.media_group_id;
    if (group === undefined) return;
    for (const [key, taken] of this.#taken) {
      if (now.getTime() - taken.at >= Albums.KEEP_MS) this.#taken.delete(key);
    }
    this.#taken.set(`${chatId}:${group}`, {
      at: now.getTime(),
      hasText,
      ...(summaryId !== undefined ? { summaryId } : {}),
      ...(link !== undefined ? { link } : {}),
    });
  }
}

function channelPostLink(origin: MessageOrigin): string | undefined {
  return origin.type === "channel" && origin.chat.username
    ? `https://t.me/${origin.chat.username}/${origin.message_id}`
    : undefined;
}

/** Who wrote the forwarded post; a bot (e.g. monitoring software) is not the post's author. */
function authorOf(origin: MessageOrigin): string | undefined {
  const signed = (name: string, signature?: string) => (signature ? `${name} (${signature})` : name);
  switch (origin.type) {
    case "user": {
      const user = origin.sender_user;
      if (user.is_bot) return undefined;
      const name = [user.first_name, user.last_name].filter(Boolean).join(" ");
      return user.username ? `${name} (@${user.username})` : name;
    }
    case "hidden_user":
      return origin.sender_user_name;
    case "chat":
      return "title" in origin.sender_chat && origin.sender_chat.title
        ? signed(origin.sender_chat.title, origin.author_signature)
        : undefined;
    case "channel":
      return signed(origin.chat.title, origin.author_signature);
  }
}

// ---- the repeat question about a post from monitoring software (src/http/intake.ts) -------------

/**
 * «Повторное к № N»: links the post to the earlier incident; every card of the post shows it, every
 * copy of the question says so. Of two presses (a double tap, two curators, «Нет, новое» in another
 * chat) one decides, the other hears what was decided.
 */
async function markAsRepeat(ctx: BotContext, incidentId: number, repeatOfId: number): Promise<void> {
  const actor = curatorOf(ctx);
  if (!actor) return refuse(ctx, ti.onlyCurators);
  const incident = await linkRepeat(ctx, actor, incidentId, repeatOfId);
  if (!incident) return;
  // Handled again after a crash, the link this very press made is reported, not refused.
  const linked = incident.row.repeatOfId ?? repeatOfId;
  await ctx.answerCallbackQuery({ text: ti.repeatMarked(linked) });
  await settleQuestion(ctx, incidentId, ti.repeatDecided(incidentId, linked, displayName(actor)));
  await syncCards(cardDeps(ctx.app, ctx.api), incident);
}

/**
 * Links the post to the earlier one (see answerRepeat) and returns it linked; a refusal is answered
 * with what was decided, or why not.
 */
async function linkRepeat(
  ctx: BotContext,
  actor: Person,
  incidentId: number,
  repeatOfId: number,
): Promise<Incident | undefined> {
  const { db, clock } = ctx.app;
  const result = answerRepeat(db, { incidentId, repeatOfId, actor, now: clock.now() });
  if (result.ok) {
    ctx.log.info({ incidentId, repeatOfId: result.incident.row.repeatOfId }, "incident marked as a repeat");
    return result.incident;
  }
  await refuseLink(ctx, incidentId, repeatOfId, result.refusal);
  return undefined;
}

/** A link to the earlier post refused: answered with what was decided, or why not. */
async function refuseLink(
  ctx: BotContext,
  incidentId: number,
  repeatOfId: number,
  refusal: TransitionRefusal | "not_repeat",
): Promise<void> {
  if (refusal === "forbidden") return refuse(ctx, ti.onlyCurators);
  const incident = loadIncident(ctx.app.db, incidentId);
  if (!incident) return refuse(ctx, ti.notFound);
  await unlessDecided(ctx, incident, () => refuse(ctx, ti.notEarlier(repeatOfId)));
}

/**
 * «Да, закрыть» after «Дубль № N — закрыть»: the post is linked to N as its repeat (unless it is
 * already) and closed as one registered by mistake is, at once (app/intake.ts closeAsDuplicate),
 * «История» naming N; every copy of the repeat question says so.
 */
async function closeDuplicate(ctx: BotContext, incidentId: number, of: number): Promise<void> {
  const actor = curatorOf(ctx);
  if (!actor) return refuse(ctx, ti.onlyCurators);
  await ctx.editMessageReplyMarkup();
  if (!(await closePost(ctx, incidentId, "void", of))) return;
  await settleQuestion(ctx, incidentId, ti.closedAsDuplicate(incidentId, of, displayName(actor)));
}

/** «Нет, новое»: the post stays unlinked; every copy of the question says so. */
async function markAsNew(ctx: BotContext, incidentId: number): Promise<void> {
  const actor = curatorOf(ctx);
  if (!actor) return refuse(ctx, ti.onlyCurators);
  const result = answerNotRepeat(ctx.app.db, { incidentId, actor, now: ctx.app.clock.now() });
  if (!result.ok) {
    if (!result.incident) return refuse(ctx, ti.notFound);
    return unlessDecided(ctx, result.incident, () => refuse(ctx, ti.alreadyNew));
  }
  ctx.log.info({ incidentId }, "incident marked as not a repeat");
  await ctx.answerCallbackQuery({ text: ti.markedNew });
  await settleQuestion(ctx, incidentId, ti.newDecided(incidentId, displayName(actor)));
}

/**
 * A post already linked, called new, closed or answered is refused with what was decided (or that it
 * is too late), and the question it was pressed on loses its buttons; otherwise `otherwise` goes on.
 */
async function unlessDecided(ctx: BotContext, incident: Incident, otherwise: () => Promise<void>) {
  const linked = incident.row.repeatOfId;
  if (linked !== null) {
    await refuse(ctx, ti.alreadyRepeat(linked));
    await settleOffer(ctx, incident.id, ti.repeatDecided(incident.id, linked));
    return;
  }
  if (incident.row.state === "closed") {
    await refuse(ctx, ti.alreadyClosed);
    await settleOffer(ctx, incident.id);
    return;
  }
  if (incident.row.state === "answered") {
    await refuse(ctx, ti.repeatTooLate(incident.id));
    await settleOffer(ctx, incident.id);
    return;
  }
  if (noticeClaimed(ctx.app.db, notRepeatKey(incident.id))) {
    await refuse(ctx, ti.alreadyNew);
    await settleOffer(ctx, incident.id, ti.newDecided(incident.id));
    return;
  }
  await otherwise();
}

/**
 * Once answered, every copy of the question (one in the curators' chat, or one for each curator)
 * says what was decided and by whom, and loses its buttons: nobody answers it twice. The question
 * pressed on is settled too when it is no recorded copy (one asked before copies were recorded).
 */
async function settleQuestion(ctx: BotContext, incidentId: number, decided: string): Promise<void> {
  const copies = repeatQuestionCopies(ctx.app.db, incidentId);
  const pressed = ctx.callbackQuery?.message;
  const recorded = copies.some(
    (copy) => copy.chatId === pressed?.chat.id && copy.messageId === pressed.message_id,
  );
  if (!recorded) await settleOffer(ctx, incidentId, decided);
  await settleRepeatQuestion({ api: ctx.api, db: ctx.app.db, log: ctx.log }, incidentId, decided);
}

/**
 * The question pressed on says what was decided (or, without `decided`, just loses its buttons). Only
 * the question about this post is touched: forged data may come from any message with buttons.
 */
async function settleOffer(ctx: BotContext, incidentId: number, decided?: string): Promise<void> {
  const message = ctx.callbackQuery?.message;
  if (!message || !("text" in message) || !message.text?.startsWith(ti.repeatOfferStart(incidentId))) return;
  try {
    if (decided) await ctx.editMessageText(decided);
    else await ctx.editMessageReplyMarkup();
  } catch (error) {
    // The decision stands even if Telegram no longer lets the old question be edited.
    if (!(error instanceof GrammyError)) throw error;
  }
}

// ---- toxic posts and threats -------------------------------------------------------------------

/**
 * «Оскорбительное» / «Угроза»: closes without an answer (Orenburg p.17; Georgievsk p.22); so does a
 * post deleted or registered by mistake (`void`), or the duplicate of post `duplicateOf`, linked to
 * it as it closes. The heads told of it hear it closed (tellHeadsOutcome). Whether it closed.
 */
async function closePost(
  ctx: BotContext,
  incidentId: number,
  reason: ClosedReason,
  duplicateOf?: number,
): Promise<boolean> {
  const { db, clock } = ctx.app;
  const actor = curatorOf(ctx);
  if (!actor) {
    await refuse(ctx, ti.onlyCurators);
    return false;
  }
  const threat = reason === "threat";
  const input = { incidentId, actor, now: clock.now() };
  const result =
    duplicateOf === undefined
      ? closeUnanswered(db, { ...input, reason })
      : closeAsDuplicate(db, { ...input, repeatOfId: duplicateOf });
  if (!result.ok) {
    const incident = loadIncident(db, incidentId);
    if (duplicateOf !== undefined && "refused" in result && result.refused === "link")
      await refuseLink(ctx, incidentId, duplicateOf, result.refusal);
    else if (result.refusal === "forbidden") await refuse(ctx, ti.onlyCurators);
    else if (incident) await refuseState(ctx, incident);
    else await ctx.answerCallbackQuery({ text: ti.notFound, show_alert: true });
    return false;
  }
  ctx.log.info({ incidentId, reason }, "incident closed without an answer");
  const of = duplicateOf !== undefined ? (result.incident.row.repeatOfId ?? undefined) : undefined;
  const closed = of !== undefined ? ti.closedAsDuplicate(incidentId, of) : ti.closed[reason](incidentId);
  await ctx.answerCallbackQuery({ text: closed });
  // First what cannot be asked for again once the post is closed: the threat passed on (Orenburg p.17).
  // The organizations that had it (not one still waiting its turn) stop working on it; handled again
  // after a crash, those it had then. The co-executors its lead's return told to wait for the routing
  // anew (flows/withdrawn.ts) hear it will not come: nothing to do, so quietly.
  const had: { organizationId: number; quiet?: boolean }[] = [
    ...activeAssignments(result.before)
      .filter((a) => a.state !== "queued")
      .map(({ organizationId }) => ({ organizationId })),
    ...partsLeftByLeadReturn(db, result.before).map(({ organizationId }) => ({
      organizationId,
      quiet: true,
    })),
  ];
  const notice = ti.closedNotice(incidentId, reason, ctx.app.sla.regulation.toxic.clause, of);
  await announceEach(
    ctx.log,
    "closing",
    async () => {
      if (threat) await passOnThreat(ctx, result.incident, actor);
    },
    // The cards, and a repeat question still waiting: it says the post is closed.
    () => syncCards({ ...ctx.app, api: ctx.api }, result.incident),
    ...had.map(
      ({ organizationId, quiet }) =>
        () =>
          notifyOrganization(ctx.app, ctx.api, organizationId, notice, undefined, {
            once: `closed:${organizationId}`,
            ...(quiet ? { quiet } : {}),
          }),
    ),
    () =>
      tellHeadsOutcome({ ...ctx.app, api: ctx.api }, result.incident, headsClosed(ctx, incidentId, closed)),
  );
  return true;
}

/** The heads' note of the closing: a threat sent on to the competent bodies says so, and when. */
function headsClosed(ctx: BotContext, incidentId: number, closed: string): string {
  const { sla } = ctx.app;
  const forwardedAt = threatForwardedAt(ctx.app.db, incidentId);
  return forwardedAt
    ? ti.threatForwarded(incidentId, formatDeadline(forwardedAt, sla.timezone), sla.regulation.toxic.clause)
    : closed;
}

/** A stale press: the card was closed or moved on; the pressed card is brought up to date. */
async function refuseState(ctx: BotContext, incident: Incident): Promise<void> {
  const closed = incident.row.state === "closed";
  const text = closed ? ti.alreadyClosed : ti.staleCard(incident.id, tr.shortState[incident.row.state]);
  await ctx.answerCallbackQuery({ text, show_alert: true });
  if (!closed) await syncCards({ ...ctx.app, api: ctx.api }, incident);
}

/**
 * Orenburg p.17: a threat goes to the competent state bodies — to their chat when one is set,
 * otherwise the curator is told to pass it on. Georgievsk p.22 only closes it. Each once, however
 * often the closing is handled (see oncePerUpdate): the competent bodies get one report.
 */
async function passOnThreat(ctx: BotContext, incident: Incident, curator: Person): Promise<void> {
  const { toxic } = ctx.app.sla.regulation;
  if (!toxic.forwardThreats) return;
  const recipient = toxic.threatsRecipient ?? ti.defaultThreatsRecipient;
  const chatId = ctx.app.config.lawEnforcementChatId;
  // Named by what it says: a report that went out only when handled again is told too.
  const reply = (what: string, text: string) =>
    oncePerUpdate(ctx.app, `threat-${what}:${incident.id}`, ctx.chatId ?? 0, async () => {
      await ctx.reply(text);
      return true;
    });
  if (chatId === undefined) {
    await reply("pass-on", ti.threatPassOn(incident.id, recipient, toxic.clause));
    return;
  }
  const { row } = incident;
  const { regulation, timezone } = ctx.app.sla;
  const report = ti.threatReport({
    sender: toxic.threatsSender ?? null,
    curator: displayName(curator),
    regulation: regulation.title,
    network: networkName(row.link),
    link: row.link,
    author: row.author,
    text: row.text && clip(row.text, POST_TEXT_FOR_REPORT),
    clause: toxic.clause,
    detectedAt: formatDeadline(row.detectedAt, timezone),
  });
  const passed = await oncePerUpdate(ctx.app, `threat:${incident.id}`, chatId, async () => {
    try {
      await ctx.api.sendMessage(chatId, report, { link_preview_options: { is_disabled: true } });
      recordThreatForwarded(ctx.app.db, {
        incidentId: incident.id,
        actorId: curator.id,
        now: ctx.app.clock.now(),
      });
      return true;
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error;
      ctx.log.warn({ chatId, incidentId: incident.id, error: error.description }, "threat not passed on");
      return false;
    }
  });
  if (passed) await reply("sent", ti.threatSent(incident.id));
  else await reply("not-sent", ti.threatNotSent(incident.id, recipient));
}
