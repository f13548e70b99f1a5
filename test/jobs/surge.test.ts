import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadIncident } from "../../src/app/incidents.js";
import { announceSurge } from "../../src/bot/surge.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedOffice, seedRegistered } from "../support/workflow.js";

let h: Harness;
beforeEach(async () => {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  seedOffice(h);
});
afterEach(() => h.close());

/** Registers a post the way intake does and runs its surge check. */
async function post(n: number, topic: string): Promise<void> {
  const id = seedRegistered(h, {
    link: `https://vk.com/wall-1_${n}`,
    text: "Снова нет воды.",
    author: null,
    topic,
  });
  const incident = loadIncident(h.db, id);
  if (!incident) throw new Error("no incident");
  await announceSurge(h.deps(), incident);
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
