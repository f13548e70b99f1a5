/**
 * The deadline sweep's cost: one tick with 100 incidents due, among 10 000 and 100 000 open ones with
 * 10 audit events each. Telegram is stubbed (every call answers at once), so the figure is the
 * sweep's own work: the index lookup, planning, the ledger and card rendering. As in production, the
 * cards exist (the first tick sends them), so an overdue incident's card is edited in place.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Api } from "grammy";
import { pino } from "pino";
import { presetRuntime } from "../src/app/sla.js";
import { ManualClock } from "../src/clock.js";
import { applyMigrations, openDatabase } from "../src/db/client.js";
import { sweep } from "../src/jobs/sweep.js";
import { type BenchFigure, runAsScript } from "./figures.js";

const NOW = new Date("2026-11-24T07:00:00Z"); // Tuesday 12:00 in Yekaterinburg
const DUE = 100;

function stubApi(): Api {
  const api = new Api("1:stub");
  let messageId = 0;
  api.config.use(async (_prev, method) => {
    const result =
      method === "sendMessage" ? { message_id: ++messageId, date: 0, chat: { id: 1, type: "group" } } : true;
    return { ok: true, result } as never;
  });
  return api;
}

export function seed(open: number) {
  const dir = mkdtempSync(join(tmpdir(), "osm-bench-"));
  const database = openDatabase(join(dir, "bench.db"));
  applyMigrations(database.db);
  const { sqlite } = database;
  sqlite.exec(`
    insert into people (telegram_id, first_name, created_at) values (1, 'Куратор', 0);
    insert into role_grants (person_id, role, created_at) values (1, 'curator', 0);
    insert into organizations (name, name_key, created_at) values ('Минздрав', 'минздрав', 0);
    insert into bound_chats (chat_id, purpose, title, created_at) values (-200, 'curators', 'Кураторы', 0);
  `);
  const insertIncident = sqlite.prepare(
    `insert into incidents (link, link_key, network, state, detected_at, registered_by, created_at, updated_at, next_action_at)
     values (?, ?, 'vk', 'registered', ?, 1, ?, ?, ?)`,
  );
  const insertEvent = sqlite.prepare(
    `insert into audit_events (at, actor_id, entity, entity_id, action) values (?, 1, 'incident', ?, 'seen')`,
  );
  const detected = NOW.getTime() - 3_600_000;
  const later = NOW.getTime() + 86_400_000;
  sqlite.transaction(() => {
    for (let i = 1; i <= open; i++) {
      const link = `https://vk.com/wall-1_${i}`;
      insertIncident.run(
        link,
        `vk.com/wall-1_${i}`,
        detected,
        detected,
        detected,
        i <= DUE ? NOW.getTime() : later,
      );
      for (let e = 0; e < 10; e++) insertEvent.run(detected, String(i));
    }
  })();
  return database;
}

/**
 * The median of several ticks on one seeded database, each with the same 100 incidents due again,
 * after a few unmeasured ticks: the bot sweeps every minute, so its code is compiled hot.
 */
async function measure(open: number, ticks = 9, warmup = 10): Promise<number> {
  const database = seed(open);
  const sla = presetRuntime(database.db, "orenburg");
  const deps = {
    db: database.db,
    api: stubApi(),
    sla,
    clock: new ManualClock(NOW),
    log: pino({ level: "silent" }),
    config: { adminIds: [] },
  };
  const times: number[] = [];
  for (let i = 0; i < warmup + ticks; i++) {
    database.sqlite.exec(
      `delete from notifications; update incidents set next_action_at = ${NOW.getTime()} where id <= ${DUE};`,
    );
    const started = performance.now();
    const report = await sweep(deps);
    if (i >= warmup) times.push(performance.now() - started);
    if (report.incidents !== DUE) throw new Error(`expected ${DUE} due incidents, got ${report.incidents}`);
  }
  database.close();
  rmSync(dirname(database.sqlite.name), { recursive: true, force: true });
  return times.sort((a, b) => a - b)[Math.floor(ticks / 2)] ?? Number.NaN;
}

export async function runSweepBench(): Promise<BenchFigure[]> {
  const small = await measure(10_000);
  const large = await measure(100_000);
  return [
    {
      name: "sweep: one tick, 100 due of 10 000 open",
      value: Math.round(small * 10) / 10,
      unit: "ms",
      target: "< 20 ms",
      pass: small < 20,
    },
    {
      name: "sweep: one tick, 100 due of 100 000 open (1 000 000 audit events)",
      value: Math.round(large * 10) / 10,
      unit: "ms",
      target: "< 20 ms",
      pass: large < 20,
    },
    {
      name: "sweep: growth from 10 000 to 100 000 open",
      value: Math.round((large / small) * 100) / 100,
      unit: "×",
      target: "≤ 1.5",
      pass: large / small <= 1.5,
    },
  ];
}

await runAsScript(import.meta.url, runSweepBench);
