import { pathToFileURL } from "node:url";

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean;
}

/** Runs a benchmark and prints its figures when its file is run directly (`npx tsx bench/x.ts`). */
export async function runAsScript(moduleUrl: string, bench: () => Promise<BenchFigure[]>): Promise<void> {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  for (const f of await bench()) {
    const value = f.value.toLocaleString("en");
    console.log(`${f.pass ? "PASS" : "FAIL"}  ${f.name}: ${value} ${f.unit} (target ${f.target})`);
  }
}
