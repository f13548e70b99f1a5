import { importOrganizations } from "../../app/organizations.js";
import { saveCalendarYears } from "../../app/sla.js";
import { can, type Person } from "../../domain/access.js";
import {
  asCalendarDocument,
  CalendarError,
  mergeCalendars,
  parseProductionCalendar,
} from "../../domain/calendar/index.js";
import { decodeTextFile, ImportFileError, parseOrganizationsFile } from "../../domain/organization-import.js";
import { refreshCardsOf } from "../../flows/organization.js";
import { Features } from "../composer.js";
import type { BotContext } from "../context.js";
import { splitMessage } from "../delivery.js";
import { IMPORT_FILE_PROBLEMS, t } from "../texts.js";
import { putCalendarInForce } from "./calendar.js";

/**
 * Files an admin sends privately: a list of organizations (CSV or JSON) or a production calendar
 * (JSON with "years", or the years alone). Each is validated whole before anything changes.
 */
export const files = new Features<BotContext>();
const MAX_FILE_BYTES = 1024 * 1024;

// Anyone else's file (outside a dialogue) gets the hint for their role, as any message the bot cannot take.
const admin = (ctx: BotContext) => can(ctx.person, "manageOrganizations");

files
  .chatType("private")
  .on("message:document")
  .filter(admin, async (ctx) => {
    const document = ctx.message.document;
    const fileName = document.file_name ?? "file";
    if (!/\.(csv|json|txt)$/i.test(fileName)) {
      await ctx.reply(t.importReport.wrongType);
      return;
    }
    if ((document.file_size ?? 0) > MAX_FILE_BYTES) {
      await ctx.reply(t.importReport.tooBig);
      return;
    }
    const content = decodeTextFile(await download(ctx, document.file_id));
    const person = ctx.person as Person;
    const calendarJson = asCalendarJson(content);
    if (calendarJson !== undefined) await loadCalendar(ctx, person, calendarJson);
    else await importOrganizationsFile(ctx, person, fileName, content);
  });

function asCalendarJson(content: string): unknown {
  try {
    return asCalendarDocument(JSON.parse(content));
  } catch {
    return undefined;
  }
}

async function loadCalendar(ctx: BotContext, person: Person, json: unknown): Promise<void> {
  const { db, clock, sla, log } = ctx.app;
  let calendar: ReturnType<typeof parseProductionCalendar>;
  try {
    calendar = parseProductionCalendar(json);
  } catch (error) {
    if (!(error instanceof CalendarError)) throw error;
    await ctx.reply(t.calendar.invalid(error.problem, error.place));
    return;
  }
  // A file without a single year changes nothing: said so, not «загружен».
  if (Object.keys(calendar.years).length === 0) {
    await ctx.reply(t.calendar.invalid("no_years", {}));
    return;
  }
  const years = saveCalendarYears(db, calendar, person.id, clock.now());
  log.info({ years }, "production calendar loaded");
  await putCalendarInForce(ctx, mergeCalendars(sla.calendar, calendar), () =>
    ctx.reply(t.calendar.loaded(years)),
  );
}

async function importOrganizationsFile(ctx: BotContext, person: Person, fileName: string, content: string) {
  let parsed: ReturnType<typeof parseOrganizationsFile>;
  try {
    parsed = parseOrganizationsFile(fileName, content);
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    const where = error.line === undefined ? "" : ` (строка ${error.line})`;
    await ctx.reply(t.importReport.fileError(IMPORT_FILE_PROBLEMS[error.problem] + where));
    return;
  }
  const { db, clock, log } = ctx.app;
  const report = importOrganizations(db, { ...parsed, actorId: person.id, now: clock.now(), fileName });
  log.info(
    { created: report.created.length, updated: report.updated.length, rejected: report.rejected.length },
    "organizations imported",
  );
  const lines = [
    t.importReport.title(fileName),
    t.importReport.created(report.created),
    t.importReport.updated(report.updated),
    t.importReport.unchanged(report.unchanged.length),
    t.importReport.rejectedTitle(report.rejected.length),
    ...report.rejected.map((r) => `• ${t.importReport.rejected(r.line, r.name, r.problem)}`),
  ];
  for (const part of splitMessage(lines.join("\n"))) await ctx.reply(part);
  for (const id of report.shortNameChanged) refreshCardsOf(ctx.app, ctx, id);
}

async function download(ctx: BotContext, fileId: string): Promise<Uint8Array> {
  const file = await ctx.api.getFile(fileId);
  const root = ctx.api.options?.apiRoot ?? "https://api.telegram.org";
  const response = await fetch(`${root}/file/bot${ctx.api.token}/${file.file_path}`);
  if (!response.ok) throw new Error(`file download failed: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
