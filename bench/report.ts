/**
 * The monthly report's cost over 100 000 incidents of one month (about 700 000 audit events, drafts
 * and publications, seeded with raw SQL): figures, violations, the chart, the text and the
 * spreadsheet, in the order the bot renders them (renderMonthlyReport), timed together, with the
 * peak RSS of the process that makes them.
 *
 * The report runs in a child process that opens the seeded database, as the bot's process would:
 * seeding 700 000 rows leaves its own garbage and a full page cache behind, and `npm run bench`
 * runs the other benchmarks in the same process first; neither is the report's memory.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { presetRuntime } from "../src/app/sla.js";
import { tr } from "../src/bot/texts-reports.js";
import { applyMigrations, openDatabase } from "../src/db/client.js";
import { reportChart } from "../src/reports/chart.js";
import { buildMonthlyReport } from "../src/reports/figures.js";
import { reportWorkbook } from "../src/reports/xlsx.js";
import { type BenchFigure, runAsScript } from "./figures.js";

const INCIDENTS = 100_000;
const ORGANIZATIONS = 40;
const MONTH = { year: 2026, month: 11 };
const MINUTE = 60_000;

/** Working-day mornings of November 2026 in Yekaterinburg (UTC+5), 10:00 local. */
function workingMornings(): number[] {
  const days: number[] = [];
  for (let day = 2; day <= 30; day++) {
    const at = new Date(Date.UTC(2026, 10, day, 5, 0));
    const weekday = at.getUTCDay();
    if (weekday !== 0 && weekday !== 6 && day !== 4) days.push(at.getTime());
  }
  return days;
}

function seed(path: string) {
  const database = openDatabase(path);
  applyMigrations(database.db);
  const { sqlite } = database;
  sqlite.exec(`
    insert into people (telegram_id, first_name, created_at) values (1, 'Куратор', 0);
    insert into role_grants (person_id, role, created_at) values (1, 'curator', 0);
  `);
  const person = sqlite.prepare("insert into people (telegram_id, first_name, created_at) values (?, ?, 0)");
  const organization = sqlite.prepare(
    "insert into organizations (name, name_key, created_at) values (?, ?, 0)",
  );
  const incident = sqlite.prepare(
    `insert into incidents (id, link, link_key, network, state, topic, place, detected_at, registered_by, created_at, updated_at)
     values (?, ?, ?, 'vk', 'answered', ?, ?, ?, 1, ?, ?)`,
  );
  const event = sqlite.prepare(
    `insert into audit_events (at, actor_id, entity, entity_id, action, from_state, to_state, details)
     values (?, ?, 'incident', ?, ?, ?, ?, ?)`,
  );
  const draft = sqlite.prepare(
    `insert into drafts (incident_id, kind, round, author_id, text, attachments, state, submitted_at, decided_by, decided_at, quality)
     values (?, 'answer', 1, ?, 'Ответ', '[]', 'approved', ?, 1, ?, 5)`,
  );
  const publication = sqlite.prepare(
    `insert into publications (incident_id, kind, link, published_by, published_at, on_time)
     values (?, 'answer', ?, ?, ?, ?)`,
  );
  const mornings = workingMornings();
  sqlite.transaction(() => {
    for (let o = 1; o <= ORGANIZATIONS; o++) {
      organization.run(`Орган ${o}`, `орган ${o}`);
      person.run(1000 + o, `Исполнитель ${o}`);
    }
    for (let i = 1; i <= INCIDENTS; i++) {
      const org = (i % ORGANIZATIONS) + 1;
      const executor = org + 1;
      const detected = (mornings[i % mornings.length] ?? 0) + (i % 120) * MINUTE;
      // Every tenth answer is late: its draft comes the next day.
      const late = i % 10 === 0;
      const submitted = detected + (late ? 24 * 60 : 60) * MINUTE;
      const link = `https://vk.com/wall-1_${i}`;
      incident.run(
        i,
        link,
        `vk.com/wall-1_${i}`,
        `Тема ${i % 30}`,
        `Место ${i % 50}`,
        detected,
        detected,
        detected,
      );
      const id = String(i);
      event.run(detected, 1, id, "registered", null, "registered", null);
      event.run(
        detected + 10 * MINUTE,
        1,
        id,
        "route",
        "registered",
        "assigned",
        `{"leadId":${org},"coexecutorIds":[]}`,
      );
      event.run(detected + 15 * MINUTE, executor, id, "accept", "assigned", "in_work", null);
      event.run(submitted, executor, id, "submitDraft", "in_work", "on_approval", null);
      event.run(submitted + 10 * MINUTE, 1, id, "approve", "on_approval", "approved", null);
      event.run(submitted + 20 * MINUTE, executor, id, "publish", "approved", "answered", null);
      draft.run(i, executor, submitted, submitted + 10 * MINUTE);
      publication.run(i, `${link}?reply=1`, executor, submitted + 20 * MINUTE, late ? 0 : 1);
    }
  })();
  return database;
}

/** What the child process measured, printed as one line of JSON. */
interface Measured {
  seconds: number;
  peakMegabytes: number;
  received: number;
  violations: number;
  textLength: number;
  workbookBytes: number;
  chartBytes: number;
}

const MEASURE = "--measure";

/** In the child: the report over the seeded database, timed, and the process's peak RSS. */
async function measure(path: string): Promise<Measured> {
  const database = openDatabase(path);
  const sla = presetRuntime(database.db, "orenburg");
  const started = performance.now();
  const report = buildMonthlyReport(database.db, sla, MONTH);
  const chart = await reportChart(report);
  const text = tr.summary(report);
  const workbook = await reportWorkbook(report);
  const seconds = (performance.now() - started) / 1000;
  database.close();
  return {
    seconds,
    // The most the process has held at any moment (getrusage's maxrss, in KiB), not a sample.
    peakMegabytes: process.resourceUsage().maxRSS / 1024,
    received: report.overall.received,
    violations: report.violations.length,
    textLength: text.length,
    workbookBytes: workbook.length,
    chartBytes: chart.length,
  };
}

export async function runReportBench(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), "osm-report-bench-"));
  const path = join(dir, "bench.db");
  seed(path).close();
  // The same node and loader (tsx) as this process, as `npm start` runs the bot.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), MEASURE, path],
    { maxBuffer: 1024 * 1024 },
  );
  rmSync(dir, { recursive: true, force: true });
  const m = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as Measured;
  if (m.received !== INCIDENTS || m.textLength > 4096 || m.workbookBytes === 0 || m.chartBytes === 0) {
    throw new Error(`unexpected report: ${m.received} incidents`);
  }
  return [
    {
      name: `monthly report: ${INCIDENTS.toLocaleString("en")} incidents, ${m.violations.toLocaleString("en")} violations (figures, PNG, text, XLSX)`,
      value: Math.round(m.seconds * 100) / 100,
      unit: "s",
      target: "< 5 s",
      pass: m.seconds < 5,
    },
    {
      name: "monthly report: peak RSS of the process",
      value: Math.round(m.peakMegabytes),
      unit: "MB",
      target: "< 200 MB",
      pass: m.peakMegabytes < 200,
    },
  ];
}

if (process.argv[2] === MEASURE) {
  console.log(JSON.stringify(await measure(process.argv[3] ?? "")));
} else {
  await runAsScript(import.meta.url, runReportBench);
}
