import { afterEach, describe, expect, it } from "vitest";
import { approveDraft, latestDrafts, submitDraft } from "../../src/app/answers.js";
import { acceptIncident, routeIncident } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { Harness, type TestUser } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import {
  OFFICE,
  type PostOptions,
  seedDraft,
  seedIncidentInWork,
  seedOffice,
  seedRegistered,
  showCards,
} from "../support/workflow.js";

/** Tuesday 24.11.2026 12:00 in Yekaterinburg (Orenburg preset): the accident's posts are being answered. */
const TUESDAY_12 = "2026-11-24T07:00:00Z";
const STATEMENT =
  "Здравствуйте! 24.11 в Промышленном районе произошла авария на водоводе. Аварийная бригада на месте, " +
  "подача воды будет восстановлена до 20:00. Подвоз питьевой воды организован.";
/** The statement as the offer quotes it: its first 100 characters. */
const STATEMENT_CLIPPED = `${STATEMENT.slice(0, 99).trimEnd()}…`;
const OFFER_TITLE =
  "Можно взять текст согласованного ответа по похожему сообщению и поправить его в предпросмотре:";
/** A citizen's words, long enough to be told again under another link (see postTextKey). */
const AGAIN = "Опять нет воды в Промышленном районе, третий раз за месяц, сколько можно!";
const ACCIDENT: PostOptions = { topic: "ЖКХ / водоснабжение", place: "Оренбург, Промышленный район" };
const PROMPT = (id: number) =>
  `Сообщение № ${id}: пришлите текст ответа одним сообщением (до 4096 символов). Отмена — /cancel.`;
const HEADER = (id: number) =>
  `Проект ответа по сообщению № ${id} (исполнитель: Иван, Министерство здравоохранения)`;

let h: Harness;
let health: number;
let executor: TestUser;

async function office(): Promise<void> {
  h = await Harness.start({ now: TUESDAY_12 });
  ({ health } = seedOffice(h));
  executor = h.user(OFFICE.executor, "Иван");
}

afterEach(async () => {
  await h?.close();
});

function person(telegramId: number) {
  const found = findPerson(h.db, telegramId);
  if (!found) throw new Error(`no person ${telegramId}`);
  return found;
}

/** The accident's first post, answered with the official statement, which a curator approved. */
async function firstPostApproved(): Promise<number> {
  const first = await seedIncidentInWork(h, health, {
    ...ACCIDENT,
    link: "https://vk.com/wall-1_1",
    text: "Нет воды во всём районе!",
  });
  await seedDraft(h, first, { text: STATEMENT, approve: true });
  return first;
}

/** The draft the curators got: the message with «Согласовать» that is not the card. */
function curatorsDraft() {
  return h.fake.messages(OFFICE.curatorsChat).filter((m) => m.text?.startsWith("Проект ") ?? false);
}

function buttonLabels(): string[] {
  return h.fake.buttons(OFFICE.executor).map((button) => button.label);
}

describe("the same answer for related posts", () => {
  it("a post of the same topic and place: «Тот же текст, что по № 1» takes the approved answer straight to the preview, and the curators see it is the approved text", async () => {
    await office();
    const first = await firstPostApproved();
    const second = await seedIncidentInWork(h, health, {
      ...ACCIDENT,
      link: "https://vk.com/wall-1_2",
      text: "Когда дадут воду на Шевченко?",
    });

    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toBe(
      `${PROMPT(second)}\n` +
        `${OFFER_TITLE}\n№ ${first} — та же тема и место, ответ согласован: «${STATEMENT_CLIPPED}»`,
    );
    expect(buttonLabels()).toContain(`Тот же текст, что по № ${first}`);

    await executor.press(`Тот же текст, что по № ${first}`);
    expect(executor.lastText()).toBe(
      `Предпросмотр: так проект увидят кураторы.\n\n${HEADER(second)}\n\n${STATEMENT}`,
    );
    await executor.press("Отправить на согласование");

    expect(executor.lastText()).toMatch(
      new RegExp(`^Проект отправлен на согласование: сообщение № ${second}\\. Спасибо!`),
    );
    expect(latestDrafts(h.db, second, 1).map((draft) => [draft.state, draft.text])).toEqual([
      ["submitted", STATEMENT],
    ]);
    expect(curatorsDraft().at(-1)?.text).toBe(
      `${HEADER(second)}\nТекст совпадает с согласованным ответом по № ${first}.\n\n${STATEMENT}`,
    );
  });

  it("the text taken can still be changed at the preview; the curators then get no «совпадает» line", async () => {
    await office();
    const first = await firstPostApproved();
    const second = await seedIncidentInWork(h, health, { ...ACCIDENT, link: "https://vk.com/wall-1_2" });
    const edited = `${STATEMENT} Телефон горячей линии: 8 (3532) 00-00-00.`;

    await executor.press("Подготовить ответ");
    await executor.press(`Тот же текст, что по № ${first}`);
    await executor.press("Изменить текст");
    await executor.send(edited);
    await executor.press("Отправить на согласование");

    expect(latestDrafts(h.db, second, 1)[0]?.text).toBe(edited);
    expect(curatorsDraft().at(-1)?.text).toBe(`${HEADER(second)}\n\n${edited}`);
  });

  it("neither an unrelated post's approved answer nor another organization's is offered: the text is asked as ever, until this organization's own answer on the accident is approved", async () => {
    await office();
    // This organization's approved answer on another issue.
    const clinic = await seedIncidentInWork(h, health, {
      topic: "Здравоохранение",
      place: "Оренбург, Ленинский район",
      link: "https://vk.com/wall-1_1",
      text: "В поликлинике № 3 нет записи к терапевту.",
    });
    await seedDraft(h, clinic, { text: "Здравствуйте! Запись к терапевту открыта с 25.11.", approve: true });
    // The accident answered by another organization: its answer is not this one's to reuse.
    const building = h.seedOrganization("Министерство строительства", "Минстрой");
    h.seedPerson(3002, "Пётр", [], [building]);
    const theirs = seedRegistered(h, { ...ACCIDENT, link: "https://vk.com/wall-1_2" });
    const now = h.clock.now();
    const curator = person(OFFICE.curator);
    const builder = person(3002);
    const content = { text: STATEMENT, attachments: [] };
    const steps = [
      routeIncident(h.db, { incidentId: theirs, leadId: building, coexecutorIds: [], actor: curator, now }),
      acceptIncident(h.db, { incidentId: theirs, actor: builder, now }),
      submitDraft(h.db, { incidentId: theirs, actor: builder, now, content }),
      approveDraft(h.db, { incidentId: theirs, actor: curator, now }),
    ];
    expect(steps.map((step) => step.ok)).toEqual([true, true, true, true]);

    const accident = await seedIncidentInWork(h, health, {
      ...ACCIDENT,
      link: "https://vk.com/wall-1_3",
      text: "Нет воды во всём районе!",
    });
    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toBe(PROMPT(accident));
    expect(buttonLabels().filter((label) => label.startsWith("Тот же текст"))).toEqual([]);

    // A text typed equal to no approved answer: the curators get no «совпадает» line.
    const ours = "Здравствуйте! Бригада на месте, воду дадут к вечеру.";
    await executor.send(ours);
    await executor.press("Готово");
    await executor.press("Отправить на согласование");
    expect(curatorsDraft().at(-1)?.text).toBe(`${HEADER(accident)}\n\n${ours}`);

    // Once approved, the accident's next post is offered this organization's answer only.
    approveDraft(h.db, { incidentId: accident, actor: curator, now: h.clock.now() });
    const next = await seedIncidentInWork(h, health, { ...ACCIDENT, link: "https://vk.com/wall-1_4" });
    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toBe(
      `${PROMPT(next)}\n` + `${OFFER_TITLE}\n№ ${accident} — та же тема и место, ответ согласован: «${ours}»`,
    );
  });

  it("an approved answer of the same topic and place older than 3 days is not offered; the post's own repeat, and the same text, are; a text typed instead takes the offer away", async () => {
    await office();
    const old = await firstPostApproved();
    h.clock.set("2026-11-30T07:00:00Z");
    const repeat = await seedIncidentInWork(h, health, {
      ...ACCIDENT,
      link: "https://vk.com/wall-1_2",
      text: AGAIN,
    });
    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toBe(PROMPT(repeat));
    await executor.send("/cancel");

    const linked = await seedIncidentInWork(h, health, {
      ...ACCIDENT,
      link: "https://vk.com/wall-1_3",
      text: "Снова авария?",
      repeatOfId: old,
    });
    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toBe(
      `${PROMPT(linked)}\n${OFFER_TITLE}\n` +
        `№ ${old} — это сообщение повторное к нему, ответ согласован: «${STATEMENT_CLIPPED}»`,
    );
    expect(buttonLabels()).toContain(`Тот же текст, что по № ${old}`);
    // A text typed instead is the draft's, and the offer's buttons go.
    await executor.send("Здравствуйте! Бригада снова выехала на место.");
    expect(executor.lastText()).toBe(
      "Пришлите фото, видео или документы (можно альбомом) или нажмите «Готово».",
    );
    expect(buttonLabels().filter((label) => label.startsWith("Тот же текст"))).toEqual([]);
    await executor.send("/cancel");

    // The citizen's words under another link, in another place: offered for the same text.
    const copy = await seedIncidentInWork(h, health, {
      topic: "ЖКХ",
      place: null,
      link: "https://vk.com/wall-1_5",
      text: `${AGAIN.toUpperCase()}!!!`,
    });
    await seedDraft(h, repeat, { text: "Здравствуйте! Вода будет к 18:00.", approve: true });
    await showCards(h, copy);
    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toContain(
      `№ ${repeat} — тот же текст сообщения, ответ согласован: «Здравствуйте! Вода будет к 18:00.»`,
    );
  });

  it("the approved answer's photos come with its text: the preview says so and the curators get them", async () => {
    await office();
    const first = await seedIncidentInWork(h, health, {
      ...ACCIDENT,
      link: "https://vk.com/wall-1_1",
      text: "Нет воды во всём районе!",
    });
    await executor.press("Подготовить ответ");
    await executor.send(STATEMENT);
    for (const name of ["map.jpg", "brigade.jpg"]) {
      const photo = h.fake.addFile(`jpeg ${name}`, name, { kind: "photo" });
      await h.deliver(updates.photo(executor.chat, executor.tg, photo));
    }
    await executor.press("Готово");
    await executor.press("Отправить на согласование");
    approveDraft(h.db, { incidentId: first, actor: person(OFFICE.curator), now: h.clock.now() });
    const second = await seedIncidentInWork(h, health, { ...ACCIDENT, link: "https://vk.com/wall-1_2" });

    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toContain(
      `№ ${first} — та же тема и место, ответ согласован (текст и 2 фото): «`,
    );
    const photosBefore = h.fake.callsOf("sendMediaGroup").length;
    await executor.press(`Тот же текст, что по № ${first}`);
    expect(executor.lastText()).toBe(
      `Предпросмотр: так проект увидят кураторы.\n\n${HEADER(second)}\n\n${STATEMENT}`,
    );
    await executor.press("Отправить на согласование");

    expect(latestDrafts(h.db, second, 1)[0]?.attachments).toHaveLength(2);
    // One album in the preview, one to the curators.
    expect(h.fake.callsOf("sendMediaGroup").length - photosBefore).toBe(2);
    expect(curatorsDraft().at(-1)?.text).toContain(`Текст совпадает с согласованным ответом по № ${first}.`);
  });

  it("a draft already waiting when another post's identical answer is approved: the curators' card of its post says so once it is shown again", async () => {
    await office();
    const curator = h.user(OFFICE.curator, "Ольга");
    const first = await seedIncidentInWork(h, health, {
      ...ACCIDENT,
      link: "https://vk.com/wall-1_1",
      text: "Нет воды во всём районе!",
    });
    const second = await seedIncidentInWork(h, health, {
      ...ACCIDENT,
      link: "https://vk.com/wall-1_2",
      text: "Когда дадут воду на Шевченко?",
    });
    for (const id of [first, second]) await seedDraft(h, id, { text: STATEMENT });
    const mark = `Проект ответа совпадает с согласованным ответом по № ${first}`;
    expect(curatorsCard(second)).toContain("Состояние: на согласовании");
    expect(curatorsCard(second)).not.toContain("совпадает");

    const approve = h.fake
      .buttons(OFFICE.curatorsChat)
      .find((button) => button.callbackData?.startsWith(`inc.ok:${first}`));
    if (!approve?.callbackData) throw new Error("no «Согласовать» of the first post");
    await h.deliver(updates.callback(curator.tg, approve.message, approve.callbackData));
    expect(curatorsCard(first)).toContain("Состояние: согласовано");
    expect(curatorsCard(first)).not.toContain("совпадает");

    // The curator looks the second post up: its card says its draft is the answer just approved.
    await curator.send(`/find ${second}`, h.group(OFFICE.curatorsChat, "Кураторы"));
    expect(curatorsCard(second)).toContain(`\n${mark}\n`);
    // Approved in turn, it waits no more: the line goes.
    approveDraft(h.db, { incidentId: second, actor: person(OFFICE.curator), now: h.clock.now() });
    await showCards(h, second);
    expect(curatorsCard(second)).toContain("Состояние: согласовано");
    expect(curatorsCard(second)).not.toContain("совпадает");
  });
});

/** The newest card of the post in the curators' chat. */
function curatorsCard(id: number): string {
  const cards = h.fake
    .messages(OFFICE.curatorsChat)
    .filter((m) => m.text?.startsWith(`Сообщение № ${id} · `));
  return cards.at(-1)?.text ?? "";
}
