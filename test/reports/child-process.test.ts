/**
 * Reports as production renders them with a database file: in a child process that opens the same
 * file. What people receive must be what the bot would have rendered itself.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { monthlyReports } from "../../src/jobs/reports.js";
import { renderHere } from "../../src/reports/render.js";
import { renderInChildProcess } from "../../src/reports/renderer.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE } from "../support/workflow.js";
import { seedNovember } from "./seed-month.js";

let h: Harness;
let dir: string;
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startOnFile(): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), "osm-report-child-"));
  h = await Harness.start({
    now: "2026-11-09T04:00:00Z",
    databasePath: join(dir, "bot.db"),
    reportsInChildProcess: true,
  });
  seedNovember(h);
}

const NOVEMBER = { year: 2026, month: 11 };

describe("reports rendered in a child process", () => {
  it("the monthly job sends the figures this process would render, with the chart and the spreadsheets", async () => {
    await startOnFile();
    h.clock.set("2026-12-01T05:00:00Z"); // Tuesday 10:00 in Yekaterinburg: the first working day
    expect(await monthlyReports(h.deps())).toBe(5);

    const inThisProcess = renderHere(h.db, h.sla, pino({ level: "silent" }));
    const here = await inThisProcess({
      month: NOVEMBER,
      summary: true,
      violations: true,
      byOrganization: true,
    });
    const head = h.fake.messages(OFFICE.head);
    expect(head.map((m) => m.text ?? m.media?.type)).toEqual([
      here.summary?.text,
      "photo",
      "document",
      here.violations?.text,
      "document",
    ]);
    const uploads = h.fake.calls
      .filter((call) => call.params.chat_id === OFFICE.head)
      .flatMap((call) => call.files);
    expect(uploads.map((file) => [file.filename, file.size > 0])).toEqual([
      ["grafik-2026-11.png", true],
      ["otchet-2026-11.xlsx", true],
      ["narusheniya-2026-11.xlsx", true],
    ]);
    expect(uploads[0]?.data.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(h.fake.messages(OFFICE.healthChat).map((m) => m.text ?? m.media?.type)).toEqual([
      here.byOrganization[0]?.rendered.text,
      "document",
    ]);
  });

  it("/report answers with the month's text, chart and spreadsheet, whatever NODE_OPTIONS the bot runs with", async () => {
    // The child's Node flags are its own: a NODE_OPTIONS it would choke on does not reach it.
    const nodeOptions = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = "--require /nonexistent/preload.cjs";
    try {
      await startOnFile();
    } finally {
      if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = nodeOptions;
    }
    h.clock.set("2026-12-03T06:00:00Z");
    await h.user(OFFICE.curator, "Ольга").send("/report 11.2026");
    const messages = h.fake.messages(OFFICE.curator);
    expect(messages.map((m) => m.media?.type ?? "text")).toEqual(["text", "photo", "document"]);
    expect(messages[0]?.text).toMatch(/^Отчёт за ноябрь 2026 г\./);
  });

  it("a report the child could not render is not lost: it is tried again a quarter of an hour later", async () => {
    await startOnFile();
    h.clock.set("2026-12-01T05:00:00Z");
    const broken = renderInChildProcess(
      {
        databasePath: join(dir, "bot.db"),
        regulation: join(dir, "no-such-preset.json"),
        timezone: h.sla.timezone,
        schedule: {},
        logLevel: "silent",
      },
      pino({ level: "silent" }),
    );
    expect(await monthlyReports({ ...h.deps(), reports: broken.render })).toBe(0);
    expect(h.fake.messages(OFFICE.head)).toEqual([]);
    expect(await monthlyReports(h.deps())).toBe(0);
    h.clock.advance(15 * 60_000);
    expect(await monthlyReports(h.deps())).toBe(5);
  });

  it("a stop in the middle of a render kills the child and leaves the report to be sent", async () => {
    await startOnFile();
    h.clock.set("2026-12-01T05:00:00Z");
    const renderer = renderInChildProcess(
      {
        databasePath: join(dir, "bot.db"),
        regulation: "orenburg",
        timezone: h.sla.timezone,
        schedule: {},
        logLevel: "silent",
      },
      pino({ level: "silent" }),
    );
    const job = monthlyReports({ ...h.deps(), reports: renderer.render });
    // The child is started by now and still loading its modules (which alone take about 0.4 s).
    await new Promise((resolve) => setTimeout(resolve, 150));
    renderer.close();
    expect(await job).toBe(0);
    await expect(
      renderer.render({ month: NOVEMBER, summary: true, violations: false, byOrganization: false }),
    ).rejects.toThrow("the bot is stopping");
    expect(h.fake.messages(OFFICE.head)).toEqual([]);
    // Nothing was marked sent: the next try sends it.
    h.clock.advance(15 * 60_000);
    expect(await monthlyReports(h.deps())).toBe(5);
  });
});
