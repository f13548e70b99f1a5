/**
 * People type «отмена» rather than /cancel: every dialogue takes it (and «стоп», «Отменить!»…) as
 * /cancel, never as the answer — an organization is not renamed «отмена».
 */
import { afterEach, describe, expect, it } from "vitest";
import { organizations } from "../../src/db/schema.js";
import { isCancel } from "../../src/flows/ask.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";

const ADMIN = 1001;
let h: Harness;
afterEach(() => h?.close());

describe("«отмена» typed in a dialogue", () => {
  it("is /cancel in any case and with a full stop; a word that merely contains it is an answer", () => {
    for (const text of ["/cancel", "/cancel@osm_bot", "отмена", "Отмена.", "ОТМЕНИТЬ!", " стоп ", "Cancel"])
      expect(isCancel(text)).toBe(true);
    for (const text of ["Отмена решения суда", "стопка", undefined]) expect(isCancel(text)).toBe(false);
  });

  it("stops renaming an organization, and the name stays", async () => {
    h = await Harness.start({ adminIds: [ADMIN] });
    h.seedOrganization("Министерство культуры");
    const admin = h.user(ADMIN, "Анна");
    const earlier = await h.deliver(updates.text(admin.chat, admin.tg, "Минкульт"));
    if (!earlier.message) throw new Error("no message");
    await admin.send("/orgs");
    await admin.press("Министерство культуры");
    await admin.press("Переименовать");
    // A message sent before, corrected in place meanwhile, is not taken as the new name: the bot
    // says it sees no edits.
    await h.deliver(updates.edited(earlier.message, "Министерство культуры и туризма"));
    expect(admin.lastText()).toBe(
      "Исправления в уже отправленных сообщениях бот не видит: пришлите исправленный текст новым сообщением.",
    );
    await admin.send("отмена");
    expect(admin.lastText()).toBe("Отменено.");
    expect(h.db.select({ name: organizations.name }).from(organizations).all()).toEqual([
      { name: "Министерство культуры" },
    ]);
  });
});
