/**
 * Reports are rendered in a short-lived child process, one at a time:
 * - the bot goes on answering while a month of a hundred thousand incidents is replayed (seconds
 *   of CPU that would otherwise hold every chat's updates);
 * - what a report needs in memory (the month's figures, the charting libraries, the workbook) goes
 *   back to the system when the child exits, instead of staying in the bot's heap for weeks;
 * - the child runs TypeScript with tsx's in-thread CommonJS hook rather than the loader thread
 *   `npm start` uses (about 30 MB, a second V8 isolate), and with a small young generation (about
 *   40 MB of a heap that is mostly short-lived rows): 100 000 incidents peak at about 170 MB
 *   instead of 240, at no measurable cost in speed; starting the child costs about 0.4 s
 *   (bench/report.ts).
 * The child opens the same database file (WAL lets it read while the bot writes) and builds the
 * same SLA engine from the same settings, so its figures are those the bot would compute.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { RenderedReports, RenderReports, ReportJob } from "./render.js";

/** What the child needs to rebuild the bot's view of the data. */
export interface ReportSource {
  databasePath: string;
  regulation: string;
  timezone: string;
  schedule: Config["schedule"];
  logLevel: string;
}

export interface ChildRequest {
  source: ReportSource;
  job: ReportJob;
}

export type ChildReply =
  | { ok: true; rendered: RenderedReports; seconds: number; cpuSeconds: number; peakMegabytes: number }
  | { ok: false; error: string };

/** What a render cost the child, for the log and the benchmark. */
export interface RenderCost {
  seconds: number;
  /**
   * The child's processor time over those seconds (user and system, all its threads): on a machine
   * busy with other work the seconds grow, this much less.
   */
  cpuSeconds: number;
  peakMegabytes: number;
}

const ENTRY = fileURLToPath(new URL("./render-process.cjs", import.meta.url));
const FLAGS = ["--require", createRequire(import.meta.url).resolve("tsx/cjs"), "--max-semi-space-size=2"];
/** A month of 100 000 incidents takes seconds; a child still busy after this is stuck, and is killed. */
const TIMEOUT_MS = 5 * 60_000;
/**
 * The child reads the database and nothing else: it does not get the bot's secrets. Nor the bot's
 * NODE_OPTIONS: the child's flags are its own, and `--import tsx` there, say, would load the loader
 * thread these flags avoid.
 */
const HIDDEN = ["BOT_TOKEN", "WEBHOOK_SECRET", "INTAKE_TOKEN", "NODE_OPTIONS"];

export interface ChildRenderer {
  render: RenderReports;
  /** At shutdown: the running child is killed and the jobs still waiting fail, so that their callers let go. */
  close(): void;
}

/**
 * Renders each job in a new child process, after the previous job's child has exited (two
 * reports at once would double the memory). `onCost` hears what each render cost.
 */
export function renderInChildProcess(
  source: ReportSource,
  log: Logger,
  onCost: (cost: RenderCost) => void = () => {},
): ChildRenderer {
  let previous: Promise<unknown> = Promise.resolve();
  let running: ChildProcess | undefined;
  let closed = false;
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !HIDDEN.includes(name)));
  const start = (job: ReportJob): Promise<RenderedReports> => {
    if (closed) return Promise.reject(new Error("report not rendered: the bot is stopping"));
    const child = fork(ENTRY, [], {
      env,
      execArgv: FLAGS,
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    running = child;
    return settle(child, { source, job }, log, onCost).finally(() => {
      running = undefined;
    });
  };
  return {
    render(job) {
      const run = previous.then(() => start(job));
      previous = run.catch(() => {});
      return run;
    },
    close() {
      closed = true;
      running?.kill("SIGKILL");
    },
  };
}

function settle(
  child: ChildProcess,
  request: ChildRequest,
  log: Logger,
  onCost: (cost: RenderCost) => void,
): Promise<RenderedReports> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    let reply: ChildReply | undefined;
    child.once("message", (message) => {
      reply = message as ChildReply;
    });
    // The child could not be started, or the request not sent: it must not outlive the job.
    child.once("error", (error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    });
    // Settled on exit, not on the reply: the next report starts only when this one's memory is free.
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (reply?.ok) {
        const { seconds, cpuSeconds, peakMegabytes } = reply;
        log.info({ month: request.job.month, seconds, cpuSeconds, peakMegabytes }, "report rendered");
        onCost({ seconds, cpuSeconds, peakMegabytes });
        // Node's advanced serialization gives the files back as Buffers.
        resolvePromise(reply.rendered);
      } else {
        const why = reply ? reply.error : `the report process ended (${signal ?? `code ${code}`})`;
        reject(new Error(`report not rendered: ${why}`));
      }
    });
    child.send(request);
  });
}
