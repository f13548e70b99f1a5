/** The bot as `npm start` runs it (`node src/main.cjs`), as a real process for tests. */
import { type ChildProcess, type StdioOptions, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = join(ROOT, "src", "main.cjs");

/**
 * Starts the bot in a scratch working directory with only the environment given (and PATH).
 * `preload` modules are imported before the bot, e.g. to move its clock.
 */
export function spawnBot(
  env: Record<string, string>,
  options: { preload?: string[]; stdio?: StdioOptions } = {},
): ChildProcess {
  const preload = (options.preload ?? []).flatMap((module) => ["--import", module]);
  return spawn(process.execPath, [...preload, MAIN], {
    cwd: mkdtempSync(join(tmpdir(), "osm-bot-")),
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: options.stdio ?? "ignore",
  });
}

/** Sends the signal (kill -9 by default) and waits until the process is gone. */
export async function stopBot(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}
