/**
 * The monthly report's cost over 100 000 incidents of one month (about 700 000 audit events, drafts
 * and publications, seeded with raw SQL): figures, violations, the chart, the text and the
 * spreadsheet, rendered as the bot renders them — in the report process it starts for each report
 * (src/reports/renderer.ts) — timed from the request to the rendered files back in this process,
 * with the report process's peak RSS.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { presetRuntime } from "../src/app/sla.js";
import { applyMigrations, openDatabase } from "../src/db/client.js";
import { type RenderCost, renderInChildProcess } from "../src/reports/renderer.js";
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
  // The seed is the month already on the disk, not the work measured: unsynced, it does not leave the
  // kernel flushing a freshly fsynced 100 000-incident file while the report is timed (≈ 1 s more).
  sqlite.pragma("synchronous = NORMAL");
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

export async function runReportBench(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), "osm-report-bench-"));
  const databasePath = join(dir, "bench.db");
  const database = seed(databasePath);
  const sla = presetRuntime(database.db, "orenburg");
  database.close();
  let cost: RenderCost | undefined;
  const { render } = renderInChildProcess(
    { databasePath, regulation: "orenburg", timezone: sla.timezone, schedule: {}, logLevel: "silent" },
    pino({ level: "silent" }),
    (c) => {
      cost = c;
    },
  );
  const started = performance.now();
  const { summary } = await render({ month: MONTH, summary: true, violations: false, byOrganization: false });
  const seconds = (performance.now() - started) / 1000;
  rmSync(dir, { recursive: true, force: true });
  const received = summary && /Поступило: (\d+)/.exec(summary.text)?.[1];
  if (received !== String(INCIDENTS) || !summary?.chart || summary.text.length > 4096 || !cost) {
    throw new Error(`unexpected report: ${received} incidents received`);
  }
  const peak = cost.peakMegabytes;
  if (process.env.REPORT_PHASES) {
    // The child's own time runs from the job's arrival to its reply; the rest is starting the child,
    // loading its modules and sending the files back. Its processor time (all its threads) is what a
    // machine busy with other work inflates least: the one to compare two versions by there.
    console.log(
      `report process: ${cost.seconds.toFixed(2)} s rendering (${cost.cpuSeconds.toFixed(2)} s of processor time), ${(seconds - cost.seconds).toFixed(2)} s starting and replying`,
    );
  }
  return [
    {
      name: `monthly report: ${INCIDENTS.toLocaleString("en")} incidents (figures, PNG, text, XLSX), from request to result`,
      value: Math.round(seconds * 100) / 100,
      unit: "s",
      target: "< 5 s",
      pass: seconds < 5,
    },
    {
      name: "monthly report: peak RSS of the report process",
      value: Math.round(peak),
      unit: "MB",
      target: "< 200 MB",
      pass: peak < 200,
    },
  ];
}

await runAsScript(import.meta.url, runReportBench);
