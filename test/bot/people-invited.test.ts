import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findPerson } from "../../src/app/people.js";
import { roleGrants } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";

const ADMIN = 1001;
const STRANGER = 4004;
let h: Harness;

beforeEach(async () => {
  h = await Harness.start({ adminIds: [ADMIN] });
});
afterEach(() => h.close());

const admin = () => h.user(ADMIN, "Анна");
const roles = (telegramId: number) => [...(findPerson(h.db, telegramId)?.roles ?? [])].sort();
/** The buttons under the bot's newest message in the chat. */
const lastLabels = (chatId: number) =>
  h.fake
    .buttons(chatId)
    .filter((b) => b.message.message_id === h.fake.lastMessage(chatId)?.message_id)
    .map((b) => b.label);
/** Whether the bot's message with this text went without sound. */
const quiet = (text: string) =>
  h.fake
    .callsOf("sendMessage")
    .filter((call) => call.params.text === text)
    .map((call) => call.params.disable_notification);

/** The link an admin makes with /invite: its token. */
async function invite(by: ReturnType<typeof admin>, ...presses: (string | RegExp)[]): Promise<string> {
  await by.send("/invite");
  for (const label of presses) await by.press(label);
  const token = /\?start=([\w-]+)/.exec(by.lastText())?.[1];
  if (!token) throw new Error(`no invite link in: ${by.lastText()}`);
  return token;
}

const usedNotice =
  "Приглашение «куратор» принял Пётр Сидоров (@petr) — 23.11.2026 11:00. " +
  "Если вы приглашали не его, закройте ему доступ кнопкой ниже.";

describe("an invite used", () => {
  it("/invite offers the common roles first, the admin's last", async () => {
    await admin().send("/invite");
    expect(lastLabels(ADMIN)).toEqual([
      "Исполнитель",
      "Куратор",
      "Руководитель",
      "Руководитель органа",
      "Администратор",
    ]);
  });

  it("by a stranger: the admin who made it hears who, quietly, and one tap (confirmed) closes the access", async () => {
    const token = await invite(admin(), "Куратор");
    const stranger = h.user(STRANGER, "Пётр", { last_name: "Сидоров", username: "petr" });
    await stranger.send(`/start ${token}`);
    expect(stranger.lastText()).toMatch(/^Готово! Вы зарегистрированы как куратор\./);
    expect(admin().lastText()).toBe(usedNotice);
    expect(quiet(usedNotice)).toEqual([true]);
    expect(lastLabels(ADMIN)).toEqual(["Закрыть доступ: Пётр Сидоров (@petr)"]);

    await admin().press(/^Закрыть доступ/);
    expect(admin().lastText()).toMatch(/^Пётр Сидоров \(@petr\): закрыть доступ к боту полностью\?/);
    expect(roles(STRANGER)).toEqual(["curator"]);
    await admin().press("Да, закрыть доступ");
    expect(roles(STRANGER)).toEqual([]);
    expect(h.lastText(STRANGER)).toMatch(/^Администратор закрыл ваш доступ к боту/);
  });

  it("the notice's button pressed by one who is no longer an admin is refused", async () => {
    const boris = h.seedPerson(1002, "Борис", ["admin", "curator"]);
    const token = await invite(boris, "Куратор");
    await h.user(STRANGER, "Пётр", { last_name: "Сидоров", username: "petr" }).send(`/start ${token}`);
    expect(boris.lastText()).toBe(usedNotice);
    const borisId = findPerson(h.db, 1002)?.id ?? 0;
    h.db
      .delete(roleGrants)
      .where(and(eq(roleGrants.personId, borisId), eq(roleGrants.role, "admin")))
      .run();
    expect(await boris.press(/^Закрыть доступ/)).toBe("Это действие вам недоступно.");
    expect(roles(STRANGER)).toEqual(["curator"]);
  });

  it("opened again by someone else: its admin hears who opened it, once for each", async () => {
    const token = await invite(admin(), "Куратор");
    await h.user(STRANGER, "Пётр", { last_name: "Сидоров", username: "petr" }).send(`/start ${token}`);
    const olga = h.user(3003, "Ольга");
    await olga.send(`/start ${token}`);
    expect(olga.lastText()).toMatch(/уже использована/);
    const notice =
      "Ссылку-приглашение «куратор» уже использовал Пётр Сидоров (@petr) — 23.11.2026 11:00; " +
      "её открыл ещё Ольга. Если доступ получил не тот, кого вы приглашали, закройте его кнопкой ниже " +
      "и создайте новое приглашение: /invite.";
    expect(admin().lastText()).toBe(notice);
    expect(lastLabels(ADMIN)).toEqual(["Закрыть доступ: Пётр Сидоров (@petr)"]);
    await olga.send(`/start ${token}`);
    // The one who used it opening it again is no news either.
    await h.user(STRANGER, "Пётр").send(`/start ${token}`);
    expect(
      admin()
        .texts()
        .filter((text) => text === notice),
    ).toHaveLength(1);
    expect(admin().lastText()).toBe(notice);
  });

  it("the person's card in /people says who invited them, when, and by which link", async () => {
    h.seedOrganization("Министерство здравоохранения", "Минздрав");
    const token = await invite(admin(), "Исполнитель", /Минздрав/);
    h.clock.advance(60 * 60 * 1000);
    await h.user(STRANGER, "Пётр", { username: "petr" }).send(`/start ${token}`);
    await admin().send("/people");
    await admin().press(/Пётр/);
    expect(admin().lastText()).toBe(
      [
        "Пётр (@petr)",
        `Telegram id: ${STRANGER}`,
        "Роли: исполнитель",
        "Органы: Министерство здравоохранения",
        "Приглашён: Анна, 23.11.2026 12:00, по ссылке «исполнитель» в орган «Министерство здравоохранения»",
      ].join("\n"),
    );
  });
});
