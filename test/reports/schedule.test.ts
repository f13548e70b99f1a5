import { afterEach, describe, expect, it } from "vitest";
import { firstWorkingDay, monthlyReports, reportDay } from "../../src/jobs/reports.js";
import type { ReportJob } from "../../src/reports/render.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedIncidentInWork, seedOffice } from "../support/workflow.js";
import { seedNovember } from "./seed-month.js";

let h: Harness;
afterEach(() => h.close());

const deps = () => h.deps();

const kinds = (chatId: number) => h.fake.messages(chatId).map((m) => m.media?.type ?? m.text?.split("\n")[0]);

describe("the violations report's day", () => {
  it("is the preset's day when worked, otherwise the working day before it", async () => {
    h = await Harness.start({ regulation: "georgievsk" });
    const wt = h.sla.workingTime;
    expect(reportDay(2026, 10, 5, wt)).toBe(5); // Monday
    expect(reportDay(2026, 4, 5, wt)).toBe(3); // Sunday → Friday
    expect(reportDay(2026, 12, 5, wt)).toBe(4); // Saturday → Friday
  });

  it("when every day up to it is a holiday (January), is that day itself: the regulation's date is kept", async () => {
    h = await Harness.start({ regulation: "georgievsk" });
    const wt = h.sla.workingTime;
    expect(reportDay(2026, 1, 5, wt)).toBe(5); // 1–9 January holidays
    expect(firstWorkingDay(2026, 1, wt)).toBe(12); // 10–11 the weekend
    expect(firstWorkingDay(2026, 2, wt)).toBe(2);
  });
});

describe("monthly reports job", () => {
  it("Orenburg: summary and violations on the first working day, in working time, once; each organization gets its own", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set("2026-12-01T03:00:00Z"); // Tuesday 08:00 local: not yet working time
    expect(await monthlyReports(deps())).toBe(0);
    h.clock.set("2026-12-01T05:00:00Z"); // 10:00
    expect(await monthlyReports(deps())).toBe(5);
    expect(await monthlyReports(deps())).toBe(0);
    const expected = ["Отчёт за ноябрь 2026 г.: сообщения из открытых источников", "photo", "document"];
    expect(kinds(OFFICE.curatorsChat)).toEqual([
      ...expected,
      "Нарушения регламента за ноябрь 2026 г.: 5",
      "document",
    ]);
    expect(kinds(OFFICE.head)).toEqual([
      ...expected,
      "Нарушения регламента за ноябрь 2026 г.: 5",
      "document",
    ]);
    expect(kinds(OFFICE.healthChat)).toEqual([
      "Нарушения регламента за ноябрь 2026 г., Минздрав: 3",
      "document",
    ]);
  });

  it("a month without data is rendered once, not at every tick", async () => {
    h = await Harness.start({ now: "2026-12-01T05:00:00Z" });
    seedOffice(h);
    let renders = 0;
    const counting = {
      ...deps(),
      reports: (job: ReportJob) => {
        renders++;
        return deps().reports(job);
      },
    };
    expect(await monthlyReports(counting)).toBe(0);
    h.clock.set("2026-12-01T05:01:00Z");
    expect(await monthlyReports(counting)).toBe(0);
    expect(renders).toBe(1);
    expect(h.fake.messages(OFFICE.head)).toEqual([]);
  });

  it("a report that cannot be rendered is tried again later and later; after three tries the admins are told", async () => {
    const ADMIN = 9001;
    h = await Harness.start({ now: "2026-11-09T04:00:00Z", adminIds: [ADMIN] });
    seedNovember(h);
    const failing = { ...deps(), reports: () => Promise.reject(new Error("out of memory")) };
    h.clock.set("2026-12-01T05:00:00Z"); // Tuesday 10:00
    expect(await monthlyReports(failing)).toBe(0);
    h.clock.set("2026-12-01T05:14:00Z");
    expect(await monthlyReports(deps())).toBe(0); // not before a quarter of an hour
    h.clock.set("2026-12-01T05:15:00Z");
    expect(await monthlyReports(failing)).toBe(0);
    expect(h.fake.messages(ADMIN)).toEqual([]);
    h.clock.set("2026-12-01T05:45:00Z"); // then half an hour
    expect(await monthlyReports(failing)).toBe(0);
    expect(h.texts(ADMIN)).toEqual([
      "Ежемесячный отчёт за ноябрь 2026 г. не удалось подготовить (попыток: 3). Бот будет пробовать снова; причина — в журнале бота.",
    ]);
    h.clock.set("2026-12-01T06:45:00Z"); // then an hour
    expect(await monthlyReports(deps())).toBe(5);
    expect(kinds(OFFICE.head)).toHaveLength(5);
  });

  it("the admins' notice of a report not rendered that cannot reach Telegram is sent with the next failure", async () => {
    const ADMIN = 9001;
    h = await Harness.start({ now: "2026-11-09T04:00:00Z", adminIds: [ADMIN] });
    seedNovember(h);
    const failing = { ...deps(), reports: () => Promise.reject(new Error("out of memory")) };
    for (const at of ["2026-12-01T05:00:00Z", "2026-12-01T05:15:00Z"]) {
      h.clock.set(at);
      await monthlyReports(failing);
    }
    h.fake.dropNext("sendMessage", { match: (params) => params.chat_id === ADMIN });
    h.clock.set("2026-12-01T05:45:00Z");
    expect(await monthlyReports(failing)).toBe(0);
    expect(h.fake.messages(ADMIN)).toEqual([]);
    h.clock.set("2026-12-01T06:45:00Z");
    expect(await monthlyReports(failing)).toBe(0);
    expect(h.texts(ADMIN)).toEqual([
      "Ежемесячный отчёт за ноябрь 2026 г. не удалось подготовить (попыток: 4). Бот будет пробовать снова; причина — в журнале бота.",
    ]);
  });

  it("the admins' notice of a report not rendered that Telegram failed to take (5xx) is sent with the next failure", async () => {
    const ADMIN = 9001;
    h = await Harness.start({ now: "2026-11-09T04:00:00Z", adminIds: [ADMIN] });
    seedNovember(h);
    const failing = { ...deps(), reports: () => Promise.reject(new Error("out of memory")) };
    for (const at of ["2026-12-01T05:00:00Z", "2026-12-01T05:15:00Z"]) {
      h.clock.set(at);
      await monthlyReports(failing);
    }
    h.fake.failNext(
      "sendMessage",
      { error_code: 500, description: "Internal Server Error" },
      { match: (params) => params.chat_id === ADMIN },
    );
    h.clock.set("2026-12-01T05:45:00Z");
    expect(await monthlyReports(failing)).toBe(0);
    expect(h.fake.messages(ADMIN)).toEqual([]);
    h.clock.set("2026-12-01T06:45:00Z");
    expect(await monthlyReports(failing)).toBe(0);
    expect(h.texts(ADMIN)).toEqual([
      "Ежемесячный отчёт за ноябрь 2026 г. не удалось подготовить (попыток: 4). Бот будет пробовать снова; причина — в журнале бота.",
    ]);
  });

  it("Georgievsk: the summary on the first working day, the violations on the 5th or the working day before", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z", regulation: "georgievsk" });
    seedNovember(h);
    h.clock.set("2026-12-01T07:00:00Z"); // Tuesday 10:00 Moscow
    expect(await monthlyReports(deps())).toBe(2);
    expect(kinds(OFFICE.head)).toHaveLength(3);
    h.clock.set("2026-12-03T07:00:00Z");
    expect(await monthlyReports(deps())).toBe(0);
    h.clock.set("2026-12-04T07:00:00Z"); // Friday: the 5th is a Saturday
    expect(await monthlyReports(deps())).toBe(2);
    expect(kinds(OFFICE.head).slice(3, 4)[0]).toMatch(/^Нарушения регламента за ноябрь 2026 г\.: \d+$/);
    expect(kinds(OFFICE.healthChat)).toEqual([]);
    expect(await monthlyReports(deps())).toBe(0);
  });

  it("Georgievsk: in January, with no working day up to the 5th, December's violations reach the head on the 5th, quietly; the summary waits for the first working day", async () => {
    h = await Harness.start({ now: "2026-12-29T07:00:00Z", regulation: "georgievsk" }); // Tuesday 10:00 Moscow
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health); // its draft (p.11) and answer (p.16) left to go overdue in December
    h.clock.set("2027-01-04T07:00:00Z"); // Monday 04.01, a holiday
    expect(await monthlyReports(deps())).toBe(0);
    h.clock.set("2027-01-05T05:59:00Z"); // 05.01, 08:59
    expect(await monthlyReports(deps())).toBe(0);
    h.clock.set("2027-01-05T06:00:00Z"); // 09:00, a holiday still
    expect(await monthlyReports(deps())).toBe(2);
    expect(kinds(OFFICE.head)).toEqual(["Нарушения регламента за декабрь 2026 г.: 2", "document"]);
    const toHead = h.fake.calls.filter((c) => Number(c.params.chat_id) === OFFICE.head);
    expect(toHead.map((c) => c.params.disable_notification)).toEqual([true, true]);
    expect(await monthlyReports(deps())).toBe(0);
    h.clock.set("2027-01-11T06:00:00Z"); // Monday 11.01, the first working day: the summary
    expect(await monthlyReports(deps())).toBe(2);
    expect(kinds(OFFICE.head).slice(2)).toEqual([
      "Отчёт за декабрь 2026 г.: сообщения из открытых источников",
      "photo",
      "document",
    ]);
  });
});
