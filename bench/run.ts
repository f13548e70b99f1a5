/**
 * `npm run bench`: every benchmark of the project, one table of figure, target and pass/fail.
 * Benchmarks print figures; they are not timed tests and do not run in CI.
 */

import { runApproveBench } from "./approve.js";
import { runBurstBench } from "./burst.js";
import type { BenchFigure } from "./figures.js";
import { runReportBench } from "./report.js";
import { runSlaBench } from "./sla.js";
import { runStartupBench } from "./startup.js";
import { runSweepBench } from "./sweep.js";

const suites: [string, () => Promise<BenchFigure[]>][] = [
  ["SLA engine", runSlaBench],
  ["deadline sweep", runSweepBench],
  ["alert burst", runBurstBench],
  ["monthly report", runReportBench],
  ["start-up", runStartupBench],
  ["approve press", runApproveBench],
];

const rows: string[][] = [["suite", "figure", "value", "target", "result"]];
let failed = 0;
for (const [suite, run] of suites) {
  for (const figure of await run()) {
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
