/**
 * The report process (started by renderer.ts): receives one job, opens the bot's database file
 * (it only reads), renders the job, sends the result back and exits.
 */
import { effectiveCalendar, SlaRuntime } from "../app/sla.js";
import { openDatabase } from "../db/client.js";
import { parseSchedule } from "../domain/calendar/index.js";
import { loadRegulation } from "../domain/regulation/index.js";
import { createLogger } from "../log.js";
import { renderReports } from "./render.js";
import type { ChildReply, ChildRequest } from "./renderer.js";

function reply(message: ChildReply): void {
  // Disconnecting leaves the process nothing to wait for: it exits, and its memory goes with it.
  process.send?.(message, () => process.disconnect());
}

// The bot is gone (stopped, or killed mid-report): nobody is waiting for the report.
process.once("disconnect", () => process.exit(0));

process.once("message", async ({ source, job }: ChildRequest) => {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const log = createLogger(source.logLevel, []).child({ process: "report" });
  try {
    const database = openDatabase(source.databasePath);
    // SQLite's own default page cache (2 MB) instead of better-sqlite3's 16 MB: the month is read
    // once, in index order, so a bigger cache is only ≈ 15 MB more of the peak, at the same speed
    // (bench/report.ts). The file's pages stay in the system's cache either way.
    database.sqlite.pragma("cache_size = -2000");
    try {
      const regulation = loadRegulation(source.regulation);
      const sla = new SlaRuntime(
        regulation,
        source.timezone,
        parseSchedule(source.schedule),
        effectiveCalendar(database.db),
        () => {},
      );
      const rendered = await renderReports(database.db, sla, job, log);
      const { user, system } = process.cpuUsage(cpu);
      reply({
        ok: true,
        rendered,
        seconds: (performance.now() - started) / 1000,
        cpuSeconds: (user + system) / 1e6,
        // The most the process held at any moment (getrusage's maxrss, in KiB), not a sample.
        peakMegabytes: process.resourceUsage().maxRSS / 1024,
      });
    } finally {
      database.close();
    }
  } catch (err) {
    log.error({ err }, "report failed");
    reply({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
