import { autoRetry } from "@grammyjs/auto-retry";
import { afterEach, describe, expect, it } from "vitest";
import { acceptIncident, routeIncident } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import type { Person } from "../../src/domain/access.js";
import { AUTO_RETRY } from "../../src/runtime.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice, showCards } from "../support/workflow.js";

let h: Harness;
afterEach(() => h.close());

describe("Telegram's errors", () => {
  it("a 429 with retry_after: the answer still arrives, once", async () => {
    h = await Harness.start({
      now: "2026-11-24T05:00:00Z",
      transformers: [autoRetry(AUTO_RETRY)],
    });
    h.fake.failNext(
      "sendMessage",
      { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } },
      { times: 1 },
    );
    const stranger = h.user(7001, "Гость");
    await stranger.send("/start");
    expect(stranger.texts()).toHaveLength(1);
    expect(stranger.lastText()).toMatch(/ссылку-приглашение/);
    expect(h.fake.callsOf("sendMessage")).toHaveLength(2);
  });

  it("a press whose pop-up Telegram refuses as too old is still carried out and announced", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id);
    h.fake.failNext("answerCallbackQuery", {
      error_code: 400,
      description: "Bad Request: query is too old and response timeout expired or query ID is invalid",
    });
    await h.user(OFFICE.curator, "Ольга").press("Согласовать", h.group(OFFICE.curatorsChat, "Кураторы"));
    expect(h.lastText(OFFICE.executor)).toMatch(/^Ответ по сообщению № 1 согласован\. Разместите/);
    expect(h.texts(OFFICE.curatorsChat).join("\n")).not.toMatch(/Не получилось/);
  });

  it("a double tap on a list page: the second edit changes nothing («not modified») and is no failure", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const admin = h.seedPerson(1001, "Анна", ["admin"]);
    for (let i = 1; i <= 12; i++) h.seedOrganization(`Орган ${String(i).padStart(2, "0")}`);
    await admin.send("/orgs");
    const { message, callbackData } = h.fake.findButton(admin.tg.id, "▶");
    const taps = [1, 2].map(() => updates.callback(admin.tg, message, callbackData));
    const delivered = [];
    for (const tap of taps) delivered.push(await h.deliver(tap));
    expect(admin.lastText()).toBe("Органы и организации (стр. 2 из 2):");
    expect(h.fake.callsOf("editMessageText").map((c) => c.response.ok)).toEqual([true, false]);
    // The second tap is answered once, quietly: no "something went wrong" alert after it.
    const second = delivered[1]?.callback_query?.id;
    const answers = h.fake
      .callsOf("answerCallbackQuery")
      .filter((c) => c.params.callback_query_id === second);
    expect(answers.map((c) => c.params.show_alert ?? false)).toEqual([false]);
  });

  it("the executor who blocked the bot does not stop the others from getting the card", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was blocked by the user" },
      { match: (params) => params.chat_id === OFFICE.executor, times: 10 },
    );
    await seedIncidentInWork(h, health);
    expect(h.texts(OFFICE.executor)).toEqual([]);
    expect(h.lastText(OFFICE.healthChat)).toMatch(/^Сообщение № 1/);
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/^Сообщение № 1/);
  });

  it("«chat not found» for a bound chat is logged and the curators' card still goes out", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    h.fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: chat not found" },
      { match: (params) => params.chat_id === OFFICE.healthChat, times: 10 },
    );
    await seedIncidentInWork(h, health);
    expect(h.texts(OFFICE.healthChat)).toEqual([]);
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/^Сообщение № 1/);
  });

  it("the curators' chat refusing (the bot removed unseen): a returned post reaches each curator privately", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    h.fake.setChatMember(OFFICE.curatorsChat, h.bot.botInfo.id, "kicked");
    const executor = h.user(OFFICE.executor, "Иван");
    const chat = h.group(OFFICE.healthChat, "Минздрав: обращения");
    await executor.press("Вернуть", chat);
    await executor.press("Не наша компетенция", chat);
    await executor.press("Вернуть без уточнения", chat);
    for (const curator of [OFFICE.curator, OFFICE.curator2])
      expect(h.texts(curator).some((text) => /^Сообщение № 1 возвращено/.test(text))).toBe(true);
  });

  it("so does, under Georgievsk, a co-executor's part for approval (p.18): each curator gets it privately", async () => {
    h = await Harness.start({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" });
    const { health } = seedOffice(h);
    const education = h.seedOrganization("Министерство образования", "Минобр");
    const EDUCATION_EXECUTOR = 3009;
    h.seedPerson(EDUCATION_EXECUTOR, "Мария", [], [education]);
    const id = await seedIncidentInWork(h, health);
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    const maria = findPerson(h.db, EDUCATION_EXECUTOR) as Person;
    const now = h.clock.now();
    routeIncident(h.db, { incidentId: id, leadId: health, coexecutorIds: [education], actor: curator, now });
    acceptIncident(h.db, { incidentId: id, organizationId: education, actor: maria, now });
    await showCards(h, id);
    h.fake.setChatMember(OFFICE.curatorsChat, h.bot.botInfo.id, "kicked");
    const mariaUser = h.user(EDUCATION_EXECUTOR, "Мария");
    await mariaUser.send(`/find ${id}`);
    await mariaUser.press("Отправить информацию");
    await mariaUser.send("Двор очищен.");
    const privately = [...h.texts(OFFICE.curator), ...h.texts(OFFICE.curator2)];
    expect(privately.filter((text) => text.includes("на согласование"))).toHaveLength(2);
  });
});
