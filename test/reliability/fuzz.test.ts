import type { Update, User } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "../../src/bot/texts.js";
import { auditEvents, incidents } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";
import { groupChat, privateChat, tgUser, updates } from "../support/updates.js";
import { OFFICE, seedIncidentInWork, seedOffice } from "../support/workflow.js";

/** 10 000 by default, as the reliability issue asks; FUZZ_UPDATES=… to run more or fewer. */
const COUNT = Number(process.env.FUZZ_UPDATES ?? 10_000);

/** Deterministic randomness (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLES = [
  "",
  " ",
  "Здравствуйте",
  "/start",
  "/start AAAAAAAAAAAAAAAAAAAAAA",
  "/start ../../etc/passwd",
  "/invite",
  "/orgs",
  "/org_add",
  "/new",
  "/list",
  "/find",
  "/find abc",
  "/find 99999999999999999999",
  "/find 1",
  "/report",
  "/bind",
  "/unbind",
  "/calendar",
  "/cancel",
  "/unknown_command@osm_test_bot",
  "https://vk.com/wall-1_1",
  "vk.com/wall-5_5 посмотрите",
  "javascript:alert(1)",
  "😀🔥👍🏽‍♀️",
  "مرحبا بالعالم",
  "\u202Eevil\u202C",
  "<b>bold</b> & <script>",
  "x".repeat(4096),
  "да\nнет\n".repeat(300),
  "'; drop table incidents; --",
];

const CALLBACKS = [
  "inc.accept:1",
  "inc.return:1",
  "inc.route:1",
  "inc.ok:1",
  "inc.rework:1",
  "inc.pub:1",
  "inc.pubself:1",
  "inc.draft:1",
  "inc.toxic:1",
  "inc.threat:1",
  "inc.hist:1",
  "inc.text:1",
  "inc.show:1",
  "inc.accept:999999",
  "inv.role:admin",
  "inv.rev:1",
  "org.off:1",
  "org.ren:1",
  "bind.cur",
  "bind.org:1",
  "rt.done",
  "flow.skip",
  "noop",
  "",
  "a".repeat(64),
  "inc.accept:-1",
  "inc.accept:1:extra",
  "inc.accept:1:999999",
  "inc.return:1:1",
  "inc.part:1:1",
  "inc.passon:1:1",
  "inc.passon:1:999999",
];

let h: Harness;
let health: number;

beforeAll(async () => {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  ({ health } = seedOffice(h));
  await seedIncidentInWork(h, health);
});
afterAll(() => h.close());

describe("fuzz", () => {
  it(`${COUNT} random updates from people without rights: no crash, no change, an answer to every private message`, async () => {
    const random = rng(20261124);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const strangers: User[] = Array.from({ length: 5 }, (_, i) => tgUser(7000 + i, `Гость ${i}`));
    const outsider = h.seedPerson(
      7100,
      "Чужой исполнитель",
      [],
      [h.seedOrganization("Министерство спорта")],
    ).tg;
    const people = [...strangers, outsider];
    const group = groupChat(OFFICE.healthChat, "Минздрав: обращения");
    const cardMessage = h.fake.messages(OFFICE.healthChat)[0]?.message;
    if (!cardMessage) throw new Error("no card to press on");
    const before = {
      incidents: h.db.select().from(incidents).all(),
      events: h.db.select().from(auditEvents).all().length,
    };
    const file = h.fake.addFile("name\nОрган", "orgs.csv");
    let privateTexts = 0;
    const unhandled: unknown[] = [];

    for (let i = 0; i < COUNT; i++) {
      const from = pick(people);
      const inPrivate = random() < 0.6;
      const chat = inPrivate ? privateChat(from) : group;
      const kind = random();
      let update: Omit<Update, "update_id">;
      if (kind < 0.5) {
        update = updates.text(chat, from, pick(SAMPLES));
        if (inPrivate) privateTexts++;
      } else if (kind < 0.8) {
        update = updates.callback(from, cardMessage, pick(CALLBACKS));
      } else if (kind < 0.85) {
        update = updates.document(chat, from, file, "orgs.csv", "text/csv");
      } else if (kind < 0.9) {
        update = updates.photo(chat, from, file, pick(SAMPLES).slice(0, 1024));
      } else if (kind < 0.95) {
        update = updates.myChatMember(chat, from, "member", "member", h.fake.botUser);
      } else {
        // Update kinds the bot does not subscribe to must be ignored quietly.
        update = { poll: { id: String(i), question: "?", options: [], total_voter_count: 0 } } as never;
      }
      try {
        await h.deliver(update);
      } catch (error) {
        unhandled.push(error);
      }
    }

    expect(unhandled).toEqual([]);
    // The error boundary turns a crash into a polite apology; none may have been needed.
    const apologies = h.fake.calls.filter((call) =>
      String(call.params.text ?? "").startsWith(t.error.slice(0, 30)),
    );
    expect(apologies.map((call) => call.method)).toEqual([]);
    expect(h.db.select().from(incidents).all()).toEqual(before.incidents);
    expect(h.db.select().from(auditEvents).all().length).toBe(before.events);
    const answered = people.reduce((sum, person) => sum + h.texts(person.id).length, 0);
    expect(answered).toBeGreaterThanOrEqual(privateTexts);
  }, 120_000);
});
