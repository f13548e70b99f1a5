/**
 * The report as a spreadsheet: a sheet per table with Russian headers, frozen header rows, column
 * widths, and dates as real dates in the deployment's local time. Rows are written as they are
 * made (exceljs's streaming writer): a month's thousands of violations never sit in memory as
 * exceljs's cells and rows, only as the sheet's XML on its way into the zip.
 */
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import { tzOffset } from "@date-fns/tz";
import type ExcelJS from "exceljs";
import { tr as ti } from "../bot/texts-incidents.js";
import { tr } from "../bot/texts-reports.js";
import { NETWORK_NAMES, type Network } from "../domain/source-link.js";
import { formatDeadline } from "../domain/time-format.js";
import {
  type CarriedViolation,
  type CuratorFigures,
  type Figures,
  type Met,
  type MonthlyReport,
  percent,
} from "./figures.js";
import { monthLabel } from "./month.js";
import { sortViolations, type Violation } from "./violations.js";

interface Column {
  header: string;
  width: number;
  numFmt?: string;
  font?: Partial<ExcelJS.Font>;
}

const DATE_FORMAT = "dd.mm.yyyy hh:mm";
const PERCENT_FORMAT = "0%";
const PERCENT_STYLE: Partial<ExcelJS.Style> = Object.freeze({ numFmt: PERCENT_FORMAT });
/** A hyperlink as spreadsheets show one. */
const LINK_FONT: Partial<ExcelJS.Font> = { color: { argb: "FF0563C1" }, underline: true };

const MINUTE = 60_000;

/** Time zones change their offset on a quarter hour at the latest. */
const QUARTER_HOUR = 15 * MINUTE;

/**
 * Excel has no time zones: a date is written as the wall-clock time people see locally, to the
 * minute. The offset is looked up once per quarter hour (a TZDate would make several look-ups per
 * date): a month has tens of thousands of dates, in a few thousand quarter hours.
 */
function localDates(timezone: string): (at: Date | number) => Date {
  const offsets = new Map<number, number>();
  return (instant) => {
    const at = typeof instant === "number" ? instant : instant.getTime();
    const quarter = Math.floor(at / QUARTER_HOUR);
    let offset = offsets.get(quarter);
    if (offset === undefined) {
      offset = tzOffset(timezone, new Date(quarter * QUARTER_HOUR));
      offsets.set(quarter, offset);
    }
    const wall = at + offset * MINUTE;
    return new Date(Math.floor(wall / MINUTE) * MINUTE);
  };
}

interface SheetOptions {
  /** Rows above the header: what a sheet printed alone is of. */
  preamble?: unknown[][];
  /** May style a row before it is written. */
  decorate?: (row: ExcelJS.Row) => void;
  /**
   * A sheet of a row a post: its rows are written as XML (see rowXml) and their texts in their cells,
   * not in the workbook's shared strings, which stay in memory till the workbook's end (a post's
   * link, on every row, has nothing to share).
   */
  rowPerPost?: boolean;
}

/** A data row's own style: none (its cells have their columns'), one object for every row. */
const ROW_STYLE: Partial<ExcelJS.Style> = Object.freeze({});

/** Rows written before the zip is let to read them (see zipped). */
const ROWS_PER_TURN = 500;
/**
 * Rows of XML written to a sheet's stream at once (see rowXml): a few kilobytes, well under V8's
 * large objects (128 KB), each of which would bring its next full collection of the heap nearer.
 */
const ROWS_PER_WRITE = 20;

/** What exceljs's streaming sheet hands its XML to: its stream, piped into the zip's entry. */
interface StreamedSheet {
  stream?: { pipes?: { _writableState?: { length: number } }[] };
}

/** At most this many turns of the event loop are waited for the zip at once (see zipped). */
const MAX_TURNS_WAITED = 100_000;

/**
 * Waits until the zip has read the sheet's XML written so far. exceljs passes it on without waiting
 * for the zip, which reads only between turns of the event loop, a chunk a turn: written at one go, a
 * sheet of 100 000 rows sat whole in memory till the workbook's end. These are exceljs's and
 * archiver's internals: should they change, nothing is waited for; should the zip stop reading, the
 * wait ends after MAX_TURNS_WAITED turns (the XML then waits in memory, as it did before).
 */
async function zipped(sheet: ExcelJS.Worksheet): Promise<void> {
  const pending = (sheet as StreamedSheet).stream?.pipes?.[0]?._writableState;
  for (let turns = 0; pending && pending.length > 0 && turns < MAX_TURNS_WAITED; turns++)
    await new Promise(setImmediate);
}

/** A cell's value as rowXml writes it. */
type CellValue = number | string | Date | null | { text: string; hyperlink: string };

/** exceljs's own encoding of a text and a date, so that rowXml writes what exceljs would. */
const { xmlEncode, dateToExcel } = createRequire(import.meta.url)("exceljs/lib/utils/utils.js") as {
  xmlEncode(text: string): string;
  dateToExcel(at: Date): number;
};

/** What rowXml needs of exceljs's streaming writer: its styles, and the sheet's stream and links. */
interface StreamedInternals {
  styles: { addStyleModel(style: Partial<ExcelJS.Style>, type: ExcelJS.ValueType): number };
}
interface StreamedSheetInternals {
  stream: { write(xml: string): void };
  _sheetRelsWriter: { addHyperlink(link: { address: string; target: string }): void };
}

/** "A", "B", …, "Z", "AA": a column's letters. */
function columnLetters(column: number): string {
  const rest = Math.floor((column - 1) / 26);
  return (rest > 0 ? columnLetters(rest) : "") + String.fromCharCode(65 + ((column - 1) % 26));
}

/**
 * One row as exceljs's streaming writer writes it (its row and cell XML, its styles looked up as it
 * looks them up, each link a relationship of the sheet), without the row and cell objects it builds
 * for each cell: for a month's 100 000 posts those were most of the sheet's time on the report
 * process's thread, and of its garbage (bench/report.ts). The same bytes: the tests read the sheet
 * back with exceljs.
 */
function rowXml(
  workbook: ExcelJS.Workbook,
  sheet: ExcelJS.Worksheet,
  types: typeof ExcelJS.ValueType,
  styles: readonly Partial<ExcelJS.Style>[],
  letters: readonly string[],
  number: number,
  values: readonly CellValue[],
): string {
  const { styles: registry } = workbook as unknown as StreamedInternals;
  let xml = `<row r="${number}" spans="1:${values.length}" x14ac:dyDescent="0.25">`;
  for (const [i, value] of values.entries()) {
    const address = `${letters[i]}${number}`;
    const type =
      value === null
        ? types.Null
        : typeof value === "number"
          ? types.Number
          : typeof value === "string"
            ? types.String
            : value instanceof Date
              ? types.Date
              : types.Hyperlink;
    const style = registry.addStyleModel(styles[i] ?? {}, type);
    const s = style ? ` s="${style}"` : "";
    if (value === null) {
      if (style) xml += `<c r="${address}"${s}/>`;
    } else if (typeof value === "number") xml += `<c r="${address}"${s}><v>${value}</v></c>`;
    else if (typeof value === "string") xml += `<c r="${address}"${s} t="str"><v>${xmlEncode(value)}</v></c>`;
    else if (value instanceof Date) xml += `<c r="${address}"${s}><v>${dateToExcel(value)}</v></c>`;
    else {
      (sheet as unknown as StreamedSheetInternals)._sheetRelsWriter.addHyperlink({
        address,
        target: value.hyperlink,
      });
      xml += `<c r="${address}"${s} t="str"><v>${xmlEncode(value.text)}</v></c>`;
    }
  }
  return `${xml}</row>`;
}

/** Writes a sheet and commits it: the preamble, the header (frozen with all above it), the rows. */
async function addSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: Column[],
  rows: Iterable<unknown[]>,
  { preamble = [], decorate, rowPerPost = false }: SheetOptions = {},
): Promise<void> {
  const views: Partial<ExcelJS.WorksheetView>[] = [{ state: "frozen", ySplit: preamble.length + 1 }];
  // The streaming writer takes useSharedStrings per sheet too, which exceljs's types do not say.
  const sheet = workbook.addWorksheet(name, { views, ...(rowPerPost ? { useSharedStrings: false } : {}) });
  // One style object per column, given to each of its cells: exceljs recognises a style object it
  // has seen, where each cell's own copy of the column's style costs a look-up of its formats and fonts.
  // Frozen: a cell's style is changed by giving it another object (see PERCENT_STYLE), never in place.
  const styles = columns.map(
    (c): Partial<ExcelJS.Style> =>
      Object.freeze({ ...(c.numFmt ? { numFmt: c.numFmt } : {}), ...(c.font ? { font: c.font } : {}) }),
  );
  sheet.columns = columns.map((c, i) => ({ width: c.width, style: styles[i] ?? {} }));
  for (const values of preamble) sheet.addRow(values).commit();
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { vertical: "middle", wrapText: true };
  header.commit();
  let written = 0;
  if (rowPerPost) {
    const { ValueType } = (await import("exceljs")).default;
    const letters = columns.map((_, i) => columnLetters(i + 1));
    const { stream } = sheet as unknown as StreamedSheetInternals;
    let xml = "";
    for (const values of rows) {
      xml += rowXml(
        workbook,
        sheet,
        ValueType,
        styles,
        letters,
        header.number + ++written,
        values as CellValue[],
      );
      if (written % ROWS_PER_WRITE !== 0) continue;
      stream.write(xml);
      xml = "";
      if (written % ROWS_PER_TURN === 0) await zipped(sheet);
    }
    if (xml) stream.write(xml);
    sheet.commit();
    return;
  }
  for (const values of rows) {
    const row = sheet.addRow(values);
    // Every style exceljs looks up is one it has seen (see styles): the row's own, empty, and the empty
    // cells' too, which otherwise each get a copy of their column's, written out and looked up anew.
    (row as ExcelJS.Row & { style: Partial<ExcelJS.Style> }).style = ROW_STYLE;
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      const style = styles[column - 1];
      if (style) cell.style = style;
    });
    decorate?.(row);
    row.commit();
    if (++written % ROWS_PER_TURN === 0) await zipped(sheet);
  }
  sheet.commit();
}

/** A share as the text says it (see percent): whole percents, rounded down. */
const ratio = (part: number, whole: number): number | null => {
  const share = percent(part, whole);
  return share === null ? null : share / 100;
};

/**
 * The month and, for a month still running, the moment it is counted as of (as texts-reports
 * periodLabel); for a finished one, when the report was made.
 */
function periodRows(report: MonthlyReport): unknown[][] {
  return [
    ["Месяц", monthLabel(report.month)],
    ...(report.asOf
      ? [
          ["По состоянию на", formatDeadline(report.asOf, report.timezone)],
          [tr.soFar, null],
        ]
      : report.madeAt
        ? [["Сформирован", formatDeadline(report.madeAt, report.timezone)]]
        : []),
    ...tr.standIn(report).map((note) => [note, null]),
  ];
}

/**
 * The summary's rows that hold a share (see ratio): «Доля …», «В срок: <этап>» and the history's
 * «<месяц>: доля …». Anchored, so a topic or a place that says «доля» stays a count.
 */
const SHARE_ROW = /^(Доля |В срок: |(Предыдущий месяц|Тот же месяц прошлого года): доля )/;

function summaryRows(report: MonthlyReport): unknown[][] {
  const o = report.overall;
  const rows: unknown[][] = [
    ...periodRows(report),
    ["Поступило сообщений", o.received],
    ["Социально значимых", o.significant],
    ["Повторных", o.repeats],
    ["Оскорбительных (без ответа)", o.toxic],
    ["С угрозами (без ответа)", o.threats],
    ...(report.regulation.toxic.forwardThreats
      ? [["Из них передано в компетентные органы", o.threatsForwarded]]
      : []),
    // Listed on «Сообщения» with why, so that the sheet's rows and «Поступило» can be reconciled.
    ["Закрыто без ответа (дубли, ошибочные), не входят в «Поступило»", report.voided],
    [report.asOf ? "Без ответа на момент отчёта" : "Без ответа на конец месяца", report.unanswered.count],
    ["Из них социально значимых", report.unanswered.significant],
    ["Из них не направлено органам", report.unanswered.unrouted],
    ["Ответов размещено", o.answered],
    ["Ответов в срок", o.answeredOnTime],
    ["Доля ответов в срок", ratio(o.answeredOnTime, o.answered)],
    ["Сроков ответа нарушено", o.overdue.count],
    ["Из них ответ не дан", o.overdue.notDone],
    ["Медиана опоздания, мин рабочего времени", o.overdue.medianMinutes],
    ["Наибольшее опоздание, мин рабочего времени", o.overdue.worstMinutes],
    ["Возвращено исполнителями", o.returned],
    ["Возвращено на доработку", o.reworked],
    ["Согласовано проектов", o.approved],
    ["Согласовано с первого раза", o.approvedFirstRound],
    ["Доля согласованных с первого раза", ratio(o.approvedFirstRound, o.approved)],
    ["Средняя оценка качества", o.qualityAverage],
    ["Промежуточных ответов", o.interim],
    ["Окончательных ответов после промежуточных", o.finals],
    ["Из них в срок", o.finalsOnTime],
    ["Нарушений регламента", o.violations],
  ];
  if (report.setAside > 0) rows.push([tr.setAsideLabel, report.setAside]);
  for (const step of o.steps) {
    rows.push([`В срок: ${tr.stepName(report.regulation, step.step)}`, ratio(step.onTime, step.total)]);
  }
  for (const [label, h] of [
    ["Предыдущий месяц", report.previous],
    ["Тот же месяц прошлого года", report.lastYear],
  ] as const) {
    rows.push([`${label}: поступило`, h?.received ?? null]);
    rows.push([`${label}: доля ответов в срок`, h ? ratio(h.answeredOnTime, h.answered) : null]);
  }
  for (const topic of o.topTopics) rows.push([`Тема: ${topic.name}`, topic.count]);
  for (const place of o.topPlaces) rows.push([`Место: ${place.name}`, place.count]);
  return rows;
}

/**
 * An organization's answers, after its name (the curators' row has only the posts and the answer
 * deadlines that were theirs: they answer none).
 */
const ANSWER_COLUMNS: Column[] = [
  // The month's posts by their lead at its end (as the text's «основной исполнитель по N из
  // поступивших»), so that the column adds up to «Всего».
  { header: "Поступило (основной исполнитель)", width: 13 },
  { header: "Ответов", width: 10 },
  { header: "Сроков ответа", width: 10 },
  { header: "Сроков ответа соблюдено", width: 12 },
  { header: "Доля в срок", width: 11, numFmt: PERCENT_FORMAT },
  { header: "Сроков ответа нарушено", width: 12 },
  { header: "Из них ответ не дан", width: 11 },
  { header: "Медиана опоздания, мин", width: 12 },
  { header: "Наибольшее опоздание, мин", width: 12 },
  { header: "Возвращено", width: 11 },
  { header: "На доработку", width: 11 },
  { header: "С первого раза", width: 11, numFmt: PERCENT_FORMAT },
  { header: "Оценка качества", width: 10 },
  { header: "Промежуточных", width: 12 },
];

/** The step deadlines a row answers for (an organization's, or the curators' own) and the missed ones. */
const STEP_COLUMNS: Column[] = [
  { header: "Этапов со сроком", width: 11 },
  { header: "Этапов в срок", width: 11 },
  { header: "Доля этапов в срок", width: 11, numFmt: PERCENT_FORMAT },
  { header: "Нарушений", width: 11 },
];

/** The answer deadlines of the month, those met and their share, as the text's «сроков ответа соблюдено». */
function deadlineCells({ total, onTime }: Met): unknown[] {
  return [total, onTime, ratio(onTime, total)];
}

function answerCells(f: Figures): unknown[] {
  return [
    f.received,
    f.answered,
    ...deadlineCells(f.answerDeadlines),
    f.overdue.count,
    f.overdue.notDone,
    f.overdue.medianMinutes,
    f.overdue.worstMinutes,
    f.returned,
    f.reworked,
    ratio(f.approvedFirstRound, f.approved),
    f.qualityAverage,
    f.interim,
  ];
}

function stepCells(total: number, onTime: number, violations: number): unknown[] {
  return [total, onTime, ratio(onTime, total), violations];
}

function organizationRow(name: string, f: Figures): unknown[] {
  let total = 0;
  let onTime = 0;
  for (const step of f.steps) {
    total += step.total;
    onTime += step.onTime;
  }
  return [name, ...answerCells(f), ...stepCells(total, onTime, f.violations)];
}

/**
 * The curators' own steps (routing, the decision, passing a part on), which no organization's row
 * counts, as the text's «Кураторы» line has them; no row when they had none.
 */
function curatorsRows(c: CuratorFigures): unknown[][] {
  // Closed before routing (insults, threats): correctly never sent to an organization.
  const closed = c.closed > 0 ? [["Закрыто без ответа (оскорбления, угрозы)", c.closed]] : [];
  if (c.total === 0 && c.received === 0) return closed;
  // The posts no organization had at the month's end, and the answer deadlines that ran out while
  // they held the post (all missed), under the same columns as an organization's, so that the
  // total's add up.
  const { count, notDone, medianMinutes, worstMinutes } = c.overdue;
  const deadlines = c.answerDeadlines.total > 0 ? deadlineCells(c.answerDeadlines) : [null, null, null];
  const answers = [
    c.received > 0 ? c.received : null,
    null,
    ...deadlines,
    ...(count > 0 ? [count, notDone, medianMinutes, worstMinutes] : []),
  ];
  const rest = ANSWER_COLUMNS.slice(answers.length).map(() => null);
  return [["Кураторы", ...answers, ...rest, ...stepCells(c.total, c.onTime, c.violations)], ...closed];
}

/** A post's link as a hyperlink; one that is not a web address, as text. */
function linkCell(link: string): unknown {
  return /^https?:\/\//i.test(link) ? { text: link, hyperlink: link } : link;
}

/** One row at a time: a month may have thousands. */
function* violationRows(
  report: MonthlyReport,
  violations: readonly (Violation | CarriedViolation)[],
): Generator<unknown[]> {
  const localDate = localDates(report.timezone);
  for (const v of violations) {
    yield [
      v.incidentId,
      linkCell(v.link),
      v.curatorStep
        ? "кураторы"
        : v.organizationId === null
          ? ""
          : (report.organizationNames.get(v.organizationId) ?? ""),
      v.curatorStep
        ? v.personId === null
          ? ""
          : (report.personNames.get(v.personId) ?? "")
        : (tr.violationHolder(report, v) ?? ""),
      tr.stepName(report.regulation, v.step),
      v.clause,
      localDate(v.start),
      localDate(v.deadline),
      v.completedAt ? localDate(v.completedAt) : null,
      tr.violationStatus(report, v),
      v.lateMinutes,
    ];
  }
}

/**
 * The month's violations and, among them in the same order, the steps an earlier month counted
 * that were done in this one (see CarriedViolation): said so in «Статус», in no figure of this month.
 */
function violationsWithCarried(
  violations: readonly Violation[],
  carried: readonly CarriedViolation[],
): (Violation | CarriedViolation)[] {
  return carried.length === 0 ? [...violations] : sortViolations([...violations, ...carried]);
}

const VIOLATION_COLUMNS: Column[] = [
  { header: "№ сообщения", width: 16 },
  { header: "Ссылка", width: 40, font: LINK_FONT },
  { header: "Орган", width: 30 },
  { header: "Ответственный", width: 24 },
  { header: "Этап", width: 40 },
  { header: "Пункт регламента", width: 16 },
  { header: "Начало", width: 18, numFmt: DATE_FORMAT },
  { header: "Срок", width: 18, numFmt: DATE_FORMAT },
  { header: "Выполнено", width: 18, numFmt: DATE_FORMAT },
  { header: "Статус", width: 40 },
  { header: "Опоздание, мин рабочего времени", width: 18 },
];

/** The state the posts were in when the period ended: the month's end, or the moment it is counted as of. */
const postColumns = (report: MonthlyReport): Column[] => [
  { header: "№ сообщения", width: 12 },
  { header: "Поступило", width: 18, numFmt: DATE_FORMAT },
  { header: "Соцсеть", width: 16 },
  { header: "Ссылка", width: 40, font: LINK_FONT },
  { header: "Орган (основной исполнитель)", width: 30 },
  { header: "Соисполнители", width: 30 },
  { header: report.asOf ? "Состояние на момент отчёта" : "Состояние на конец месяца", width: 24 },
  { header: "Ответ размещён", width: 18, numFmt: DATE_FORMAT },
  { header: "Ответ в срок", width: 10 },
  { header: "Примечание", width: 48 },
];

/** One row a post (see ReportPost): a month may have thousands. */
function* postRows(report: MonthlyReport): Generator<unknown[]> {
  const name = (id: number) => report.organizationNames.get(id) ?? `№ ${id}`;
  const localDate = localDates(report.timezone);
  for (const post of report.posts) {
    yield [
      post.id,
      localDate(post.detectedAt),
      NETWORK_NAMES[post.network as Network] ?? post.network,
      linkCell(post.link),
      post.leadOrganizationId === null ? null : name(post.leadOrganizationId),
      post.coexecutorIds.map(name).join(", ") || null,
      post.state === null ? null : ti.shortState[post.state],
      post.answeredAt === null ? null : localDate(post.answeredAt),
      post.answeredAt === null || post.answeredOnTime === null ? "—" : post.answeredOnTime ? "да" : "нет",
      tr.postNote(report, post),
    ];
  }
}

/** A workbook written as it is filled; `finish` closes it and gives the file's bytes. */
interface StreamedWorkbook {
  workbook: ExcelJS.Workbook;
  finish(): Promise<Buffer>;
}

/** exceljs is loaded with the first report, not at start (see chart.ts). */
async function newWorkbook(): Promise<StreamedWorkbook> {
  const { default: Excel } = await import("exceljs");
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const workbook = new Excel.stream.xlsx.WorkbookWriter({
    stream: sink,
    useStyles: true,
    useSharedStrings: true,
    // zlib's usual level: the file is as small as exceljs's in-memory writer made it, a quarter
    // smaller than with archiver's default.
    zip: { zlib: { level: 6 } },
  });
  const finish = async () => {
    await workbook.commit();
    return Buffer.concat(chunks);
  };
  return { workbook, finish };
}

/** The whole monthly report: Сводка, По органам, По исполнителям, Нарушения, Сообщения. */
export async function reportWorkbook(report: MonthlyReport): Promise<Buffer> {
  const { workbook, finish } = await newWorkbook();
  await addSheet(
    workbook,
    "Сводка",
    [
      { header: "Показатель", width: 48 },
      { header: "Значение", width: 16 },
    ],
    summaryRows(report),
    {
      decorate: (row) => {
        if (SHARE_ROW.test(String(row.getCell(1).value))) row.getCell(2).style = PERCENT_STYLE;
      },
    },
  );
  await addSheet(
    workbook,
    "По органам",
    [{ header: "Орган", width: 30 }, ...ANSWER_COLUMNS, ...STEP_COLUMNS],
    [
      ...report.organizations.map((org) => organizationRow(org.name, org)),
      ...curatorsRows(report.curators),
      organizationRow("Всего", report.overall),
    ],
  );
  await addSheet(
    workbook,
    "По исполнителям",
    [
      { header: "Исполнитель", width: 30 },
      { header: "Орган", width: 30 },
      { header: "Ответов", width: 10 },
      { header: "В срок", width: 10 },
      { header: "Доля в срок", width: 11, numFmt: PERCENT_FORMAT },
      { header: "Доработок", width: 11 },
    ],
    report.executors.map((e) => [
      e.name,
      e.organizations.join(", "),
      e.answered,
      e.onTime,
      ratio(e.onTime, e.answered),
      e.reworks,
    ]),
  );
  await addSheet(
    workbook,
    "Нарушения",
    VIOLATION_COLUMNS,
    violationRows(report, violationsWithCarried(report.violations, report.carriedOver)),
  );
  await addSheet(workbook, "Сообщения", postColumns(report), postRows(report), { rowPerPost: true });
  return finish();
}

/**
 * The violations alone (the report on the preset's day, or one organization's share of it), under
 * the month they are of, as the «Сводка» of the whole report has it: printed alone, it says so.
 */
export async function violationsWorkbook(
  report: MonthlyReport,
  violations = report.violations,
  carried = report.carriedOver,
): Promise<Buffer> {
  const { workbook, finish } = await newWorkbook();
  const rows = violationRows(report, violationsWithCarried(violations, carried));
  await addSheet(workbook, "Нарушения", VIOLATION_COLUMNS, rows, { preamble: periodRows(report) });
  return finish();
}
