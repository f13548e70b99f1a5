/**
 * `POST /intake`: posts from monitoring software (Georgievsk p.5: «специализированное программное
 * обеспечение», in practice «Инцидент Менеджмент») are registered as if a curator had forwarded them:
 * the card goes to the curators, a significant post to the heads at once, a surge is announced.
 * The caller shows `Authorization: Bearer <INTAKE_TOKEN>`. The same link twice is one incident, so a
 * caller may safely send a post again after a timeout. Nobody asked whether the post repeats an
 * earlier one, so after the card the curators are asked, with buttons (see offerRepeat).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { TextDecoder } from "node:util";
import { type Api, GrammyError, HttpError } from "grammy";
import { z } from "zod";
import { curatorChats, reachableCuratorChats } from "../app/chats.js";
import { keepHigherImportance } from "../app/importance.js";
import { type Incident, loadIncident, openIncidents } from "../app/incidents.js";
import {
  cardMessageId,
  hasCards,
  monitoringActor,
  type PostDraft,
  postDateTooOld,
  recordRepeatQuestion,
  registerArrival,
  repeatOfferKey,
  repeatQuestionCopies,
  repeatQuestionOpen,
  unannouncedArrivals,
} from "../app/intake.js";
import { claimNotice, noticeClaimed } from "../app/notices.js";
import { Backoff } from "../backoff.js";
import type { Target } from "../bot/cards.js";
import type { AppDeps } from "../bot/context.js";
import { quietNow } from "../bot/delivery.js";
import { chatRefused, curatorsReached, failureOf, tellAdminsNoCurators } from "../bot/refused-chats.js";
import { onDisk } from "../db/durability.js";
import { IMPORTANCES } from "../db/schema.js";
import { parseSourceLink } from "../domain/source-link.js";
import { announceDetail, announceRegistered, repeatOffers, repeatQuestion } from "../flows/intake.js";
import { OneAtATime, settled } from "../one-at-a-time.js";

type AnnounceDeps = AppDeps & { api: Api };

export const INTAKE_PATH = "/intake";

const MAX_FIELD = 300;
const MAX_TEXT = 20_000;
/**
 * A post is a few kilobytes; anything much larger is not one. The bound holds a text of MAX_TEXT
 * letters as Python's or PHP's JSON writes Cyrillic by default: `\uXXXX`, 6 bytes a letter.
 */
const MAX_BODY_BYTES = 6 * MAX_TEXT + 8 * 1024;
/**
 * A body over MAX_BODY_BYTES is still read (and dropped) up to this, so that the 413 leaves its
 * kept-alive connection ready for the caller's next post; a larger one is answered at once and its
 * connection closed.
 */
const MAX_DRAINED_BYTES = 1024 * 1024;
/** A monitoring server's clock a little ahead of ours does not make its post one from the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

const optionalText = (max: number) =>
  z
    .string({ error: "expected a string" })
    .trim()
    .max(max, { error: `expected at most ${max} characters` })
    .transform((value) => value || null)
    .nullish()
    .transform((value) => value ?? null);

const postSchema = z.strictObject({
  link: z
    .string({
      error: (issue) => (issue.input === undefined ? "is required: the post's link" : "expected a string"),
    })
    .trim()
    .min(1, { error: "is required: the post's link" }),
  text: optionalText(MAX_TEXT),
  author: optionalText(MAX_FIELD),
  topic: optionalText(MAX_FIELD),
  place: optionalText(MAX_FIELD),
  importance: z.enum(IMPORTANCES, { error: `expected one of ${IMPORTANCES.join(", ")}` }).default("normal"),
  postedAt: z.iso
    .datetime({
      offset: true,
      error: "expected an ISO 8601 time with its offset, e.g. 2026-11-24T10:00:00+03:00",
    })
    .nullish()
    .transform((value) => (value ? Date.parse(value) : null)),
});

/** `close`: the request's body was left unread, so its connection cannot carry another request. */
type Reply = { status: number; body: Record<string, unknown>; close?: boolean };

const refused = (status: number, error: string): Reply => ({ status, body: { ok: false, error } });

export interface IntakeEndpoint {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Announces the posts whose card never went out (also done at creation and every minute). */
  catchUp(): Promise<void>;
  /** Waits, at most `ms`, for the announcements going out. */
  settle(ms: number): Promise<void>;
  /** At shutdown: stops catching up and waits, at most `ms`, for the announcements going out. */
  close(ms: number): Promise<void>;
}

/** A card not out after this long is left to the curators' routing reminders. */
const CATCH_UP_WINDOW_MS = 24 * 60 * 60_000;
const CATCH_UP_EVERY_MS = 60_000;

/**
 * The endpoint; `token` is the deployment's INTAKE_TOKEN. The caller is answered as soon as the post
 * is registered: the card and the heads' notice go out after, so an unreachable Telegram (which the
 * bot's API waits out) never holds the caller or a shutdown. A post whose card did not go out, or
 * whose repeat question is owed (Telegram was unreachable or refused, the process stopped), is
 * announced again at start and then at growing intervals, for a day; heads not told are the sweep's
 * (jobs/heads.ts), as for any post.
 */
export function intakeEndpoint(deps: AnnounceDeps, token: string): IntakeEndpoint {
  const expected = digest(token);
  const announcements = new Announcements(deps);
  const retries = new Backoff<number>();
  const catchUp = async () => {
    try {
      const now = deps.clock.now().getTime();
      const waiting = unannouncedArrivals(deps.db, new Date(now - CATCH_UP_WINDOW_MS));
      for (const id of retries.due(waiting, now, (id) => announcements.pending(id)))
        announcements.add(id, announceUnlessOut(id));
      await announcements.settle(CATCH_UP_EVERY_MS);
    } catch (err) {
      deps.log.error({ err }, "intake: catching up on unannounced posts failed");
    }
  };
  let catching = catchUp();
  const timer = setInterval(() => {
    catching = catching.then(catchUp);
  }, CATCH_UP_EVERY_MS);
  timer.unref();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // A post counts as taken once it is on the disk (db/durability.ts).
    const reply = await answer(deps, expected, announcements, req)
      .then(async (reply) => {
        await onDisk(deps.db);
        return reply;
      })
      .catch((err: unknown): Reply => {
        deps.log.error({ err }, "intake request failed");
        return refused(500, "the post could not be registered; send it again later");
      });
    if (reply.status >= 400 && reply.status < 500)
      deps.log.warn({ status: reply.status, error: reply.body.error }, "intake request refused");
    const body = JSON.stringify(reply.body);
    const headers: Record<string, string | number> = {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
    };
    if (reply.status === 405) headers.allow = "POST";
    if (reply.status === 401) headers["www-authenticate"] = "Bearer";
    if (reply.close) headers.connection = "close";
    res.writeHead(reply.status, headers).end(body);
  };
  return {
    handle,
    catchUp: () => (catching = catching.then(catchUp)),
    settle: (ms) => announcements.settle(ms),
    close: async (ms) => {
      clearInterval(timer);
      await announcements.settle(ms);
    },
  };
}

/**
 * The announcement of a post whose card has not gone out, if that is still so when its turn comes
 * (the card is then brought up to date in place, not sent twice); and the repeat question, in the
 * chats that have not had it yet.
 */
function announceUnlessOut(id: number): (deps: AnnounceDeps) => Promise<void> {
  return async (deps) => {
    const incident = loadIncident(deps.db, id);
    if (!incident) return;
    if (!hasCards(deps.db, id)) await announceArrival(deps, incident);
    await offerRepeat(deps, id);
  };
}

/**
 * Monitoring software posts around the clock, but nobody is pinged at night: outside working time
 * the card of a post that is not significant arrives without sound (the heads hear of a significant
 * one at once). Without a curators' chat each curator gets it privately: someone must route it; with
 * no curator to get it, the admins are told to invite one (once until a curator is reached again).
 */
async function announceArrival(deps: AnnounceDeps, incident: Incident): Promise<void> {
  await announceRegistered(deps, incident, curatorTargets(deps), { silent: quietNow(deps, incident) });
  if (reachableCuratorChats(deps.db).length > 0) curatorsReached(deps.db);
  else
    await tellAdminsNoCurators(deps, incident.id, openIncidents(deps.db, { states: ["registered"] }).length);
}

/**
 * A curator registering a post in Telegram is asked whether it repeats an earlier one (Orenburg
 * p.15; Georgievsk p.19); a post from monitoring software has nobody to ask, so the curators are
 * asked after its card, in reply to it, where the card is: the same author, topic or place within
 * the preset's window, before the post. Each chat is asked once (its copy is recorded, so an answer
 * in one chat settles them all, see features/intake.ts), and not about a post answered, linked or
 * closed meanwhile. A card not out yet waits for the catch-up, and so does the question: it must
 * follow the card. So does a question Telegram could not take for now (no network, 429, 5xx); a
 * refusal is told to the admins as for a card, and not tried again.
 */
async function offerRepeat(deps: AnnounceDeps, incidentId: number): Promise<void> {
  const { db } = deps;
  const key = repeatOfferKey(incidentId);
  const incident = loadIncident(db, incidentId);
  if (!incident || noticeClaimed(db, key) || !repeatQuestionOpen(db, incidentId)) return;
  const { row } = incident;
  const offers = repeatOffers(deps, row);
  if (offers.length === 0) {
    claimNotice(db, key, deps.clock.now());
    return;
  }
  const { text, keyboard } = repeatQuestion(row.id, offers);
  const asked = new Set(repeatQuestionCopies(db, row.id).map((copy) => copy.chatId));
  let carded = false;
  let later = false;
  for (const { chatId } of curatorTargets(deps)) {
    const card = cardMessageId(db, row.id, chatId);
    if (card === undefined) continue;
    carded = true;
    if (asked.has(chatId)) continue;
    if (!repeatQuestionOpen(db, row.id)) return;
    try {
      const sent = await deps.api.sendMessage(chatId, text, {
        reply_markup: keyboard,
        reply_parameters: { message_id: card, allow_sending_without_reply: true },
        link_preview_options: { is_disabled: true },
        // The card it follows rang already (or did not, at night): the question adds no sound.
        disable_notification: true,
      });
      recordRepeatQuestion(db, { incidentId, chatId, messageId: sent.message_id, now: deps.clock.now() });
      // Answered in another chat while this copy was on its way: the answer did not see it.
      if (!repeatQuestionOpen(db, row.id)) await withoutButtons(deps, chatId, sent.message_id);
    } catch (error) {
      if (!(error instanceof GrammyError) && !(error instanceof HttpError)) throw error;
      deps.log.warn({ chatId, incidentId, error: error.message }, "repeat question not delivered");
      const failure = failureOf(error);
      if (failure === "failed") later = true;
      else if (failure === "refused") await chatRefused(deps, chatId, error);
    }
  }
  if (carded && !later) claimNotice(db, key, deps.clock.now());
}

async function withoutButtons(deps: AnnounceDeps, chatId: number, messageId: number): Promise<void> {
  try {
    await deps.api.editMessageReplyMarkup(chatId, messageId);
  } catch (error) {
    if (!(error instanceof GrammyError) && !(error instanceof HttpError)) throw error;
    deps.log.warn({ chatId, messageId, err: error }, "repeat question answered elsewhere kept its buttons");
  }
}

async function answer(
  deps: AnnounceDeps,
  expected: Buffer,
  announcements: Announcements,
  req: IncomingMessage,
): Promise<Reply> {
  if (req.method !== "POST") return refused(405, "expected POST");
  const given = /^bearer +(.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (given === undefined || !timingSafeEqual(digest(given), expected))
    return refused(401, "expected the header Authorization: Bearer <INTAKE_TOKEN>");
  const contentType = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(contentType))
    return refused(415, "expected Content-Type: application/json");
  const decoder = decoderOf(contentType);
  if (typeof decoder === "string")
    return refused(415, `expected UTF-8 or a charset such as windows-1251 or koi8-r, not "${decoder}"`);
  const body = await readBody(req);
  if (body === "too large" || body === "too large, unread")
    return {
      ...refused(413, `expected a body of at most ${MAX_BODY_BYTES} bytes`),
      close: body === "too large, unread",
    };
  let raw: string;
  try {
    raw = decoder.decode(body);
  } catch {
    return refused(
      400,
      decoder.encoding === "utf-8"
        ? "expected UTF-8 text: send the body in UTF-8 or name its charset, e.g. Content-Type: application/json; charset=windows-1251"
        : `expected ${decoder.encoding} text, as Content-Type says`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return refused(400, "expected a JSON object");
  }
  const parsed = postSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "body";
    return refused(400, `${field}: ${issue?.message ?? "invalid"}`);
  }
  const post = parsed.data;
  const link = parseSourceLink(post.link);
  if (!link.ok) return refused(400, "link: expected a link to the post, e.g. https://vk.com/wall-1_2");
  const now = deps.clock.now();
  if (post.postedAt !== null && post.postedAt > now.getTime() + CLOCK_SKEW_MS)
    return refused(400, "postedAt: expected a time that has come, not one in the future");
  if (post.postedAt !== null && postDateTooOld(post.postedAt, now))
    return refused(400, "postedAt: expected a time within a year before now; leave it out if unknown");
  const draft: PostDraft = { ...post, link: link.url, repeatOfId: null };
  const actorId = monitoringActor(deps.db, now);
  const result = registerArrival(deps.db, draft, actorId, now);
  if (result.ok) {
    deps.log.info(
      { incidentId: result.incident.id, importance: post.importance },
      "incident registered over HTTP",
    );
    announcements.add(result.incident.id, async (deps) => {
      await announceArrival(deps, result.incident);
      await offerRepeat(deps, result.incident.id);
    });
    return { status: 201, body: { ok: true, id: result.incident.id, duplicate: false } };
  }
  // Sent again, perhaps because the first answer was lost: a card that did not go out goes out now
  // (after the first announcement, in turn: one card, not two). Sent with a higher importance than
  // it has (a curator registered it first with one tap, «обычное»), the higher stands.
  const id = result.existingId;
  const raised = keepHigherImportance(deps.db, { incidentId: id, importance: post.importance, actorId, now });
  announcements.add(id, async (deps) => {
    const incident = loadIncident(deps.db, id);
    if (raised && incident && hasCards(deps.db, id)) await announceDetail(deps, "importance", incident);
    await announceUnlessOut(id)(deps);
  });
  return { status: 200, body: { ok: true, id, duplicate: true } };
}

/** The curators' chat (a card's target anyway), or each curator privately when none is bound. */
function curatorTargets(deps: AnnounceDeps): Target[] {
  return curatorChats(deps.db).map((chatId) => ({ chatId, audience: { kind: "curators" } }));
}

/** Announcements going out, one after another for each incident, awaited at shutdown. */
class Announcements {
  readonly #turns = new OneAtATime<number>();
  readonly #running = new Set<Promise<void>>();

  constructor(private readonly deps: AnnounceDeps) {}

  /** Whether an announcement of the incident is waiting or going out. */
  pending(incidentId: number): boolean {
    return this.#turns.pending(incidentId);
  }

  add(incidentId: number, announce: (deps: AnnounceDeps) => Promise<void>): void {
    const next = this.#turns
      .run(incidentId, () => announce(this.deps))
      .catch((err: unknown) =>
        this.deps.log.error({ err, incidentId }, "intake: the post was not announced"),
      );
    this.#running.add(next);
    void next.finally(() => this.#running.delete(next));
  }

  settle(ms: number): Promise<void> {
    return settled(this.#running, ms);
  }
}

/**
 * The decoder of the charset Content-Type names (a Windows client may well write windows-1251), or
 * that name when Node knows no such charset. Without one the body is UTF-8, as JSON is (RFC 8259);
 * bytes that are not text in the charset are refused rather than registered as «����». A byte order
 * mark (some Windows writers put one) is dropped.
 */
function decoderOf(contentType: string): TextDecoder | string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType)?.[1] ?? "utf-8";
  try {
    return new TextDecoder(charset, { fatal: true });
  } catch {
    return charset;
  }
}

/**
 * The body's bytes, or "too large" when it is larger than a post can be: then it is read to its end
 * all the same, so that the connection can carry the caller's next request, unless it runs past
 * MAX_DRAINED_BYTES ("too large, unread").
 */
async function readBody(req: IncomingMessage): Promise<Buffer | "too large" | "too large, unread"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_DRAINED_BYTES) return "too large, unread";
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? "too large" : Buffer.concat(chunks);
}

/** Tokens are compared as digests, in constant time, whatever their lengths. */
function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
