/**
 * «Изменить сведения» on the curators' card: a menu where a curator raises or lowers the post's
 * importance with one tap and sets or corrects its topic and place, or the post's text and author (the
 * cards quote them to the executors), or its link (the post deleted and posted again), in a short
 * dialogue. Raised to «социально значимое», the post goes to the heads at once, as one registered so
 * does (Orenburg p.21, Georgievsk p.24); a topic or place set counts toward a surge. Every button carries the version the
 * curator saw: a change made meanwhile (by another curator, say) is shown, not overwritten unseen.
 */
import { type Api, type Context, GrammyError, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import {
  changePostDetail,
  detailsEditable,
  linkTakenBy,
  type PostDetail,
  type TypedDetail,
} from "../app/importance.js";
import {
  type Incident,
  incidentsAtLink,
  loadIncident,
  markRepeat,
  type TransitionRefusal,
} from "../app/incidents.js";
import { postDateTooOld } from "../app/intake.js";
import { cb } from "../bot/callback-data.js";
import { syncCards } from "../bot/cards.js";
import type { AppDeps, BotContext } from "../bot/context.js";
import { announceEach, cardDeps } from "../bot/delivery.js";
import { settleRepeatQuestion } from "../bot/repeat-questions.js";
import { t } from "../bot/texts.js";
import { tr } from "../bot/texts-incidents.js";
import { ti } from "../bot/texts-intake.js";
import { displayName } from "../domain/access.js";
import { type Importance, voidable } from "../domain/incident.js";
import { findLinks, parseSourceLink, postLinkIn } from "../domain/source-link.js";
import { formatDeadline } from "../domain/time-format.js";
import {
  aboutPost,
  askOf,
  type Flow,
  isCancel,
  pressedOn,
  removeButtons,
  staleStep,
  waitForAnswer,
} from "./ask.js";
import { announceDetail, parseLocalTime, snippet } from "./intake.js";

export const LEVELS: Importance[] = ["normal", "important", "significant"];
const MAX_FIELD = 300;
const MAX_LINK = 2000;
/** A post's text: as long as one message carries. */
const MAX_TEXT = 4096;

/** Where the menu is, so the dialogue can bring it up to date. Plain JSON: it is a dialogue's argument. */
export interface MenuAt {
  chatId: number;
  messageId: number;
}

export function detailsMenu(
  incident: Incident,
  timezone: string,
): { text: string; keyboard: InlineKeyboard } {
  const { id, row } = incident;
  const keyboard = new InlineKeyboard();
  for (const level of LEVELS) {
    const label = tr.edit.level[level];
    keyboard.text(
      row.importance === level ? tr.edit.current(label) : label,
      cb("imp.set", id, level, row.version),
    );
    keyboard.row();
  }
  for (const subject of ["topic", "place"] as const)
    keyboard.text(tr.edit.subject[subject], cb("imp.ask", id, subject, row.version));
  keyboard.text(tr.edit.postedAt.button, cb("imp.date", id, row.version));
  keyboard.row();
  for (const subject of ["text", "author"] as const)
    keyboard.text(tr.edit.subject[subject], cb("imp.ask", id, subject, row.version));
  keyboard.row().text(tr.edit.link.button, cb("imp.link", id, row.version));
  // A repeat found later than at registration (Orenburg p.15; Georgievsk p.19): linked once.
  if (row.repeatOfId === null) keyboard.text(tr.edit.repeat.button, cb("imp.rep", id, row.version));
  // Deleted by its author, or registered by mistake: closed without an answer, out of the report.
  if (voidable(incident)) keyboard.row().text(tr.edit.void, cb("inc.void", id));
  keyboard.row().text(tr.edit.close, cb("imp.close", id));
  const posted = row.postedAt ? formatDeadline(row.postedAt, timezone) : null;
  const text = tr.edit.menu(id, t.importance[row.importance], row.topic, row.place, row.repeatOfId, posted);
  return { text, keyboard };
}

/**
 * Shows the menu as the incident is now (without buttons once it can no longer be changed). A menu
 * Telegram no longer lets edit is left as it is: its stale buttons are refused when pressed.
 */
export async function refreshMenu(
  api: Api,
  timezone: string,
  menu: MenuAt,
  incident: Incident | undefined,
): Promise<void> {
  if (!incident) return;
  const { text, keyboard } = detailsMenu(incident, timezone);
  try {
    await api.editMessageText(menu.chatId, menu.messageId, text, {
      reply_markup: detailsEditable(incident) ? keyboard : new InlineKeyboard(),
    });
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
  }
}

/** Why the change was not made, in words. */
export function detailRefusal(deps: AppDeps, incidentId: number, refusal: TransitionRefusal): string {
  if (refusal === "forbidden") return tr.edit.notCurator;
  if (refusal === "changed") return tr.edit.changed(incidentId);
  const state = loadIncident(deps.db, incidentId)?.row.state;
  if (state === undefined) return tr.notFoundNumber(incidentId);
  return state === "answered" ? tr.edit.answered(incidentId) : tr.closed(incidentId);
}

/** A link to a post, video or comment in a network, not to a map or a site. */
function isPostLink(link: string): boolean {
  const parsed = parseSourceLink(link);
  return parsed.ok && parsed.post;
}

/**
 * What the curator's answer to «Тема», «Место» and the like is: a text, «Убрать» (null), or nothing;
 * `refused` once an answer was refused in between (see tellDone). «Убрать»
 * and «Отмена» count only under this question: under an earlier one (the topic's, left when «Место»
 * was chosen) they get a pop-up and do nothing. A post forwarded, or its link pasted where no link
 * is asked (`takesLinks` false), is a new post to register: the question closes, saying so.
 */
async function waitForValue(
  conversation: Flow,
  prompt: Message,
  max = MAX_FIELD,
  takesLinks = false,
  bad: string = tr.edit.badValue,
): Promise<{ value: string | null; refused: boolean } | "cancelled"> {
  let refused = false;
  for (;;) {
    const answer = await waitForAnswer(conversation);
    const data = answer.callbackQuery?.data;
    if (data === "dt.cancel" || data === "dt.clear") {
      if (!pressedOn(answer, prompt)) {
        await staleStep(answer);
        continue;
      }
      await answer.answerCallbackQuery();
      return data === "dt.cancel" ? "cancelled" : { value: null, refused };
    }
    // Another card's button, or the menu's, is handled as usual.
    if (data !== undefined) await conversation.skip({ next: true });
    const text = answer.message?.text?.trim();
    const newPost = answer.message?.forward_origin
      ? "forward"
      : !takesLinks && findLinks(text ?? "").some((link) => isPostLink(link))
        ? "link"
        : undefined;
    if (newPost) {
      await answer.reply(tr.edit.closedByPost(newPost, answer.chat?.type === "private"));
      await conversation.halt({ next: true });
    }
    if (isCancel(text)) return "cancelled";
    if (text?.startsWith("/")) await conversation.halt({ next: true });
    if (text && text.length <= max) return { value: text, refused };
    if (answer.message) {
      await answer.reply(bad);
      refused = true;
    }
  }
}

/**
 * Asks again until `check` takes the answer (a post's number, a time, a link); each refusal says
 * why (`refused`, see tellDone). Undefined once the curator cancels. The question loses its buttons
 * either way.
 */
async function askUntilValid<T extends number | string>(
  conversation: Flow,
  ctx: Context,
  prompt: Message,
  max: number,
  check: (said: string) => { value: T } | { problem: string },
  takesLinks = false,
): Promise<{ value: T; refused: boolean } | undefined> {
  let refused = false;
  for (;;) {
    const reply = await waitForValue(conversation, prompt, max, takesLinks);
    if (reply === "cancelled") {
      await removeButtons(ctx, prompt);
      await ctx.reply(tr.cancelled);
      return undefined;
    }
    const said = reply.value ?? "";
    const found = await conversation.external(() => check(said));
    if ("value" in found) {
      await removeButtons(ctx, prompt);
      return { value: found.value, refused: refused || reply.refused };
    }
    await ctx.reply(found.problem);
    refused = true;
  }
}

/**
 * A value typed in the menu's dialogue, applied as of the version the menu showed: every card shows
 * it (see announceDetail) and the menu is brought up to date. Returns what the curator is told, and
 * whether it was done (written, or so already) rather than refused.
 */
async function applyDetail(
  deps: AppDeps,
  outer: BotContext,
  input: { incidentId: number; detail: PostDetail; version: number; menu: MenuAt },
  done: string,
): Promise<{ said: string; done: boolean }> {
  const { incidentId, detail, version, menu } = input;
  if (!outer.person) return { said: tr.edit.notCurator, done: false };
  const result = changePostDetail(deps.db, {
    incidentId,
    detail,
    actor: outer.person,
    now: deps.clock.now(),
    expectedVersion: version,
  });
  const incident = result.ok ? result.incident : loadIncident(deps.db, incidentId);
  await announceEach(
    outer.log,
    "post detail",
    async () => {
      if (result.ok && result.changed)
        await announceDetail(cardDeps(deps, outer.api), detail.field, result.incident);
    },
    () => refreshMenu(outer.api, deps.sla.timezone, menu, incident),
  );
  if (result.ok) return { said: result.changed ? done : tr.edit.same, done: true };
  if (result.takenBy !== undefined) return { said: tr.edit.link.taken(result.takenBy), done: false };
  const said =
    result.refusal === "changed"
      ? tr.edit.changedWhileTyping(
          incidentId,
          detail.field === "postedAt"
            ? tr.edit.postedAt.button
            : detail.field === "link"
              ? tr.edit.link.button
              : detail.field === "importance"
                ? tr.edit.button
                : tr.edit.subject[detail.field],
        )
      : detailRefusal(deps, incidentId, result.refusal);
  return { said, done: false };
}

/**
 * What was done, told where the curator looks. A question answered at once becomes its own
 * confirmation, edited in place (without sound, as the menu above and the cards are): a group gets
 * no message more for each detail set. After a refused answer the question is no longer the last
 * word, and a refusal of the change must be seen: those are a message of their own, as is a
 * confirmation Telegram would not edit in (the question deleted, say).
 */
async function tellDone(ctx: Context, prompt: Message, said: string, inQuestion: boolean): Promise<void> {
  if (inQuestion) {
    try {
      await ctx.api.editMessageText(prompt.chat.id, prompt.message_id, said);
      return;
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error;
    }
  }
  await ctx.reply(said);
}

/**
 * «Тема», «Место», «Текст поста» or «Автор» in the menu: the new value, or «Убрать». The post's text
 * is the citizen's, copied from the post: it may be long and carry links.
 */
export function detailFlow(deps: AppDeps) {
  return async function postDetailDialog(
    conversation: Flow,
    ctx: Context,
    incidentId: number,
    subject: TypedDetail,
    version: number,
    menu: MenuAt,
  ): Promise<void> {
    aboutPost(conversation, incidentId);
    const current = await conversation.external(() => {
      const value = loadIncident(deps.db, incidentId)?.row[subject] ?? null;
      return subject === "text" ? snippet(value) : value;
    });
    const keyboard = new InlineKeyboard();
    if (current) keyboard.text(tr.edit.clear[subject], cb("dt.clear")).row();
    keyboard.text(tr.route.cancel, cb("dt.cancel"));
    const prompt = await askOf(conversation, ctx, tr.edit.ask[subject](incidentId, current), {
      reply_markup: keyboard,
    });
    const isText = subject === "text";
    const reply = await (isText
      ? waitForValue(conversation, prompt, MAX_TEXT, true, tr.edit.badText)
      : waitForValue(conversation, prompt));
    await removeButtons(ctx, prompt);
    if (reply === "cancelled") {
      await ctx.reply(tr.cancelled);
      return;
    }
    const detail = { field: subject, value: reply.value };
    const { said, done } = await conversation.external((outer) =>
      applyDetail(
        deps,
        outer,
        { incidentId, detail, version, menu },
        tr.edit.set[subject](incidentId, reply.value),
      ),
    );
    await tellDone(ctx, prompt, said, done && !reply.refused);
  };
}

/**
 * The earlier post a curator names by its number («12», «№ 12») or its link, or why it cannot be
 * the one this post repeats: unknown, not registered, or not earlier.
 */
function earlierPost(
  deps: AppDeps,
  incidentId: number,
  said: string,
): { value: number } | { problem: string } {
  const number = /^(?:№\s*)?(\d{1,9})$/.exec(said);
  let id: number | undefined;
  if (number) {
    id = Number(number[1]);
    if (!loadIncident(deps.db, id)) return { problem: tr.edit.repeat.noNumber(id) };
  } else {
    const link = parseSourceLink(said);
    if (!link.ok) return { problem: tr.edit.repeat.badAnswer };
    // Comments under one post registered at its link (Одноклассники, Дзен…): which one, by number.
    const all = incidentsAtLink(deps.db, link.key);
    const atLink = all.length > 1 ? all.filter((row) => row.id !== incidentId) : all;
    if (atLink.length > 1) return { problem: tr.edit.repeat.severalAtLink(atLink.map((row) => row.id)) };
    id = atLink[0]?.id;
    if (id === undefined) return { problem: tr.edit.repeat.noLink };
  }
  return id < incidentId ? { value: id } : { problem: tr.edit.repeat.notEarlier(incidentId, id) };
}

/** «Повторное к …» in the menu: the number or link of the earlier post, then the link is made. */
export function repeatFlow(deps: AppDeps) {
  return async function postRepeatDialog(
    conversation: Flow,
    ctx: Context,
    incidentId: number,
    menu: MenuAt,
  ): Promise<void> {
    aboutPost(conversation, incidentId);
    const prompt = await askOf(conversation, ctx, tr.edit.repeat.ask(incidentId), {
      reply_markup: new InlineKeyboard().text(tr.route.cancel, cb("dt.cancel")),
    });
    // A link with its tracking parameters may be long: the parser drops them.
    const earlier = await askUntilValid(
      conversation,
      ctx,
      prompt,
      MAX_LINK,
      (said) => earlierPost(deps, incidentId, said),
      true,
    );
    if (earlier === undefined) return;
    const repeatOfId = earlier.value;
    const { said, done } = await conversation.external(async (outer) => {
      if (!outer.person) return { said: tr.edit.notCurator, done: false };
      const result = markRepeat(deps.db, {
        incidentId,
        repeatOfId,
        actor: outer.person,
        now: deps.clock.now(),
      });
      const incident = result.ok ? result.incident : loadIncident(deps.db, incidentId);
      await announceEach(
        outer.log,
        "repeat",
        async () => {
          if (result.ok) await syncCards(cardDeps(deps, outer.api), result.incident);
        },
        () => refreshMenu(outer.api, deps.sla.timezone, menu, incident),
        // The registration's question, answered or not, says so now: nobody answers it twice.
        async () => {
          if (!result.ok || !outer.person) return;
          const decided = ti.repeatDecided(incidentId, repeatOfId, displayName(outer.person));
          await settleRepeatQuestion({ api: outer.api, db: deps.db, log: outer.log }, incidentId, decided);
        },
      );
      if (result.ok) return { said: tr.edit.repeat.done(incidentId, repeatOfId), done: true };
      const linked = incident?.row.repeatOfId;
      if (result.refusal === "wrong_state" && linked)
        return { said: tr.edit.repeat.already(incidentId, linked), done: false };
      return { said: detailRefusal(deps, incidentId, result.refusal), done: false };
    });
    await tellDone(ctx, prompt, said, done && !earlier.refused);
  };
}

/**
 * The post's own publication time, read from the curator's «дд.мм.гггг чч:мм»; or why not: it must
 * have come, be within a year, and not after the post was detected.
 */
function postTime(deps: AppDeps, incidentId: number, said: string): { value: number } | { problem: string } {
  const at = parseLocalTime(said, deps.sla.timezone);
  if (at === undefined) return { problem: tr.edit.postedAt.badValue };
  const detected = loadIncident(deps.db, incidentId)?.row.detectedAt;
  if (detected && at > detected.getTime())
    return { problem: tr.edit.postedAt.afterDetection(formatDeadline(detected, deps.sla.timezone)) };
  if (postDateTooOld(at, deps.clock.now())) return { problem: tr.edit.postedAt.tooOld };
  return { value: at };
}

/** «Дата поста» in the menu: when the post itself was published, which Orenburg p.13 counts from. */
export function postDateFlow(deps: AppDeps) {
  return async function postDateDialog(
    conversation: Flow,
    ctx: Context,
    incidentId: number,
    version: number,
    menu: MenuAt,
  ): Promise<void> {
    aboutPost(conversation, incidentId);
    const current = await conversation.external(() => {
      const at = loadIncident(deps.db, incidentId)?.row.postedAt;
      return at ? formatDeadline(at, deps.sla.timezone) : null;
    });
    const prompt = await askOf(conversation, ctx, tr.edit.postedAt.ask(incidentId, current), {
      reply_markup: new InlineKeyboard().text(tr.route.cancel, cb("dt.cancel")),
    });
    const time = await askUntilValid(conversation, ctx, prompt, MAX_FIELD, (said) =>
      postTime(deps, incidentId, said),
    );
    if (time === undefined) return;
    const postedAt = new Date(time.value);
    const detail = { field: "postedAt", value: postedAt } as const;
    const told = tr.edit.postedAt.set(incidentId, formatDeadline(postedAt, deps.sla.timezone));
    const { said, done } = await conversation.external((outer) =>
      applyDetail(deps, outer, { incidentId, detail, version, menu }, told),
    );
    await tellDone(ctx, prompt, said, done && !time.refused);
  };
}

/**
 * The post's new link, read as registration reads it (the whole answer, or the post's link among its
 * words); or why not: malformed, or another post's (a link is one post's: its number is said).
 */
function newLink(deps: AppDeps, incidentId: number, said: string): { value: string } | { problem: string } {
  const whole = parseSourceLink(said);
  const parsed = whole.ok ? whole : (postLinkIn(said) ?? whole);
  if (!parsed.ok) return { problem: ti.badLink[parsed.problem] };
  const takenBy = linkTakenBy(deps.db, incidentId, parsed.url);
  return takenBy === undefined ? { value: parsed.url } : { problem: tr.edit.link.taken(takenBy) };
}

/**
 * «Ссылка на пост» in the menu: the citizen deleted the post and posted it again, or a wrong link was
 * registered. The post keeps its number, holder, drafts and deadlines; the cards show the new link,
 * and the organizations that have the post hear of it (see announceDetail).
 */
export function postLinkFlow(deps: AppDeps) {
  return async function postLinkDialog(
    conversation: Flow,
    ctx: Context,
    incidentId: number,
    version: number,
    menu: MenuAt,
  ): Promise<void> {
    aboutPost(conversation, incidentId);
    const current = await conversation.external(() => loadIncident(deps.db, incidentId)?.row.link ?? "");
    const prompt = await askOf(conversation, ctx, tr.edit.link.ask(incidentId, current), {
      reply_markup: new InlineKeyboard().text(tr.route.cancel, cb("dt.cancel")),
    });
    const link = await askUntilValid(
      conversation,
      ctx,
      prompt,
      MAX_TEXT,
      (said) => newLink(deps, incidentId, said),
      true,
    );
    if (link === undefined) return;
    const detail = { field: "link", value: link.value } as const;
    const { said, done } = await conversation.external((outer) =>
      applyDetail(
        deps,
        outer,
        { incidentId, detail, version, menu },
        tr.edit.link.set(incidentId, link.value),
      ),
    );
    await tellDone(ctx, prompt, said, done && !link.refused);
  };
}
