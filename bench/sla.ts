import { createWorkingTime } from "../src/domain/calendar/index.js";
import { loadRegulation, type StepId, stepDeadline } from "../src/domain/regulation/index.js";
import { type BenchFigure, runAsScript } from "./figures.js";

const TARGET_PER_SECOND = 500_000;
const MAX_LONG_TO_SHORT = 2;
const N = 300_000;

/** Deterministic pseudo-random instants in 2024-2026 (mulberry32), so runs are comparable. */
function randomInstants(count: number): Date[] {
  let seed = 0x5eed;
  const from = Date.UTC(2024, 0, 1);
  const span = Date.UTC(2027, 0, 1) - from;
  return Array.from({ length: count }, () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return new Date(from + (((t ^ (t >>> 14)) >>> 0) / 4294967296) * span);
  });
}

function perSecond(instants: Date[], compute: (at: Date, i: number) => Date | undefined): number {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += compute(instants[i % instants.length] as Date, i)?.getTime() ?? 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < instants.length; i++) sink += compute(instants[i] as Date, i)?.getTime() ?? 0;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (sink === 42) console.log("");
  return Math.round(instants.length / seconds);
}

/** Deadline computations per second (30-minute, 9-hour and 7-working-day steps) and memory. */
export async function runSlaBench(): Promise<BenchFigure[]> {
  const reg = loadRegulation("orenburg");
  const wt = createWorkingTime({ timezone: reg.timezone });
  const instants = randomInstants(N);
  const heapBefore = process.memoryUsage().heapUsed;
  wt.workingMinutesBetween(new Date(Date.UTC(2024, 0, 1)), new Date(Date.UTC(2027, 0, 1)));
  const heapTimelines = process.memoryUsage().heapUsed - heapBefore;

  const steps: [StepId, string][] = [
    ["routing", "30-minute step"],
    ["answer", "9-working-hour step"],
    ["finalAfterInterim", "7-working-day step"],
  ];
  const rates = steps.map(([step]) =>
    perSecond(instants, (at) => stepDeadline(reg, step, { detection: at, receipt: at, postDate: at }, wt)),
  );
  const mixed = perSecond(instants, (at, i) =>
    stepDeadline(
      reg,
      (steps[i % 3] as [StepId, string])[0],
      { detection: at, receipt: at, postDate: at },
      wt,
    ),
  );
  const engineOnly = perSecond(instants, (at, i) =>
    i % 3 === 0
      ? wt.addWorkingMinutes(at, 30)
      : i % 3 === 1
        ? wt.addWorkingMinutes(at, 540)
        : wt.addWorkingDays(at, 7),
  );
  const [short, , long] = rates as [number, number, number];
  const ratio = Math.round((short / long) * 100) / 100;
  const target = `≥ ${TARGET_PER_SECOND.toLocaleString("en")}/s`;
  return [
    ...steps.map(([, name], i) => {
      const value = rates[i] as number;
      return { name: `sla: ${name}`, value, unit: "deadlines/s", target, pass: value >= TARGET_PER_SECOND };
    }),
    {
      name: "sla: mixed steps (preset API)",
      value: mixed,
      unit: "deadlines/s",
      target,
      pass: mixed >= TARGET_PER_SECOND,
    },
    {
      name: "sla: mixed steps (engine only)",
      value: engineOnly,
      unit: "deadlines/s",
      target,
      pass: engineOnly >= TARGET_PER_SECOND,
    },
    {
      name: "sla: cost of a 7-day step relative to a 30-min step",
      value: ratio,
      unit: "×",
      target: `≤ ${MAX_LONG_TO_SHORT}`,
      pass: ratio <= MAX_LONG_TO_SHORT,
    },
    {
      name: "sla: heap growth while building 2024-2026 (incl. uncollected garbage)",
      value: Math.round(heapTimelines / 1024),
      unit: "KiB",
      target: "≤ 16384 KiB",
      pass: heapTimelines <= 16 * 1024 * 1024,
    },
  ];
}

await runAsScript(import.meta.url, runSlaBench);
