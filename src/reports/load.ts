/**
 * Reads what a month's report needs from the stored events, never from "now": only events before
 * the period's end count (the month's end, or for a month still running the moment it is reported
 * as of), so a report recomputed later gives the same figures. Rows are streamed,
 * never collected into arrays: a month can hold a hundred thousand incidents, and holding them
 * all at once is what makes a report's memory grow with the month.
 */
import type Database from "better-sqlite3";
import { type SlaRuntime, settingsHistory } from "../app/sla.js";
import type { Db } from "../db/client.js";
import { formalName } from "../domain/access.js";
import type { Importance } from "../domain/incident.js";
import type { MonthBounds } from "./month.js";
import {
  type CuratorAt,
  type IncidentEvent,
  type IncidentFacts,
  type Replay,
  replayIncident,
} from "./replay.js";

/**
 * The better-sqlite3 handle under drizzle: a month's rows are streamed with raw statements,
 * which drizzle's query builder cannot do.
 */
function sqliteOf(db: Db): Database.Database {
  const client = (db as Db & { $client?: Database.Database }).$client;
  if (!client) throw new Error("reports need the better-sqlite3 handle of the database");
  return client;
}

export interface IncidentRecord extends IncidentFacts {
  topic: string | null;
  place: string | null;
  repeatOfId: number | null;
  network: string;
  link: string;
  /** Why it was closed without an answer (never `void`: see CANDIDATE); final, so read as it is now. */
  closedReason: "toxic" | "threat" | null;
  /** The last answer posted before the period's end, and whether it was on time (fixed at posting). */
  answeredAt: Date | null;
  answeredOnTime: boolean | null;
}

/** What happened to one incident during the month, beside its rebuilt steps. */
export interface MonthActivity {
  incident: IncidentRecord;
  replay: Replay;
  /** Events of the month itself (the replay also saw the earlier ones). */
  events: IncidentEvent[];
  /** The settings the post was received under, which its steps are judged by (see forEachMonthActivity). */
  sla: SlaRuntime;
}

/**
 * Incidents changed since the month began (every transition bumps updated_at) and those still open:
 * only they can have a step decided in the month. Later changes add candidates but no events
 * before the month's end, so the figures stay the same.
 */
/** A post closed as deleted or registered by mistake (`void`) is in no report. */
const CANDIDATE =
  "(i.updated_at >= :start or i.state not in ('answered', 'closed')) and i.closed_reason is not 'void'";

/**
 * A post's importance, topic, place or date as it stood at the period's end: changed since (a curator
 * corrects an old post in the next month), the value the first later change started from — so a
 * month's figures are the same whenever they are computed. Only posts changed since are looked up.
 */
const atEnd = (column: string, action: string) => {
  const later = `from audit_events e where e.entity = 'incident' and e.entity_id = cast(i.id as text)
    and e.action = '${action}' and e.at >= :end`;
  return `case when i.updated_at >= :end and exists (select 1 ${later})
    then (select json_extract(e.details, '$.from') ${later} order by e.at, e.id limit 1)
    else i.${column} end`;
};

/** A repeat linked after the period's end (once per post) was not one then. */
const REPEAT_AT_END = `case when i.updated_at >= :end and exists (select 1 from audit_events e
    where e.entity = 'incident' and e.entity_id = cast(i.id as text) and e.action = 'markRepeat' and e.at >= :end)
  then null else i.repeat_of_id end`;

/** The last answer posted before the period's end: its column. */
const lastAnswer = (column: string) => `(select p.${column} from publications p
    where p.incident_id = i.id and p.kind = 'answer' and p.published_at < :end
    order by p.published_at desc limit 1)`;

const CANDIDATES = `
  select id, detected_at, ${atEnd("posted_at", "setPostedAt")}, shortened_answer_minutes,
    ${atEnd("importance", "setImportance")},
    ${atEnd("topic", "setTopic")}, ${atEnd("place", "setPlace")}, ${REPEAT_AT_END},
    network, link, closed_reason, ${lastAnswer("published_at")}, ${lastAnswer("on_time")}
  from incidents i
  where ${CANDIDATE}
  order by id`;

/**
 * The candidates' events (the same CANDIDATE condition) before the period's end: incident by incident in
 * number order, as CANDIDATES gives them, and each incident's oldest first. SQLite walks the
 * incidents in rowid order and reads each one's events through audit_events_entity, as a query per
 * incident would, but without running a statement per incident (≈ 0.1–0.2 s of a month of 100 000).
 * Only the details the replay reads are fetched: those that name organizations (routing, and a
 * co-executor's acceptance, part, the curator's decision on it, return, and turn), a draft's kind, and
 * who left the organization (`holderRemoved`: what they held is no longer theirs), and who took over
 * from whom (`takeOver`), and which organization merged into which (`organizationMerged`).
 */
const EVENTS = `
  select i.id, e.at, e.actor_id, e.action, e.from_state, e.to_state,
    case when e.action in ('route', 'accept', 'sendPart', 'passOnPart', 'returnPart', 'return', 'releaseTurn', 'submitDraft', 'holderRemoved', 'takeOver',
      'organizationMerged')
      then e.details end
  from incidents i
  join audit_events e on e.entity = 'incident' and e.entity_id = cast(i.id as text) and e.at < :end
  where ${CANDIDATE}
  order by i.id, e.at, e.id`;

type CandidateRow = [
  number,
  number,
  /** Milliseconds, or the ISO text an audit event recorded it as. */
  number | string | null,
  number | null,
  Importance,
  string | null,
  string | null,
  number | null,
  string,
  string,
  "toxic" | "threat" | null,
  number | null,
  number | null,
];
type EventRow = [number, number, number | null, string, string | null, string | null, string | null];

/**
 * Replays each candidate incident and hands it to `visit`, one at a time, so memory stays flat
 * however many incidents the month has. The candidates and their events are two streams in the
 * same order, read side by side (one read transaction: both see the same rows); an indexed read
 * per incident is cheaper than streaming all events in entity order (a text order, '10' before
 * '9') and matching each incident to them. Each post is judged by the settings in force when it was
 * received (settingsHistory), not by those in force now: an amended regulation changes no month
 * already past. Returns the instant before which the settings were not recorded and those in force
 * now stood in, where a post received then was judged; null where none was.
 */
export function forEachMonthActivity(
  db: Db,
  sla: SlaRuntime,
  bounds: MonthBounds,
  visit: (activity: MonthActivity) => void,
): Date | null {
  const sqlite = sqliteOf(db);
  const start = bounds.start.getTime();
  const end = bounds.end.getTime();
  const settings = settingsHistory(db, sla);
  let standIn = false;
  const curatorAt = curatorTerms(db, bounds.end);
  const rows = sqlite.prepare(EVENTS).raw(true).iterate({ start, end }) as IterableIterator<EventRow>;
  try {
    let row = rows.next();
    for (const raw of sqlite.prepare(CANDIDATES).raw(true).iterate({ start, end })) {
      const incident = incidentRecord(raw as CandidateRow);
      const events: IncidentEvent[] = [];
      while (!row.done && row.value[0] <= incident.id) {
        if (row.value[0] === incident.id) events.push(incidentEvent(row.value));
        row = rows.next();
      }
      if (events.length === 0) continue;
      const judged = settings.at(incident.detectedAt);
      if (!judged.recorded) standIn = true;
      const { regulation, workingTime } = judged.sla;
      visit({
        incident,
        replay: replayIncident(incident, events, regulation, workingTime, curatorAt),
        events: events.filter((e) => e.at.getTime() >= start),
        sla: judged.sla,
      });
    }
  } finally {
    // A visit that throws leaves the events unread: the statement must let the connection go.
    rows.return?.();
  }
  return standIn ? settings.knownFrom : null;
}

/** The audit of the curator's role granted and taken away: few rows, read once per report. */
const CURATOR_ROLE_EVENTS = `
  select cast(entity_id as integer), at, action, details from audit_events
  where entity = 'person' and action in ('role_granted', 'role_revoked', 'access_removed') and at < ?
  order by at, id`;

/**
 * Who was a curator when: each person's terms in the role, from its grant to its removal (the
 * audit's role_granted, role_revoked and access_removed), so that a late curators' step names only a
 * curator who had the role as its time ran out, not one who joined after.
 */
export function curatorTerms(db: Db, end: Date): CuratorAt {
  const terms = new Map<number, { from: number; to: number }[]>();
  const rows = sqliteOf(db).prepare(CURATOR_ROLE_EVENTS).raw(true).iterate(end.getTime());
  for (const row of rows) {
    const [personId, at, action, details] = row as [number, number, string, string | null];
    const parsed = details === null ? {} : (JSON.parse(details) as { role?: unknown; roles?: unknown });
    const own = terms.get(personId) ?? [];
    const last = own.at(-1);
    if (action === "role_granted" && parsed.role === "curator") {
      if (!last || last.to !== Infinity) terms.set(personId, [...own, { from: at, to: Infinity }]);
    } else if (Array.isArray(parsed.roles) && parsed.roles.includes("curator") && last?.to === Infinity) {
      last.to = at;
    }
  }
  return (personId, at) => {
    const t = at.getTime();
    return terms.get(personId)?.some((term) => term.from < t && t <= term.to) === true;
  };
}

function incidentRecord(row: CandidateRow): IncidentRecord {
  return {
    id: row[0],
    detectedAt: new Date(row[1]),
    postedAt: row[2] === null ? null : new Date(row[2]),
    shortenedAnswerMinutes: row[3],
    importance: row[4],
    topic: row[5],
    place: row[6],
    repeatOfId: row[7],
    network: row[8],
    link: row[9],
    closedReason: row[10],
    answeredAt: row[11] === null ? null : new Date(row[11]),
    answeredOnTime: row[12] === null ? null : row[12] === 1,
  };
}

function incidentEvent(row: EventRow): IncidentEvent {
  return {
    at: new Date(row[1]),
    actorId: row[2],
    action: row[3],
    fromState: row[4],
    toState: row[5],
    details: row[6] === null ? null : (JSON.parse(row[6]) as Record<string, unknown>),
  };
}

export interface AnswerPublication {
  incidentId: number;
  publishedAt: number;
  /** Whether it was on time, fixed at publication. */
  onTime: boolean | null;
  /**
   * Whose answer it is: the author of the approved draft it posts (a curator posting it, Georgievsk
   * p.12, does not make it theirs); whoever posted it when no such draft is found.
   */
  answeredBy: number;
}

/**
 * Answers published in a period. The draft is looked up by its post (drafts_incident): left to
 * choose, SQLite reads the approved drafts by decision time (drafts_decided), every earlier draft for
 * each answer, which made a month of 100 000 posts take minutes.
 */
export function* answerPublications(db: Db, from: Date, to: Date): Generator<AnswerPublication> {
  const rows = sqliteOf(db)
    .prepare(
      `select p.incident_id, p.published_at, p.on_time,
         coalesce((select d.author_id from drafts d indexed by drafts_incident
                   where d.incident_id = p.incident_id and d.kind in ('answer', 'final')
                     and d.state = 'approved' and d.decided_at <= p.published_at
                   order by d.id desc limit 1), p.published_by)
       from publications p
       where p.kind = 'answer' and p.published_at >= ? and p.published_at < ?`,
    )
    .raw(true)
    .iterate(from.getTime(), to.getTime());
  for (const row of rows) {
    const [incidentId, publishedAt, onTime, answeredBy] = row as [number, number, number | null, number];
    yield { incidentId, publishedAt, onTime: onTime === null ? null : onTime === 1, answeredBy };
  }
}

export interface MonthCounts {
  received: number;
  answered: number;
  answeredOnTime: number;
}

/**
 * The posts closed as void (see CANDIDATE), for a query that would otherwise read each of its rows'
 * post for its closed_reason: one scan of the posts for the few voided ones instead of a read per
 * row, ≈ 100 000 of them a month (≈ 1 s of a month's report on a busy machine; bench/report.ts).
 */
const VOIDED = "(select id from incidents where closed_reason = 'void')";

/**
 * Posts received (not voided, see CANDIDATE), answers published and answers on time in consecutive
 * months, counted by SQLite in one scan of each table: `starts` are the months' first instants, `end` the last one's end. A
 * row's month is the number of later months' starts it has passed.
 */
export function monthCounts(db: Db, starts: number[], end: number): MonthCounts[] {
  const counts = starts.map(() => ({ received: 0, answered: 0, answeredOnTime: 0 }));
  const params: Record<string, number> = { end };
  for (const [i, start] of starts.entries()) params[`s${i}`] = start;
  const monthOf = (column: string) =>
    ["0", ...starts.slice(1).map((_, i) => `(${column} >= :s${i + 1})`)].join(" + ");
  const sqlite = sqliteOf(db);
  const received = sqlite
    .prepare(
      `select ${monthOf("detected_at")} as month, count(*) from incidents
       where detected_at >= :s0 and detected_at < :end and id not in ${VOIDED} group by month`,
    )
    .raw(true)
    .all(params) as [number, number][];
  for (const [month, count] of received) {
    const c = counts[month];
    if (c) c.received = count;
  }
  const answered = sqlite
    .prepare(
      `select ${monthOf("published_at")} as month, count(*), coalesce(sum(on_time = 1), 0) from publications
       where kind = 'answer' and published_at >= :s0 and published_at < :end group by month`,
    )
    .raw(true)
    .all(params) as [number, number, number][];
  for (const [month, count, onTime] of answered) {
    const c = counts[month];
    if (!c) continue;
    c.answered = count;
    c.answeredOnTime = onTime;
  }
  return counts;
}

export interface DecidedDraft {
  incidentId: number;
  round: number;
  state: string;
  quality: number | null;
  authorId: number;
  decidedAt: Date;
}

/**
 * Drafts the curators decided on in the month. A decided draft superseded since was returned for
 * rework (an approved one never is): the post taken to another lead drops the rework, not the
 * curator's decision. A voided post's drafts are in no report, as the post is not (see CANDIDATE).
 */
export function* decidedDrafts(db: Db, bounds: MonthBounds): Generator<DecidedDraft> {
  const rows = sqliteOf(db)
    .prepare(
      `select incident_id, round, case state when 'superseded' then 'rework' else state end,
              quality, author_id, decided_at
       from drafts
       where decided_at >= ? and decided_at < ? and state in ('approved', 'rework', 'superseded')
         and incident_id not in ${VOIDED}`,
    )
    .raw(true)
    .iterate(bounds.start.getTime(), bounds.end.getTime());
  for (const row of rows) {
    const [incidentId, round, state, quality, authorId, decidedAt] = row as [
      number,
      number,
      string,
      number | null,
      number,
      number,
    ];
    yield { incidentId, round, state, quality, authorId, decidedAt: new Date(decidedAt) };
  }
}

/** A post closed as deleted or registered by mistake, or as a duplicate (`duplicateOf`): in no figure. */
export interface VoidedPost {
  id: number;
  detectedAt: Date;
  network: string;
  link: string;
  closedAt: Date | null;
  duplicateOf: number | null;
}

/** The posts received in the period that were closed as void (see CANDIDATE), whenever. */
export function* voidedPosts(db: Db, bounds: MonthBounds): Generator<VoidedPost> {
  const rows = sqliteOf(db)
    .prepare(
      `select i.id, i.detected_at, i.network, i.link, e.at, json_extract(e.details, '$.duplicateOf')
       from incidents i
       left join audit_events e on e.entity = 'incident' and e.entity_id = cast(i.id as text) and e.action = 'markVoid'
       where i.closed_reason = 'void' and i.detected_at >= ? and i.detected_at < ?
       order by i.id`,
    )
    .raw(true)
    .iterate(bounds.start.getTime(), bounds.end.getTime());
  for (const row of rows) {
    const [id, detectedAt, network, link, closedAt, duplicateOf] = row as [
      number,
      number,
      string,
      string,
      number | null,
      number | null,
    ];
    yield {
      id,
      detectedAt: new Date(detectedAt),
      network,
      link,
      closedAt: closedAt === null ? null : new Date(closedAt),
      duplicateOf,
    };
  }
}

export function organizationNames(db: Db): Map<number, string> {
  const rows = sqliteOf(db)
    .prepare("select id, coalesce(short_name, name) from organizations")
    .raw(true)
    .all() as [number, string][];
  return new Map(rows);
}

/** People's names as reports give them: the official one in full where given (see formalName). */
export function personNames(db: Db): Map<number, string> {
  const rows = sqliteOf(db)
    .prepare("select id, first_name, last_name, official_name from people")
    .raw(true)
    .all() as [number, string, string | null, string | null][];
  return new Map(
    rows.map(([id, firstName, lastName, officialName]) => [
      id,
      formalName({ firstName, lastName, officialName }),
    ]),
  );
}
