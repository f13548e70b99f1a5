import { pathToFileURL } from "node:url";

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean;
}

/** Marks the line of figures a benchmark run by `npm run bench` (bench/run.ts) hands back. */
export const FIGURES_LINE = "bench-figures: ";

/**
 * Runs a benchmark and prints its figures when its file is run directly (`npx tsx bench/x.ts`), or
 * hands them to bench/run.ts as one line of JSON when it asks (BENCH_FIGURES_JSON).
 */
export async function runAsScript(moduleUrl: string, bench: () => Promise<BenchFigure[]>): Promise<void> {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const figures = await bench();
  if (process.env.BENCH_FIGURES_JSON) {
    process.stdout.write(`${FIGURES_LINE}${JSON.stringify(figures)}\n`);
    return;
  }
  for (const f of figures) {
    const value = f.value.toLocaleString("en");
    console.log(`${f.pass ? "PASS" : "FAIL"}  ${f.name}: ${value} ${f.unit} (target ${f.target})`);
  }
}
