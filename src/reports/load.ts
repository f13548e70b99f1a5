/**
 * Reads what a month's report needs from the stored events, never from "now": only events before
 * the month's end count, so a report recomputed later gives the same figures.
 */
import type Database from "better-sqlite3";
import type { SlaRuntime } from "../app/sla.js";
import type { Db } from "../db/client.js";
import type { MonthBounds } from "./month.js";
import { type IncidentEvent, type IncidentFacts, type Replay, replayIncident } from "./replay.js";

/**
 * The better-sqlite3 handle under drizzle: a month's events are streamed with a raw statement,
 * which drizzle's query builder cannot do.
 */
function sqliteOf(db: Db): Database.Database {
  const client = (db as Db & { $client?: Database.Database }).$client;
  if (!client) throw new Error("reports need the better-sqlite3 handle of the database");
  return client;
}

export interface IncidentRecord extends IncidentFacts {
  importance: string;
  topic: string | null;
  place: string | null;
  repeatOfId: number | null;
}

/** What happened to one incident during the month, beside its rebuilt steps. */
export interface MonthActivity {
  incident: IncidentRecord;
  replay: Replay;
  /** Events of the month itself (the replay also saw the earlier ones). */
  events: IncidentEvent[];
}

/**
 * Incidents changed since the month began (every transition bumps updated_at) and those still open:
 * only they can have a step decided in the month. Their events stream in index order, one incident
 * at a time, so memory stays flat however many incidents the month has. Later changes add
 * candidates but no events before the month's end, so the figures stay the same.
 */
const EVENTS = `
  select entity_id, at, actor_id, action, from_state, to_state, details
  from audit_events
  where entity = 'incident' and at < :end and entity_id in (
    select cast(id as text) from incidents
    where updated_at >= :start or state not in ('answered', 'closed')
  )
  order by entity_id, at, id`;

const INCIDENT = `
  select detected_at, posted_at, shortened_answer_minutes, importance, topic, place, repeat_of_id
  from incidents where id = ?`;

type EventRow = [string, number, number | null, string, string | null, string | null, string | null];
type IncidentRow = [
  number,
  number | null,
  number | null,
  string,
  string | null,
  string | null,
  number | null,
];

/** Only routing's details are read (the lead organization): parsing the rest would cost for nothing. */
const DETAILED_ACTIONS = new Set(["route"]);

export function forEachMonthActivity(
  db: Db,
  sla: SlaRuntime,
  bounds: MonthBounds,
  visit: (activity: MonthActivity) => void,
): void {
  const wt = sla.workingTime;
  const statement = sqliteOf(db).prepare(EVENTS).raw(true);
  const incidentRow = sqliteOf(db).prepare(INCIDENT).raw(true);
  const params = { start: bounds.start.getTime(), end: bounds.end.getTime() };
  let current: { incident: IncidentRecord; events: IncidentEvent[] } | undefined;
  const flush = () => {
    if (!current) return;
    const replay = replayIncident(current.incident, current.events, sla.regulation, wt);
    const start = bounds.start.getTime();
    visit({
      incident: current.incident,
      replay,
      events: current.events.filter((e) => e.at.getTime() >= start),
    });
  };
  for (const raw of statement.iterate(params)) {
    const row = raw as EventRow;
    const id = Number(row[0]);
    if (current?.incident.id !== id) {
      flush();
      current = undefined;
      const facts = incidentRow.get(id) as IncidentRow | undefined;
      if (facts) current = { incident: incidentRecord(id, facts), events: [] };
    }
    if (!current) continue;
    current.events.push({
      at: new Date(row[1]),
      actorId: row[2],
      action: row[3],
      fromState: row[4],
      toState: row[5],
      details:
        row[6] === null || !DETAILED_ACTIONS.has(row[3])
          ? null
          : (JSON.parse(row[6]) as Record<string, unknown>),
    });
  }
  flush();
}

function incidentRecord(id: number, row: IncidentRow): IncidentRecord {
  return {
    id,
    detectedAt: new Date(row[0]),
    postedAt: row[1] === null ? null : new Date(row[1]),
    shortenedAnswerMinutes: row[2],
    importance: row[3],
    topic: row[4],
    place: row[5],
    repeatOfId: row[6],
  };
}

/** Answers published in a period: whether each was on time, fixed at publication. */
export function answerPublications(
  db: Db,
  from: Date,
  to: Date,
): { incidentId: number; publishedAt: number; onTime: boolean | null; publishedBy: number }[] {
  const rows = sqliteOf(db)
    .prepare(
      `select incident_id, published_at, on_time, published_by from publications
       where kind = 'answer' and published_at >= ? and published_at < ?`,
    )
    .raw(true)
    .all(from.getTime(), to.getTime()) as [number, number, number | null, number][];
  return rows.map(([incidentId, publishedAt, onTime, publishedBy]) => ({
    incidentId,
    publishedAt,
    onTime: onTime === null ? null : onTime === 1,
    publishedBy,
  }));
}

/** Posts registered (detected) in a period: the detection instants only. */
export function detectionTimes(db: Db, from: Date, to: Date): number[] {
  return sqliteOf(db)
    .prepare("select detected_at from incidents where detected_at >= ? and detected_at < ?")
    .pluck()
    .all(from.getTime(), to.getTime()) as number[];
}

export interface DecidedDraft {
  incidentId: number;
  round: number;
  state: string;
  quality: number | null;
  authorId: number;
}

/** Drafts the curators decided on in the month. */
export function decidedDrafts(db: Db, bounds: MonthBounds): DecidedDraft[] {
  const rows = sqliteOf(db)
    .prepare(
      `select incident_id, round, state, quality, author_id from drafts
       where decided_at >= ? and decided_at < ? and state in ('approved', 'rework')`,
    )
    .raw(true)
    .all(bounds.start.getTime(), bounds.end.getTime()) as [number, number, string, number | null, number][];
  return rows.map(([incidentId, round, state, quality, authorId]) => ({
    incidentId,
    round,
    state,
    quality,
    authorId,
  }));
}

export function organizationNames(db: Db): Map<number, string> {
  const rows = sqliteOf(db)
    .prepare("select id, coalesce(short_name, name) from organizations")
    .raw(true)
    .all() as [number, string][];
  return new Map(rows);
}

export function personNames(db: Db): Map<number, string> {
  const rows = sqliteOf(db).prepare("select id, first_name, last_name from people").raw(true).all() as [
    number,
    string,
    string | null,
  ][];
  return new Map(rows.map(([id, first, last]) => [id, last ? `${first} ${last}` : first]));
}
