/**
 * `/report [месяц]` — the monthly summary as text, chart and spreadsheet; `/report violations
 * [месяц]` (or «нарушения») — the violations of the regulation. For curators and heads only.
 * The current month is reported so far, as of now; a month not yet begun is refused.
 */

import { findBoundChat } from "../../app/chats.js";
import { headOf } from "../../app/heads.js";
import { getOrganization } from "../../app/organizations.js";
import { hasRole } from "../../domain/access.js";
import { formatDeadline } from "../../domain/time-format.js";
import { type SendOutcome, sendRendered, summaryForOrganizationHead } from "../../reports/deliver.js";
import {
  dayOfMonth,
  monthKey,
  monthName,
  monthOf,
  parseMonth,
  type ReportMonth,
  shiftMonth,
} from "../../reports/month.js";
import { afterTurn } from "../after-turn.js";
import { Features } from "../composer.js";
import type { AppDeps, BotContext } from "../context.js";
import { failedText, refuse } from "../refuse.js";
import { tp } from "../texts-people.js";
import { tr } from "../texts-reports.js";

type Request =
  | {
      kind: "summary" | "violations";
      month: ReportMonth;
      /** No month named: the last one, by default. */
      lastByDefault: boolean;
    }
  | undefined;

/**
 * From this day of a month on, a report asked for without a month (the last one's) ends with how to
 * ask for the current one: near its end, the month running is often the one meant.
 */
const CURRENT_MONTH_HINT_FROM_DAY = 25;

/** "", "10.2026", "violations", "нарушения 10.2026"; undefined for anything else. */
export function parseReportRequest(args: string, lastMonth: ReportMonth): Request {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const violations = /^(violations|нарушения)$/i.test(words[0] ?? "");
  if (violations) words.shift();
  if (words.length > 1) return undefined;
  const month = words[0] === undefined ? lastMonth : parseMonth(words[0]);
  const lastByDefault = words[0] === undefined;
  return month ? { kind: violations ? "violations" : "summary", month, lastByDefault } : undefined;
}

export function reportsFeature(deps: AppDeps): Features<BotContext> {
  const composer = new Features<BotContext>();
  composer.command("report", async (ctx) => {
    if (!hasRole(ctx.person, "curator") && !hasRole(ctx.person, "head")) {
      await refuse(ctx, tr.refusal);
      return;
    }
    if (ctx.chat.type !== "private" && findBoundChat(deps.db, ctx.chat.id)?.purpose !== "curators") {
      await ctx.reply(tr.onlyHere);
      return;
    }
    const now = deps.clock.now();
    const current = monthOf(now, deps.sla.timezone);
    const lastMonth = shiftMonth(current, -1);
    const request = parseReportRequest(ctx.match, lastMonth);
    if (!request) {
      await ctx.reply(tr.usage);
      return;
    }
    // "2026-10" keys compare as the months they name.
    const when = monthKey(request.month).localeCompare(monthKey(current));
    if (when > 0) {
      await ctx.reply(tr.futureMonth(request.month, lastMonth));
      return;
    }
    // A head of an organization (Orenburg p.19) sees its violations, with its executors' names, not
    // every organization's; the office's summary only if it is sent to them (their «Сводка»).
    const head = hasRole(ctx.person, "curator") || !ctx.person ? undefined : headOf(deps.db, ctx.person.id);
    const own = head?.organizationId ?? null;
    const summary = request.kind === "summary";
    if (head && own !== null && summary && !head.purposes.includes("summary")) {
      await ctx.reply(tr.summaryNotYours);
      return;
    }
    // The month renders and its files upload after the chat's turn (seconds for a big month): in
    // the curators' chat, the other curators' commands are answered meanwhile.
    await ctx.replyWithChatAction("upload_document");
    const hintCurrent =
      request.lastByDefault && dayOfMonth(now, deps.sla.timezone) >= CURRENT_MONTH_HINT_FROM_DAY;
    const asked = {
      chatId: ctx.chat.id,
      month: request.month,
      summary,
      now,
      current,
      when,
      own,
      hintCurrent,
    };
    afterTurn(ctx, "report", async () => {
      try {
        await renderAndSend(ctx, deps, asked);
      } catch (error) {
        ctx.log.error({ err: error }, "report failed");
        await ctx.reply(failedText(ctx, error));
      }
    });
  });
  return composer;
}

/** A report asked for, in which chat, when; `own`: the asker's organization if a head of one. */
interface Asked {
  chatId: number;
  month: ReportMonth;
  summary: boolean;
  now: Date;
  current: ReportMonth;
  /** The month asked for against the current one: below 0 a month past, 0 the month running. */
  when: number;
  own: number | null;
  /** The last month's, asked for without a month near the current one's end: ends with how to get that. */
  hintCurrent: boolean;
}

/**
 * Renders the report and sends it into the chat it was asked in. A failure that is no answer of
 * Telegram's (the render failed, no network) is thrown.
 */
async function renderAndSend(ctx: BotContext, deps: AppDeps, asked: Asked): Promise<void> {
  const { chatId, month, summary, now, current, when, own } = asked;
  const scoped = own !== null && !summary;
  const sendDeps = { ...deps, api: ctx.api, log: ctx.log };
  const rendered = await deps.reports({
    month,
    summary,
    violations: !summary,
    byOrganization: scoped,
    madeAt: now,
    ...(when === 0 ? { asOf: now } : {}),
  });
  if (scoped && own !== null) {
    const share = rendered.byOrganization.find((one) => one.organizationId === own)?.rendered;
    const organization = getOrganization(deps.db, own);
    const name = organization?.shortName ?? organization?.name ?? "";
    if (share) await sayIfNotSent(ctx, await sendRendered(sendDeps, chatId, share), asked);
    // A month with no data at all is said so, as to anyone; one running counts the deadlines passed.
    else if (!rendered.violations) await ctx.reply(tr.noData(month, when < 0 ? current : undefined));
    else {
      const soFar = when === 0 ? formatDeadline(now, deps.sla.timezone) : undefined;
      await ctx.reply(tp.heads.noViolations(monthName(month), name, soFar));
      await hintCurrentMonth(ctx, asked);
    }
    return;
  }
  const ready = rendered.summary ?? rendered.violations;
  if (!ready) {
    await ctx.reply(tr.noData(month, when < 0 ? current : undefined));
    return;
  }
  const deliverable = own !== null && rendered.summary ? summaryForOrganizationHead(rendered.summary) : ready;
  await sayIfNotSent(ctx, await sendRendered(sendDeps, chatId, deliverable), asked);
}

/**
 * The asker hears a report that did not (all) go out: one Telegram would reject again however often
 * it is asked for is the bot's fault to fix; one it could not take for now may be asked for again.
 * One that did is followed, near the month's end, by how to get the current one (see Asked.hintCurrent).
 */
async function sayIfNotSent(ctx: BotContext, outcome: SendOutcome, asked: Asked): Promise<void> {
  if (outcome === "rejected") await ctx.reply(tr.rejectedToAsker);
  else if (outcome === "failed") await ctx.reply(tr.failedToAsker);
  else if (outcome === "delivered") await hintCurrentMonth(ctx, asked);
}

async function hintCurrentMonth(ctx: BotContext, asked: Asked): Promise<void> {
  if (asked.hintCurrent)
    await ctx.reply(tr.currentMonth(asked.summary ? "summary" : "violations", asked.current));
}
