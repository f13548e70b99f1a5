import { afterEach, describe, expect, it } from "vitest";
import { Harness } from "../support/bot-harness.js";
import { OFFICE } from "../support/workflow.js";
import { seedNovember } from "./seed-month.js";

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
    expect(messages[0]?.text).toMatch(/^Отчёт за 11\.2026/);
    expect(messages[2]?.media?.file_name).toBe("otchet-2026-11.xlsx");
  });

  it("without a month, a head gets last month's; violations come as text and spreadsheet", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set("2026-12-03T06:00:00Z");
    await send(OFFICE.head, "Глава", "/report");
    expect(h.texts(OFFICE.head)[0]).toMatch(/^Отчёт за 11\.2026/);
    h.fake.clearCalls();
    await send(OFFICE.head, "Глава", "/report нарушения 11.2026");
    const last = h.fake.messages(OFFICE.head).slice(-2);
    expect(last[0]?.text).toMatch(/^Нарушения регламента за 11\.2026: 5/);
    expect(last[1]?.media?.file_name).toBe("narusheniya-2026-11.xlsx");
  });

  it("a bad month, a month without data and a person without the right get a clear answer", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    await send(OFFICE.curator, "Ольга", "/report 13.2026");
    expect(h.lastText(OFFICE.curator)).toMatch(/^Укажите месяц так: \/report 10\.2026/);
    await send(OFFICE.curator, "Ольга", "/report 01.2025");
    expect(h.lastText(OFFICE.curator)).toBe("За 01.2025 данных нет: сообщений и событий по ним не было.");
    await send(OFFICE.executor, "Иван", "/report 11.2026");
    expect(h.lastText(OFFICE.executor)).toBe("Отчёты доступны кураторам и руководителям.");
  });
});
