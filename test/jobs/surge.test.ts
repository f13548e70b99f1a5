import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerIncident } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { announceSurge } from "../../src/bot/surge.js";
import { parseSourceLink } from "../../src/domain/source-link.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedOffice } from "../support/workflow.js";

let h: Harness;
beforeEach(async () => {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  seedOffice(h);
});
afterEach(() => h.close());

/** Registers a post the way intake does and runs its surge check. */
async function post(n: number, topic: string): Promise<void> {
  const link = parseSourceLink(`https://vk.com/wall-1_${n}`);
  if (!link.ok) throw new Error("bad link");
  const result = registerIncident(h.db, {
    link: link.url,
    linkKey: link.key,
    network: link.network,
    text: "Снова нет воды.",
    author: null,
    topic,
    place: null,
    importance: "normal",
    postedAt: null,
    repeatOfId: null,
    actorId: findPerson(h.db, OFFICE.curator)?.id ?? 0,
    now: h.clock.now(),
  });
  if (!result.ok) throw new Error("duplicate");
  await announceSurge(
    { api: h.bot.api, db: h.db, sla: h.sla, clock: h.clock, log: pino({ level: "silent" }) },
    result.incident,
  );
}

const surgeTexts = (chatId: number) => h.texts(chatId).filter((text) => text.startsWith("⚠️ Всплеск"));

describe("surge", () => {
  it("the 5th post on one topic within 24 hours tells the head and the curators at once, with the list, once", async () => {
    for (let n = 1; n <= 4; n++) {
      await post(n, "водоснабжение");
      h.clock.advance(60 * 60_000);
    }
    expect(surgeTexts(OFFICE.head)).toEqual([]);
    await post(5, "водоснабжение");
    const expected =
      "⚠️ Всплеск: 5 сообщений за 24 ч на тему «водоснабжение» (п. 21 регламента): № 1, № 2, № 3, № 4, № 5.";
    expect(surgeTexts(OFFICE.head)).toEqual([expected]);
    expect(surgeTexts(OFFICE.curatorsChat)).toEqual([expected]);
    await post(6, "водоснабжение");
    expect(surgeTexts(OFFICE.head)).toHaveLength(1);
  });

  it("posts spread over more than the window are no surge", async () => {
    for (let n = 1; n <= 5; n++) {
      await post(n, "дороги");
      h.clock.advance(7 * 60 * 60_000);
    }
    expect(surgeTexts(OFFICE.head)).toEqual([]);
  });
});
