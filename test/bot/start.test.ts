import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness } from "../support/bot-harness.js";

const ADMIN = 1001;
let h: Harness;

beforeEach(async () => {
  h = await Harness.start({ adminIds: [ADMIN] });
});
afterEach(() => h.close());

const admin = () => h.user(ADMIN, "Анна");

/** The admin's invite for a role (and an organization, by its button); returns the invite's message. */
async function invite(role: string, organization?: RegExp): Promise<{ text: string; token: string }> {
  await admin().send("/invite");
  await admin().press(role);
  if (organization) await admin().press(organization);
  const text = admin().lastText();
  const token = /\?start=([\w-]+)/.exec(text)?.[1];
  if (!token) throw new Error(`no invite link in: ${text}`);
  return { text, token };
}

describe("a newcomer is told where the work happens", () => {
  it("an executor's invite asks the admin to add him to the work chat; his welcome names it, the private cards and the buttons that start the work", async () => {
    const health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
    h.seedChat(h.group(-100, "Минздрав: обращения"), health);
    const { text, token } = await invite("Исполнитель", /Минздрав/);
    expect(text).toMatch(
      /\n\nДобавьте сотрудника в чат «Минздрав: обращения»: туда приходят карточки сообщений\.$/,
    );
    const executor = h.user(5005, "Мария");
    await executor.send(`/start ${token}`);
    expect(executor.lastText()).toBe(
      [
        "Готово! Вы зарегистрированы как исполнитель органа «Министерство здравоохранения».",
        "Теперь вы можете принимать сообщения своего органа в работу и готовить ответы.",
        "",
        "Карточки сообщений приходят в рабочий чат «Минздрав: обращения» и вам лично. Если вас ещё нет в этом " +
          "чате, попросите администратора добавить вас. На карточке нажмите «Взять в работу», затем " +
          "«Подготовить ответ»: бот попросит текст ответа, и проект уйдёт кураторам на согласование.",
        "",
        "Справка — /help.",
        "",
        "Как вас указывать в отчётах? Пришлите фамилию, имя и отчество командой /name, например: " +
          "/name Иванов Иван Иванович. Можно и позже.",
      ].join("\n"),
    );
  });

  it("without a work chat the invite names none, and the executor hears his cards come privately", async () => {
    h.seedOrganization("Министерство здравоохранения", "Минздрав");
    const { text, token } = await invite("Исполнитель", /Минздрав/);
    expect(text).not.toMatch(/Добавьте сотрудника/);
    const executor = h.user(5005, "Мария");
    await executor.send(`/start ${token}`);
    expect(executor.lastText()).toMatch(
      /\n\nРабочего чата у органа пока нет: карточки сообщений приходят вам лично\. На карточке нажмите «Взять в работу»/,
    );
  });

  it("a curator's invite and welcome name the curators' chat and the buttons on its cards", async () => {
    h.seedChat(h.group(-200, "Кураторы"), null);
    const { text, token } = await invite("Куратор");
    expect(text).toMatch(/\n\nДобавьте сотрудника в чат «Кураторы»: туда приходят карточки сообщений\.$/);
    const curator = h.user(3003, "Ольга");
    await curator.send(`/start ${token}`);
    expect(curator.lastText()).toMatch(
      "\n\nКарточки новых сообщений и проекты ответов приходят в чат кураторов «Кураторы». Если вас ещё нет " +
        "в этом чате, попросите администратора добавить вас. Направляют сообщения и согласовывают ответы " +
        "кнопками на карточках: «Направить», «Согласовать».\n\nСправка — /help.",
    );
  });
});

describe("/help", () => {
  it("tells a curator and an executor how their work goes, and everyone of /cancel", async () => {
    const health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
    h.seedChat(h.group(-100, "Минздрав: обращения"), health);
    const executor = h.seedPerson(5005, "Мария", [], [health]);
    await executor.send("/help");
    expect(executor.lastText()).toMatch(
      /^Ваша роль: исполнитель\.\n\nКак исполнитель вы можете принимать сообщения своего органа в работу и готовить ответы\.\nКарточки сообщений приходят в рабочий чат «Минздрав: обращения» и вам лично\. На карточке нажмите «Взять в работу», затем «Подготовить ответ»/,
    );
    const curator = h.seedPerson(3003, "Ольга", ["curator"]);
    await curator.send("/help");
    expect(curator.lastText()).toMatch(
      /\nЧата кураторов пока нет: карточки сообщений приходят вам лично\. Направляют сообщения и согласовывают ответы кнопками на карточках: «Направить», «Согласовать»\.\n/,
    );
    await admin().send("/help");
    for (const person of [executor, curator, admin()])
      expect(person.lastText()).toMatch(
        /\n\/cancel — прервать начатое действие, когда бот ждёт вашего ответа\n\/help — эта справка$/,
      );
  });
});

describe("/start and /help in a group", () => {
  it("say what the chat serves and point to the private chat; other messages there get nothing", async () => {
    const health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
    const work = h.group(-100, "Минздрав: обращения");
    const curators = h.group(-200, "Кураторы");
    const other = h.group(-300, "Флудилка");
    h.seedChat(work, health);
    h.seedChat(curators, null);
    const executor = h.seedPerson(5005, "Мария", [], [health]);
    const stranger = h.user(7007, "Пётр");

    // The executor's /help here was his private help, /leave and all: now it is the chat's.
    await executor.send("/help", work);
    await stranger.send("/start@osm_test_bot", work);
    const workHelp =
      "Это рабочий чат органа «Министерство здравоохранения»: сюда приходят карточки его сообщений. " +
      "С ними работают кнопками на карточках: «Взять в работу», затем «Подготовить ответ». " +
      "Здесь работают /list и /find; справка и остальные команды — в личном чате с ботом: @osm_test_bot.";
    expect(h.texts(-100)).toEqual([workHelp, workHelp]);
    await admin().send("/help", curators);
    expect(h.lastText(-200)).toBe(
      "Это чат кураторов: сюда приходят карточки новых сообщений и проекты ответов. " +
        "С ними работают кнопками на карточках: «Направить», «Согласовать». " +
        "Здесь работают /list и /find; справка и остальные команды — в личном чате с ботом: @osm_test_bot.",
    );
    await stranger.send("/start", other);
    expect(h.texts(-300)).toEqual([
      "Этот чат ни к чему не привязан. Если вы администратор бота, привяжите его к органу или сделайте " +
        "чатом кураторов командой /bind. Справка — в личном чате с ботом: @osm_test_bot.",
    ]);
    // Chatter, an unknown command and another bot's /start are none of the bot's business.
    await stranger.send("Коллеги, кто сегодня дежурит?", other);
    await stranger.send("/weather", other);
    await stranger.send("/start@other_bot", other);
    expect(h.texts(-300)).toHaveLength(1);
    expect(h.texts(7007)).toEqual([]);
  });
});
