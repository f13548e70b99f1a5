/**
 * `npm run bench`: every benchmark of the project, one table of figure, target and pass/fail.
 * Benchmarks print figures; they are not timed tests and do not run in CI.
 */

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type BenchFigure, FIGURES_LINE } from "./figures.js";

const suites: [name: string, file: string][] = [
  ["SLA engine", "sla.ts"],
  ["deadline sweep", "sweep.ts"],
  ["alert burst", "burst.ts"],
  ["monthly report", "report.ts"],
  ["start-up", "startup.ts"],
  ["approve press", "approve.ts"],
  ["/find by words", "find.ts"],
];

/**
 * Each suite runs in a process of its own, as when it is run alone: the 100 000 incidents and the
 * heap one suite leaves behind do not slow the next (in one process a press alone measured ≈ 2×
 * slower after the report's).
 */
function runSuite(file: string): Promise<BenchFigure[]> {
  const path = fileURLToPath(new URL(file, import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", path], {
    env: { ...process.env, BENCH_FIGURES_JSON: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const line = output.split("\n").find((l) => l.startsWith(FIGURES_LINE));
      if (code !== 0 || !line) reject(new Error(`bench/${file} exited with ${code} and no figures`));
      else resolve(JSON.parse(line.slice(FIGURES_LINE.length)) as BenchFigure[]);
    });
  });
}

const rows: string[][] = [["suite", "figure", "value", "target", "result"]];
let failed = 0;
for (const [suite, file] of suites) {
  for (const figure of await runSuite(file)) {
    if (!figure.pass) failed++;
    rows.push([
      suite,
      figure.name,
      `${figure.value.toLocaleString("en")} ${figure.unit}`,
      figure.target,
      figure.pass ? "pass" : "FAIL",
    ]);
  }
}
const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  "));
process.exitCode = failed > 0 ? 1 : 0;
