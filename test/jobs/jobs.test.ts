import { afterEach, describe, expect, it } from "vitest";
import { approveAndClaim } from "../../src/app/answers.js";
import { findPerson } from "../../src/app/people.js";
import type { Person } from "../../src/domain/access.js";
import { startJobs } from "../../src/jobs/index.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice } from "../support/workflow.js";

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

  it("Georgievsk: a «Размещу лично» that lapsed overnight is handed back to the executors before the reminder and the digest ask them to post it", async () => {
    h = await Harness.start({ now: "2026-11-24T13:00:00Z", regulation: "georgievsk" }); // Tuesday 16:00 MSK
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health); // the answer due Wednesday 11:00 (p.16)
    h.clock.set("2026-11-24T14:50:00Z"); // 17:50: «Согласовать и разместить лично», its link never given
    await seedDraft(h, id);
    approveAndClaim(h.db, {
      incidentId: id,
      actor: findPerson(h.db, OFFICE.curator) as Person,
      now: h.clock.now(),
    });
    h.clock.set("2026-11-25T06:00:00Z"); // Wednesday 09:00: the claim over since 18:20, two hours left
    const jobs = startJobs(h.deps());
    await jobs.tick();
    await jobs.stop();
    const morning = (chatId: number) =>
      h
        .texts(chatId)
        .filter((text) => /(⏰|Доброе утро!|от куратора \(Ольга\) не пришла)/.test(text))
        .map((text) =>
          text.includes("от куратора (Ольга) не пришла")
            ? "handed back"
            : text.includes("⏰")
              ? "reminder"
              : "digest",
        );
    expect(morning(OFFICE.healthChat)).toEqual(["handed back", "digest"]);
    expect(morning(OFFICE.executor)).toEqual(["handed back", "reminder"]);
  });
});
