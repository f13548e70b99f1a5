import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { boundChats } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";

const ADMIN = 1001;
let h: Harness;

beforeEach(async () => {
  h = await Harness.start({ adminIds: [ADMIN] });
  const admin = h.user(ADMIN, "Анна");
  await admin.send("/org_add");
  await admin.send("Министерство здравоохранения");
  await admin.send("Минздрав");
});
afterEach(() => h.close());

const admin = () => h.user(ADMIN, "Анна");
const boundChatIds = () =>
  h.db
    .select()
    .from(boundChats)
    .all()
    .map((c) => c.chatId);
const workChat = () => h.group(-100, "Минздрав: обращения");

describe("group chats", () => {
  it("an admin binds a work chat to an organization from the group itself", async () => {
    await admin().send("/bind", workChat());
    expect(h.lastText(-100)).toMatch(/К какому органу привязать этот чат\?/);
    await admin().press(/Минздрав/, workChat());
    expect(h.lastText(-100)).toBe(
      "Этот чат привязан к органу «Министерство здравоохранения». Сюда будут приходить карточки сообщений.",
    );
    await admin().send("/orgs");
    await admin().press(/Минздрав/);
    expect(admin().lastText()).toMatch(/Рабочий чат: Минздрав: обращения/);
    await admin().send("/chats");
    expect(admin().lastText()).toBe(
      "Привязанные чаты:\n• Минздрав: обращения — «Министерство здравоохранения»",
    );
  });

  it("binds the curators' chat and unbinds on request", async () => {
    const curators = h.group(-200, "Кураторы");
    await admin().send("/bind", curators);
    await admin().press("Чат кураторов", curators);
    expect(h.lastText(-200)).toBe("Этот чат привязан как чат кураторов.");
    await admin().send("/unbind", curators);
    expect(h.lastText(-200)).toBe("Чат отвязан: карточки сюда больше не приходят.");
    await admin().send("/unbind", curators);
    expect(h.lastText(-200)).toBe("Этот чат ни к чему не привязан.");
  });

  it("binding another chat to the same organization moves the binding and tells the old chat", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    const newChat = h.group(-300, "Минздрав: новый чат");
    await admin().send("/bind", newChat);
    await admin().press(/Минздрав/, newChat);
    expect(h.lastText(-100)).toBe("Чат отвязан: карточки сюда больше не приходят.");
    expect(boundChatIds()).toEqual([-300]);
  });

  it("someone without rights pressing the admin's button gets a pop-up only they see; nothing changes", async () => {
    await admin().send("/bind", workChat());
    const member = h.user(2002, "Пётр");
    const popup = await member.press(/Минздрав/, workChat());
    expect(popup).toBe("Команда привязки чата доступна только администратору бота.");
    expect(h.lastText(-100)).toMatch(/К какому органу привязать этот чат\?/);
    expect(h.db.select().from(boundChats).all()).toEqual([]);
  });

  it("someone without rights sending /bind in a group is refused briefly, nothing changes", async () => {
    const member = h.user(2002, "Пётр");
    await member.send("/bind", workChat());
    const refusal = [...h.texts(2002), ...h.texts(-100)];
    expect(refusal).toEqual(["Команда /bind доступна только администратору бота."]);
    expect(h.db.select().from(boundChats).all()).toEqual([]);
  });

  it("follows a group upgraded to a supergroup", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    await h.deliver(updates.migrateToChat(workChat(), admin().tg, -1001234567890));
    expect(boundChatIds()).toEqual([-1001234567890]);
    const supergroup = { id: -1001234567890, type: "supergroup" as const, title: "Минздрав: обращения" };
    await h.deliver(updates.migrateFromChat(supergroup, admin().tg, -100));
    expect(boundChatIds()).toEqual([-1001234567890]);
  });

  it("unbinds a chat the bot was removed from and tells the admins", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    const kicker = h.user(2002, "Пётр");
    await h.deliver(updates.myChatMember(workChat(), kicker.tg, "member", "kicked", h.fake.botUser));
    expect(h.db.select().from(boundChats).all()).toEqual([]);
    expect(admin().lastText()).toBe(
      "Бота удалили из чата «Минздрав: обращения» («Министерство здравоохранения»). Чат отвязан. " +
        "Привяжите новый рабочий чат: добавьте бота и отправьте в нём /bind.",
    );
  });
});
