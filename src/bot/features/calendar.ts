import { calendarCoverage } from "../../app/sla.js";
import { Features } from "../composer.js";
import type { BotContext } from "../context.js";
import { requirePermission, requirePrivate } from "../refuse.js";
import { t } from "../texts.js";

export const calendar = new Features<BotContext>();

calendar.command("calendar", requirePrivate, requirePermission("loadCalendar"), async (ctx) => {
  const { sla, clock } = ctx.app;
  const coverage = calendarCoverage(sla.calendar, clock.now(), sla.timezone);
  await ctx.reply([t.calendar.title, ...coverage.map(t.calendar.line), "", t.calendar.howToLoad].join("\n"));
});
