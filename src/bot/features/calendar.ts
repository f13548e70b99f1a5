import { InlineKeyboard, InputFile } from "grammy";
import {
  calendarCoverage,
  cardsRefreshed,
  effectiveCalendar,
  loadedCalendarYears,
  replanOnChangedSettings,
  restoreBundledYear,
} from "../../app/sla.js";
import { calendarYearChanges, type ProductionCalendar } from "../../domain/calendar/index.js";
import { afterTurn } from "../after-turn.js";
import { cb, onAction } from "../callback-data.js";
import { refreshOpenCards } from "../cards.js";
import { Features } from "../composer.js";
import type { BotContext } from "../context.js";
import { cardDeps } from "../delivery.js";
import { refuse, requirePermission, requirePrivate } from "../refuse.js";
import { t } from "../texts.js";

export const calendar = new Features<BotContext>();
const admin = requirePermission("loadCalendar");
const YEAR = "\\d{4}";

/**
 * The coverage of this year and the next; each year an admin loaded beside the bot's own version of
 * it, with a button to go back to that one; and the year in force as a file to edit and send back.
 */
calendar.command("calendar", requirePrivate, admin, async (ctx) => {
  const { sla, clock, db } = ctx.app;
  const coverage = calendarCoverage(sla.calendar, clock.now(), sla.timezone);
  const loaded = loadedCalendarYears(db);
  const keyboard = new InlineKeyboard();
  for (const { year, bundled } of loaded)
    if (bundled) keyboard.text(t.calendar.restoreButton(year), cb("cal.rb", year)).row();
  const text = [
    t.calendar.title,
    ...coverage.map(t.calendar.line),
    ...loaded.flatMap(({ year, loaded, bundled }) => [
      "",
      t.calendar.loadedYear(year, bundled, bundled && calendarYearChanges(loaded, bundled)),
    ]),
    "",
    t.calendar.howToLoad,
  ].join("\n");
  await ctx.reply(text, loaded.some((y) => y.bundled) ? { reply_markup: keyboard } : {});
  const [current] = coverage;
  if (current) await sendSample(ctx, current.year);
});

/** The year's block as the bot counts it now (the latest one it has, if not that year), in the file's format. */
async function sendSample(ctx: BotContext, current: number): Promise<void> {
  const years = ctx.app.sla.calendar.years;
  const year = years[current] ? current : Math.max(...Object.keys(years).map(Number));
  const block = years[year];
  if (!block) return;
  // The monthly norms only check the bundled years: left out of a file to edit.
  const { norms: _, ...days } = block;
  const json = `${JSON.stringify({ years: { [year]: days } }, null, 2)}\n`;
  await ctx.replyWithDocument(new InputFile(Buffer.from(json), `calendar-${year}.json`), {
    caption: t.calendar.sample(year),
  });
}

calendar.callbackQuery(onAction("cal.rb", [YEAR]), admin, async (ctx) => {
  await ctx.answerCallbackQuery();
  const year = Number(ctx.match[1]);
  const keyboard = new InlineKeyboard()
    .text(t.calendar.confirmRestoreButton, cb("cal.rbok", year))
    .text(t.calendar.cancelRestoreButton, cb("cal.rbno"));
  await ctx.reply(t.calendar.confirmRestore(year), { reply_markup: keyboard });
});

calendar.callbackQuery(onAction("cal.rbok", [YEAR]), admin, async (ctx) => {
  // The audit names who went back: nobody known, nothing changed.
  if (!ctx.person) return await refuse(ctx);
  const { db, clock, log } = ctx.app;
  const year = Number(ctx.match[1]);
  await ctx.answerCallbackQuery();
  if (!restoreBundledYear(db, year, ctx.person.id, clock.now())) {
    await ctx.editMessageText(t.calendar.alreadyBundled(year));
    return;
  }
  log.info({ year }, "bundled production calendar year restored");
  await putCalendarInForce(ctx, effectiveCalendar(db), () => ctx.editMessageText(t.calendar.restored(year)));
});

calendar.callbackQuery("cal.rbno", admin, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(t.calendar.restoreCancelled);
});

/**
 * A calendar an admin changed counts at once (the reminders ahead are planned anew with the change)
 * and is recorded as the settings in force, as a start records them: the posts received since are
 * judged by it. After `answer`, the cards of the open posts whose deadlines moved show the new ones.
 */
export async function putCalendarInForce(
  ctx: BotContext,
  calendar: ProductionCalendar,
  answer: () => Promise<unknown>,
): Promise<void> {
  const { db, sla, clock } = ctx.app;
  sla.replaceCalendar(calendar);
  replanOnChangedSettings(db, sla, clock.now());
  await answer();
  afterTurn(ctx, "cards on the new calendar", async () => {
    if (await refreshOpenCards(cardDeps(ctx.app, ctx.api))) cardsRefreshed(db);
  });
}
