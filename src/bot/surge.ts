import { and, eq, inArray } from "drizzle-orm";
import type { InlineKeyboard } from "grammy";
import { reachableCuratorChats } from "../app/chats.js";
import { headsWith, reachableHeads } from "../app/heads.js";
import { postsOnSubject, type Subject, subjectKey } from "../app/importance.js";
import { surgeListedKey } from "../app/incident-queries.js";
import { type Incident, type IncidentRow, loadIncident } from "../app/incidents.js";
import {
  claimNotice,
  claimStaleNotice,
  giveBackNotice,
  leaseNotice,
  noticeClaimed,
  noticeClaimedAt,
  noticesStartingWith,
  settleNotice,
} from "../app/notices.js";
import { incidents } from "../db/schema.js";
import type { CardDeps } from "./cards.js";
import { splitMessage } from "./delivery.js";
import { cardButtons } from "./keyboards.js";
import { chatRefused, failureOf } from "./refused-chats.js";
import { t } from "./texts.js";

const HOUR_MS = 3_600_000;
/** A send to one chat that has not ended within this long was cut short by a stop: tried again. */
const LEASE_MS = 5 * 60_000;

/**
 * A surge to tell: its recipients' notices are filed under `told` (`<surge>:<start>`, and
 * `<surge>:<start>:<posts>` for its growth to that many posts). `recent`: its posts in the window.
 */
interface Surge {
  told: string;
  subject: Subject;
  value: string;
  recent: number[];
  /** A surge under way grown to twice the posts told before: told again with the posts new to each. */
  grown?: boolean;
  /** The posts its notice to one recipient lists (see tellEachOnce). */
  listed?: number[];
}

/**
 * The posts at which a surge under way is told again (Orenburg p.21 «о повышенной социальной
 * активности»: the scale matters, not only the start): twice the threshold, then each doubling —
 * 5, then 10, 20, 40 posts. The largest one reached, or none below twice the threshold.
 */
export function surgeMilestone(threshold: number, posts: number): number | undefined {
  let milestone: number | undefined;
  for (let next = threshold * 2; next <= posts; next *= 2) milestone = next;
  return milestone;
}

/**
 * Checks the incident's topic and place for a surge, when it is registered or one of them is set.
 * Posts arriving together (the monitoring software sends a burst) may each see the threshold passed:
 * the notices ledger lets one of them, in whichever process, start the surge. The claim lapses with
 * the window, so the same topic surging again a window later is a new surge, announced again. A
 * topic's and a place's surge the same post brings are told in one message, each claimed on its own.
 */
export async function announceSurge(deps: CardDeps, incident: Incident): Promise<void> {
  const { posts, windowHours } = deps.sla.regulation.surge;
  const now = deps.clock.now();
  const since = new Date(now.getTime() - windowHours * HOUR_MS);
  const surges: Surge[] = [];
  for (const subject of ["topic", "place"] as const satisfies Subject[]) {
    const value = incident.row[subject]?.trim();
    if (!value) continue;
    const key = subjectKey(value);
    const recent = postsOnSubject(deps.db, subject, key, since);
    if (recent.length < posts) continue;
    const surge = `surge:${subject}:${key}`;
    const started = claimStaleNotice(deps.db, surge, since, now);
    if (started) deps.log.warn({ subject, value, incidents: recent.length }, "surge");
    const startedAt = started ? now : noticeClaimedAt(deps.db, surge);
    if (!startedAt) continue;
    const told = `${surge}:${startedAt.getTime()}`;
    surges.push({ told, subject, value, recent });
    // Grown to twice the posts told before: the heads and curators hear of its scale again.
    const milestone = started ? undefined : surgeMilestone(posts, recent.length);
    if (milestone) surges.push({ told: `${told}:${milestone}`, subject, value, recent, grown: true });
  }
  await tellEachOnce(deps, surges);
}

/**
 * The posts of the surges under way on the post's topic and on its place (announced, within the
 * window, the post among them): the same news arriving at once, told together in the surge's notice
 * — not an issue handled before that the post repeats (PRODUCT.md "repeat"), so that subject is no
 * sign of a repeat between them (see repeatCandidates). A post of the window already answered or
 * closed is no mate: it is that issue handled.
 */
export function surgeMates(
  deps: Pick<CardDeps, "db" | "sla" | "clock">,
  post: Pick<IncidentRow, "id" | "topic" | "place">,
): Partial<Record<Subject, ReadonlySet<number>>> {
  const since = new Date(deps.clock.now().getTime() - deps.sla.regulation.surge.windowHours * HOUR_MS);
  const mates: Partial<Record<Subject, ReadonlySet<number>>> = {};
  for (const subject of ["topic", "place"] as const satisfies Subject[]) {
    const value = post[subject]?.trim();
    if (!value) continue;
    const key = subjectKey(value);
    const startedAt = noticeClaimedAt(deps.db, `surge:${subject}:${key}`);
    if (!startedAt || startedAt < since) continue;
    const recent = postsOnSubject(deps.db, subject, key, since);
    if (!recent.includes(post.id)) continue;
    // One answered or closed already is an issue handled: a later post on it is its repeat.
    const handled = new Set(
      deps.db
        .select({ id: incidents.id })
        .from(incidents)
        .where(and(inArray(incidents.id, recent), inArray(incidents.state, ["answered", "closed"])))
        .all()
        .map((row) => row.id),
    );
    mates[subject] = new Set(recent.filter((id) => !handled.has(id)));
  }
  return mates;
}

/** A recipient's key of a surge notice (`<surge>:<start>:to:<chat>`), or its send's lease. */
const RECIPIENT_KEY = /:\d+:to:-?\d+(?::sending)?$/;

/**
 * The surges still within their window whose notice someone missed for now (Telegram down when it
 * started, a stop in the middle) are told to them again, with the list as it stands — so a surge
 * reaches everyone though no more posts come on its subject. Returns the surges tried.
 */
export async function retrySurges(deps: CardDeps, due: (surges: string[]) => string[]): Promise<number> {
  const { posts, windowHours } = deps.sla.regulation.surge;
  const now = deps.clock.now();
  const since = new Date(now.getTime() - windowHours * HOUR_MS);
  // Each surge within its window, by the key its recipients' notices are filed under.
  const started = new Map<string, string>();
  for (const surge of noticesStartingWith(deps.db, "surge:")) {
    const startedAt = RECIPIENT_KEY.test(surge) ? undefined : noticeClaimedAt(deps.db, surge);
    if (startedAt && startedAt >= since) started.set(surge, `${surge}:${startedAt.getTime()}`);
  }
  if (started.size === 0) return 0;
  const recipients = [...reachableCuratorChats(deps.db), ...reachableHeads(headsWith(deps.db, "urgent"))];
  const owed = [...started].filter(([, told]) =>
    recipients.some((chatId) => !noticeClaimed(deps.db, `${told}:to:${chatId}`)),
  );
  const tried = due(owed.map(([surge]) => surge));
  const surges: Surge[] = [];
  for (const surge of tried) {
    const [, subject, ...rest] = surge.split(":") as [string, Subject, ...string[]];
    const recent = postsOnSubject(deps.db, subject, rest.join(":"), since);
    const latest = recent.at(-1);
    const value = latest === undefined ? undefined : loadIncident(deps.db, latest)?.row[subject];
    if (recent.length < posts || !value) continue;
    surges.push({ told: started.get(surge) as string, subject, value, recent });
  }
  await tellEachOnce(deps, surges);
  return tried.length;
}

/**
 * The curators (their chat, or each of them) and the heads with «Срочные» (Orenburg p.21: «о
 * повышенной социальной активности»; Georgievsk p.24) hear of a surge once; nobody who blocks
 * the bot is tried. Each send is leased in the ledger and given back when it failed for now (or
 * was cut short by a stop), so whoever missed it hears of it with the next post on the subject; a
 * chat that refuses for good, or a notice Telegram rejects as it is, is not tried again. The surges
 * owed to one recipient go in one message (see surgeText), each leased and ended with it.
 */
async function tellEachOnce(deps: CardDeps, surges: Surge[]): Promise<void> {
  if (surges.length === 0) return;
  const heads = headsWith(deps.db, "urgent");
  // A head of one organization may open the posts listed to him, as the «№ N» buttons offer.
  const ofOne = new Set(reachableHeads(heads.filter((head) => head.organizationId !== null)));
  for (const chatId of [...reachableCuratorChats(deps.db), ...reachableHeads(heads)]) {
    const now = deps.clock.now();
    const keyOf = (surge: Surge) => `${surge.told}:to:${chatId}`;
    // A surge's start lists all its posts; its growth, those not listed to this recipient before.
    const owed = surges
      .filter((surge) => leaseNotice(deps.db, keyOf(surge), LEASE_MS, now))
      .map((surge) => ({
        ...surge,
        listed: surge.grown
          ? surge.recent.filter((id) => !noticeClaimed(deps.db, surgeListedKey(id, chatId)))
          : surge.recent,
      }));
    if (owed.length === 0) continue;
    const ids = [...new Set(owed.flatMap((surge) => surge.listed))].sort((a, b) => a - b);
    if (ofOne.has(chatId)) for (const id of ids) claimNotice(deps.db, surgeListedKey(id, chatId), now);
    const failed = (await send(deps, chatId, surgeText(deps, owed), cardButtons(ids))) === "failed";
    if (!failed) for (const id of ids) claimNotice(deps.db, surgeListedKey(id, chatId), deps.clock.now());
    for (const surge of owed) {
      const key = keyOf(surge);
      if (failed) giveBackNotice(deps.db, key);
      else settleNotice(deps.db, key, deps.clock.now());
    }
  }
}

/** The surges owed to one recipient, in one message: those over the same posts on one line, the topic first. */
function surgeText(deps: CardDeps, surges: Surge[]): string {
  const { windowHours, clause } = deps.sla.regulation.surge;
  const lines = new Map<string, Surge[]>();
  for (const surge of surges.toSorted((a, b) =>
    a.subject === b.subject ? 0 : a.subject === "topic" ? -1 : 1,
  )) {
    const list = `${surge.grown ? "grown" : ""}:${(surge.listed ?? surge.recent).join(",")}:${surge.recent.length}`;
    lines.set(list, [...(lines.get(list) ?? []), surge]);
  }
  return t.surges(
    [...lines.values()].map((same) => {
      const { recent, grown = false, listed } = same[0] as Surge;
      return {
        subjects: same,
        posts: recent.length,
        ids: listed ?? recent,
        grown,
        answered: grown ? answeredAmong(deps, recent) : 0,
      };
    }),
    windowHours,
    clause,
  );
}

/** How many of the posts have their answer posted. */
function answeredAmong(deps: Pick<CardDeps, "db">, ids: number[]): number {
  return deps.db
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(inArray(incidents.id, ids), eq(incidents.state, "answered")))
    .all().length;
}

/**
 * "refused" when the chat will not take it (see isRefusal): a person who blocked the bot is marked
 * so, a group's refusal told to the admins once. "rejected" when Telegram will not take the message
 * itself (a bug on the bot's side): sent again it would fail again. "failed" when it may go later
 * (no network, Telegram's 5xx, a 429 that auto-retry gave up on).
 */
async function send(
  deps: CardDeps,
  chatId: number,
  text: string,
  buttons?: InlineKeyboard,
): Promise<"sent" | "refused" | "rejected" | "failed"> {
  try {
    // At once, whatever the hour (Orenburg p.21, Georgievsk p.24): with sound at night too.
    const parts = splitMessage(text);
    for (const [i, part] of parts.entries())
      await deps.api.sendMessage(chatId, part, {
        link_preview_options: { is_disabled: true },
        disable_notification: false,
        ...(buttons && i === parts.length - 1 ? { reply_markup: buttons } : {}),
      });
    return "sent";
  } catch (err) {
    const failure = failureOf(err);
    if (failure === "refused") {
      deps.log.warn({ chatId, err }, "surge refused by the chat");
      await chatRefused(deps, chatId, err);
    } else if (failure === "rejected") deps.log.error({ chatId, err }, "surge rejected by Telegram");
    else deps.log.warn({ chatId, err }, "surge not delivered for now");
    return failure;
  }
}
