/**
 * November 2026 under the Orenburg preset (Asia/Yekaterinburg, UTC+5), arranged through the same
 * use-cases the bot calls, with known outcomes:
 * № 1 on time (quality 5); № 2 draft, publication and answer late (quality 4); № 3 a repeat of № 1,
 * reworked once (quality 3); № 4 returned and routed again; № 5 toxic; № 6 significant, an interim
 * answer drafted and approved like any draft, and the final on time; № 7 detected on Friday 27.11 17:00 and never routed (routing and answer due
 * in November, not done by its end).
 */
import {
  approveDraft,
  publishAnswer,
  publishInterim,
  requestRework,
  submitDraft,
} from "../../src/app/answers.js";
import {
  acceptIncident,
  closeAsToxic,
  registerIncident,
  returnIncident,
  routeIncident,
  type TransitionResult,
} from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import type { Person } from "../../src/domain/access.js";
import type { DraftPurpose, Importance } from "../../src/domain/incident.js";
import type { Harness } from "../support/bot-harness.js";
import { OFFICE, seedOffice } from "../support/workflow.js";

/** "2026-11-09 10:00" local Yekaterinburg time as an instant. */
export const local = (text: string): Date => new Date(`${text.replace(" ", "T")}:00+05:00`);

/** A transition the seeding makes must go through. */
export function must(result: TransitionResult): void {
  if (!result.ok) throw new Error(`transition refused: ${result.refusal}`);
}

export interface SeededMonth {
  health: number;
  curator: Person;
  executor: Person;
}

export function seedNovember(h: Harness): SeededMonth {
  const { health } = seedOffice(h);
  const curator = findPerson(h.db, OFFICE.curator) as Person;
  const executor = findPerson(h.db, OFFICE.executor) as Person;
  const rules = { curatorMayPublish: false };
  const at = (time: string) => {
    h.clock.set(local(time));
    return h.clock.now();
  };
  const register = (
    n: number,
    time: string,
    opts: { topic?: string; place?: string; importance?: Importance; repeatOfId?: number } = {},
  ): number => {
    const result = registerIncident(h.db, {
      link: `https://vk.com/wall-1_${n}`,
      linkKey: `vk.com/wall-1_${n}`,
      network: "vk",
      text: `Сообщение ${n}`,
      author: `Автор ${n}`,
      topic: opts.topic ?? null,
      place: opts.place ?? null,
      importance: opts.importance ?? "normal",
      postedAt: null,
      repeatOfId: opts.repeatOfId ?? null,
      actorId: curator.id,
      now: at(time),
    });
    if (!result.ok) throw new Error("duplicate");
    return result.incident.id;
  };
  const route = (id: number, time: string) =>
    must(
      routeIncident(h.db, {
        incidentId: id,
        leadId: health,
        coexecutorIds: [],
        actor: curator,
        now: at(time),
      }),
    );
  const accept = (id: number, time: string) =>
    must(acceptIncident(h.db, { incidentId: id, actor: executor, now: at(time) }));
  const submit = (id: number, time: string, purpose: DraftPurpose = "answer") =>
    must(
      submitDraft(h.db, {
        incidentId: id,
        actor: executor,
        now: at(time),
        content: { text: "Здравствуйте! Работы выполнены.", attachments: [] },
        purpose,
      }),
    );
  const approve = (id: number, time: string, quality?: number) =>
    must(
      approveDraft(h.db, {
        incidentId: id,
        actor: curator,
        now: at(time),
        ...(quality !== undefined ? { quality } : {}),
      }),
    );
  const publish = (id: number, time: string, onTime: boolean) =>
    must(
      publishAnswer(h.db, {
        incidentId: id,
        actor: executor,
        now: at(time),
        link: `https://vk.com/wall-1_${id}?reply=1`,
        onTime,
        rules,
      }),
    );

  const one = register(1, "2026-11-09 10:00", { topic: "Снег", place: "ул. Ленина" });
  route(one, "2026-11-09 10:10");
  accept(one, "2026-11-09 10:15");
  submit(one, "2026-11-09 11:00");
  approve(one, "2026-11-09 11:10", 5);
  publish(one, "2026-11-09 11:20", true);

  const two = register(2, "2026-11-09 10:00", { topic: "Снег", place: "ул. Ленина" });
  route(two, "2026-11-09 10:20");
  accept(two, "2026-11-09 10:25");
  submit(two, "2026-11-10 10:00"); // due Mon 16:00 (p.9): 3 working hours late
  approve(two, "2026-11-10 10:10", 4);
  publish(two, "2026-11-10 11:30", false); // publication due 10:40, answer due 11:00

  const three = register(3, "2026-11-11 10:00", { topic: "Дороги", repeatOfId: one });
  route(three, "2026-11-11 10:05");
  accept(three, "2026-11-11 10:06");
  submit(three, "2026-11-11 10:30");
  must(
    requestRework(h.db, {
      incidentId: three,
      actor: curator,
      now: at("2026-11-11 10:40"),
      comment: "Добавьте сроки",
    }),
  );
  submit(three, "2026-11-11 11:00");
  approve(three, "2026-11-11 11:10", 3);
  publish(three, "2026-11-11 11:20", true);

  const four = register(4, "2026-11-11 12:00");
  route(four, "2026-11-11 12:05");
  must(
    returnIncident(h.db, {
      incidentId: four,
      actor: executor,
      now: at("2026-11-11 12:20"),
      reason: "Не наша компетенция",
    }),
  );
  route(four, "2026-11-11 12:30");
  accept(four, "2026-11-11 12:31");
  submit(four, "2026-11-11 12:45");
  approve(four, "2026-11-11 12:50");
  publish(four, "2026-11-11 14:10", true);

  const five = register(5, "2026-11-12 10:00");
  must(closeAsToxic(h.db, { incidentId: five, actor: curator, now: at("2026-11-12 10:05"), threat: false }));

  const six = register(6, "2026-11-12 11:00", { importance: "significant" });
  route(six, "2026-11-12 11:05");
  accept(six, "2026-11-12 11:10");
  submit(six, "2026-11-12 11:40", "interim");
  approve(six, "2026-11-12 11:50");
  must(
    publishInterim(h.db, {
      incidentId: six,
      actor: executor,
      now: at("2026-11-12 12:00"),
      link: "https://vk.com/wall-1_6?reply=1",
    }),
  );
  submit(six, "2026-11-16 10:00");
  approve(six, "2026-11-16 10:10");
  publish(six, "2026-11-16 10:30", true);

  register(7, "2026-11-27 17:00");
  return { health, curator, executor };
}
