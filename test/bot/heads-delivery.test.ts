/**
 * Each head receives what the admin set for them (Orenburg p.19–21, Georgievsk p.23–24): the
 * Governor the significant posts, the deputy minister the monthly summary, the head of an
 * organization the violations and escalations of that organization only.
 */
import { like } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { acceptIncident, registerIncident, routeIncident } from "../../src/app/incidents.js";
import { changeAccess, findPerson, grantRole, setHeadPurpose, upsertPerson } from "../../src/app/people.js";
import { HEAD_PURPOSES, type HeadPurpose, noticesSent } from "../../src/db/schema.js";
import type { Person } from "../../src/domain/access.js";
import { headsRetry } from "../../src/jobs/heads.js";
import { monthlyReports } from "../../src/jobs/reports.js";
import { sweep } from "../../src/jobs/sweep.js";
import { local, seedNovember } from "../reports/seed-month.js";
import { Harness, type TestUser } from "../support/bot-harness.js";
import { OFFICE, routeTo, seedOffice, seedRegistered, showCards } from "../support/workflow.js";

const ADMIN = 1001;
const GOVERNOR = 6001;
const DEPUTY = 6002;
const HEALTH_HEAD = 6003;
const EDUCATION_EXECUTOR = 3002;

let h: Harness;
afterEach(() => h.close());

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";

function person(telegramId: number): Person {
  const found = findPerson(h.db, telegramId);
  if (!found) throw new Error(`no person ${telegramId}`);
  return found;
}

/**
 * A head as an invite (with its organization, or none) and the admin's taps in «Сотрудники» leave
 * them: with exactly these purposes.
 */
function seedHead(
  telegramId: number,
  name: string,
  purposes: HeadPurpose[],
  organizationId: number | null = null,
): void {
  const now = h.clock.now();
  const personId = h.db.transaction((tx) => {
    const id = upsertPerson(tx, { id: telegramId, first_name: name }, now);
    grantRole(tx, id, "head", null, now, organizationId);
    return id;
  });
  const actorId = person(ADMIN).id;
  for (const purpose of HEAD_PURPOSES) {
    const enabled = purposes.includes(purpose);
    const result = setHeadPurpose(h.db, { actorId, personId, purpose, enabled, now });
    if (!result.ok) throw new Error(`head not set: ${result.refusal}`);
  }
}

/** The Orenburg office: the Governor (Срочные), the deputy minister (Сводка), the minister of health (Минздрав). */
async function orenburg(now = TUESDAY_10): Promise<{ health: number; education: number }> {
  h = await Harness.start({ now, adminIds: [ADMIN] });
  h.seedPerson(ADMIN, "Анна", ["admin"]);
  const { health } = seedOffice(h);
  const education = h.seedOrganization("Министерство образования", "Минобр");
  h.seedPerson(EDUCATION_EXECUTOR, "Мария", [], [education]);
  seedHead(GOVERNOR, "Губернатор", ["urgent"]);
  seedHead(DEPUTY, "Заместитель", ["summary"]);
  seedHead(HEALTH_HEAD, "Министр", ["violations"], health);
  return { health, education };
}

const kinds = (chatId: number) => h.fake.messages(chatId).map((m) => m.media?.type ?? m.text?.split("\n")[0]);

/** The curator registers «Пожар в школе» as socially significant, up to the question of its time. */
async function registerFireUpToTime(curator: TestUser): Promise<void> {
  await curator.send("/new");
  await curator.send("https://vk.com/wall-1_2");
  await curator.send("Пожар в школе");
  // No author, topic or place.
  for (let i = 0; i < 3; i++) await curator.press("Пропустить");
  await curator.press("Социально значимое");
}

describe("a significant post (Orenburg p.21)", () => {
  it("goes to the Governor with «Срочные» at once; not to the deputy minister nor the head of Минздрав", async () => {
    await orenburg();
    const curator = h.user(OFFICE.curator, "Ольга");
    await registerFireUpToTime(curator);
    await curator.press("Сейчас");

    const fire =
      "Социально значимое сообщение № 1 (п. 21)\nВКонтакте: https://vk.com/wall-1_2\n«Пожар в школе»\nОтвет разместить до 25.11.2026 11:00";
    expect(h.texts(GOVERNOR)).toEqual([fire]);
    expect(h.texts(OFFICE.head)).toEqual([fire]); // a head from before: everything
    expect(h.texts(DEPUTY)).toEqual([]);
    expect(h.texts(HEALTH_HEAD)).toEqual([]);
  });

  it("the Governor opens its card from the notice with one tap", async () => {
    await orenburg();
    const curator = h.user(OFFICE.curator, "Ольга");
    await registerFireUpToTime(curator);
    await curator.press("Сейчас");

    await h.user(GOVERNOR, "Губернатор").press("Открыть № 1");
    const card = h.texts(GOVERNOR).at(-1);
    expect(card).toContain("№ 1");
    expect(card).toContain("Пожар в школе");
    expect(h.texts(GOVERNOR)).toHaveLength(2);
  });
});

describe("a head's card of a post he looked up", () => {
  it("follows the post while he may see it, and stops once he heads one other organization only", async () => {
    const { health, education } = await orenburg();
    const id = seedRegistered(h, { author: "Иван Петров" });
    await showCards(h, id);
    await h.user(GOVERNOR, "Губернатор").send(`/find ${id}`);
    const card = () =>
      h.fake.messages(GOVERNOR).find((m) => m.text?.startsWith(`Сообщение № ${id} · `))?.text;
    const curator = person(OFFICE.curator);
    routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [],
      actor: curator,
      now: h.clock.now(),
    });
    await showCards(h, id);
    expect(card()).toContain("Исполнитель: Министерство здравоохранения");
    // Made head of Минобр only (the role taken away, then invited again for the organization).
    const governor = person(GOVERNOR).id;
    const now = h.clock.now();
    const taken = changeAccess(h.db, {
      actorId: person(ADMIN).id,
      personId: governor,
      change: { kind: "role", role: "head" },
      configuredAdmins: [],
      now,
    });
    expect(taken.ok).toBe(true);
    h.db.transaction((tx) => grantRole(tx, governor, "head", null, now, education));
    const before = card();
    acceptIncident(h.db, { incidentId: id, actor: person(OFFICE.executor), now });
    await showCards(h, id);
    expect(card()).toBe(before);
    expect(card()).not.toContain("взято в работу");
  });
});

describe("a significant post while Telegram drops a card", () => {
  it("the heads still hear of it at once", async () => {
    await orenburg();
    const curator = h.user(OFFICE.curator, "Ольга");
    await registerFireUpToTime(curator);
    // The card for the curators' chat is lost on the way: the connection drops.
    h.fake.dropNext("sendMessage", { match: (params) => params.chat_id === OFFICE.curatorsChat });
    await curator.press("Сейчас");
    expect(h.texts(GOVERNOR)).toEqual([
      "Социально значимое сообщение № 1 (п. 21)\nВКонтакте: https://vk.com/wall-1_2\n«Пожар в школе»\nОтвет разместить до 25.11.2026 11:00",
    ]);
  });
});

describe("a significant post while Telegram cannot reach a head for now", () => {
  const fire =
    "Социально значимое сообщение № 1 (п. 21)\nВКонтакте: https://vk.com/wall-1_2\n«Пожар в школе»\nОтвет разместить до 25.11.2026 11:00";

  it("the sweep tells him at once, then tries again after 1, 2, 4… minutes; the Governor, told already, is not told twice", async () => {
    await orenburg();
    const retry = headsRetry();
    const curator = h.user(OFFICE.curator, "Ольга");
    await registerFireUpToTime(curator);
    const down = { error_code: 502, description: "Bad Gateway" };
    const head = (params: Record<string, unknown>) => params.chat_id === OFFICE.head;
    h.fake.failNext("sendMessage", down, { match: head, times: 3 });
    await curator.press("Сейчас");
    expect([h.texts(GOVERNOR), h.texts(OFFICE.head)]).toEqual([[fire], []]);

    const tries = () => h.fake.callsOf("sendMessage").filter((call) => head(call.params)).length;
    const counted: number[] = [];
    for (const minutes of [0, 1, 1, 1, 1]) {
      h.clock.advance(minutes * 60_000);
      await retry(h.deps());
      counted.push(tries());
    }
    // Registration, the sweep at once, a minute later, two minutes after that (told).
    expect(counted).toEqual([2, 3, 3, 4, 4]);
    expect([h.texts(GOVERNOR), h.texts(OFFICE.head)]).toEqual([[fire], [fire]]);
    h.clock.advance(60 * 60_000);
    await retry(h.deps());
    expect([tries(), h.texts(GOVERNOR).length]).toEqual([4, 1]);
  });

  it("two sweeps at once (two processes) tell him once", async () => {
    await orenburg();
    const curator = h.user(OFFICE.curator, "Ольга");
    await registerFireUpToTime(curator);
    h.fake.failNext(
      "sendMessage",
      { error_code: 502, description: "Bad Gateway" },
      {
        match: (params) => params.chat_id === OFFICE.head,
      },
    );
    await curator.press("Сейчас");
    await Promise.all([headsRetry()(h.deps()), headsRetry()(h.deps())]);
    expect([h.texts(GOVERNOR), h.texts(OFFICE.head)]).toEqual([[fire], [fire]]);
  });

  it("raised to significant from the card: the head missed is told by the sweep, once", async () => {
    await orenburg();
    const curator = h.user(OFFICE.curator, "Ольга");
    const chat = h.group(OFFICE.curatorsChat, "Кураторы");
    await showCards(h, seedRegistered(h, { link: "https://vk.com/wall-1_2", text: "Пожар в школе" }));
    h.fake.failNext(
      "sendMessage",
      { error_code: 500, description: "Internal Server Error" },
      {
        match: (params) => params.chat_id === GOVERNOR,
      },
    );
    await curator.press("Изменить сведения", chat);
    await curator.press("Социально значимое", chat);
    expect([h.texts(GOVERNOR), h.texts(OFFICE.head)]).toEqual([[], [fire]]);
    await headsRetry()(h.deps());
    await headsRetry()(h.deps());
    expect([h.texts(GOVERNOR), h.texts(OFFICE.head)]).toEqual([[fire], [fire]]);
  });
});

describe("monthly reports (Orenburg p.19, p.20)", () => {
  /** November, with a post of Минобр routed on the 20th and never taken into work: its violations. */
  async function november(): Promise<void> {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z", adminIds: [ADMIN] });
    h.seedPerson(ADMIN, "Анна", ["admin"]);
    const { health, curator } = seedNovember(h);
    const education = h.seedOrganization("Министерство образования", "Минобр");
    const culture = h.seedOrganization("Министерство культуры", "Минкульт");
    h.clock.set(local("2026-11-20 10:00"));
    const registered = registerIncident(h.db, {
      link: "https://vk.com/wall-1_8",
      linkKey: "vk.com/wall-1_8",
      network: "vk",
      text: "Сообщение 8",
      author: "Автор 8",
      topic: null,
      place: null,
      importance: "normal",
      postedAt: null,
      repeatOfId: null,
      actorId: curator.id,
      now: h.clock.now(),
    });
    if (!registered.ok) throw new Error("duplicate");
    const routed = routeIncident(h.db, {
      incidentId: registered.incident.id,
      leadId: education,
      coexecutorIds: [],
      actor: curator,
      now: h.clock.now(),
    });
    if (!routed.ok) throw new Error(routed.refusal);
    seedHead(GOVERNOR, "Губернатор", ["urgent"]);
    seedHead(DEPUTY, "Заместитель", ["summary"]);
    seedHead(HEALTH_HEAD, "Министр", ["violations"], health);
    seedHead(6004, "Министр культуры", ["violations"], culture);
    h.clock.set("2026-12-01T05:00:00Z"); // Tuesday 01.12 10:00: the summary and, with it, the violations
    await monthlyReports(h.deps());
  }

  const summary = ["Отчёт за ноябрь 2026 г.: сообщения из открытых источников", "photo", "document"];

  it("the deputy minister with «Сводка» gets the summary only; the Governor with «Срочные» gets no report", async () => {
    await november();
    expect(kinds(DEPUTY)).toEqual(summary);
    expect(kinds(GOVERNOR)).toEqual([]);
    // A head from before the purposes: everything, the violations of every organization.
    expect(kinds(OFFICE.head)).toEqual([...summary, "Нарушения регламента за ноябрь 2026 г.: 7", "document"]);
  });

  it("the head of Минздрав gets Минздрав's violations only, not Минобр's nor the curators'", async () => {
    await november();
    expect(kinds(HEALTH_HEAD)).toEqual(["Нарушения регламента за ноябрь 2026 г., Минздрав: 3", "document"]);
    const lines = h.texts(HEALTH_HEAD)[0]?.split("\n").slice(1) ?? [];
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^№ 2 · Минздрав · Иван — /);
    // The whole report has Минобр's line and the curators' ones.
    expect(h.texts(OFFICE.head).find((text) => text.startsWith("Нарушения"))).toMatch(
      /^№ 8 · Минобр · не взято в работу — /m,
    );
  });

  it("/report by the head of Минздрав: its own violations; the office's summary is not theirs to ask for", async () => {
    await november();
    const minister = h.user(HEALTH_HEAD, "Министр");
    const before = h.fake.messages(HEALTH_HEAD).length;
    await minister.send("/report нарушения 11.2026");
    const got = h.fake
      .messages(HEALTH_HEAD)
      .slice(before)
      .map((m) => m.media?.type ?? m.text?.split("\n")[0]);
    expect(got).toEqual(["Нарушения регламента за ноябрь 2026 г., Минздрав: 3", "document"]);
    await minister.send("/report 11.2026");
    expect(minister.lastText()).toBe(
      "Сводка по всем органам вам не направляется. Нарушения регламента вашего органа: /report нарушения.",
    );
    // A head of the whole office asks for all of it.
    const head = h.user(OFFICE.head, "Глава");
    const sent = h.fake.messages(OFFICE.head).length;
    await head.send("/report нарушения 11.2026");
    expect(
      h.fake
        .messages(OFFICE.head)
        .slice(sent)
        .map((m) => m.media?.type ?? m.text?.split("\n")[0]),
    ).toEqual(["Нарушения регламента за ноябрь 2026 г.: 7", "document"]);
  });

  it("a head of one organization with «Сводка» gets the summary's text, not the workbook naming everyone's people", async () => {
    await november();
    // Минкульт's minister switched «Сводка» on: the automatic summary and /report alike.
    const actorId = findPerson(h.db, ADMIN)?.id ?? 0;
    const personId = findPerson(h.db, 6004)?.id ?? 0;
    setHeadPurpose(h.db, { actorId, personId, purpose: "summary", enabled: true, now: h.clock.now() });
    const minister = h.user(6004, "Министр культуры");
    await minister.send("/report 11.2026");
    const got = h.fake.messages(6004).map((m) => m.media?.type ?? m.text?.split("\n")[0]);
    expect(got.at(-1)).toBe("Отчёт за ноябрь 2026 г.: сообщения из открытых источников");
    expect(got).not.toContain("document");
    expect(minister.lastText()).toMatch(
      /Таблица отчёта \(исполнители и нарушения всех органов\) направляется кураторам и руководителям всех органов\. Нарушения регламента вашего органа: \/report нарушения\.$/,
    );
    // The automatic summary, sent again as if for the first time: the same, for him alone.
    h.db.delete(noticesSent).where(like(noticesSent.key, "report:summary:%")).run();
    const before = h.fake.messages(6004).length;
    await monthlyReports(h.deps());
    const sent = h.fake
      .messages(6004)
      .slice(before)
      .map((m) => m.media?.type ?? m.text?.split("\n")[0]);
    expect(sent).toEqual(["Отчёт за ноябрь 2026 г.: сообщения из открытых источников"]);
    expect(kinds(DEPUTY).filter((kind) => kind === "document").length).toBeGreaterThan(0);
  });

  it("a head of one organization with «Сводка» gets every organization's line, over several messages: none is left to a workbook he does not get", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z", adminIds: [ADMIN] });
    h.seedPerson(ADMIN, "Анна", ["admin"]);
    seedOffice(h);
    const curator = person(OFFICE.curator);
    h.clock.set(local("2026-11-10 10:00"));
    // 45 schools, a post each: their lines do not fit one message.
    const schools: number[] = [];
    for (let n = 1; n <= 45; n++) {
      const school = h.seedOrganization(
        `Муниципальное бюджетное общеобразовательное учреждение № ${n}`,
        `МБОУ СОШ № ${String(n).padStart(2, "0")} г. Георгиевска`,
      );
      schools.push(school);
      const registered = registerIncident(h.db, {
        link: `https://vk.com/wall-1_${n}`,
        linkKey: `vk.com/wall-1_${n}`,
        network: "vk",
        text: `Сообщение ${n}`,
        author: null,
        topic: null,
        place: null,
        importance: "normal",
        postedAt: null,
        repeatOfId: null,
        actorId: curator.id,
        now: h.clock.now(),
      });
      if (!registered.ok) throw new Error("duplicate");
      const incidentId = registered.incident.id;
      const routed = routeIncident(h.db, {
        incidentId,
        leadId: school,
        coexecutorIds: [],
        actor: curator,
        now: h.clock.now(),
      });
      if (!routed.ok) throw new Error(routed.refusal);
    }
    // The head of the school last by name, and the deputy minister with the workbook.
    seedHead(6005, "Директор", ["summary"], schools.at(-1) ?? null);
    seedHead(DEPUTY, "Заместитель", ["summary"]);
    h.clock.set("2026-12-01T05:00:00Z"); // Tuesday 01.12 10:00
    await monthlyReports(h.deps());

    const own = "• МБОУ СОШ № 45 г. Георгиевска: основной исполнитель по 1 из поступивших";
    const director = h.fake.messages(6005);
    expect(director.length).toBeGreaterThan(1);
    expect(director.every((m) => m.media === undefined)).toBe(true);
    const text = director.map((m) => m.text ?? "").join("\n");
    expect(text).toMatch(/^Отчёт за ноябрь 2026 г\.: сообщения из открытых источников/);
    expect(text).toContain(own);
    expect(text).not.toContain("в таблице");
    expect(text).toMatch(/Таблица отчёта \(исполнители и нарушения всех органов\) направляется/);
    // Asked for with /report: the same.
    await h.user(6005, "Директор").send("/report 11.2026");
    expect(h.texts(6005).slice(director.length)).toEqual(director.map((m) => m.text));
    // The deputy minister's text is one message; the workbook has the rest.
    expect(kinds(DEPUTY)).toEqual(summary);
    expect(h.texts(DEPUTY)[0]).not.toContain(own);
    expect(h.texts(DEPUTY)[0]).toMatch(/^… и ещё \d+ — в таблице$/m);
  });

  it("/report нарушения by a head of one organization: a month still running or one with no data is said so", async () => {
    await november();
    h.clock.set(local("2026-11-25 10:00")); // November still running
    const minister = h.user(6004, "Министр культуры");
    await minister.send("/report нарушения 11.2026");
    expect(minister.lastText()).toBe(
      "Нарушения регламента за ноябрь 2026 г. на 25.11.2026 10:00, Минкульт: 0\nИстёкшие сроки соблюдены.",
    );
    await minister.send("/report нарушения 01.2020");
    expect(minister.lastText()).toMatch(/^За январь 2020 г\. данных нет/);
  });

  it("the head of an organization without violations hears that all its deadlines were kept", async () => {
    await november();
    expect(h.texts(6004)).toEqual([
      "Нарушения регламента за ноябрь 2026 г., Минкульт: 0\nВсе сроки этого месяца соблюдены.",
    ]);
  });
});

describe("Georgievsk p.23: violations on the 5th", () => {
  it("the head of Минздрав gets its share on the violations' day, though the organizations' chats get none", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z", regulation: "georgievsk", adminIds: [ADMIN] });
    h.seedPerson(ADMIN, "Анна", ["admin"]);
    const { health } = seedNovember(h);
    seedHead(HEALTH_HEAD, "Глава управления", ["violations"], health);
    h.clock.set("2026-12-01T07:00:00Z"); // the summary's day: nothing for him
    await monthlyReports(h.deps());
    expect(kinds(HEALTH_HEAD)).toEqual([]);
    h.clock.set("2026-12-04T07:00:00Z"); // Friday: the 5th is a Saturday
    await monthlyReports(h.deps());
    expect(kinds(HEALTH_HEAD)).toEqual([
      expect.stringMatching(/^Нарушения регламента за ноябрь 2026 г\., Минздрав: \d+$/),
      "document",
    ]);
    expect(kinds(OFFICE.healthChat).filter((kind) => kind?.startsWith("Нарушения"))).toEqual([]);
  });
});

describe("escalations of long-overdue steps (Orenburg p.19)", () => {
  /**
   * № 1 in work at Минздрав, № 2 at Минобр, both routed at 10:00 Tuesday and taken into work with
   * no draft by 16:00 (p.9); № 3 never routed (p.6, the curators' step). Wednesday 16:01 is a
   * working day past the drafts' deadline: the heads' level.
   */
  async function overdueByADay(before?: () => void): Promise<void> {
    const { health, education } = await orenburg();
    before?.();
    const curator = person(OFFICE.curator);
    const now = h.clock.now();
    for (const [n, organizationId, executor] of [
      [1, health, OFFICE.executor],
      [2, education, EDUCATION_EXECUTOR],
    ] as const) {
      const id = seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
      routeIncident(h.db, { incidentId: id, leadId: organizationId, coexecutorIds: [], actor: curator, now });
      acceptIncident(h.db, { incidentId: id, actor: person(executor), now });
    }
    seedRegistered(h, { link: "https://vk.com/wall-1_3" });
    h.clock.set("2026-11-25T11:01:00Z");
    await sweep(h.deps());
  }

  const escalations = (chatId: number) =>
    h
      .texts(chatId)
      .flatMap((text) => text.split("\n\n"))
      .filter((line) => line.includes("‼️ Нарушение регламента"))
      .map((line) => /сообщение № (\d+)/.exec(line)?.[1]);

  it("the head of Минздрав hears of Минздрав's steps only; the head of all hears of every one", async () => {
    await overdueByADay();
    expect(escalations(HEALTH_HEAD)).toEqual(["1"]);
    expect(escalations(OFFICE.head).sort()).toEqual(["1", "2", "3"]);
  });

  it("heads without «Нарушения» hear of none", async () => {
    await overdueByADay();
    expect(h.texts(GOVERNOR)).toEqual([]);
    expect(h.texts(DEPUTY)).toEqual([]);
  });

  it("an escalation no head receives goes to the curators, saying so", async () => {
    await overdueByADay();
    const curatorsEscalations = () =>
      h
        .texts(OFFICE.curatorsChat)
        .flatMap((text) => text.split("\n\n"))
        .filter(
          (line) => line.includes("‼️ Нарушение регламента") && line.includes("Никому из руководителей"),
        );
    // The head of all hears of every one: the curators get none instead.
    expect(curatorsEscalations()).toEqual([]);

    // Without him, Минобр's step and the curators' own reach no head.
    await h.close();
    await overdueByADay(() => {
      const actorId = person(ADMIN).id;
      const personId = person(OFFICE.head).id;
      for (const purpose of ["urgent", "summary", "violations"] as const)
        setHeadPurpose(h.db, { actorId, personId, purpose, enabled: false, now: h.clock.now() });
    });
    expect(escalations(HEALTH_HEAD)).toEqual(["1"]);
    expect(curatorsEscalations().map((line) => /сообщение № (\d+)/.exec(line)?.[1])).toEqual(["2", "3"]);
    // Минздрав's head has «Нарушения», but not of Минобр: the text names whose head is missing.
    expect(curatorsEscalations()[0]).toContain(
      "Никому из руководителей это не направляется: ни у руководителей всех органов, ни у руководителя органа «Министерство образования» не включена рассылка «Нарушения» (/people).",
    );
    expect(curatorsEscalations()[1]).toContain(
      "Никому из руководителей это не направляется: ни у одного руководителя всех органов не включена рассылка «Нарушения» (/people).",
    );
  });
});

describe("a significant post's answer not posted by its deadline (Orenburg p.8, p.21)", () => {
  /** Monday 23.11.2026 17:00: the answer is due 9 working hours later, Tuesday 18:00. */
  const MONDAY_17 = "2026-11-23T12:00:00Z";
  const fire = "В школе № 3 пожар, дети на улице без одежды!";

  async function lateFire(): Promise<number> {
    const { health } = await orenburg(MONDAY_17);
    const id = seedRegistered(h, { importance: "significant", text: fire });
    routeTo(h, id, health);
    return id;
  }

  const lateLines = (chatId: number) =>
    h
      .texts(chatId)
      .flatMap((text) => text.split("\n\n"))
      .filter((line) => line.includes("ответ автору не размещён"));

  it("the heads with «Срочные» hear at once, in the evening too and with sound, leading with the answer", async () => {
    await lateFire();
    h.clock.set("2026-11-24T13:01:00Z"); // Tuesday 18:01, past the working day
    await sweep(h.deps());

    const late =
      "‼️ Социально значимое сообщение № 1 («В школе № 3 пожар, дети на улице без од…»): ответ автору не размещён, " +
      "срок истёк 24.11.2026 18:00 (п. 8 регламента). Сейчас: никто не взял в работу. Отвечает: Минздрав.";
    expect(h.texts(GOVERNOR)).toEqual([late]);
    expect(h.texts(OFFICE.head)).toEqual([late]);
    // Neither the deputy minister (Сводка) nor the head of Минздрав (Нарушения) hears of it now.
    expect(h.texts(DEPUTY)).toEqual([]);
    expect(h.texts(HEALTH_HEAD)).toEqual([]);
    const sent = h.fake.callsOf("sendMessage").find((c) => Number(c.params.chat_id) === GOVERNOR);
    expect(sent?.params.disable_notification).not.toBe(true);
  });

  it("once per post: not again at the next ticks nor with the heads' escalation a working day later", async () => {
    const id = await lateFire();
    h.clock.set("2026-11-24T13:01:00Z");
    await sweep(h.deps());
    h.clock.set("2026-11-24T13:30:00Z");
    await sweep(h.deps());
    acceptIncident(h.db, { incidentId: id, actor: person(OFFICE.executor), now: h.clock.now() });
    h.clock.set("2026-11-25T13:01:00Z"); // Wednesday 18:01: a working day past the answer's deadline
    await sweep(h.deps());

    expect(lateLines(GOVERNOR)).toHaveLength(1);
    expect(lateLines(OFFICE.head)).toHaveLength(1);
    const escalations = (chatId: number) =>
      h
        .texts(chatId)
        .flatMap((text) => text.split("\n\n"))
        .filter((line) => line.includes("‼️ Нарушение регламента") && line.includes("«разместить ответ»"));
    // The head of all, told at once, is not told of the answer again; the head of Минздрав, who was
    // not, hears of it with the heads' escalation.
    expect(escalations(OFFICE.head)).toEqual([]);
    expect(escalations(HEALTH_HEAD)).toHaveLength(1);
  });
});

describe("the answer's deadline for the heads (Georgievsk p.16: counted from the routing)", () => {
  it("the notice says it comes with the routing; routed, the head hears quietly to whom and until when", async () => {
    h = await Harness.start({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" }); // Tuesday 10:00 in Moscow
    seedOffice(h);
    const curator = h.user(OFFICE.curator, "Ольга");
    await registerFireUpToTime(curator);
    await curator.press("Сейчас");
    expect(h.texts(OFFICE.head)).toEqual([
      "Социально значимое сообщение № 1 (п. 24)\nВКонтакте: https://vk.com/wall-1_2\n«Пожар в школе»\n" +
        "Срок ответа считается с направления исполнителю (п. 16): сообщим его, когда сообщение направят.",
    ]);

    const curators = h.group(OFFICE.curatorsChat, "Кураторы");
    await curator.press("Направить", curators);
    await curator.press(/Минздрав/, curators);
    await curator.press("Готово", curators);
    expect(h.texts(OFFICE.head).slice(1)).toEqual(["№ 1 направлено: Минздрав (ответ до 24.11.2026 15:00)"]);
    const note = h.fake.callsOf("sendMessage").filter((c) => Number(c.params.chat_id) === OFFICE.head)[1];
    expect(note?.params.disable_notification).toBe(true);
  });
});
