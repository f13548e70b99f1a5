import { afterEach, describe, expect, it } from "vitest";
import { startJobs } from "../../src/jobs/index.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedIncidentInWork, seedOffice } from "../support/workflow.js";

let h: Harness;
afterEach(() => h.close());

describe("the minute's jobs", () => {
  it("go on while the month's report is still being made: its alerts are not held back", async () => {
    h = await Harness.start({ now: "2026-12-01T04:00:00Z" }); // Tuesday 09:00 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    h.clock.set("2026-12-01T11:05:00Z"); // 16:05: the draft is overdue, November's report due
    let giveUp: (reason: Error) => void = () => {};
    const rendering = new Promise<never>((_, reject) => {
      giveUp = reject;
    });
    const jobs = startJobs({ ...h.deps(), reports: () => rendering });
    const ticked = await Promise.race([
      jobs.tick().then(() => "done"),
      new Promise((resolve) => setTimeout(() => resolve("held back"), 2000)),
    ]);
    giveUp(new Error("the report process was stopped"));
    await jobs.stop();
    expect(ticked).toBe("done");
    expect(
      h.texts(OFFICE.healthChat).some((text) => text.includes("❗ Сообщение № 1: срок «прислать проект")),
    ).toBe(true);
  });
});
