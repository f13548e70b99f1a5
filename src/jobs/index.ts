import { schedule } from "node-cron";
import { pruneInbox } from "../app/inbox.js";
import { announceLeaves, welcomeBack } from "../bot/leave.js";
import { remindAbandonedDrafts } from "./abandoned-drafts.js";
import { remindUnpostedClaims } from "./curator-posting.js";
import { curatorsDigest, morningDigests } from "./digest.js";
import { headsRetry, surgeRetry } from "./heads.js";
import { syncOwedCards } from "./owed-cards.js";
import { monthlyReports } from "./reports.js";
import { type JobDeps, sweep } from "./sweep.js";

const INBOX_KEEP_MS = 2 * 24 * 60 * 60_000;

export interface Jobs {
  /**
   * Runs the minute's jobs now (at start, and in tests); those already running are waited for, not
   * doubled. The monthly reports start beside them, not waited for (see `stop`).
   */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The deadline sweep every minute and once at start. Ticks never overlap in this process; several
 * processes on one database are safe too, because each alert is claimed in the ledger first.
 */
export function startJobs(deps: JobDeps): Jobs {
  let running: Promise<void> | undefined;
  // Monthly reports take seconds to render (in a child process) and may wait on Telegram for long
  // when they are delivered: they run beside the sweeps, which go on every minute meanwhile.
  let reporting: Promise<void> | undefined;
  const minuteJobs: [string, (deps: JobDeps) => unknown][] = [
    // First: a curator's «Размещу лично» that lapsed (over a weekend, say) is handed back to the
    // executors before the sweep's reminders and the digests ask them to post that answer.
    ["«Размещу лично» left without a link", remindUnpostedClaims],
    // The cards Telegram put off come before the alerts that point at them.
    ["cards owed", syncOwedCards],
    [
      "sweep",
      async () => {
        const report = await sweep(deps);
        if (report.incidents > 0) deps.log.debug(report, "sweep");
      },
    ],
    ["heads' notices", headsRetry()],
    ["surge notices", surgeRetry()],
    ["morning digests", morningDigests],
    ["leave notices", () => announceLeaves(deps, deps.api)],
    ["greetings after leave", () => welcomeBack(deps, deps.api)],
    ["curators' digest", curatorsDigest],
    ["unfinished drafts' reminders", remindAbandonedDrafts],
    ["inbox pruning", () => pruneInbox(deps.db, new Date(deps.clock.now().getTime() - INBOX_KEEP_MS))],
  ];
  const tick = () => {
    running ??= (async () => {
      // Each job on its own: one failing (Telegram down for one chat's digest, say) stops no other.
      for (const [name, job] of minuteJobs) {
        try {
          await job(deps);
        } catch (err) {
          deps.log.error({ err }, `${name} failed`);
        }
      }
    })().finally(() => {
      running = undefined;
    });
    reporting ??= monthlyReports(deps)
      .then(() => {})
      .catch((err) => deps.log.error({ err }, "monthly reports failed"))
      .finally(() => {
        reporting = undefined;
      });
    return running;
  };
  // The schedule waits for the minute's jobs only (noOverlap): a report still rendering or being
  // delivered holds back no reminder.
  const task = schedule("* * * * *", tick, { noOverlap: true, name: "deadline-sweep" });
  void tick();
  return {
    tick,
    async stop() {
      await task.stop();
      await Promise.all([running, reporting]);
    },
  };
}
