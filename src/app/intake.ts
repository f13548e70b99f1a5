import { and, eq, exists, gte, inArray, isNull, ne, notExists, notInArray, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { cards, incidents, noticesSent, people, repeatQuestions } from "../db/schema.js";
import type { Person } from "../domain/access.js";
import type { Importance, IncidentState } from "../domain/incident.js";
import { commentsHaveLinks, type Network, parseSourceLink } from "../domain/source-link.js";
import { alreadyMadeByThisUpdate, audit } from "./audit.js";
import {
  closeUnanswered,
  type Incident,
  type IncidentRow,
  incidentsAtLink,
  loadIncident,
  markRepeat,
  type RegisterResult,
  registerIncident,
  type TransitionRefusal,
  type TransitionResult,
} from "./incidents.js";
import { claimNotice, noticeClaimed, noticesStartingWith, releaseNotice } from "./notices.js";
import { upsertPerson } from "./people.js";

/**
 * A post as the curator described it. Plain JSON (times in ms) because it travels through a
 * stored conversation.
 */
export interface PostDraft {
  link: string;
  text: string | null;
  author: string | null;
  topic: string | null;
  place: string | null;
  importance: Importance;
  /** The post's own publication time, if the curator gave it. */
  postedAt: number | null;
  repeatOfId: number | null;
  /** Another comment under a post registered at the same link (see NewIncident.anotherComment). */
  anotherComment?: boolean;
}

/**
 * How far back a post's own date may lie: a year before its registration. One older is a mistake (a
 * typo, monitoring software's «0001-01-01» for «no date»), and counted from it the deadlines would run
 * through decades of calendars.
 */
const OLDEST_POST_MS = 366 * 24 * 60 * 60_000;

export const postDateTooOld = (postedAt: number, now: Date): boolean =>
  postedAt < now.getTime() - OLDEST_POST_MS;

/**
 * The incidents already registered at the post's link (by duplicate key), earliest first. A post
 * registered by the very update being handled again after a crash is not among them: its
 * registration goes on to be announced.
 */
export function registeredAtLink(db: Db, link: string): IncidentRow[] {
  const parsed = parseSourceLink(link);
  if (!parsed.ok) return [];
  return incidentsAtLink(db, parsed.key).filter(
    (row) => !alreadyMadeByThisUpdate(db, { entity: "incident", entityId: row.id, action: "registered" }),
  );
}

const folded = (value: string | null) => value?.replace(/\s+/g, " ").trim().toLowerCase() || null;

/**
 * The incident at the post's link that the post may be, sent again: where comments have links of
 * their own, the one at the link; elsewhere (Одноклассники, Дзен…, where a comment has the post's
 * link) one whose text and author do not differ from the post's (an absent one tells nothing).
 */
export function sameAs(
  network: Network,
  atLink: IncidentRow[],
  post: Pick<PostDraft, "text" | "author">,
): IncidentRow | undefined {
  if (commentsHaveLinks(network)) return atLink[0];
  const differ = (a: string | null, b: string | null) => {
    const [x, y] = [folded(a), folded(b)];
    return x !== null && y !== null && x !== y;
  };
  return atLink.find((row) => !differ(row.text, post.text) && !differ(row.author, post.author));
}

/**
 * What is registered at the link of a post a curator registers: the post itself (`same`), or,
 * where a comment has no link of its own and no text there is the post's, the incidents it may be
 * another comment beside (`beside`, for the curator to tell), or nothing.
 */
export function registeredBefore(
  db: Db,
  link: string,
  text: string | null,
): { same: number } | { beside: number[] } | undefined {
  const parsed = parseSourceLink(link);
  const atLink = registeredAtLink(db, link);
  const first = atLink[0];
  if (!parsed.ok || !first) return undefined;
  if (commentsHaveLinks(parsed.network)) return { same: first.id };
  const same = text === null ? undefined : atLink.find((row) => folded(row.text) === folded(text));
  return same ? { same: same.id } : { beside: atLink.map((row) => row.id) };
}

/** Registers the draft; the link was validated while asking, so a bad one here is a programming error. */
export function registerPost(db: Db, draft: PostDraft, actorId: number, now: Date): RegisterResult {
  const parsed = parseSourceLink(draft.link);
  if (!parsed.ok) throw new Error(`registerPost got an invalid link: ${parsed.problem}`);
  return registerIncident(db, {
    link: parsed.url,
    linkKey: parsed.key,
    network: parsed.network,
    text: draft.text,
    author: draft.author,
    topic: draft.topic,
    place: draft.place,
    importance: draft.importance,
    postedAt: draft.postedAt === null ? null : new Date(draft.postedAt),
    repeatOfId: draft.repeatOfId,
    ...(draft.anotherComment ? { anotherComment: true } : {}),
    actorId,
    now,
  });
}

/**
 * Registers a post of monitoring software, which may send one again (a retry after a timeout): a
 * post that may be one at its link (see sameAs) is that one's duplicate; any other at a registered
 * link is another comment under that post, registered too.
 */
export function registerArrival(db: Db, draft: PostDraft, actorId: number, now: Date): RegisterResult {
  const parsed = parseSourceLink(draft.link);
  if (!parsed.ok) throw new Error(`registerArrival got an invalid link: ${parsed.problem}`);
  // Read and written with no await between: no other registration comes in between.
  const atLink = incidentsAtLink(db, parsed.key);
  const same = sameAs(parsed.network, atLink, draft);
  if (same) return { ok: false, reason: "duplicate", existingId: same.id };
  return registerPost(db, { ...draft, anotherComment: atLink.length > 0 }, actorId, now);
}

/** Whether the incident's card has gone out to any chat yet. */
export function hasCards(db: Db, incidentId: number): boolean {
  return (
    db.select({ id: cards.incidentId }).from(cards).where(eq(cards.incidentId, incidentId)).get() !==
    undefined
  );
}

/** Who registers the posts of monitoring software, as «История» names it. No Telegram user has id 0. */
const MONITORING = { id: 0, first_name: "Система мониторинга" };

export function monitoringActor(db: Db, now: Date): number {
  return db.transaction((tx) => upsertPerson(tx, MONITORING, now));
}

const SIGNIFICANT = "significant:";
const URGENT_DECISION = "urgent-decision:";
const REPEAT_OFFER = "repeat-offer:";
const NOT_REPEAT = "not-repeat:";

/**
 * The notices-ledger key of the heads' notice of a post at this importance: a significant post's, or
 * one «требует оперативного решения» (Georgievsk p.24's «Важное»), which is told again once raised
 * to significant.
 */
export const headsNoticeKey = (incidentId: number, importance: Importance) =>
  `${importance === "important" ? URGENT_DECISION : SIGNIFICANT}${incidentId}`;

/** The ledger key of one head's copy of that notice (see headsNoticeKey). */
export const headNoticeKey = (incidentId: number, importance: Importance, telegramId: number) =>
  `${headsNoticeKey(incidentId, importance)}:to:${telegramId}`;

/** The heads (their Telegram ids) who have a heads' notice of the post, at either importance. */
export function headsToldOf(db: Db, incidentId: number): number[] {
  const told = (["significant", "important"] as const).flatMap((importance) => {
    const prefix = `${headsNoticeKey(incidentId, importance)}:to:`;
    // A send's lease (`…:to:<id>:sending`) is no notice had.
    return noticesStartingWith(db, prefix).map((key) => Number(key.slice(prefix.length)));
  });
  return [...new Set(told.filter(Number.isSafeInteger))];
}

/**
 * These heads hear no more of the post as told (its importance lowered, and they heard so): raised
 * again, they are told again, and the post's notice is owed again.
 */
export function forgetHeadsTold(db: Db, incidentId: number, telegramIds: number[]): void {
  db.transaction(() => {
    for (const importance of ["significant", "important"] as const) {
      releaseNotice(db, headsNoticeKey(incidentId, importance));
      for (const telegramId of telegramIds)
        releaseNotice(db, headNoticeKey(incidentId, importance, telegramId));
    }
  });
}

/** Whether the heads were told of the post at this importance or at a higher one. */
export function headsTold(db: Db, incidentId: number, importance: Importance): boolean {
  if (noticeClaimed(db, headsNoticeKey(incidentId, "significant"))) return true;
  return importance === "important" && noticeClaimed(db, headsNoticeKey(incidentId, importance));
}

/**
 * The notices-ledger key of the repeat question about a post from monitoring software, claimed once
 * nothing more is to be sent: every curators' chat that has the card has the question (or refused
 * it), or there was nothing to ask.
 */
export const repeatOfferKey = (incidentId: number) => `${REPEAT_OFFER}${incidentId}`;

/** The notices-ledger key of «Нет, новое», the curators' answer that the post repeats none. */
export const notRepeatKey = (incidentId: number) => `${NOT_REPEAT}${incidentId}`;

const unclaimed = (db: Db, prefix: string) =>
  notExists(
    db
      .select({ key: noticesSent.key })
      .from(noticesSent)
      .where(eq(noticesSent.key, sql`${prefix} || ${incidents.id}`)),
  );

/**
 * Posts of monitoring software registered since `since` that still wait for something to go out
 * (Telegram was unreachable or refused, or the process stopped first): a card that never went out
 * while the post waits to be routed; the repeat question after a card that did go out, while nobody
 * has answered it and the post is neither linked nor over (see repeatOfferKey, REPEAT_QUESTION_OVER).
 */
export function unannouncedArrivals(db: Db, since: Date): number[] {
  const carded = () =>
    db.select({ id: cards.incidentId }).from(cards).where(eq(cards.incidentId, incidents.id));
  return db
    .select({ id: incidents.id })
    .from(incidents)
    .innerJoin(people, eq(people.id, incidents.registeredBy))
    .where(
      and(
        eq(people.telegramId, MONITORING.id),
        gte(incidents.detectedAt, since),
        or(
          and(eq(incidents.state, "registered"), notExists(carded())),
          and(
            notInArray(incidents.state, REPEAT_QUESTION_OVER),
            isNull(incidents.repeatOfId),
            exists(carded()),
            unclaimed(db, REPEAT_OFFER),
            unclaimed(db, NOT_REPEAT),
          ),
        ),
      ),
    )
    .all()
    .map((row) => row.id);
}

/**
 * Open posts changed since `since` whose heads have not all been told of them at their importance
 * (`headsHear`: the preset's significantRecipients.importance; see headsTold): Telegram could not
 * take a head's notice for now, or the process stopped first.
 */
export function headsOwed(db: Db, since: Date, headsHear: Importance[]): number[] {
  return db
    .select({ id: incidents.id })
    .from(incidents)
    .where(
      and(
        ne(incidents.state, "closed"),
        gte(incidents.updatedAt, since),
        inArray(incidents.importance, headsHear),
        unclaimed(db, SIGNIFICANT),
        or(ne(incidents.importance, "important"), unclaimed(db, URGENT_DECISION)),
      ),
    )
    .all()
    .map((row) => row.id);
}

/** The message id of the incident's card in a chat, to point the curator at it. */
export function cardMessageId(db: Db, incidentId: number, chatId: number): number | undefined {
  return db
    .select({ messageId: cards.messageId })
    .from(cards)
    .where(and(eq(cards.incidentId, incidentId), eq(cards.chatId, chatId)))
    .get()?.messageId;
}

/** Where the repeat question about the incident was sent, one copy a chat. */
export interface RepeatQuestionCopy {
  chatId: number;
  messageId: number;
}

export function repeatQuestionCopies(db: Db, incidentId: number): RepeatQuestionCopy[] {
  return db
    .select({ chatId: repeatQuestions.chatId, messageId: repeatQuestions.messageId })
    .from(repeatQuestions)
    .where(eq(repeatQuestions.incidentId, incidentId))
    .all();
}

export function recordRepeatQuestion(
  db: Db,
  copy: RepeatQuestionCopy & { incidentId: number; now: Date },
): void {
  const { incidentId, chatId, messageId, now } = copy;
  db.insert(repeatQuestions)
    .values({ incidentId, chatId, messageId, sentAt: now })
    .onConflictDoUpdate({
      target: [repeatQuestions.incidentId, repeatQuestions.chatId],
      set: { messageId, sentAt: now },
    })
    .run();
}

/**
 * The states in which the repeat question is over unanswered: the post closed without an answer, or
 * its answer out — a link could no longer tell the answer what was done since (Orenburg p.15), and
 * the details menu no longer offers «Повторное к …» either.
 */
const REPEAT_QUESTION_OVER: IncidentState[] = ["closed", "answered"];

const questionOver = (state: IncidentState) => REPEAT_QUESTION_OVER.includes(state);

/** Whether the repeat question about the post still waits for an answer. */
export function repeatQuestionOpen(db: Db, incidentId: number): boolean {
  const incident = loadIncident(db, incidentId);
  return (
    incident !== undefined &&
    incident.row.repeatOfId === null &&
    !questionOver(incident.row.state) &&
    !noticeClaimed(db, notRepeatKey(incidentId))
  );
}

/**
 * Whether the post went past its repeat question unanswered: answered or closed while nobody linked
 * it or called it new. Its copies are then to say so (see forgetRepeatQuestion).
 */
export function repeatQuestionLeftOver(
  db: Db,
  row: Pick<IncidentRow, "id" | "state" | "repeatOfId">,
): boolean {
  return row.repeatOfId === null && questionOver(row.state) && !noticeClaimed(db, notRepeatKey(row.id));
}

/** These copies of the question, once they say it is over: a later change of the post leaves them be. */
export function forgetRepeatQuestion(db: Db, incidentId: number, copies: RepeatQuestionCopy[]): void {
  db.transaction(() => {
    for (const { chatId, messageId } of copies)
      db.delete(repeatQuestions)
        .where(
          and(
            eq(repeatQuestions.incidentId, incidentId),
            eq(repeatQuestions.chatId, chatId),
            eq(repeatQuestions.messageId, messageId),
          ),
        )
        .run();
  });
}

const repeatEvent = (incidentId: number) =>
  ({ entity: "incident", entityId: incidentId, action: "markRepeat" }) as const;

/**
 * «Повторное к № N» to the repeat question: links the post (see markRepeat) unless a curator has
 * answered «Нет, новое», or the answer is out (see REPEAT_QUESTION_OVER; markRepeat refuses a closed
 * post). One transaction, so of two answers given at once, in any process, one stands.
 */
export function answerRepeat(
  db: Db,
  input: { incidentId: number; repeatOfId: number; actor: Person; now: Date },
): TransitionResult | { ok: false; refusal: "not_repeat" } {
  return db.transaction(
    (): TransitionResult | { ok: false; refusal: "not_repeat" } => {
      if (noticeClaimed(db, notRepeatKey(input.incidentId))) return { ok: false, refusal: "not_repeat" };
      const state = loadIncident(db, input.incidentId)?.row.state;
      if (
        state !== undefined &&
        questionOver(state) &&
        !alreadyMadeByThisUpdate(db, repeatEvent(input.incidentId))
      )
        return { ok: false, refusal: "wrong_state" };
      return markRepeat(db, input);
    },
    { behavior: "immediate" },
  );
}

/** Why «Да, закрыть» after «Дубль № N — закрыть» changed nothing: the link was refused, or the closing. */
export type DuplicateRefusal =
  | { ok: false; refusal: TransitionRefusal | "not_repeat"; refused: "link" }
  | { ok: false; refusal: TransitionRefusal; refused: "close" };

/** Carries the closing's refusal out of the transaction it undoes. */
class CloseRefused extends Error {
  constructor(readonly refusal: TransitionRefusal) {
    super(`closing refused: ${refusal}`);
  }
}

/**
 * «Да, закрыть» after «Дубль № N — закрыть»: the post is linked to N as its repeat (see answerRepeat;
 * unless it is already) and closed as N's duplicate, one transaction with both audit events: a
 * closing refused undoes the link, and the post stays as it was.
 */
export function closeAsDuplicate(
  db: Db,
  input: { incidentId: number; repeatOfId: number; actor: Person; now: Date },
): TransitionResult | DuplicateRefusal {
  try {
    return db.transaction(
      (): TransitionResult | DuplicateRefusal => {
        if (loadIncident(db, input.incidentId)?.row.repeatOfId !== input.repeatOfId) {
          const linked = answerRepeat(db, input);
          if (!linked.ok) return { ...linked, refused: "link" };
        }
        const closed = closeUnanswered(db, { ...input, reason: "void", duplicate: true });
        if (!closed.ok) throw new CloseRefused(closed.refusal);
        return closed;
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (error instanceof CloseRefused) return { ok: false, refusal: error.refusal, refused: "close" };
    throw error;
  }
}

/**
 * «Нет, новое» to the repeat question: recorded once, with its audit event («История» shows it),
 * unless the post was linked or closed first. Refused with the incident as it stands (undefined:
 * there is no such post). Handled again after a crash, the update finds its answer made.
 */
export function answerNotRepeat(
  db: Db,
  input: { incidentId: number; actor: Person; now: Date },
): { ok: true } | { ok: false; incident: Incident | undefined } {
  const { incidentId, actor, now } = input;
  const event = { entity: "incident", entityId: incidentId, action: "markNotRepeat" } as const;
  return db.transaction(
    (tx) => {
      if (alreadyMadeByThisUpdate(tx, event)) return { ok: true as const };
      const incident = loadIncident(tx, incidentId);
      if (!incident || incident.row.repeatOfId !== null || questionOver(incident.row.state))
        return { ok: false as const, incident };
      if (!claimNotice(db, notRepeatKey(incidentId), now)) return { ok: false as const, incident };
      audit(tx, now, { actorId: actor.id, ...event });
      return { ok: true as const };
    },
    { behavior: "immediate" },
  );
}
