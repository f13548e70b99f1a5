/**
 * A dialogue's step and its update's end are one: a crash cannot leave the step saved and the update
 * unhandled, which at start would hand the same message to the dialogue again as the answer to its
 * next question. An update that went on from an ended dialogue to a press announcing after its turn
 * stays unhandled until the announcement is out.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { pendingUpdates } from "../../src/app/inbox.js";
import { inbox } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice } from "../support/workflow.js";

let h: Harness;
afterEach(() => h.close());

describe("a dialogue's step", () => {
  it("a crash the moment a step is saved: after the restart the message is not taken for the next answer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "osm-steps-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const databasePath = join(dir, "bot.db");
    h = await Harness.start({ databasePath });
    const curator = h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
    await curator.send("/new");
    await curator.send("https://vk.com/wall-1_77");
    expect(curator.lastText()).toMatch(/^Пришлите текст сообщения/);

    // The process dies the instant the update would be recorded as handled: nothing after is saved.
    h.database.sqlite.exec(
      "CREATE TRIGGER killed BEFORE UPDATE OF done_at ON inbox BEGIN SELECT RAISE(ABORT, 'killed'); END",
    );
    await curator.send("Во дворе не убирают снег.").catch(() => undefined);
    h.database.sqlite.exec("DROP TRIGGER killed");
    await h.close();

    h = await Harness.start({ databasePath });
    for (const update of pendingUpdates(h.db)) await h.bot.handleUpdate(update);
    const again = h.user(OFFICE.curator, "Ольга");
    expect(again.lastText()).toMatch(/^Кто автор\?/);
    await again.send("Иван Петров");
    expect(again.lastText()).toMatch(/^Тема сообщения/);
  });

  it("an update that ended an expired dialogue and approved a draft is handled only once the cards are out", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    const first = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    const second = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    await seedDraft(h, first);
    await seedDraft(h, second);
    const curator = h.user(OFFICE.curator, "Ольга");
    const card = (id: number) => (m: { text?: string }) => m.text?.startsWith(`Сообщение № ${id} `) === true;
    const button = (id: number, label: string) => {
      const found = h.fake.buttons(OFFICE.curatorsChat).find((b) => b.label === label && card(id)(b.message));
      if (!found?.callbackData) throw new Error(`no «${label}» for № ${id}`);
      return updates.callback(curator.tg, found.message, found.callbackData);
    };
    await h.deliver(button(first, "На доработку"));
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/доработ/i);
    h.clock.advance(31 * 60_000);

    h.fake.delayNext("editMessageText", 500, {
      times: 3,
      match: (params) => String(params.text).startsWith(`Сообщение № ${second} `),
    });
    const press = h.fake.pushUpdate({ ...button(second, "Согласовать"), update_id: 10_000 });
    const handling = h.bot.handleUpdate(press);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const doneAt = () => h.db.select().from(inbox).where(eq(inbox.updateId, press.update_id)).get()?.doneAt;
    expect(doneAt()).toBeNull();
    await handling;
    expect(doneAt()).not.toBeNull();
    expect(h.fake.messages(OFFICE.curatorsChat).find(card(second))?.text).toContain("согласовано");
  });
});
