/**
 * Start-up with a migrated database of 100 000 incidents: from process start to the bot polling
 * Telegram (a local fake), and the process's memory then. Runs exactly what `npm start` runs.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FakeBotApi } from "../test/support/fake-bot-api.js";
import { type BenchFigure, runAsScript } from "./figures.js";
import { seed } from "./sweep.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kib / 1024);
}

export async function runStartupBench(): Promise<BenchFigure[]> {
  const database = seed(100_000);
  const path = database.sqlite.name;
  database.close();
  const fake = await FakeBotApi.start({ token: "1:startup" });
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, "src", "main.cjs")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      BOT_TOKEN: fake.token,
      BOT_API_ROOT: fake.apiRoot,
      DATABASE_PATH: path,
      LOG_LEVEL: "silent",
    },
    stdio: "ignore",
  });
  try {
    await fake.waitForPolling(30_000);
    const seconds = (performance.now() - started) / 1000;
    const rss = child.pid ? rssMiB(child.pid) : Number.NaN;
    return [
      {
        name: "start-up to polling, 100 000 incidents",
        value: Math.round(seconds * 100) / 100,
        unit: "s",
        target: "< 2 s",
        pass: seconds < 2,
      },
      { name: "RSS after start-up", value: rss, unit: "MiB", target: "< 200 MiB", pass: rss < 200 },
    ];
  } finally {
    child.kill("SIGKILL");
    await fake.close();
    rmSync(dirname(path), { recursive: true, force: true });
  }
}

await runAsScript(import.meta.url, runStartupBench);
