/**
 * Parses an organizations file an admin sends to the bot (CSV or JSON) into rows to apply.
 * Pure: the caller decides what to create or update. A file that cannot be read as a table at all
 * is a FileError (nothing is applied); a bad row is reported and skipped.
 */

import { nameKey, tidyName } from "./names.js";

export interface OrganizationRow {
  line: number;
  name: string;
  shortName: string | null;
  parent: string | null;
  contact: string | null;
}

export interface RowProblem {
  line: number;
  name: string | null;
  problem: string;
}

export interface ParsedImport {
  rows: OrganizationRow[];
  problems: RowProblem[];
}

export type ImportFileProblem =
  | "empty"
  | "not_json"
  | "not_array"
  | "no_name_column"
  | "unclosed_quote"
  | "too_many_rows";

export class ImportFileError extends Error {
  override name = "ImportFileError";
  constructor(
    readonly problem: ImportFileProblem,
    readonly line?: number,
  ) {
    super(line === undefined ? problem : `${problem} (line ${line})`);
  }
}

export const MAX_IMPORT_ROWS = 2000;
const MAX_NAME = 200;
const MIN_NAME = 2;

/** Column names accepted in a header, in English or Russian, case-insensitive. */
const COLUMNS: Record<string, keyof Omit<OrganizationRow, "line">> = {
  name: "name",
  название: "name",
  наименование: "name",
  short_name: "shortName",
  shortname: "shortName",
  short: "shortName",
  "краткое название": "shortName",
  "краткое наименование": "shortName",
  "сокращённое название": "shortName",
  "сокращенное название": "shortName",
  "сокращённое наименование": "shortName",
  "сокращенное наименование": "shortName",
  краткое: "shortName",
  parent: "parent",
  родитель: "parent",
  "вышестоящий орган": "parent",
  contact: "contact",
  контакт: "contact",
  контакты: "contact",
};

/**
 * The text of a file as sent: UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's «Unicode
 * text»), or else Windows-1251, which Excel in Russian locales writes for plain «CSV».
 */
export function decodeTextFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1251").decode(bytes);
  }
}

export function parseOrganizationsFile(fileName: string, content: string): ParsedImport {
  const text = content.replace(/^\uFEFF/, "");
  const isJson = /\.json$/i.test(fileName) || /^\s*[[{]/.test(text);
  const records = isJson ? readJson(text) : readCsv(text);
  if (records.length === 0) throw new ImportFileError("empty");
  if (records.length > MAX_IMPORT_ROWS) throw new ImportFileError("too_many_rows");
  return validate(records);
}

type RawRecord = { line: number; values: Partial<Record<keyof Omit<OrganizationRow, "line">, unknown>> };

function readJson(text: string): RawRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ImportFileError("not_json");
  }
  const list = Array.isArray(data) ? data : (data as { organizations?: unknown })?.organizations;
  if (!Array.isArray(list)) throw new ImportFileError("not_array");
  return list.map((item, index) => {
    const values: RawRecord["values"] = {};
    if (item && typeof item === "object") {
      for (const [key, value] of Object.entries(item)) {
        const column = COLUMNS[key.trim().toLowerCase()];
        if (column) values[column] = value;
      }
    }
    return { line: index + 1, values };
  });
}

function readCsv(text: string): RawRecord[] {
  const lines = splitCsv(text);
  const header = lines.shift();
  if (!header) throw new ImportFileError("empty");
  const columns = header.cells.map((cell) => COLUMNS[cell.trim().toLowerCase()]);
  if (!columns.includes("name")) throw new ImportFileError("no_name_column");
  return lines
    .filter((row) => row.cells.some((cell) => cell.trim() !== ""))
    .map((row) => {
      const values: RawRecord["values"] = {};
      columns.forEach((column, i) => {
        if (column) values[column] = row.cells[i];
      });
      return { line: row.line, values };
    });
}

/** RFC 4180 with a guessed delimiter (Excel in Russian locales writes ";"). */
function splitCsv(text: string): { line: number; cells: string[] }[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = [";", ",", "\t"].reduce((best, d) =>
    firstLine.split(d).length > firstLine.split(best).length ? d : best,
  );
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = "";
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (quoted) throw new ImportFileError("unclosed_quote", rowLine);
  if (cell !== "" || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return rows;
}

function optionalText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = String(value).trim();
  return text === "" ? null : text;
}

/** A name as /org_add stores it: a cell of Excel's Alt+Enter or doubled spaces is one line. */
function optionalName(value: unknown): string | null {
  const text = optionalText(value);
  return text === null ? null : tidyName(text);
}

/**
 * Buttons and cards name an organization by its short name, so a short name must not be another row's
 * name or short name: the later of two rows (or the row whose short name is another's name) is refused.
 */
function validate(records: RawRecord[]): ParsedImport {
  const rows: OrganizationRow[] = [];
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  const names = new Set(
    records.map(({ values }) => nameKey(typeof values.name === "string" ? values.name : "")),
  );
  const shortNames = new Set<string>();
  for (const { line, values } of records) {
    const name = typeof values.name === "string" ? tidyName(values.name) : "";
    if (name === "") {
      problems.push({ line, name: null, problem: "empty_name" });
      continue;
    }
    if (name.length > MAX_NAME) {
      problems.push({ line, name: name.slice(0, 40), problem: "name_too_long" });
      continue;
    }
    // As /org_add asks: a name of one letter is a mistake in the file, not an organization.
    if (name.length < MIN_NAME) {
      problems.push({ line, name, problem: "name_too_short" });
      continue;
    }
    const key = nameKey(name);
    if (seen.has(key)) {
      problems.push({ line, name, problem: "duplicate_in_file" });
      continue;
    }
    seen.add(key);
    const parent = optionalText(values.parent);
    if (parent !== null && nameKey(parent) === key) {
      problems.push({ line, name, problem: "own_parent" });
      continue;
    }
    const shortName = optionalName(values.shortName);
    if (shortName !== null && (shortName.length < MIN_NAME || shortName.length > MAX_NAME)) {
      problems.push({ line, name, problem: "bad_short_name" });
      continue;
    }
    const shortKey = shortName && nameKey(shortName);
    if (shortKey && shortKey !== key && (names.has(shortKey) || shortNames.has(shortKey))) {
      problems.push({ line, name, problem: "short_name_in_file" });
      continue;
    }
    if (shortKey) shortNames.add(shortKey);
    rows.push({
      line,
      name,
      shortName,
      parent,
      contact: optionalText(values.contact),
    });
  }
  return { rows, problems };
}
