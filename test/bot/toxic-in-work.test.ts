/**
 * A post found offensive or threatening after it was routed (Orenburg p.17; Georgievsk p.22): the
 * curator closes it from the card at any step until an answer is approved or out — a draft before
 * him included — and the organization that had it hears it need not answer.
 */
import { afterEach, describe, expect, it } from "vitest";
import { loadIncident } from "../../src/app/incidents.js";
import { drafts } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice } from "../support/workflow.js";

let h: Harness;
let health: number;
afterEach(() => h.close());

const curator = () => h.user(OFFICE.curator, "Ольга");
const curatorsChat = () => h.group(OFFICE.curatorsChat, "Кураторы");
const cardIn = (chatId: number, id: number) =>
  h.fake.messages(chatId).find((m) => m.text?.startsWith(`Сообщение № ${id} · `));
const labelsOf = (chatId: number, id: number) => {
  const card = cardIn(chatId, id);
  return h.fake
    .buttons(chatId)
    .filter((b) => b.message.message_id === card?.message_id)
    .map((b) => b.label);
};

async function office(): Promise<number> {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  ({ health } = seedOffice(h));
  return seedIncidentInWork(h, health);
}

describe("closing a post in work as toxic", () => {
  it("the curator closes a post in work; the organization is told it need not answer, its cards close", async () => {
    const id = await office();
    expect(labelsOf(OFFICE.curatorsChat, id)).toEqual(expect.arrayContaining(["Оскорбительное", "Угроза"]));
    await curator().press("Оскорбительное", curatorsChat());
    expect(await curator().press("Да, закрыть", curatorsChat())).toBe(
      `Сообщение № ${id} закрыто без ответа как оскорбительное.`,
    );
    expect(loadIncident(h.db, id)?.row.state).toBe("closed");
    expect(cardIn(OFFICE.healthChat, id)?.text).toMatch(
      /Состояние: закрыто без ответа: оскорбительное \(п\. 17\)$/,
    );
    expect(labelsOf(OFFICE.healthChat, id)).not.toContain("Подготовить ответ");
    expect(h.lastText(OFFICE.healthChat)).toBe(
      `Сообщение № ${id} закрыто куратором без ответа: оскорбительное (п. 17). Готовить ответ не нужно.`,
    );
  });

  it("a threat found in work is passed on (Orenburg p.17) and the organization is told", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z", lawEnforcementChatId: -500 });
    ({ health } = seedOffice(h));
    const id = await seedIncidentInWork(h, health);
    await curator().press("Угроза", curatorsChat());
    await curator().press("Да, угроза — передать", curatorsChat());
    expect(h.lastText(-500)).toMatch(
      /^Министерство .* направляет для рассмотрения сообщение с угрозой \(п\. 17;/,
    );
    expect(h.lastText(-500)).not.toMatch(/№ 1\b/);
    expect(h.lastText(OFFICE.healthChat)).toBe(
      `Сообщение № ${id} закрыто куратором без ответа: угроза (п. 17). Готовить ответ не нужно.`,
    );
  });

  it("once an answer is approved the post is not closed as toxic: the office has its answer", async () => {
    const id = await office();
    await seedDraft(h, id, { approve: true });
    expect(labelsOf(OFFICE.curatorsChat, id)).not.toContain("Оскорбительное");
  });

  it("a draft before the curator that shows the post is offensive: it is closed without deciding on the draft", async () => {
    const id = await office();
    await seedDraft(h, id);
    expect(labelsOf(OFFICE.curatorsChat, id)).toEqual(
      expect.arrayContaining(["Согласовать", "На доработку", "Оскорбительное", "Угроза"]),
    );
    await curator().press("Оскорбительное", curatorsChat());
    await curator().press("Да, закрыть", curatorsChat());
    expect(loadIncident(h.db, id)?.row.state).toBe("closed");
    expect(h.lastText(OFFICE.healthChat)).toBe(
      `Сообщение № ${id} закрыто куратором без ответа: оскорбительное (п. 17). Готовить ответ не нужно.`,
    );
    // «Согласовать» of the card as it was: nothing left to approve.
    const card = cardIn(OFFICE.curatorsChat, id);
    if (!card) throw new Error("no card");
    const draftId = h.db.select({ id: drafts.id, state: drafts.state }).from(drafts).all();
    expect(draftId).toEqual([{ id: draftId[0]?.id, state: "superseded" }]);
    const update = await h.deliver(updates.callback(curator().tg, card, `inc.ok:${id}:${draftId[0]?.id}`));
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toMatch(/закрыто/);
    expect(loadIncident(h.db, id)?.row.state).toBe("closed");
  });
});
