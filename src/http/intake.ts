/**
 * `POST /intake`: posts from monitoring software (Georgievsk p.5: «специализированное программное
 * обеспечение», in practice «Инцидент Менеджмент») are registered as if a curator had forwarded them:
 * the card goes to the curators, a significant post to the heads at once, a surge is announced.
 * The caller shows `Authorization: Bearer <INTAKE_TOKEN>`. The same link twice is one incident, so a
 * caller may safely send a post again after a timeout.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Api } from "grammy";
import { z } from "zod";
import { loadIncident } from "../app/incidents.js";
import type { PostDraft } from "../app/intake.js";
import { upsertPerson } from "../app/people.js";
import { syncCards } from "../bot/cards.js";
import type { AppDeps } from "../bot/context.js";
import { IMPORTANCES } from "../db/schema.js";
import { parseSourceLink } from "../domain/source-link.js";
import { registerAndAnnounce } from "../flows/intake.js";

export const INTAKE_PATH = "/intake";

/** A post is a few kilobytes; anything much larger is not one. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_FIELD = 300;
const MAX_TEXT = 20_000;

/** Who registered a post that came over HTTP, as «История» names it. No Telegram user has id 0. */
const MONITORING = { id: 0, first_name: "Система мониторинга" };

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
    .string({ error: "is required: the post's link" })
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

type Reply = { status: number; body: Record<string, unknown> };

const refused = (status: number, error: string): Reply => ({ status, body: { ok: false, error } });

/** The request handler; `token` is the deployment's INTAKE_TOKEN. */
export function intakeHandler(
  deps: AppDeps & { api: Api },
  token: string,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const expected = digest(token);
  return async (req, res) => {
    const reply = await answer(deps, expected, req).catch((err: unknown): Reply => {
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
    res.writeHead(reply.status, headers).end(body);
  };
}

async function answer(deps: AppDeps & { api: Api }, expected: Buffer, req: IncomingMessage): Promise<Reply> {
  if (req.method !== "POST") return refused(405, "expected POST");
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  if (given === undefined || !timingSafeEqual(digest(given), expected))
    return refused(401, "expected the header Authorization: Bearer <INTAKE_TOKEN>");
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? ""))
    return refused(415, "expected Content-Type: application/json");
  const raw = await readBody(req);
  if (raw === undefined) return refused(413, `expected a body of at most ${MAX_BODY_BYTES} bytes`);
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
  if (!link.ok) return refused(400, `link: expected a link to the post, e.g. https://vk.com/wall-1_2`);
  const draft: PostDraft = { ...post, link: link.url, repeatOfId: null };
  const now = deps.clock.now();
  const actorId = deps.db.transaction((tx) => upsertPerson(tx, MONITORING, now));
  const result = await registerAndAnnounce(deps, draft, actorId, undefined);
  if (result.ok) return { status: 201, body: { ok: true, id: result.id, duplicate: false } };
  // Sent again, perhaps because the first answer was lost: its card is brought up to date in case
  // the first request was cut short before it went out.
  const existing = loadIncident(deps.db, result.existingId);
  if (existing) await syncCards(deps, existing);
  return { status: 200, body: { ok: true, id: result.existingId, duplicate: true } };
}

/** The body as text, or undefined when it is larger than a post can be. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Tokens are compared as digests, in constant time, whatever their lengths. */
function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
