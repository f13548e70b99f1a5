import { afterEach, describe, expect, it } from "vitest";
import { latestDrafts } from "../../src/app/answers.js";
import { acceptIncident, routeIncident } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { remindAbandonedDrafts } from "../../src/jobs/abandoned-drafts.js";
import { Harness, type TestUser } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, pressCrafted, seedDraft, seedIncidentInWork, seedOffice } from "../support/workflow.js";

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";
const ANSWER = "Здравствуйте! Снег во дворе на Ленина, 5 вывезут до пятницы.";
const INTERIM = "Здравствуйте! Вопрос изучается, ответим до 03.12.";
const QUESTION = "Уточните, пожалуйста, номер дома.";

let h: Harness;
let executor: TestUser;

afterEach(async () => {
  await h?.close();
});

async function office(): Promise<number> {
  h = await Harness.start({ now: TUESDAY_10 });
  const { health } = seedOffice(h);
  executor = h.user(OFFICE.executor, "Иван");
  return seedIncidentInWork(h, health);
}

const healthChat = () => h.group(OFFICE.healthChat, "Минздрав: обращения");

/** The executor writes a draft's text from the card's button and leaves with /cancel. */
async function leaveDraft(button: string, text: string): Promise<void> {
  await executor.press(button);
  await executor.send(text);
  await executor.send("/cancel");
}

/** An interim answer sent, approved and posted while the executor's answer waits unfinished. */
async function interimPosted(id: number): Promise<void> {
  await seedDraft(h, id, { purpose: "interim", text: INTERIM, approve: true });
  await executor.press("Размещено", healthChat());
  await executor.send("https://vk.com/wall-1_1?reply=3", healthChat());
}

const resumeOffer = (id: number, text: string) =>
  `По сообщению № ${id} есть начатый черновик: текст (${text.length} симв.).\n` +
  "Продолжить его или начать заново?";

describe("a saved draft belongs to its purpose", () => {
  it("a half-written answer is not offered as the interim answer, and each comes back to its own button", async () => {
    const id = await office();
    await leaveDraft("Подготовить ответ", ANSWER);

    await executor.press("Промежуточный ответ");
    expect(executor.lastText()).toMatch(
      new RegExp(`^Сообщение № ${id}: пришлите текст промежуточного ответа одним сообщением`),
    );
    await executor.send(INTERIM);
    await executor.send("/cancel");

    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toBe(resumeOffer(id, ANSWER));
    await executor.press("Продолжить черновик");
    await executor.press("Готово");
    expect(executor.lastText()).toContain(`Проект ответа по сообщению № ${id}`);
    expect(executor.lastText()).toContain(ANSWER);
    await executor.send("/cancel");

    await executor.press("Промежуточный ответ");
    expect(executor.lastText()).toBe(resumeOffer(id, INTERIM));
    await executor.press("Продолжить черновик");
    await executor.press("Готово");
    expect(executor.lastText()).toContain(`Проект промежуточного ответа по сообщению № ${id}`);
    expect(executor.lastText()).toContain(INTERIM);
  });

  it("a half-written question to the author is not offered as the answer", async () => {
    const id = await office();
    await leaveDraft("Запрос автору", QUESTION);

    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toBe(
      `Сообщение № ${id}: пришлите текст ответа одним сообщением (до 4096 символов). Отмена — /cancel.`,
    );
    await executor.send("/cancel");

    await executor.press("Запрос автору");
    expect(executor.lastText()).toBe(resumeOffer(id, QUESTION));
  });

  it("an interim answer sent meanwhile keeps the half-written answer: it comes back as the final answer", async () => {
    const id = await office();
    await leaveDraft("Подготовить ответ", ANSWER);
    await interimPosted(id);

    await executor.press("Подготовить окончательный ответ");
    expect(executor.lastText()).toBe(resumeOffer(id, ANSWER));
    await executor.press("Продолжить черновик");
    await executor.press("Готово");
    expect(executor.lastText()).toContain(`Проект окончательного ответа по сообщению № ${id}`);
    expect(executor.lastText()).toContain(ANSWER);
  });
});

describe("a draft started from a group's card", () => {
  it("the private message names the draft the button is for: the final answer after an interim one", async () => {
    const id = await office();
    await interimPosted(id);
    await executor.press("Подготовить окончательный ответ", healthChat());
    expect(executor.lastText()).toBe(
      `Сообщение № ${id}: подготовим проект окончательного ответа здесь. Нажмите «Начать».`,
    );
    await executor.send(ANSWER);
    expect(executor.lastText()).toBe(
      `Чтобы подготовить проект окончательного ответа по сообщению № ${id}, сначала нажмите «Начать», ` +
        "затем пришлите текст и фото.",
    );
    await executor.press("Запрос автору", healthChat());
    expect(executor.lastText()).toBe(
      `Сообщение № ${id}: подготовим проект запроса автору здесь. Нажмите «Начать».`,
    );
  });
});

describe("a preset that times no final answer after an interim one", () => {
  it("offers no interim answer: no «Промежуточный ответ» on the card, and a press of one is refused", async () => {
    h = await Harness.start({ now: TUESDAY_10 });
    // A region's preset without finalAfterInterim (only routing and answer are required).
    delete h.sla.regulation.steps.finalAfterInterim;
    const { health } = seedOffice(h);
    executor = h.user(OFFICE.executor, "Иван");
    const id = await seedIncidentInWork(h, health);

    for (const chat of [OFFICE.executor, OFFICE.healthChat]) {
      const labels = h.fake.buttons(chat).map((b) => b.label);
      expect(labels).toContain("Подготовить ответ");
      expect(labels).toContain("Запрос автору");
      expect(labels).not.toContain("Промежуточный ответ");
    }
    // A button left from before (or typed by hand) opens no draft of one: nothing would be due after it.
    expect(await pressCrafted(h, OFFICE.executor, "Иван", `inc.interim:${id}`)).toBe(
      `Регламент не предусматривает промежуточного ответа: подготовьте ответ на сообщение № ${id}.`,
    );
    expect(executor.lastText()).not.toMatch(/промежуточного ответа/);
    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toMatch(new RegExp(`^Сообщение № ${id}: пришлите текст ответа`));
  });
});

describe("a preview's buttons", () => {
  it("«Отправить на согласование» under the answer's preview, pressed once the interim answer's is shown, sends nothing", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await executor.press("Готово");
    const answerPreview = h.fake.findButton(OFFICE.executor, "Отправить на согласование");
    await executor.press("Промежуточный ответ");
    await executor.send(INTERIM);
    await executor.press("Готово");

    const update = await h.deliver(
      updates.callback(executor.tg, answerPreview.message, answerPreview.callbackData),
    );
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe(
      "Этот шаг уже пройден. Нажмите кнопку на карточке сообщения заново.",
    );
    expect(latestDrafts(h.db, id, 1)).toEqual([]);
    // The preview shown now sends its own draft.
    await executor.press("Отправить на согласование");
    expect(latestDrafts(h.db, id, 1).map((d) => [d.kind, d.text])).toEqual([["interim", INTERIM]]);
  });
});

describe("the reminder of a draft left unfinished", () => {
  it("names each draft left — the answer and the question — and the button that opens it", async () => {
    const id = await office();
    await leaveDraft("Подготовить ответ", ANSWER);
    await leaveDraft("Запрос автору", QUESTION);
    const before = executor.texts().length;

    h.clock.advance(35 * 60_000);
    expect(await remindAbandonedDrafts(h.deps())).toBe(2);
    expect(await remindAbandonedDrafts(h.deps())).toBe(0);
    expect(executor.texts().slice(before).sort()).toEqual([
      `Вы начали готовить запрос автору по сообщению № ${id} и не закончили. Черновик сохранён: ` +
        "откройте карточку кнопкой «Открыть № 1», нажмите «Запрос автору» и выберите «Продолжить черновик».",
      `Вы начали готовить ответ по сообщению № ${id} и не закончили. Черновик сохранён: ` +
        "откройте карточку кнопкой «Открыть № 1», нажмите «Подготовить ответ» и выберите «Продолжить черновик».",
    ]);
  });

  it("left on a Friday evening: Monday's reminder has «Открыть № N», which shows the card below with the way to continue", async () => {
    h = await Harness.start({ now: "2026-11-27T12:40:00Z" }); // Friday 27.11.2026 17:40
    const { health } = seedOffice(h);
    executor = h.user(OFFICE.executor, "Иван");
    const id = await seedIncidentInWork(h, health);
    await leaveDraft("Подготовить ответ", ANSWER);
    // Other posts' cards come over the weekend: this one is far up the chat.
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });

    h.clock.set("2026-11-30T04:00:00Z"); // Monday 09:00
    expect(await remindAbandonedDrafts(h.deps())).toBe(1);
    const reminder = h.fake.messages(OFFICE.executor).at(-1);
    expect(reminder?.text).toMatch(/^Вы начали готовить ответ по сообщению № 1 и не закончили/);
    expect(
      h.fake
        .buttons(OFFICE.executor)
        .filter((b) => b.message === reminder)
        .map((b) => b.label),
    ).toEqual([`Открыть № ${id}`]);

    await executor.press(`Открыть № ${id}`);
    const card = h.fake.messages(OFFICE.executor).at(-1);
    expect(card?.text).toMatch(new RegExp(`^Сообщение № ${id} · `));
    expect(
      h.fake
        .buttons(OFFICE.executor)
        .filter((b) => b.message === card)
        .map((b) => b.label),
    ).toContain("Подготовить ответ");
    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toBe(resumeOffer(id, ANSWER));
    await executor.press("Продолжить черновик");
    expect(executor.lastText()).toMatch(/^Пришлите фото, видео или документы/);
  });

  it("is not sent to an executor whose organization the post was taken from", async () => {
    const id = await office();
    await leaveDraft("Подготовить ответ", ANSWER);
    const education = h.seedOrganization("Министерство образования", "Минобр");
    h.seedPerson(3002, "Мария", [], [education]);
    const actor = (telegramId: number) => {
      const found = findPerson(h.db, telegramId);
      if (!found) throw new Error(`no person ${telegramId}`);
      return found;
    };
    const now = h.clock.now();
    expect(
      routeIncident(h.db, {
        incidentId: id,
        leadId: education,
        coexecutorIds: [],
        actor: actor(OFFICE.curator),
        now,
      }).ok,
    ).toBe(true);
    expect(acceptIncident(h.db, { incidentId: id, actor: actor(3002), now }).ok).toBe(true);
    const before = executor.texts().length;

    h.clock.advance(35 * 60_000);
    expect(await remindAbandonedDrafts(h.deps())).toBe(0);
    expect(executor.texts().slice(before)).toEqual([]);
  });

  it("after an interim answer, names the final answer and its button", async () => {
    const id = await office();
    await leaveDraft("Подготовить ответ", ANSWER);
    await interimPosted(id);

    h.clock.advance(35 * 60_000);
    expect(await remindAbandonedDrafts(h.deps())).toBe(1);
    expect(executor.lastText()).toBe(
      `Вы начали готовить окончательный ответ по сообщению № ${id} и не закончили. Черновик сохранён: ` +
        "откройте карточку кнопкой «Открыть № 1», нажмите «Подготовить окончательный ответ» и выберите «Продолжить черновик».",
    );
  });
});

describe("«Отправить на согласование» pressed twice", () => {
  it("the second press says the draft is sent already, in a short pop-up, and sends nothing more", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await executor.press("Готово");
    const send = h.fake.findButton(OFFICE.executor, "Отправить на согласование");
    await executor.press("Отправить на согласование");
    const again = await h.deliver(updates.callback(executor.tg, send.message, send.callbackData));
    const answer = h.fake.callbackAnswer(again.callback_query?.id ?? "");
    expect(answer?.text).toBe(`Проект по сообщению № ${id} уже отправлен на согласование.`);
    expect(answer?.show_alert).toBeFalsy();
    expect(latestDrafts(h.db, id, 5)).toHaveLength(1);
  });
});

describe("buttons of an earlier draft dialogue", () => {
  const STALE = "Этот шаг уже пройден. Нажмите кнопку на карточке сообщения заново.";
  /** The newest message in the executor's chat with a button of this label. */
  const withButton = (label: string) => h.fake.findButton(OFFICE.executor, label);
  const pressOld = async (old: ReturnType<typeof withButton>) => {
    const update = await h.deliver(updates.callback(executor.tg, old.message, old.callbackData));
    return h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text;
  };

  it("«Готово» and «Продолжить черновик» left by an earlier dialogue do nothing in the one open now", async () => {
    const id = await office();
    await leaveDraft("Подготовить ответ", ANSWER);
    const oldDone = withButton("Готово");

    await executor.press("Подготовить ответ");
    const oldOffer = withButton("Продолжить черновик");
    await executor.press("Продолжить черновик");
    expect(await pressOld(oldDone)).toBe(STALE);
    expect(executor.lastText()).not.toContain(`Проект ответа по сообщению № ${id}`);
    await executor.send("/cancel");

    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toBe(resumeOffer(id, ANSWER));
    expect(await pressOld(oldOffer)).toBe(STALE);
    expect(executor.lastText()).toBe(resumeOffer(id, ANSWER));
    await executor.press("Продолжить черновик");
    await executor.press("Готово");
    expect(executor.lastText()).toContain(`Проект ответа по сообщению № ${id}`);
  });
});
