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
  it("with an approved answer waiting: offered as that answer's link, and recorded with one tap", async () => {
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
      "Если это ссылка на размещённый ответ, нажмите кнопку: ссылка будет записана. " +
        "Регистрируют новые сообщения кураторы: перешлите пост куратору.",
    );
    await executor.press("Ответ на № 1 размещён");
    expect(executor.lastText()).toBe("Ответ по сообщению № 1 размещён в срок. Спасибо!");
    expect(loadIncident(h.db, id)?.row.state).toBe("answered");
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      `Ответ по сообщению № 1 размещён (в срок): ${link}\nКто разместил: Иван`,
    );
  });

  it("a link of the wrong network is not taken: the person is told why and asked for the right one", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    await seedDraft(h, id, { approve: true });
    const executor = h.user(OFFICE.executor, "Иван");
    await executor.send("https://t.me/minzdrav/15");
    await executor.press("Ответ на № 1 размещён");
    expect(h.texts(OFFICE.executor).slice(-2)).toEqual([
      "Это ссылка в Telegram, а сообщение размещено во ВКонтакте. Отвечают в той же сети: пришлите ссылку во ВКонтакте.",
      "Сообщение № 1: пришлите ссылку на размещённый ответ во ВКонтакте. Отмена — /cancel.",
    ]);
    expect(loadIncident(h.db, id)?.row.state).toBe("approved");
    await executor.send("https://vk.com/wall-1_1?reply=77");
    expect(loadIncident(h.db, id)?.row.state).toBe("answered");
  });

  it("with four answers waiting: the post the link is a comment under is offered first, then the longest waiting; another post's comment is refused", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    for (let n = 1; n <= 4; n++) {
      const id = await seedIncidentInWork(h, health, { link: `https://vk.com/wall-1_${n}` });
      await seedDraft(h, id, { approve: true });
    }
    const executor = h.user(OFFICE.executor, "Иван");
    await executor.send("https://vk.com/wall-1_4?reply=99");
    const offered = h.fake.buttons(OFFICE.executor).filter((b) => b.label.startsWith("Ответ на № "));
    expect(offered.map((b) => b.label)).toEqual([
      "Ответ на № 4 размещён",
      "Ответ на № 1 размещён",
      "Ответ на № 2 размещён",
    ]);
    await executor.press("Ответ на № 1 размещён");
    expect(h.texts(OFFICE.executor).at(-2)).toBe(
      "Это комментарий под другим постом, не под этим сообщением: похоже, ссылка на ответ по другому " +
        "сообщению. Пришлите ссылку на ваш ответ под этим сообщением (или на отдельную запись).",
    );
    expect(loadIncident(h.db, 1)?.row.state).toBe("approved");
    await executor.send("https://vk.com/wall-1_1?reply=100");
    expect(loadIncident(h.db, 1)?.row.state).toBe("answered");
  });

  it("with an approved interim answer waiting: the button says it is the interim answer, and records it so", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    await seedDraft(h, id, { approve: true, purpose: "interim" });
    const executor = h.user(OFFICE.executor, "Иван");
    await executor.send("https://vk.com/wall-1_1?reply=99");
    await executor.press("Промежуточный ответ на № 1 размещён");
    expect(executor.lastText()).toMatch(/^Промежуточный ответ по сообщению № 1 записан\./);
    expect(loadIncident(h.db, id)?.row.state).toBe("awaiting_final");
  });
});
