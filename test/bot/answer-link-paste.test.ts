/**
 * An executor whose approved answer waits to be posted sends its link to the bot straight away,
 * without «Размещено»: the bot offers to record it rather than say that curators register posts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { loadIncident } from "../../src/app/incidents.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice } from "../support/workflow.js";

let h: Harness;
afterEach(() => h.close());

describe("a link sent privately by an executor", () => {
  it("with an approved answer waiting: offered as that answer's link, and recorded once sent again", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    await seedDraft(h, id);
    const executor = h.user(OFFICE.executor, "Иван");
    const link = "https://vk.com/wall-1_1?reply=77";

    // Not approved yet: nothing of his waits to be posted.
    await executor.send(link);
    expect(executor.lastText()).toMatch(/^Регистрируют сообщения кураторы/);

    await h.user(OFFICE.curator, "Ольга").press("Согласовать", h.group(OFFICE.curatorsChat, "Кураторы"));
    await executor.send(link);
    expect(executor.lastText()).toBe(
      "Если это ссылка на размещённый ответ, нажмите кнопку и пришлите ссылку ещё раз. " +
        "Регистрируют новые сообщения кураторы: перешлите пост куратору.",
    );
    await executor.press("Ответ на № 1 размещён");
    await executor.send(link);
    expect(loadIncident(h.db, id)?.row.state).toBe("answered");
  });
});
