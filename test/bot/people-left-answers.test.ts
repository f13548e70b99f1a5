/**
 * An executor taken out of the organization while his draft is at the curators or his answer is
 * approved: nobody is left without being told who is to post it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { setLeave } from "../../src/app/leave.js";
import { findPerson } from "../../src/app/people.js";
import { sweep } from "../../src/jobs/sweep.js";
import { Harness, type HarnessOptions } from "../support/bot-harness.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice } from "../support/workflow.js";

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";
const ADMIN = 1001;
const PETR = 3002;
const MARIA = 3003;

let h: Harness;
let health: number;

afterEach(() => h.close());

const admin = () => h.user(ADMIN, "Анна");
const curator = () => h.user(OFFICE.curator, "Ольга");
const curatorsChat = () => h.group(OFFICE.curatorsChat, "Кураторы");
const alerts = (chatId: number) => h.texts(chatId).filter((text) => text.startsWith("❗"));
const cardIn = (chatId: number, id: number) =>
  h.texts(chatId).find((text) => text.startsWith(`Сообщение № ${id} · `)) ?? "";
const cardLabels = (chatId: number, id: number) => {
  const card = h.fake.messages(chatId).find((m) => m.text?.startsWith(`Сообщение № ${id} · `));
  return h.fake
    .buttons(chatId)
    .filter((b) => b.message.message_id === card?.message_id)
    .map((b) => b.label);
};

async function start(options: HarnessOptions): Promise<void> {
  h = await Harness.start({ adminIds: [ADMIN], ...options });
  ({ health } = seedOffice(h));
}

/** The person goes on leave until 04.12.2026, as «Отпуск» in his own menu sets it. */
function goOnLeave(telegramId: number): void {
  const person = findPerson(h.db, telegramId);
  if (!person) throw new Error(`no person ${telegramId}`);
  const leave = { from: null, until: "2026-12-04" };
  const result = setLeave(h.db, {
    actorId: person.id,
    personId: person.id,
    leave,
    today: "2026-11-24",
    now: h.clock.now(),
  });
  if (!result.ok) throw new Error(`no leave: ${result.refusal}`);
}

/** The admin takes Иван out of Минздрав in /people. */
async function dismissIvan(): Promise<void> {
  await admin().send("/people");
  await admin().press(/Иван/);
  await admin().press("Исключить из: Минздрав");
  await admin().press("Да, исключить");
}

describe("the organization's only executor taken out, his draft at the curators", () => {
  const nobody =
    "В органе «Министерство здравоохранения» нет исполнителей — разместить ответ некому: " +
    "попросите администратора пригласить исполнителя (/invite).";

  it("the curator approving it, the card and the overdue alert say nobody can post the answer", async () => {
    await start({ now: TUESDAY_10 });
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id);
    await dismissIvan();

    expect(await curator().press("Согласовать", curatorsChat())).toBe("Ответ по сообщению № 1 согласован.");
    expect(h.lastText(OFFICE.curatorsChat)).toBe(`Ответ по сообщению № 1 согласован. ${nobody}`);
    expect(cardIn(OFFICE.curatorsChat, id)).toContain(`\n⚠️ ${nobody}\n`);

    h.clock.set("2026-11-24T05:31:00Z"); // 10:31: the posting's 30 minutes (p.12) are over
    await sweep(h.deps());
    expect(alerts(OFFICE.curatorsChat)).toEqual([
      "❗ Сообщение № 1: срок «разместить согласованный ответ» истёк в 10:30 (п. 12 регламента) — " +
        `просрочено на 1 мин рабочего времени.\n${nobody}`,
    ]);
    // The work chat hears the alert as ever: the note is the curators'.
    expect(alerts(OFFICE.healthChat).join("\n")).not.toContain("нет исполнителей");
  });

  it("Georgievsk: the curators are offered to post it themselves", async () => {
    await start({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id);
    await dismissIvan();

    await curator().press("Согласовать", curatorsChat());
    const georgievsk =
      "В органе «Министерство здравоохранения» нет исполнителей — разместить ответ некому: " +
      "разместите его сами («Размещу лично») или попросите администратора пригласить исполнителя (/invite).";
    expect(h.lastText(OFFICE.curatorsChat)).toBe(`Ответ по сообщению № 1 согласован. ${georgievsk}`);
    expect(cardIn(OFFICE.curatorsChat, id)).toContain(`\n⚠️ ${georgievsk}\n`);
    expect(cardLabels(OFFICE.curatorsChat, id)).toContain("Размещу лично");
  });

  it("an executor added, though on leave, is one to post it: the curators' card stops warning", async () => {
    await start({ now: TUESDAY_10 });
    const education = h.seedOrganization("Министерство образования", "Минобр");
    h.seedPerson(MARIA, "Мария", [], [education]);
    goOnLeave(MARIA);
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id);
    await dismissIvan();
    await curator().press("Согласовать", curatorsChat());
    expect(cardIn(OFFICE.curatorsChat, id)).toContain(nobody);

    await admin().send("/people");
    await admin().press(/Мария/);
    await admin().press("Добавить в орган…");
    await admin().press(/^Минздрав/);
    expect(admin().lastText()).toMatch(
      /^Готово\. Мария теперь исполнитель органа «Министерство здравоохранения»\./,
    );
    expect(cardIn(OFFICE.curatorsChat, id)).toMatch(/^Состояние: согласовано, ждёт размещения$/m);
    expect(cardIn(OFFICE.curatorsChat, id)).not.toContain("нет исполнителей");
  });
});

describe("an organization without a work chat, its only executor taken out", () => {
  it("the curator approving its draft in the curators' chat hears once there that nobody can post it", async () => {
    h = await Harness.start({ adminIds: [ADMIN], now: TUESDAY_10 });
    health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
    h.seedChat(curatorsChat(), null);
    h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
    h.seedPerson(OFFICE.executor, "Иван", [], [health]);
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id);
    await dismissIvan();
    const before = h.texts(OFFICE.curatorsChat).length;

    await curator().press("Согласовать", curatorsChat());
    const told = h.texts(OFFICE.curatorsChat).slice(before);
    expect(told.filter((text) => text.includes("Министерство здравоохранения"))).toEqual([
      expect.stringMatching(
        /^Ответ по сообщению № 1 согласован\. [\s\S]+\nОргану «Министерство здравоохранения» не доставлено/,
      ),
    ]);
    // What to do about it is on the card.
    expect(cardIn(OFFICE.curatorsChat, id)).toContain("нет исполнителей — разместить ответ некому");
  });
});

describe("an executor taken out while others stay", () => {
  it("his posts at the curators or approved are told as the organization's to post, and its executors hear the approval privately", async () => {
    await start({ now: TUESDAY_10 });
    h.seedPerson(PETR, "Пётр", [], [health]);
    h.seedPerson(MARIA, "Мария", [], [health]);
    goOnLeave(MARIA);
    const inWork = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    const onApproval = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    const approved = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_3" });
    await seedDraft(h, onApproval);
    await seedDraft(h, approved, { approve: true });
    await dismissIvan();

    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Иван больше не исполнитель органа «Министерство здравоохранения». Сообщения, которые были у этого " +
        `сотрудника в работе: № ${inWork} — нужно передать другому исполнителю органа: кто пришлёт следующий ` +
        `проект ответа, станет ответственным; № ${onApproval} — проект у кураторов: после согласования ` +
        `разместит любой исполнитель органа; № ${approved} — ответ согласован: разместить может любой ` +
        "исполнитель органа. Карточки — кнопками ниже.",
    );

    await curator().press("Согласовать", curatorsChat());
    const notice = `Ответ по сообщению № ${onApproval} согласован. Разместите его во ВКонтакте`;
    expect(h.texts(OFFICE.healthChat).some((text) => text.startsWith(notice))).toBe(true);
    expect(h.texts(PETR).some((text) => text.startsWith(notice))).toBe(true);
    // One on leave is not pinged privately; the one who left, no more.
    expect(h.texts(MARIA).some((text) => text.startsWith(notice))).toBe(false);
    expect(h.texts(OFFICE.executor).some((text) => text.startsWith(notice))).toBe(false);
    // Someone is there to post it: the curators are not warned.
    expect(h.texts(OFFICE.curatorsChat).join("\n")).not.toContain("нет исполнителей");
  });
});
