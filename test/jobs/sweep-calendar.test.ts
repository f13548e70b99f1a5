import { afterEach, describe, expect, it } from "vitest";
import { loadIncident } from "../../src/app/incidents.js";
import { SlaRuntime } from "../../src/app/sla.js";
import { syncCards } from "../../src/bot/cards.js";
import { DEFAULT_SCHEDULE } from "../../src/domain/calendar/index.js";
import { loadRegulation } from "../../src/domain/regulation/load.js";
import { sweep } from "../../src/jobs/sweep.js";
import { Harness, type HarnessOptions } from "../support/bot-harness.js";
import { OFFICE, seedOffice, seedRegistered } from "../support/workflow.js";

let h: Harness;
afterEach(() => h.close());

async function office(options: HarnessOptions): Promise<void> {
  h = await Harness.start(options);
  seedOffice(h);
  seedRegistered(h, { text: "Нет света в подъезде.", author: null });
}

async function tickAt(iso: string): Promise<string[]> {
  h.clock.set(iso);
  await sweep(h.deps());
  return h.texts(OFFICE.curatorsChat).filter((text) => /^(⏰|❗|‼️)/.test(text));
}

describe("reminders on the working-time calendar", () => {
  it("Georgievsk: a post at Friday 17:30 must be routed by Monday 09:30; nobody is pinged over the weekend", async () => {
    // 1 working hour (p.9): 30 minutes on Friday, 30 on Monday. The 50 % point falls at Friday 18:00,
    // after hours, so it comes on Monday at 09:00; then 10 minutes before the end; then overdue.
    await office({ regulation: "georgievsk", now: "2026-11-27T14:30:00Z" });
    expect(await tickAt("2026-11-27T15:00:00Z")).toEqual([]);
    expect(await tickAt("2026-11-28T09:00:00Z")).toEqual([]);
    expect(await tickAt("2026-11-30T06:00:00Z")).toEqual([
      "⏰ Сообщение № 1: направить исполнителю до 30.11.2026 09:30 (п. 9 регламента) — осталось 30 мин рабочего времени.",
    ]);
    expect((await tickAt("2026-11-30T06:20:00Z")).at(-1)).toBe(
      "⏰ Сообщение № 1: направить исполнителю до 30.11.2026 09:30 (п. 9 регламента) — осталось 10 мин рабочего времени.",
    );
    expect((await tickAt("2026-11-30T06:31:00Z")).at(-1)).toBe(
      "❗ Сообщение № 1: срок «направить исполнителю» истёк в 09:30 (п. 9 регламента) — просрочено на 1 мин рабочего времени. Направьте его исполнителю сейчас.",
    );
  });

  it("Orenburg: a post at 16:45 on the short day before the May holidays is due on 04.05 at 09:15", async () => {
    // 30.04.2026 ends at 17:00 (pre-holiday), 01.05 is a holiday, 02–03.05 the weekend: 15 minutes
    // on Thursday and 15 on Monday. The reminder 10 minutes before the end comes at 09:05 on Monday.
    await office({ now: "2026-04-30T11:45:00Z" });
    expect(await tickAt("2026-04-30T12:30:00Z")).toEqual([]);
    expect(await tickAt("2026-05-01T07:00:00Z")).toEqual([]);
    expect(await tickAt("2026-05-04T04:05:00Z")).toEqual([
      "⏰ Сообщение № 1: направить исполнителю до 04.05.2026 09:15 (п. 6 регламента) — осталось 10 мин рабочего времени.",
    ]);
  });

  it("a preset counting the answer in calendar hours: a deadline passing in the night shows on the cards at once, after another already waits for the morning", async () => {
    // Orenburg, but the answer due 9 calendar hours after detection: a post at 17:30 must be routed
    // by 18:00 (working time), answered by 02:30.
    const orenburg = loadRegulation("orenburg");
    const answer = orenburg.steps.answer;
    if (!answer) throw new Error("no answer step");
    h = await Harness.start({ now: "2026-11-24T12:30:00Z" });
    const sla = new SlaRuntime(
      { ...orenburg, steps: { ...orenburg.steps, answer: { ...answer, unit: "calendarHours" } } },
      h.sla.timezone,
      DEFAULT_SCHEDULE,
      h.sla.calendar,
      () => {},
    );
    const deps = { ...h.deps(), sla };
    seedOffice(h);
    const id = seedRegistered(h, { text: "Нет света в подъезде.", author: null });
    const incident = loadIncident(h.db, id);
    if (incident) await syncCards(deps, incident);
    const card = () => h.texts(OFFICE.curatorsChat).find((text) => text.startsWith("Сообщение № 1 · ")) ?? "";
    h.clock.set("2026-11-24T13:01:00Z"); // 18:01: the routing passed, its alert waits for the morning
    await sweep(deps);
    expect(card()).toContain("Срок: 24.11.2026 18:00 — направить исполнителю (п. 6), срок истёк");
    h.clock.set("2026-11-24T21:31:00Z"); // 02:31
    await sweep(deps);
    expect(card()).toContain("Ответ разместить до: 25.11.2026 02:30, срок истёк");
    expect(h.texts(OFFICE.curatorsChat).filter((text) => /^(⏰|❗|‼️)/.test(text))).toEqual([]);
  });
});
