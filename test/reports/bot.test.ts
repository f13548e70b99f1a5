import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { acceptIncident, routeIncident } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import type { Person } from "../../src/domain/access.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedOffice, seedRegistered } from "../support/workflow.js";
import { local, seedNovember } from "./seed-month.js";

let h: Harness;
afterEach(() => h.close());

/** A person sends a command to the real bot (the harness wires every feature). */
async function send(telegramId: number, name: string, text: string): Promise<void> {
  await h.user(telegramId, name).send(text);
}

describe("/report", () => {
  it("a curator gets the month's text, chart and spreadsheet", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set("2026-12-03T06:00:00Z");
    await send(OFFICE.curator, "Ольга", "/report 11.2026");
    const messages = h.fake.messages(OFFICE.curator);
    expect(messages.map((m) => m.media?.type ?? "text")).toEqual(["text", "photo", "document"]);
    expect(messages[0]?.text).toMatch(/^Отчёт за ноябрь 2026 г\./);
    expect(messages[2]?.media?.file_name).toBe("otchet-2026-11.xlsx");
  });

  it("without a month, a head gets last month's; violations come as text and spreadsheet", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set("2026-12-03T06:00:00Z");
    await send(OFFICE.head, "Глава", "/report");
    expect(h.texts(OFFICE.head)[0]).toMatch(/^Отчёт за ноябрь 2026 г\./);
    h.fake.clearCalls();
    await send(OFFICE.head, "Глава", "/report нарушения 11.2026");
    const last = h.fake.messages(OFFICE.head).slice(-2);
    expect(last[0]?.text).toMatch(/^Нарушения регламента за ноябрь 2026 г\.: 5/);
    expect(last[1]?.media?.file_name).toBe("narusheniya-2026-11.xlsx");
    // A finished month recomputed later may differ: the copy says when it was made, in local time.
    const workbook = new ExcelJS.Workbook();
    const file = h.fake.file(last[1]?.media?.file_id ?? "");
    await workbook.xlsx.load(file?.data as unknown as ArrayBuffer);
    const first = workbook.getWorksheet("Нарушения")?.getRow(2).values as unknown[];
    expect(first.slice(1)).toEqual(["Сформирован", "03.12.2026 11:00"]);
  });

  it("without a month near the month's end: the last month's report, then how to get the current one", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set(local("2026-12-28 10:00"));
    await send(OFFICE.curator, "Ольга", "/report нарушения");
    const violations = h.fake.messages(OFFICE.curator);
    expect(violations[0]?.text).toMatch(/^Нарушения регламента за ноябрь 2026 г\.: 5/);
    expect(violations.at(-1)?.text).toBe("За текущий месяц: /report нарушения 12.2026");
    await send(OFFICE.curator, "Ольга", "/report");
    expect(h.lastText(OFFICE.curator)).toBe("За текущий месяц: /report 12.2026");
    // A month named is the one meant; earlier in the month, the last one usually is.
    const before = h.fake.messages(OFFICE.curator).length;
    await send(OFFICE.curator, "Ольга", "/report нарушения 11.2026");
    h.clock.set(local("2026-12-24 10:00"));
    await send(OFFICE.curator, "Ольга", "/report нарушения");
    const later = h.fake.messages(OFFICE.curator).slice(before);
    expect(later.map((m) => m.media?.type ?? "text")).toEqual(["text", "document", "text", "document"]);
  });

  it("a report Telegram rejects as it is (a file too big): the person who asked is told it is the report's fault, for the admins to look into", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set("2026-12-03T06:00:00Z");
    h.fake.failNext("sendDocument", { error_code: 400, description: "Bad Request: file is too big" });
    await send(OFFICE.curator, "Ольга", "/report 11.2026");
    expect(h.fake.messages(OFFICE.curator).map((m) => m.media?.type ?? "text")).toEqual([
      "text",
      "photo",
      "text",
    ]);
    expect(h.lastText(OFFICE.curator)).toBe(
      "Не удалось отправить отчёт: Telegram не принял его из-за ошибки в самом отчёте. " +
        "Повторный запрос не поможет. Сообщите администраторам: причина записана в журнал бота, " +
        "её нужно передать разработчику.",
    );
  });

  it("a report Telegram cannot take for now (a 5xx past the retries): the asker is told to ask again in a few minutes", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set("2026-12-03T06:00:00Z");
    h.fake.failNext("sendDocument", { error_code: 502, description: "Bad Gateway" }, { times: 10 });
    await send(OFFICE.curator, "Ольга", "/report 11.2026");
    expect(h.lastText(OFFICE.curator)).toBe(
      "Не удалось отправить отчёт целиком: Telegram сейчас не принимает сообщения. " +
        "Запросите отчёт ещё раз через несколько минут.",
    );
  });

  it("a bad month, a month without data and a person without the right get a clear answer", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    await send(OFFICE.curator, "Ольга", "/report 13.2026");
    expect(h.lastText(OFFICE.curator)).toMatch(/^Укажите месяц так: \/report 10\.2026/);
    await send(OFFICE.curator, "Ольга", "/report 01.2025");
    expect(h.lastText(OFFICE.curator)).toBe(
      "За январь 2025 г. данных нет: сообщений и событий по ним не было. " +
        "Отчёт за текущий месяц (пока неполный): /report 11.2026",
    );
    await send(OFFICE.executor, "Иван", "/report 11.2026");
    expect(h.lastText(OFFICE.executor)).toBe("Отчёты доступны кураторам и руководителям.");
  });

  it("is sent in a private chat or the curators' chat, never in an organization's work chat", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    const work = h.group(OFFICE.healthChat, "Минздрав: обращения");
    await h.user(OFFICE.curator, "Ольга").send("/report нарушения 11.2026", work);
    expect(h.texts(OFFICE.healthChat).at(-1)).toBe(
      "Отчёты присылаются в личном чате с ботом или в чате кураторов.",
    );
    expect(h.fake.callsOf("sendDocument")).toEqual([]);
    await h.user(OFFICE.curator, "Ольга").send("/report 11.2026", h.group(OFFICE.curatorsChat, "Кураторы"));
    expect(h.fake.messages(OFFICE.curatorsChat).some((m) => m.media?.type === "document")).toBe(true);
  });

  it("/report in the curators' chat does not hold it: another curator's /list there is answered while the month renders", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set("2026-12-03T06:00:00Z");
    // A big month: the render is held until the test lets it go.
    const real = h.app.reports;
    let started = () => {};
    const rendering = new Promise<void>((resolve) => {
      started = resolve;
    });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.app.reports = async (job) => {
      started();
      await held;
      return real(job);
    };
    const curators = h.group(OFFICE.curatorsChat, "Кураторы");
    const before = h.fake.messages(OFFICE.curatorsChat).length;
    const report = h.user(OFFICE.curator, "Ольга").send("/report 11.2026", curators);
    await rendering;
    const since = h.fake.mark();
    const list = h.user(OFFICE.curator2, "Светлана").send("/list", curators);
    try {
      // Answered while the report is still rendering (without the fix, only after it: not in time).
      await h.fake.waitForCall("sendMessage", (c) => c.params.chat_id === OFFICE.curatorsChat, { since });
    } finally {
      release();
    }
    await Promise.all([list, report]);
    const kinds = h.fake
      .messages(OFFICE.curatorsChat)
      .slice(before)
      .map((m) => m.media?.type ?? m.text?.split("\n")[0]);
    expect(kinds).toEqual([
      "Открытые сообщения: 1",
      "Отчёт за ноябрь 2026 г.: сообщения из открытых источников",
      "photo",
      "document",
    ]);
  });

  it("a report that fails to render: the curator who asked in the curators' chat is told", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set("2026-12-03T06:00:00Z");
    h.app.reports = () => Promise.reject(new Error("report not rendered: the report process ended"));
    await h.user(OFFICE.curator, "Ольга").send("/report 11.2026", h.group(OFFICE.curatorsChat, "Кураторы"));
    expect(h.texts(OFFICE.curatorsChat).at(-1)).toBe(
      "Ольга: Не получилось выполнить действие из-за внутренней ошибки. Попробуйте ещё раз через минуту.",
    );
  });

  it("the current month is reported so far: only deadlines already past, late up to now; a month not begun is refused", async () => {
    h = await Harness.start({ now: "2026-12-01T04:00:00Z" });
    const { health } = seedOffice(h);
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    const executor = findPerson(h.db, OFFICE.executor) as Person;
    h.clock.set(local("2026-12-01 10:00"));
    seedRegistered(h, { link: "https://vk.com/wall-1_1" }); // never routed: due 01.12 10:30
    h.clock.set(local("2026-12-02 10:00"));
    const two = seedRegistered(h, { link: "https://vk.com/wall-1_2" }); // draft due 02.12 16:00
    routeIncident(h.db, {
      incidentId: two,
      leadId: health,
      coexecutorIds: [],
      actor: curator,
      now: h.clock.now(),
    });
    acceptIncident(h.db, { incidentId: two, actor: executor, now: h.clock.now() });

    h.clock.set(local("2026-12-02 10:20"));
    await send(OFFICE.curator, "Ольга", "/report нарушения 12.2026");
    expect(h.texts(OFFICE.curator)[0]?.split("\n")).toEqual([
      "Нарушения регламента за декабрь 2026 г. на 02.12.2026 10:20: 1",
      "Месяц ещё не закончился: нарушения — только по срокам, которые уже истекли.",
      "№ 1 · кураторы — направить исполнителю (п. 6): срок 01.12.2026 10:30, пока не выполнено, опоздание 7 ч 50 мин",
    ]);
    await send(OFFICE.curator, "Ольга", "/report 12.2026");
    const summary = h.fake.messages(OFFICE.curator).slice(-3);
    expect(summary[0]?.text?.split("\n").slice(0, 2)).toEqual([
      "Отчёт за декабрь 2026 г. на 02.12.2026 10:20: сообщения из открытых источников",
      "Месяц ещё не закончился: нарушения — только по срокам, которые уже истекли.",
    ]);
    expect(summary[0]?.text).toContain("Нарушений регламента: 1");
    expect(summary[1]?.caption).toBe(
      "Доля ответов в срок за декабрь 2026 г. на 02.12.2026 10:20 и за 12 месяцев",
    );

    await send(OFFICE.curator, "Ольга", "/report 01.2027");
    expect(h.lastText(OFFICE.curator)).toBe(
      "Месяц 01.2027 ещё не начался, отчёта за него нет. Укажите текущий или прошедший месяц, например: /report 11.2026",
    );
  });
});
