import { afterEach, describe, expect, it } from "vitest";
import { isBlocked } from "../../src/app/people.js";
import { boundChats } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedIncidentInWork, seedOffice } from "../support/workflow.js";

/**
 * A dialogue waits for its answer in a chat, yet what happens to the chat itself (the bot removed,
 * the group upgraded to a supergroup) is no answer: it is handled as without the dialogue.
 */

const ADMIN = 1001;
let h: Harness;
afterEach(() => h.close());

const boundChatIds = () =>
  h.db
    .select()
    .from(boundChats)
    .all()
    .map((c) => c.chatId);

/** Иван, in the work chat, pressed «Вернуть»: the reason is asked there. */
async function reasonAsked() {
  h = await Harness.start({ adminIds: [ADMIN] });
  const { health } = seedOffice(h);
  await seedIncidentInWork(h, health);
  const chat = h.group(OFFICE.healthChat, "Минздрав: обращения");
  const ivan = h.user(OFFICE.executor, "Иван");
  await h.user(ADMIN, "Анна").send("/help");
  await ivan.press("Вернуть", chat);
  return { chat, ivan };
}

describe("a dialogue open in a group", () => {
  it("the one asked removes the bot: the chat is unbound and the admins are told", async () => {
    const { chat, ivan } = await reasonAsked();
    await h.deliver(updates.myChatMember(chat, ivan.tg, "member", "kicked", h.fake.botUser));
    expect(boundChatIds()).not.toContain(OFFICE.healthChat);
    expect(h.user(ADMIN, "Анна").lastText()).toMatch(/^Бота удалили из чата «Минздрав: обращения»/);
  });

  it("the one asked upgrades the group to a supergroup: the binding follows it", async () => {
    const { chat, ivan } = await reasonAsked();
    const said = h.texts(OFFICE.healthChat).length;
    await h.deliver(updates.migrateToChat(chat, ivan.tg, -1001234567890));
    // Nothing asked again: the service message is no answer.
    expect(h.texts(OFFICE.healthChat)).toHaveLength(said);
    expect(h.texts(-1001234567890)).toEqual([]);
    expect(boundChatIds()).toContain(-1001234567890);
    expect(boundChatIds()).not.toContain(OFFICE.healthChat);
  });

  it("someone asked a question privately who blocks the bot is marked as blocking it", async () => {
    h = await Harness.start({ adminIds: [ADMIN] });
    const admin = h.user(ADMIN, "Анна");
    await admin.send("/org_add");
    const said = admin.texts().length;
    await h.deliver(updates.myChatMember(admin.chat, admin.tg, "member", "kicked", h.fake.botUser));
    expect(isBlocked(h.db, ADMIN)).toBe(true);
    expect(admin.texts()).toHaveLength(said);
  });
});
