/**
 * Nobody hears of a change a power cut could undo: with the WAL's sync held back, the bot's calls wait
 * for it — a press's pop-up and cards, a dialogue's question, a webhook update's handling.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Harness, type HarnessOptions } from "../support/bot-harness.js";
import { INTAKE_TOKEN, serveIntake } from "../support/intake-server.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice } from "../support/workflow.js";

const ADMIN = 1001;
let h: Harness;
let dir: string;
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A bot on a database file whose WAL syncs pass at once until the test holds them. */
async function start(options: HarnessOptions = {}) {
  const held: (() => void)[] = [];
  let holding = false;
  let asked: () => void = () => {};
  const syncWal = async () => {
    if (!holding) return;
    asked();
    await new Promise<void>((resolve) => held.push(resolve));
  };
  dir = mkdtempSync(join(tmpdir(), "osm-durable-"));
  h = await Harness.start({
    now: "2026-11-24T05:00:00Z",
    databasePath: join(dir, "bot.db"),
    syncWal,
    ...options,
  });
  return {
    /** From now on a sync waits; resolves once the bot asks for one. */
    hold: () => {
      holding = true;
      return new Promise<void>((resolve) => {
        asked = resolve;
      });
    },
    release: () => {
      holding = false;
      for (const resolve of held.splice(0)) resolve();
    },
  };
}

describe("nothing leaves the bot before it is on the disk", () => {
  it("«Согласовать»: the pop-up, the cards and the notices wait for the approval's sync", async () => {
    const syncs = await start();
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id);
    const { message, callbackData } = h.fake.findButton(OFFICE.curatorsChat, "Согласовать");
    const update = h.fake.pushUpdate(
      updates.callback(h.user(OFFICE.curator, "Ольга").tg, message, callbackData),
    );
    const calls = h.fake.calls.length;

    const asked = syncs.hold();
    const handled = h.bot.handleUpdate(update);
    await Promise.race([asked, handled]);
    expect(h.fake.calls.length).toBe(calls);
    syncs.release();
    await handled;
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toMatch(/согласован/i);
    expect(h.lastText(OFFICE.healthChat)).toMatch(/согласован/i);
  });

  it("a dialogue's question waits too (a dialogue's calls go through an API of its own)", async () => {
    const syncs = await start({ adminIds: [ADMIN] });
    const admin = h.user(ADMIN, "Анна");
    await admin.send("/start");
    const texts = admin.texts().length;

    const asked = syncs.hold();
    const sent = admin.send("/org_add");
    await Promise.race([asked, sent]);
    expect(admin.texts()).toHaveLength(texts);
    syncs.release();
    await sent;
    expect(admin.lastText()).toMatch(/название/i);
  });

  it("a webhook's update is answered only once its arrival is on the disk, even one the bot says nothing to", async () => {
    const syncs = await start({ arrivals: "synced" });
    const poll = () =>
      h.fake.pushUpdate({ poll: { id: "1", question: "?", options: [], total_voter_count: 0 } } as never);
    const asked = syncs.hold();
    let answered = false;
    const handled = h.bot.handleUpdate(poll()).then(() => {
      answered = true;
    });
    await Promise.race([asked, handled]);
    expect(answered).toBe(false);
    syncs.release();
    await handled;
  });

  it("the monitoring software hears a post is taken only once it is on the disk", async () => {
    const syncs = await start();
    seedOffice(h);
    const intake = await serveIntake(h);
    try {
      const asked = syncs.hold();
      let answered = false;
      // Its answer alone: intake.post would wait for the card as well.
      const sent = fetch(intake.url, {
        method: "POST",
        headers: { authorization: `Bearer ${INTAKE_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ link: "https://vk.com/wall-1_9" }),
      }).then((reply) => {
        answered = true;
        return reply;
      });
      await Promise.race([asked, sent]);
      // The answer crosses a real socket: give it time it would need to arrive.
      await Promise.race([sent, new Promise((resolve) => setTimeout(resolve, 300))]);
      expect(answered).toBe(false);
      syncs.release();
      expect((await sent).status).toBe(201);
    } finally {
      await intake.close();
    }
  });

  it("a polling bot handles it without waiting: the next getUpdates waits for the arrival instead", async () => {
    const syncs = await start();
    let asked = false;
    const held = syncs.hold().then(() => {
      asked = true;
    });
    await h.bot.handleUpdate(
      h.fake.pushUpdate({ poll: { id: "1", question: "?", options: [], total_voter_count: 0 } } as never),
    );
    expect(asked).toBe(false);
    const fetching = h.bot.api.getUpdates({ offset: 0, timeout: 0 });
    await Promise.race([held, fetching]);
    expect(asked).toBe(true);
    syncs.release();
    await fetching;
  });

  it("an update the database cannot record (the disk full) is not confirmed by the next getUpdates, and nothing more is sent", async () => {
    await start();
    seedOffice(h);
    // SQLite refuses every write, as with the disk full.
    h.db.$client.pragma("query_only = ON");
    const before = h.fake.calls.length;
    const curator = h.user(OFFICE.curator, "Ольга");
    await h.bot
      .handleUpdate(h.fake.pushUpdate(updates.text(curator.chat, curator.tg, "/list")))
      .catch(() => {});
    h.db.$client.pragma("query_only = OFF");
    await expect(h.bot.api.getUpdates({ offset: 0, timeout: 0 })).rejects.toThrow(
      /could not be written to the database.*restart the bot once the disk is sound/,
    );
    await expect(h.bot.api.sendMessage(OFFICE.curator, "…")).rejects.toThrow(/nothing more is sent/);
    expect(h.fake.calls.slice(before)).toEqual([]);
  });
});
