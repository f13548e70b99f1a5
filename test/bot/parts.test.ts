import { afterEach, describe, expect, it } from "vitest";
import { approveAndClaim, approveDraft, submitDraft } from "../../src/app/answers.js";
import { unbindChat } from "../../src/app/chats.js";
import { acceptIncident, loadIncident, type TransitionResult } from "../../src/app/incidents.js";
import { findPerson, isBlocked } from "../../src/app/people.js";
import type { Person } from "../../src/domain/access.js";
import { partVersion } from "../../src/domain/incident.js";
import { sweep } from "../../src/jobs/sweep.js";
import { buildMonthlyReport } from "../../src/reports/figures.js";
import { Harness, type HarnessOptions } from "../support/bot-harness.js";
import { type FileRef, updates } from "../support/updates.js";
import { type PostOptions, seedRegistered, showCards } from "../support/workflow.js";

const CURATOR = 2001;
const HEALTH_EXECUTOR = 3001;
const EDUCATION_EXECUTOR = 3002;
const BUILDING_EXECUTOR = 3003;

let h: Harness;
let health: number;
let education: number;

const curatorsChat = () => h.group(-200, "Кураторы");
const healthChat = () => h.group(-100, "Минздрав: обращения");
const educationChat = () => h.group(-300, "Минобр: обращения");
const buildingChat = () => h.group(-400, "Минстрой: обращения");
const curator = () => h.user(CURATOR, "Ольга");
const educationExecutor = () => h.user(EDUCATION_EXECUTOR, "Мария");
const healthExecutor = () => h.user(HEALTH_EXECUTOR, "Иван");
const buildingExecutor = () => h.user(BUILDING_EXECUTOR, "Пётр");
const partNotice = "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nДвор очищен.";

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";
/** The same Tuesday 10:00 in Moscow (Georgievsk preset). */
const TUESDAY_10_MOSCOW = "2026-11-24T07:00:00Z";

/**
 * № 1 routed to the health ministry (the lead) and the education ministry (a co-executor), whose
 * executor has taken it and opened «Отправить информацию»; `withBuilding`: the construction ministry
 * too, a second co-executor, its executor having taken it.
 */
async function coexecutorAsked(
  options: HarnessOptions = { now: TUESDAY_10 },
  post: PostOptions = {},
  withBuilding = false,
): Promise<number> {
  h = await Harness.start(options);
  health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
  education = h.seedOrganization("Министерство образования", "Минобр");
  h.seedChat(curatorsChat(), null);
  h.seedChat(healthChat(), health);
  h.seedChat(educationChat(), education);
  h.seedPerson(CURATOR, "Ольга", ["curator"]);
  h.seedPerson(HEALTH_EXECUTOR, "Иван", [], [health]);
  h.seedPerson(EDUCATION_EXECUTOR, "Мария", [], [education]);
  if (withBuilding) {
    const building = h.seedOrganization("Министерство строительства", "Минстрой");
    h.seedChat(buildingChat(), building);
    h.seedPerson(BUILDING_EXECUTOR, "Пётр", [], [building]);
  }
  const id = seedRegistered(h, { link: "https://vk.com/wall-1_1", ...post });
  await showCards(h, id);
  await pressData(-200, `inc.route:${id}`);
  await curator().press(/Минздрав/, curatorsChat());
  await curator().press(/Минобр/, curatorsChat());
  if (withBuilding) await curator().press(/Минстрой/, curatorsChat());
  await curator().press("Готово", curatorsChat());
  // Orenburg p.6: a significant post's answer may be shortened; not here.
  if (h.fake.buttons(-200).some((b) => b.label === "Без сокращения"))
    await curator().press("Без сокращения", curatorsChat());
  if (withBuilding) await buildingExecutor().press("Взять в работу", buildingChat());
  await educationExecutor().press("Взять в работу", educationChat());
  await educationExecutor().press("Отправить информацию", educationChat());
  return id;
}

/** The curator presses the button with exactly this callback data (one card's among several). */
async function pressData(chatId: number, data: string): Promise<void> {
  const button = h.fake.buttons(chatId).find((b) => b.callbackData === data);
  if (!button) throw new Error(`no button ${data} in chat ${chatId}`);
  await h.deliver(updates.callback(curator().tg, button.message, data));
}

function photo(name: string): FileRef {
  return h.fake.addFile(`jpeg ${name}`, name, { kind: "photo" });
}

async function sendPhoto(file: FileRef, caption?: string, album?: string): Promise<void> {
  await h.deliver(updates.photo(educationChat(), educationExecutor().tg, file, caption, album));
}

/** What a chat shows, a photo as `photo <file id>`, from the first message that matches `from` on. */
function shownFrom(chatId: number, from: (line: string) => boolean): string[] {
  const lines = h.fake
    .messages(chatId)
    .map((m) => (m.media ? `${m.media.type} ${m.media.file_id}` : (m.text ?? m.caption ?? "")));
  const first = lines.findIndex(from);
  return first < 0 ? [] : lines.slice(first);
}

const isPhoto = (line: string) => line.startsWith("photo ");

afterEach(() => h.close());

describe("a co-executor's part with photos", () => {
  it("Orenburg: a photo with a caption is the part; the curators and the lead's chat get the photo with it (p.14, 16)", async () => {
    await coexecutorAsked();
    expect(h.lastText(-300)).toMatch(
      /для основного исполнителя \(Министерство здравоохранения\) текстом, одним сообщением\. Фото, видео или документы/,
    );
    const yard = photo("двор.jpg");
    await sendPhoto(yard, "Двор очищен, фото прилагаем");

    expect(h.lastText(-300)).toBe("Информация по сообщению № 1 отправлена куратору и основному исполнителю.");
    const notice =
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nДвор очищен, фото прилагаем";
    for (const chatId of [-100, -200]) {
      expect(shownFrom(chatId, isPhoto).slice(0, 2)).toEqual([`photo ${yard.file_id}`, notice]);
    }
  });

  it("the lead's executor who takes the post after the part came starts his draft with it, its photo too (p.14)", async () => {
    await coexecutorAsked();
    const yard = photo("двор.jpg");
    await sendPhoto(yard, "Двор очищен, фото прилагаем");
    const executor = h.user(HEALTH_EXECUTOR, "Иван");
    await executor.press("Взять в работу", healthChat());
    const since = h.fake.messages(HEALTH_EXECUTOR).length;
    await executor.press("Подготовить ответ");
    const shown = h.fake
      .messages(HEALTH_EXECUTOR)
      .slice(since)
      .map((m) => (m.media ? `${m.media.type} ${m.media.file_id}` : (m.text ?? "")));
    expect(shown.slice(0, 3)).toEqual([
      "Сообщение № 1: информация соисполнителя — ниже. Учтите её в ответе.",
      `photo ${yard.file_id}`,
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nДвор очищен, фото прилагаем",
    ]);
    expect(shown.at(-1)).toMatch(/^Сообщение № 1: пришлите текст ответа/);
  });

  it("the lead's executor asked for his draft's text is told which parts have not come, and where they stand (p.14)", async () => {
    await coexecutorAsked();
    const executor = healthExecutor();
    await executor.press("Взять в работу", healthChat());
    h.clock.set(new Date("2026-11-24T07:01:00Z")); // 12:01: the part (2 working hours) is overdue
    await executor.press("Подготовить ответ");
    expect(h.lastText(HEALTH_EXECUTOR)).toBe(
      "Сообщение № 1: пришлите текст ответа одним сообщением (до 4096 символов). Отмена — /cancel.\n" +
        "Ещё не пришла информация соисполнителя: Министерство образования (в работе; срок информации истёк 24.11.2026 12:00).",
    );
  });

  it("Georgievsk: a part waiting for the curators has not come either (p.18)", async () => {
    await coexecutorAsked({ now: TUESDAY_10_MOSCOW, regulation: "georgievsk" });
    await educationExecutor().send("Двор очищен.", educationChat());
    const executor = healthExecutor();
    await executor.press("Взять в работу", healthChat());
    await executor.press("Подготовить ответ");
    expect(h.lastText(HEALTH_EXECUTOR).split("\n").at(-1)).toBe(
      "Ещё не пришла информация соисполнителя: Министерство образования (у куратора на согласовании).",
    );
  });

  it("an album waits for «Отправить», with one confirmation counting its items; then all goes as one album", async () => {
    const id = await coexecutorAsked();
    const files = [photo("1.jpg"), photo("2.jpg"), photo("3.jpg")];
    await sendPhoto(files[0] as FileRef, "Двор очищен, фото до и после", "yard");
    await sendPhoto(files[1] as FileRef, undefined, "yard");
    await sendPhoto(files[2] as FileRef, undefined, "yard");
    expect(h.texts(-300).filter((text) => text.startsWith("Получено вложений"))).toEqual([
      "Получено вложений: 3. Всё приложено? Нажмите «Отправить».",
    ]);
    expect(h.texts(-100).some((text) => text.includes("Двор очищен"))).toBe(false);
    expect(loadIncident(h.db, id)?.assignments.find((a) => a.organizationId === education)?.state).toBe(
      "accepted",
    );

    await educationExecutor().press("Отправить", educationChat());
    expect(h.lastText(-300)).toBe("Информация по сообщению № 1 отправлена куратору и основному исполнителю.");
    expect(shownFrom(-100, isPhoto)).toEqual([
      ...files.map((f) => `photo ${f.file_id}`),
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nДвор очищен, фото до и после",
    ]);
    expect(h.fake.callsOf("sendMediaGroup").filter((c) => Number(c.params.chat_id) === -100)).toHaveLength(1);
  });

  it("a photo without a caption waits for the text, which sends both; «Отправить» is not offered before", async () => {
    await coexecutorAsked();
    // The question says so: a file after the text would come when the part has gone.
    expect(h.lastText(-300)).toBe(
      "Мария, пришлите информацию по сообщению № 1 для основного исполнителя (Министерство здравоохранения) текстом, одним сообщением. " +
        "Фото, видео или документы, если нужны, пришлите до текста или с подписью — информация уходит вместе с текстом. Отмена — /cancel.",
    );
    const gate = photo("ворота.jpg");
    await sendPhoto(gate);
    expect(h.lastText(-300)).toBe(
      "Получено вложений: 1. Теперь напишите текст информации — с ним всё будет отправлено.",
    );
    expect(h.fake.buttons(-300).map((b) => b.label)).not.toContain("Отправить");
    await educationExecutor().send("Ворота школы починили.", educationChat());
    expect(shownFrom(-100, isPhoto)).toEqual([
      `photo ${gate.file_id}`,
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nВорота школы починили.",
    ]);
  });

  it("Georgievsk: the curators get the photo with the part, and the lead gets it when they pass the part on (p.18, 20)", async () => {
    const id = await coexecutorAsked({ now: TUESDAY_10_MOSCOW, regulation: "georgievsk" });
    const yard = photo("двор.jpg");
    await sendPhoto(yard, "Двор очищен, фото прилагаем");
    expect(shownFrom(-200, isPhoto)).toEqual([
      `photo ${yard.file_id}`,
      "Информация соисполнителя по сообщению № 1 — Министерство образования — на согласование:\n\n" +
        "Двор очищен, фото прилагаем\n\n" +
        "Согласуйте и передайте основному исполнителю до 24.11.2026 10:30 (п. 18 регламента).",
    ]);
    expect(shownFrom(-100, isPhoto)).toEqual([]);

    await curator().press("Согласовать и передать: Минобр", curatorsChat());
    expect(shownFrom(-100, isPhoto)).toEqual([
      `photo ${yard.file_id}`,
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nДвор очищен, фото прилагаем",
    ]);
    expect(loadIncident(h.db, id)?.assignments.find((a) => a.organizationId === education)?.state).toBe(
      "part_passed",
    );
  });

  it("Georgievsk: a part returned for rework and sent again as text alone does not carry the earlier photo", async () => {
    const id = await coexecutorAsked({ now: TUESDAY_10_MOSCOW, regulation: "georgievsk" });
    await sendPhoto(photo("двор.jpg"), "Двор очищен");
    await curator().press("На доработку: Минобр", curatorsChat());
    await curator().send("Укажите, когда вывезут снег.", curatorsChat());
    h.clock.advance(10 * 60_000);
    await educationExecutor().press("Отправить информацию", educationChat());
    await educationExecutor().send("Снег вывезут до пятницы.", educationChat());
    const part = loadIncident(h.db, id)?.assignments.find((a) => a.organizationId === education);
    await pressData(-200, `inc.passon:${id}:${part?.id}:${part && partVersion(part)}`);
    expect(h.lastText(-100)).toBe(
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nСнег вывезут до пятницы.",
    );
    expect(h.fake.messages(-100).some((m) => m.media)).toBe(false);
  });
});

describe("the curator changing his mind on a part", () => {
  it("Georgievsk: «Согласовать и передать» after «На доработку» ends the comment question; the next remark is not the comment", async () => {
    const id = await coexecutorAsked({ now: TUESDAY_10_MOSCOW, regulation: "georgievsk" });
    await educationExecutor().send("Двор очищен.", educationChat());
    await curator().press("На доработку: Минобр", curatorsChat());
    await curator().press("Согласовать и передать: Минобр", curatorsChat());
    const mark = h.fake.mark();
    await curator().send("Коллеги, кто возьмёт № 2?", curatorsChat());
    expect(h.fake.calls.slice(mark).filter((call) => call.method === "sendMessage")).toEqual([]);
    expect(loadIncident(h.db, id)?.assignments.find((a) => a.organizationId === education)?.state).toBe(
      "part_passed",
    );
  });
});

describe("a part reaching the lead: the executor holding the post and the co-executor are told", () => {
  it("Georgievsk p.11, 18: passed on, the holder gets the part privately with his draft's clock now running; the co-executor's chat hears it went", async () => {
    await coexecutorAsked({ now: TUESDAY_10_MOSCOW, regulation: "georgievsk" });
    await healthExecutor().press("Взять в работу", healthChat());
    await educationExecutor().send("Двор очищен.", educationChat());
    const heldBefore = h.texts(HEALTH_EXECUTOR).length;
    h.clock.advance(10 * 60_000); // 10:10

    await curator().press("Согласовать и передать: Минобр", curatorsChat());
    expect(
      h
        .texts(HEALTH_EXECUTOR)
        .slice(heldBefore)
        .filter((text) => !text.startsWith("Сообщение № 1 · ")),
    ).toEqual([
      `${partNotice}\n\n` +
        "Информация всех соисполнителей у вас — срок пошёл: прислать проект ответа куратору до 24.11.2026 11:10 (п. 11 регламента).",
    ]);
    expect(h.lastText(-100)).toBe(partNotice);
    expect(h.lastText(-300)).toBe(
      "Информация по сообщению № 1 (Министерство образования) согласована куратором и передана основному исполнителю: Министерство здравоохранения.",
    );
  });

  it("Orenburg p.14: a part sent straight to the lead reaches its holder privately too, with his deadline", async () => {
    await coexecutorAsked();
    await healthExecutor().press("Взять в работу", healthChat());
    const heldBefore = h.texts(HEALTH_EXECUTOR).length;
    await educationExecutor().send("Двор очищен.", educationChat());
    expect(
      h
        .texts(HEALTH_EXECUTOR)
        .slice(heldBefore)
        .filter((text) => !text.startsWith("Сообщение № 1 · ")),
    ).toEqual([
      `${partNotice}\n\nВаш срок: прислать проект ответа куратору до 24.11.2026 16:00 (п. 9 регламента).`,
    ]);
    expect(h.lastText(-100)).toBe(partNotice);
  });

  it("at night the holder's copy and the co-executor's notice come without sound", async () => {
    await coexecutorAsked({ now: TUESDAY_10_MOSCOW, regulation: "georgievsk" });
    await healthExecutor().press("Взять в работу", healthChat());
    await educationExecutor().send("Двор очищен.", educationChat());
    h.clock.set("2026-11-24T17:00:00Z"); // 20:00 in Moscow
    await curator().press("Согласовать и передать: Минобр", curatorsChat());
    const sent = (chatId: number, start: string) =>
      h.fake
        .callsOf("sendMessage")
        .filter((c) => c.params.chat_id === chatId && String(c.params.text).startsWith(start))
        .map((c) => c.params.disable_notification);
    expect(sent(HEALTH_EXECUTOR, "Информация соисполнителя")).toEqual([true]);
    expect(sent(-300, "Информация по сообщению № 1 (Министерство образования) согласована")).toEqual([true]);
  });

  /** How each message sent to the chat since `mark` sounds: `false` rings at any hour, `true` is quiet. */
  function soundsIn(chatId: number, mark: number): [string, unknown][] {
    return h.fake.calls
      .slice(mark)
      .filter((c) => c.method.startsWith("send") && Number(c.params.chat_id) === chatId)
      .map((c) => [String(c.params.text ?? c.method).split("\n")[0] ?? "", c.params.disable_notification]);
  }

  it("Orenburg: a significant post's part sent on a holiday rings for the curators, the lead's chat and its holder", async () => {
    // Saturday 02.01.2027 10:00 in Yekaterinburg: the New Year holidays.
    await coexecutorAsked({ now: "2027-01-02T05:00:00Z" }, { importance: "significant" });
    await healthExecutor().press("Взять в работу", healthChat());
    const mark = h.fake.mark();
    await sendPhoto(photo("больница.jpg"), "Отопление включат сегодня к 18:00");
    // One ring per part: its notice's, the photo before it comes quietly.
    const part = ["sendPhoto", true];
    const notice = ["Информация соисполнителя по сообщению № 1 — Министерство образования:", false];
    expect(soundsIn(-200, mark)).toEqual([part, notice]);
    expect(soundsIn(-100, mark)).toEqual([part, notice]);
    expect(soundsIn(HEALTH_EXECUTOR, mark)).toEqual([part, notice]);
  });

  it("Georgievsk: a significant post's part on a holiday rings for the curators to pass on, then for the lead", async () => {
    // Saturday 02.01.2027 10:00 in Moscow.
    await coexecutorAsked(
      { now: "2027-01-02T07:00:00Z", regulation: "georgievsk" },
      { importance: "significant" },
    );
    await healthExecutor().press("Взять в работу", healthChat());
    let mark = h.fake.mark();
    await educationExecutor().send("Отопление включат сегодня к 18:00.", educationChat());
    expect(soundsIn(-200, mark)).toEqual([
      ["Информация соисполнителя по сообщению № 1 — Министерство образования — на согласование:", false],
    ]);

    mark = h.fake.mark();
    await curator().press("Согласовать и передать: Минобр", curatorsChat());
    const notice = ["Информация соисполнителя по сообщению № 1 — Министерство образования:", false];
    expect(soundsIn(-100, mark)).toEqual([notice]);
    expect(
      soundsIn(HEALTH_EXECUTOR, mark).filter(([text]) => !String(text).startsWith("Сообщение № 1 · ")),
    ).toEqual([notice]);
    expect(soundsIn(-300, mark).filter(([text]) => !String(text).startsWith("Сообщение № 1 · "))).toEqual([
      [expect.stringMatching(/^Информация по сообщению № 1 \(Министерство образования\) согласована/), false],
    ]);
  });

  it("Georgievsk: a significant post's part returned for rework, then the post returned by the co-executor, ring on a holiday", async () => {
    await coexecutorAsked(
      { now: "2027-01-02T07:00:00Z", regulation: "georgievsk" },
      { importance: "significant" },
    );
    await healthExecutor().press("Взять в работу", healthChat());
    await educationExecutor().send("Отопление включат.", educationChat());
    let mark = h.fake.mark();
    await curator().press("На доработку: Минобр", curatorsChat());
    await curator().send("Укажите, когда включат отопление.", curatorsChat());
    const notMessages = ([text]: [string, unknown]) => !text.startsWith("Сообщение № 1 · ");
    expect(soundsIn(-300, mark).filter(notMessages)).toEqual([
      [
        expect.stringMatching(
          /^Информация соисполнителя по сообщению № 1 .* возвращена куратором на доработку/,
        ),
        false,
      ],
    ]);

    mark = h.fake.mark();
    await educationExecutor().press("Вернуть", educationChat());
    await educationExecutor().send("Отопление больниц не наше", educationChat());
    expect(soundsIn(-200, mark).filter(notMessages)).toEqual([
      [expect.stringMatching(/^Соисполнитель Министерство образования вернул сообщение № 1/), false],
    ]);
    // The lead's draft may be due now: its chat and the executor holding the post hear it.
    const leadTold = [
      expect.stringMatching(/^Соисполнитель Министерство образования вернул сообщение № 1/),
      false,
    ];
    expect(soundsIn(-100, mark).filter(notMessages)).toEqual([leadTold]);
    expect(soundsIn(HEALTH_EXECUTOR, mark).filter(notMessages)).toEqual([leadTold]);
  });
});

describe("a part for a lead organization without a work chat", () => {
  const sendsTo = (chatId: number) =>
    h.fake.callsOf("sendMessage").filter((call) => call.params.chat_id === chatId).length;

  it("Georgievsk p.11, 18: its executors get the part privately with the draft's clock now running", async () => {
    await coexecutorAsked({ now: TUESDAY_10_MOSCOW, regulation: "georgievsk" });
    unbindChat(h.db, { chatId: -100, actorId: null, reason: "admin", now: h.clock.now() });
    // The chat unbound, its cards act no more: the executor takes the post from the private card.
    await healthExecutor().press("Взять в работу");
    await educationExecutor().send("Двор очищен.", educationChat());
    h.clock.advance(10 * 60_000); // 10:10
    await curator().press("Согласовать и передать: Минобр", curatorsChat());
    expect(h.lastText(HEALTH_EXECUTOR)).toBe(
      `${partNotice}\n\n` +
        "Информация всех соисполнителей у вас — срок пошёл: прислать проект ответа куратору до 24.11.2026 11:10 (п. 11 регламента).",
    );
  });

  it("its executor known to block the bot is not sent the part; one whose account is deleted is marked; the curators hear the lead did not get it", async () => {
    await coexecutorAsked();
    unbindChat(h.db, { chatId: -100, actorId: null, reason: "admin", now: h.clock.now() });
    const petr = h.seedPerson(3005, "Пётр", [], [health]);
    h.fake.setChatMember(3005, h.bot.botInfo.id, "kicked");
    await h.deliver(updates.myChatMember(petr.chat, petr.tg, "member", "kicked", h.fake.botUser));
    const tried = sendsTo(3005);
    h.fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: user is deactivated" },
      {
        match: (params) =>
          params.chat_id === HEALTH_EXECUTOR && String(params.text).startsWith("Информация соисполнителя"),
      },
    );

    await educationExecutor().send("Двор очищен.", educationChat());
    const part = "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nДвор очищен.";
    expect(h.texts(-200).slice(-2)).toEqual([
      part,
      `${part}\nОргану «Министерство здравоохранения» не доставлено: бот не смог написать ни в его рабочий чат, ни его исполнителям.`,
    ]);
    expect(isBlocked(h.db, HEALTH_EXECUTOR)).toBe(true);
    expect(sendsTo(3005)).toBe(tried);
  });
});

describe("a co-executor that returns the post while the lead has not taken it", () => {
  it("Orenburg: the lead's chat is told its deadline to meet, not its window to return the post (a right)", async () => {
    await coexecutorAsked();
    await educationExecutor().press("Отмена", educationChat());
    h.clock.set("2026-11-24T05:05:00Z"); // 10:05: the lead's own window to return runs to 10:30
    await educationExecutor().press("Вернуть", educationChat());
    await educationExecutor().send("Школы тут ни при чём", educationChat());
    const told = h.lastText(-100);
    expect(told).toMatch(/^Соисполнитель Министерство образования вернул сообщение № 1 куратору/);
    expect(told).not.toContain("возврат не по компетенции");
    expect(told).toContain("прислать проект ответа куратору до 24.11.2026 16:00 (п. 9 регламента)");
  });
});

describe("a co-executor dropped while it owes its part (Georgievsk p.11, 18)", () => {
  it("the lead's draft hour runs from the routing that dropped it, as from a return: no overdue at once, none in the report", async () => {
    const id = await coexecutorAsked({ now: TUESDAY_10_MOSCOW, regulation: "georgievsk" });
    await educationExecutor().press("Отмена", educationChat());
    await healthExecutor().press("Взять в работу", healthChat());
    h.clock.set("2026-11-24T09:30:00Z"); // 12:30: the curator stops waiting for the education ministry
    await pressData(-200, `inc.route:${id}`);
    await curator().press(/Минздрав/, curatorsChat());
    await curator().press("Готово", curatorsChat());
    expect(
      loadIncident(h.db, id)
        ?.assignments.filter((a) => a.state !== "withdrawn")
        .map((a) => a.role),
    ).toEqual(["lead"]);
    const card = h.texts(-100).find((text) => text.startsWith("Сообщение № 1 · ")) ?? "";
    expect(card).toContain("Срок: 24.11.2026 14:30 — прислать проект ответа куратору (п. 11)");
    const dropped =
      "Куратор снял соисполнителя Министерство образования с сообщения № 1: его информации не будет.\n\n" +
      "Информация всех соисполнителей у вас — срок пошёл: прислать проект ответа куратору до 24.11.2026 14:30 (п. 11 регламента).";
    expect(h.texts(-100)).toContain(dropped);
    // The executor holding the post hears it privately too.
    expect(h.texts(HEALTH_EXECUTOR)).toContain(dropped);
    h.clock.set("2026-11-24T09:31:00Z");
    await sweep(h.deps());
    expect(h.texts(-100).filter((text) => text.includes("истёк"))).toEqual([]);
    h.clock.set("2026-11-24T11:00:00Z"); // 14:00: the draft sent in its hour
    const report = buildMonthlyReport(h.db, h.sla, { year: 2026, month: 11 }, h.clock.now());
    expect(report.violations.filter((v) => v.step === "draft")).toEqual([]);
  });
});

describe("a co-executor dropped while its part waits for the curators (Georgievsk p.18)", () => {
  it("is told its part is no longer wanted, and the lead that it will not come", async () => {
    const id = await coexecutorAsked({ now: TUESDAY_10_MOSCOW, regulation: "georgievsk" });
    await healthExecutor().press("Взять в работу", healthChat());
    await educationExecutor().send("Школа № 5 отремонтирована.", educationChat());
    expect(loadIncident(h.db, id)?.assignments.find((a) => a.role === "coexecutor")?.state).toBe("part_sent");
    await pressData(-200, `inc.route:${id}`);
    await curator().press(/Минздрав/, curatorsChat());
    await curator().press("Готово", curatorsChat());
    expect(h.texts(-300)).toContain(
      "Сообщение № 1: ваш орган больше не соисполнитель, информацию по нему присылать не нужно.",
    );
    expect(
      h.texts(-100).some((text) => text.startsWith("Куратор снял соисполнителя Министерство образования")),
    ).toBe(true);
  });
});

describe("a co-executor that returns the post (Georgievsk p.10, 18)", () => {
  it("the lead hears its part will not come, with its draft's hour running from now; no overdue alert from before", async () => {
    await coexecutorAsked({ now: TUESDAY_10_MOSCOW, regulation: "georgievsk" });
    await educationExecutor().press("Отмена", educationChat());
    await healthExecutor().press("Взять в работу", healthChat());
    h.clock.set("2026-11-24T07:25:00Z"); // 10:25
    await educationExecutor().press("Вернуть", educationChat());
    // «Запрос автору» is on the lead's card only: the co-executor is told who asks the author.
    expect(h.lastText(-300)).toMatch(
      /Если не хватает сведений, не возвращайте: вопрос автору задаёт ответственный исполнитель \(Минздрав\) — сообщите ему, что нужно уточнить\.$/,
    );
    h.clock.set("2026-11-24T07:50:00Z"); // 10:50: the reason typed at last
    await educationExecutor().send("Это вопрос управляющей компании", educationChat());
    const returned =
      "Соисполнитель Министерство образования вернул сообщение № 1 куратору: его информации не будет.\n\n" +
      "Информация всех соисполнителей у вас — срок пошёл: прислать проект ответа куратору до 24.11.2026 11:50 (п. 11 регламента).";
    expect(h.lastText(-100)).toBe(returned);
    // The executor holding the post hears it privately too, as he would the part.
    expect(h.lastText(HEALTH_EXECUTOR)).toBe(returned);
    // Returned after its 30 minutes (p.10), as the report counts it: late.
    expect(h.texts(-200)).toContain(
      "Соисполнитель Министерство образования вернул с опозданием сообщение № 1: «Это вопрос управляющей компании».",
    );
    h.clock.set("2026-11-24T08:10:00Z"); // 11:10: an hour after the lead's receipt, not after the return
    await sweep(h.deps());
    expect(h.texts(-100).filter((text) => text.includes("истёк"))).toEqual([]);
    // Its own card says it returned the post, not that the post went elsewhere.
    const card = h.texts(-300).find((text) => text.startsWith("Сообщение № 1 · "));
    expect(card).toContain(
      "Состояние: ваш орган вернул сообщение как не своё; ответ готовит Министерство здравоохранения",
    );
  });
});

describe("a part for the curators without a curators' chat", () => {
  it("a curator known to block the bot is not sent the part; the other gets it privately", async () => {
    await coexecutorAsked();
    unbindChat(h.db, { chatId: -200, actorId: null, reason: "admin", now: h.clock.now() });
    const svetlana = h.seedPerson(2002, "Светлана", ["curator"]);
    h.fake.setChatMember(2002, h.bot.botInfo.id, "kicked");
    await h.deliver(updates.myChatMember(svetlana.chat, svetlana.tg, "member", "kicked", h.fake.botUser));
    const tried = h.fake.calls.filter((call) => call.params.chat_id === 2002).length;

    await educationExecutor().send("Двор очищен.", educationChat());
    expect(h.lastText(CURATOR)).toBe(
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nДвор очищен.",
    );
    expect(h.fake.calls.filter((call) => call.params.chat_id === 2002)).toHaveLength(tried);
  });
});

const ANSWER = { text: "Здравствуйте! Двор очистят до пятницы.", attachments: [] };

function must(result: TransitionResult): void {
  if (!result.ok) throw new Error(`transition refused: ${result.refusal}`);
}

/** 5 minutes on (10:05), the lead's executor takes the post and sends its draft to the curators. */
function leadDraftSent(id: number, purpose?: "interim"): void {
  h.clock.set(new Date(h.clock.now().getTime() + 5 * 60_000));
  const ivan = findPerson(h.db, HEALTH_EXECUTOR) as Person;
  const now = h.clock.now();
  must(acceptIncident(h.db, { incidentId: id, actor: ivan, now }));
  must(
    submitDraft(h.db, { incidentId: id, actor: ivan, now, content: ANSWER, ...(purpose ? { purpose } : {}) }),
  );
}

describe("a part coming after the lead's answer was approved", () => {
  /** At 10:05 the lead's executor takes the post and drafts its answer; the curator approves it. */
  function leadAnswerApproved(id: number, purpose?: "interim"): void {
    leadDraftSent(id, purpose);
    const olga = findPerson(h.db, CURATOR) as Person;
    must(approveDraft(h.db, { incidentId: id, actor: olga, now: h.clock.now() }));
  }

  const leadWarning =
    "⚠️ Эта информация пришла после того, как ответ был согласован (24.11.2026 10:05): в согласованном тексте её нет. " +
    "Дополнения к согласованному ответу в боте нет. Если информацию нужно учесть, попросите куратора направить " +
    "сообщение вашему органу заново («Переназначить») и подготовьте новый проект; если нет — разместите согласованный ответ.";
  const curatorsWarning =
    "⚠️ Эта информация пришла после того, как ответ был согласован (24.11.2026 10:05): в согласованном тексте её нет. " +
    "Дополнения к согласованному ответу в боте нет. Если информацию нужно учесть, нажмите на карточке «Переназначить» " +
    "и направьте сообщение тому же основному исполнителю (Министерство здравоохранения): он подготовит новый проект.";

  it("Orenburg p.14: the lead, its holder and the curators are told the approved answer lacks it; routed again, the lead drafts anew", async () => {
    const id = await coexecutorAsked();
    leadAnswerApproved(id);
    h.clock.set(new Date(h.clock.now().getTime() + 5 * 60_000)); // 10:10
    await showCards(h, id);
    const heldBefore = h.texts(HEALTH_EXECUTOR).length;

    await educationExecutor().send("Двор очищен.", educationChat());
    expect(h.lastText(-100)).toBe(`${partNotice}\n\n${leadWarning}`);
    expect(h.lastText(-200)).toBe(`${partNotice}\n\n${curatorsWarning}`);
    expect(
      h
        .texts(HEALTH_EXECUTOR)
        .slice(heldBefore)
        .filter((text) => !text.startsWith("Сообщение № 1 · ")),
    ).toEqual([
      `${partNotice}\n\n${leadWarning}\n\n` +
        "Ваш срок: разместить согласованный ответ до 24.11.2026 10:35 (п. 12 регламента).",
    ]);

    // The curator takes the advice: the post goes back to the same lead, which drafts anew.
    await pressData(-200, `inc.route:${id}`);
    await curator().press(/Минздрав/, curatorsChat());
    await curator().press(/Минобр/, curatorsChat());
    await curator().press("Готово", curatorsChat());
    expect(loadIncident(h.db, id)?.row.state).toBe("assigned");
    expect(h.texts(-100).join("\n")).toContain(
      "согласованный ответ не размещайте — возьмите сообщение в работу",
    );
  });

  it("an approved interim answer is no answer to supplement: the part goes to the lead as usual", async () => {
    const id = await coexecutorAsked();
    leadAnswerApproved(id, "interim");
    await educationExecutor().send("Двор очищен.", educationChat());
    expect(h.lastText(-100)).toBe(partNotice);
    expect(h.lastText(-200)).toBe(partNotice);
  });

  it("Georgievsk p.18: the curators see it on the part to pass on, and the lead when they pass it on", async () => {
    const id = await coexecutorAsked({ now: TUESDAY_10_MOSCOW, regulation: "georgievsk" });
    leadAnswerApproved(id);
    await educationExecutor().send("Двор очищен.", educationChat());
    expect(h.lastText(-200)).toBe(
      "Информация соисполнителя по сообщению № 1 — Министерство образования — на согласование:\n\nДвор очищен.\n\n" +
        `Согласуйте и передайте основному исполнителю до 24.11.2026 10:35 (п. 18 регламента).\n\n${curatorsWarning}`,
    );
    await curator().press("Согласовать и передать: Минобр", curatorsChat());
    expect(h.lastText(-100)).toBe(`${partNotice}\n\n${leadWarning}`);
  });

  it("Georgievsk p.12: approved for a curator to post himself, neither the lead nor its holder is told to post it", async () => {
    const id = await coexecutorAsked({ now: TUESDAY_10_MOSCOW, regulation: "georgievsk" });
    leadDraftSent(id);
    const olga = findPerson(h.db, CURATOR) as Person;
    must(approveAndClaim(h.db, { incidentId: id, actor: olga, now: h.clock.now() }));
    await educationExecutor().send("Двор очищен.", educationChat());
    await curator().press("Согласовать и передать: Минобр", curatorsChat());
    const told = `${partNotice}\n\n${leadWarning.replace("; если нет — разместите согласованный ответ.", ".")}`;
    expect(h.lastText(-100)).toBe(told);
    // His copy names no deadline to post it: the curator's claim holds the posting.
    expect(h.lastText(HEALTH_EXECUTOR)).toBe(told);
  });
});

describe("a part coming while the lead's answer draft waits for the curators' decision", () => {
  const leadWarning =
    "⚠️ Эта информация пришла, когда ваш проект ответа уже был на согласовании (отправлен 24.11.2026 10:05): в нём её нет. " +
    "Куратор об этом знает: если информацию нужно учесть, попросите его вернуть проект на доработку.";
  const curatorsWarning =
    "⚠️ Проект ответа, ждущий вашего решения, основной исполнитель (Министерство здравоохранения) отправил 24.11.2026 10:05 — " +
    "до этой информации: в нём её нет. Если информацию нужно учесть, верните проект кнопкой «На доработку».";

  it("Orenburg p.14: the curators hear the draft lacks it and may return it; the lead's chat and holder, that the curators know", async () => {
    const id = await coexecutorAsked();
    leadDraftSent(id);
    h.clock.set(new Date(h.clock.now().getTime() + 5 * 60_000)); // 10:10
    await showCards(h, id);
    const heldBefore = h.texts(HEALTH_EXECUTOR).length;

    await educationExecutor().send("Двор очищен.", educationChat());
    expect(h.lastText(-200)).toBe(`${partNotice}\n\n${curatorsWarning}`);
    expect(h.fake.buttons(-200).map((b) => b.label)).toContain("На доработку");
    expect(h.lastText(-100)).toBe(`${partNotice}\n\n${leadWarning}`);
    expect(
      h
        .texts(HEALTH_EXECUTOR)
        .slice(heldBefore)
        .filter((text) => !text.startsWith("Сообщение № 1 · ")),
    ).toEqual([
      `${partNotice}\n\n${leadWarning}\n\nВаш срок: разместить ответ до 25.11.2026 11:00 (п. 8 регламента).`,
    ]);
  });

  it("Georgievsk p.18: a part passed on before the draft goes plain; one sent while the draft waits is flagged on the part to pass on, and to the curators and the lead when passed on", async () => {
    const id = await coexecutorAsked({ now: TUESDAY_10_MOSCOW, regulation: "georgievsk" }, {}, true);

    // Before any draft: the part reaches the lead as ever, and the curators hear nothing more.
    await educationExecutor().send("Двор очищен.", educationChat());
    await curator().press("Согласовать и передать: Минобр", curatorsChat());
    expect(h.lastText(-100)).toBe(partNotice);
    expect(h.texts(-200).some((text) => text.includes("⚠️"))).toBe(false);

    leadDraftSent(id);
    await buildingExecutor().press("Отправить информацию", buildingChat());
    await buildingExecutor().send("Подрядчик вывезет снег до пятницы.", buildingChat());
    expect(h.lastText(-200)).toBe(
      "Информация соисполнителя по сообщению № 1 — Министерство строительства — на согласование:\n\n" +
        "Подрядчик вывезет снег до пятницы.\n\n" +
        `Согласуйте и передайте основному исполнителю до 24.11.2026 10:35 (п. 18 регламента).\n\n${curatorsWarning}`,
    );
    h.clock.set(new Date(h.clock.now().getTime() + 5 * 60_000)); // 10:10
    await curator().press("Согласовать и передать: Минстрой", curatorsChat());
    expect(h.lastText(-200)).toBe(
      "Информация по сообщению № 1 (Министерство строительства) согласована куратором и передана основному исполнителю: " +
        `Министерство здравоохранения.\n\n${curatorsWarning}`,
    );
    expect(h.lastText(-100)).toBe(
      "Информация соисполнителя по сообщению № 1 — Министерство строительства:\n\n" +
        `Подрядчик вывезет снег до пятницы.\n\n${leadWarning}`,
    );
  });
});
