/**
 * A card asked for privately (`/find`, a list's «№ N») reads as the card the next sync keeps there:
 * a queued co-executor's executor and the head of an organization that returned the post see what
 * their organization's cards show, not the lead's work.
 */
import { afterEach, expect, it } from "vitest";
import { defaultHeadSettings, writeHeadSettings } from "../../src/app/heads.js";
import { returnIncident, routeIncident } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import type { Person } from "../../src/domain/access.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedOffice, seedRegistered, showCards } from "../support/workflow.js";

let h: Harness;
afterEach(() => h.close());

const person = (telegramId: number) => findPerson(h.db, telegramId) as Person;

it("a queued co-executor's executor: his card says his turn will come, with no deadline of the lead's", async () => {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  seedOffice(h);
  const education = h.seedOrganization("Министерство образования", "Минобр");
  const building = h.seedOrganization("Министерство строительства", "Минстрой");
  h.seedPerson(3002, "Мария", [], [education]);
  h.seedPerson(3003, "Пётр", [], [building]);
  const id = seedRegistered(h);
  await showCards(h, id);
  const curator = h.user(OFFICE.curator, "Ольга");
  const curatorsChat = h.group(OFFICE.curatorsChat, "Кураторы");
  const { message, callbackData } = h.fake.findButton(OFFICE.curatorsChat, "Направить");
  await h.deliver(updates.callback(curator.tg, message, callbackData));
  for (const pick of [/Минздрав/, /Минобр/, /Минстрой/]) await curator.press(pick, curatorsChat);
  await curator.press("Готово", curatorsChat);
  await curator.press("По очереди", curatorsChat);
  const peter = h.user(3003, "Пётр");
  await peter.send(`/find ${id}`);
  const shown = peter.lastText();
  expect(shown).toContain("ждёт своей очереди");
  expect(shown).not.toMatch(/Срок:/);
  await showCards(h, id);
  expect(peter.lastText()).toBe(shown);
});

it("the head of the organization that returned the post: /find shows where it went, as the synced card does", async () => {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  const { health } = seedOffice(h);
  const transport = h.seedOrganization("Министерство транспорта", "Минтранс");
  h.seedPerson(6001, "Главврач", ["head"]);
  writeHeadSettings(h.db, person(6001).id, defaultHeadSettings(health), h.clock.now());
  const id = seedRegistered(h);
  const now = h.clock.now();
  routeIncident(h.db, {
    incidentId: id,
    leadId: health,
    coexecutorIds: [],
    actor: person(OFFICE.curator),
    now,
  });
  const reason = "Не наша компетенция";
  returnIncident(h.db, { incidentId: id, actor: person(OFFICE.executor), now, reason });
  routeIncident(h.db, {
    incidentId: id,
    leadId: transport,
    coexecutorIds: [],
    actor: person(OFFICE.curator),
    now,
  });
  const head = h.user(6001, "Главврач");
  await head.send(`/find ${id}`);
  const shown = head.lastText();
  expect(shown).toContain("Состояние: передано другому органу (Министерство транспорта)");
  expect(shown).not.toMatch(/Срок:/);
  h.clock.advance(60_000);
  await showCards(h, id);
  expect(head.lastText()).toBe(shown);
});
