/**
 * Sends a rendered report to Telegram as a text, a chart and a spreadsheet. The files are rendered
 * once and sent to every recipient. A report is several messages, each with a name, so that a send
 * tried again after a failure can skip the ones the chat already has.
 */
import { type Api, GrammyError, InputFile } from "grammy";
import { splitMessage } from "../bot/delivery.js";
import { chatRefused, failureOf, type RefusalDeps, type SendFailure } from "../bot/refused-chats.js";
import { tr } from "../bot/texts-reports.js";
import type { RenderedReport, RenderedSummary } from "./render.js";

/** One message of a report: "text:0", "text:1"… (a long text is split), "chart", "workbook". */
interface Part {
  name: string;
  send(api: Api, chatId: number): Promise<unknown>;
}

/**
 * What an automatic report sends a chat: a rendered report, or a short text alone (a head of an
 * organization told it had no violations: a workbook of no rows would tell nothing more).
 */
export type Deliverable = RenderedReport | { text: string };

/**
 * The summary as a head of one organization gets it: its text, with the figures by organization,
 * not the workbook, which names every organization's executors and violations (their own come with
 * «Нарушения»). So every organization's line is there, over several messages if need be: none is
 * left to a workbook they do not get.
 */
export function summaryForOrganizationHead(rendered: RenderedSummary): Deliverable {
  return { text: `${rendered.wholeText}\n\n${tr.summaryTextOnly}` };
}

function partsOf(report: Deliverable): Part[] {
  const parts: Part[] = splitMessage(report.text).map((text, i) => ({
    name: `text:${i}`,
    send: (api, chatId) => api.sendMessage(chatId, text),
  }));
  if (!("workbook" in report)) return parts;
  const rendered = report;
  const { chart } = rendered;
  if (chart) {
    parts.push({
      name: "chart",
      send: (api, chatId) =>
        api.sendPhoto(chatId, new InputFile(chart, rendered.chartName), { caption: rendered.caption }),
    });
  }
  parts.push({
    name: "workbook",
    send: (api, chatId) =>
      api.sendDocument(chatId, new InputFile(rendered.workbook, rendered.workbookName), {
        caption: rendered.workbookCaption,
      }),
  });
  return parts;
}

/**
 * Sends a report asked for by hand into the chat it was asked in; says what happened, as
 * deliverRendered does. An error that is no answer of Telegram's (no network) is thrown.
 */
export async function sendRendered(
  deps: RefusalDeps,
  chatId: number,
  rendered: Deliverable,
): Promise<SendOutcome> {
  try {
    for (const part of partsOf(rendered)) await part.send(deps.api, chatId);
    return "delivered";
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    return notDelivered(deps, chatId, error);
  }
}

/**
 * How a send ended: every message is in the chat; the chat refuses for good (the bot blocked or
 * removed, no such chat: see isRefusal); Telegram rejects one of the report's messages as it is (a
 * caption too long, a file too big: the report's fault, not the chat's, and sent again it would be
 * rejected again); or it failed for now (no network, Telegram's 5xx, a 429 that auto-retry gave up
 * on) and may be tried again.
 */
export type SendOutcome = "delivered" | SendFailure;

/** The messages of a report a chat already has, by name; `add` records one the moment it is sent. */
export interface SentParts {
  has(name: string): boolean;
  add(name: string): void;
}

/**
 * Sends the messages the chat does not have yet. Never throws: the answer says what happened. A chat
 * that refuses is handled as every refusal is: a person marked as blocking the bot, a group told to
 * the admins once (see chatRefused).
 */
export async function deliverRendered(
  deps: RefusalDeps,
  chatId: number,
  rendered: Deliverable,
  sent: SentParts,
): Promise<SendOutcome> {
  try {
    for (const part of partsOf(rendered)) {
      if (sent.has(part.name)) continue;
      await part.send(deps.api, chatId);
      sent.add(part.name);
    }
    return "delivered";
  } catch (err) {
    return notDelivered(deps, chatId, err);
  }
}

async function notDelivered(
  deps: RefusalDeps,
  chatId: number,
  err: unknown,
): Promise<Exclude<SendOutcome, "delivered">> {
  const { log } = deps;
  const outcome = failureOf(err);
  if (outcome === "rejected") log.error({ chatId, err }, "report rejected by Telegram");
  else
    log.warn(
      { chatId, err },
      outcome === "refused" ? "report refused by the chat" : "report not delivered for now",
    );
  if (outcome === "refused" && err instanceof GrammyError) {
    await chatRefused(deps, chatId, err).catch((error: unknown) =>
      log.warn({ chatId, err: error }, "the refusal of a report could not be handled"),
    );
  }
  return outcome;
}
