import { describe, expect, it } from "vitest";
import {
  decodeTextFile,
  ImportFileError,
  parseOrganizationsFile,
} from "../../src/domain/organization-import.js";

function fileProblem(name: string, content: string): string {
  try {
    parseOrganizationsFile(name, content);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return (error as ImportFileError).problem;
  }
  throw new Error("expected an ImportFileError");
}

describe("organizations file", () => {
  it("reads a Russian Excel CSV: BOM, semicolons, quoted names with quotes and line breaks (kept on one line)", () => {
    const csv =
      "\uFEFFНазвание;Краткое название;Родитель;Контакт\r\n" +
      'Министерство здравоохранения;Минздрав;;"+7 (3532) 77-77-77"\r\n' +
      '"ГБУЗ ""Городская больница № 1""";ГБ1;Минздрав;\r\n' +
      '"Отдел\nсвязи";;;\r\n';
    const { rows, problems } = parseOrganizationsFile("orgs.csv", csv);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        name: "Министерство здравоохранения",
        shortName: "Минздрав",
        parent: null,
        contact: "+7 (3532) 77-77-77",
      },
      { line: 3, name: 'ГБУЗ "Городская больница № 1"', shortName: "ГБ1", parent: "Минздрав", contact: null },
      { line: 4, name: "Отдел связи", shortName: null, parent: null, contact: null },
    ]);
  });

  it("reads a JSON array with English keys", () => {
    const json = JSON.stringify([
      { name: "Минобр", short_name: "МО", contact: "a@b.ru" },
      { name: "Школа 5", parent: "Минобр" },
    ]);
    const { rows } = parseOrganizationsFile("orgs.json", json);
    expect(rows.map((r) => [r.name, r.shortName, r.parent])).toEqual([
      ["Минобр", "МО", null],
      ["Школа 5", null, "Минобр"],
    ]);
  });

  it("reports each bad row with its line and keeps the good ones", () => {
    const csv = "name,parent\nАа,\n,\nБб,Бб\nАа,\nВв,Аа\n";
    const { rows, problems } = parseOrganizationsFile("x.csv", csv);
    expect(rows.map((r) => r.name)).toEqual(["Аа", "Вв"]);
    expect(problems).toEqual([
      { line: 4, name: "Бб", problem: "own_parent" },
      { line: 5, name: "Аа", problem: "duplicate_in_file" },
    ]);
  });

  it("reads «Наименование; Краткое наименование» headers and refuses names /org_add would refuse", () => {
    const csv =
      "Наименование;Сокращённое наименование\nМинистерство культуры;Минкультуры\nА;\nМинистерство спорта;С\n";
    const { rows, problems } = parseOrganizationsFile("x.csv", csv);
    expect(rows.map((r) => [r.name, r.shortName])).toEqual([["Министерство культуры", "Минкультуры"]]);
    expect(problems).toEqual([
      { line: 3, name: "А", problem: "name_too_short" },
      { line: 4, name: "Министерство спорта", problem: "bad_short_name" },
    ]);
  });

  it("reports an empty name in JSON", () => {
    const { problems } = parseOrganizationsFile("x.json", '[{"name": "  "}, {"name": "Ок"}]');
    expect(problems).toEqual([{ line: 1, name: null, problem: "empty_name" }]);
  });

  it("refuses a file that is not a table at all", () => {
    expect(fileProblem("x.json", "{ not json")).toBe("not_json");
    expect(fileProblem("x.json", '{"name": "one"}')).toBe("not_array");
    expect(fileProblem("x.csv", "title;phone\nА;1\n")).toBe("no_name_column");
    expect(fileProblem("x.csv", 'name\n"open quote\n')).toBe("unclosed_quote");
    expect(fileProblem("x.csv", "name\n")).toBe("empty");
    expect(fileProblem("x.csv", "")).toBe("empty");
  });

  it("refuses a row whose short name another row bears as its name or short name", () => {
    const csv =
      "name;short\nМинистерство транспорта;Минтранс\nДорожный отдел;МИНТРАНС\nМинздрав;Минобр\nМинобр;\nМинсвязь;минсвязь\n";
    const { rows, problems } = parseOrganizationsFile("x.csv", csv);
    expect(rows.map((r) => r.name)).toEqual(["Министерство транспорта", "Минобр", "Минсвязь"]);
    expect(problems).toEqual([
      { line: 3, name: "Дорожный отдел", problem: "short_name_in_file" },
      { line: 4, name: "Минздрав", problem: "short_name_in_file" },
    ]);
  });

  it("decodes UTF-8, UTF-16 with a BOM and, failing UTF-8, Windows-1251", () => {
    expect(decodeTextFile(new TextEncoder().encode("Название"))).toBe("Название");
    expect(decodeTextFile(Buffer.from("\uFEFFНазвание", "utf16le"))).toBe("Название");
    expect(decodeTextFile(Buffer.from([0xcd, 0xe0, 0xe7, 0xe2, 0xe0, 0xed, 0xe8, 0xe5]))).toBe("Название");
  });
});
