/**
 * /find by words over 100 000 incidents with texts, topics, places and authors: the time from the
 * command to its answer, which the bot's thread spends on it while every other update waits. A
 * curator's words that match nothing read the whole window searched; common words stop at the
 * eleventh match; an executor's words common in other organizations' posts and rare in his own make
 * the rights be read post by post, his own few or none of them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Harness } from "../test/support/bot-harness.js";
import { OFFICE, seedOffice } from "../test/support/workflow.js";
import { type BenchFigure, runAsScript } from "./figures.js";

const INCIDENTS = 100_000;
const ORGANIZATIONS = 40;
/** Searches of each kind: the median is the figure; the first few, while V8 compiles, are not measured. */
const RUNS = 15;
const WARM_UP = 5;

const WORDS = (
  "здравствуйте добрый день во дворе дома третью неделю не убирают снег дети не могут пройти в школу " +
  "яма на дороге после ремонта трубы никто не засыпал фонари не горят вечером темно страшно ходить " +
  "мусор вывозят раз в неделю контейнеры переполнены просим принять меры жалуемся уже второй раз " +
  "администрация обещала но ничего не сделано автобус ходит редко люди мёрзнут на остановке " +
  "в поликлинике очереди к врачу записаться невозможно лекарства в аптеке закончились"
).split(" ");
const TOPICS = ["ЖКХ", "Дороги", "Благоустройство", "Здравоохранение", "Транспорт", "Образование"];
const STREETS = ["Ленина", "Советская", "Пушкина", "Гагарина", "Мира", "Чкалова", "Победы"];
const NAMES = ["Иван Петров", "Мария Сидорова", "Ольга Иванова", "Сергей Кузнецов", "Анна Смирнова"];

/** The same texts on every run: a linear congruential generator from a fixed seed. */
function generator(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

/**
 * The office of test/support/workflow.ts (its organization, Минздрав, and executor) and 39 more
 * organizations; each post routed to one of them in turn, ≈ 300 characters of text. «Снег» is in
 * about a third of the posts; «ветеран» in every tenth, none of them Минздрав's.
 */
function seed(h: Harness, health: number) {
  const { sqlite } = h.database;
  const organization = sqlite.prepare(
    "insert into organizations (name, name_key, created_at) values (?, ?, 0) returning id",
  );
  const incident = sqlite.prepare(
    `insert into incidents (link, link_key, network, text, author, topic, place, state, detected_at, registered_by, created_at, updated_at)
     values (?, ?, 'vk', ?, ?, ?, ?, 'assigned', ?, 1, ?, ?) returning id`,
  );
  const assignment = sqlite.prepare(
    `insert into assignments (incident_id, organization_id, role, state, received_at)
     values (?, ?, 'lead', 'assigned', ?)`,
  );
  const random = generator(42);
  const at = h.clock.now().getTime() - 86_400_000;
  sqlite.transaction(() => {
    const organizations = [health];
    for (let o = 2; o <= ORGANIZATIONS; o++) {
      const row = organization.get(`Орган ${o}`, `орган ${o}`) as { id: number };
      organizations.push(row.id);
    }
    for (let i = 1; i <= INCIDENTS; i++) {
      const words = Array.from({ length: 40 }, () => WORDS[random(WORDS.length)]);
      const owner = i % ORGANIZATIONS;
      if (i % 10 === 0 && owner !== 0) words.push("ветеран");
      const text = `${words.join(" ")}.`;
      const place = `ул. ${STREETS[random(STREETS.length)]}, ${1 + random(80)}`;
      const { id } = incident.get(
        `https://vk.com/wall-1_${i}`,
        `vk.com/wall-1_${i}`,
        text.charAt(0).toUpperCase() + text.slice(1),
        NAMES[random(NAMES.length)],
        TOPICS[random(TOPICS.length)],
        place,
        at,
        at,
        at,
      ) as { id: number };
      assignment.run(id, organizations[owner], at);
    }
    // The posts' words as registration folds them (as drizzle/0022 folded the posts before it).
    sqlite.exec(
      "insert into incident_search_keys select id, fold(concat_ws(' ', text, topic, place, author)) from incidents",
    );
  })();
}

async function median(send: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < WARM_UP + RUNS; i++) {
    const started = performance.now();
    await send();
    if (i >= WARM_UP) times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? Number.NaN;
}

export async function runFindBench(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), "osm-find-bench-"));
  const h = await Harness.start({ now: "2026-11-24T05:00:00Z", databasePath: join(dir, "bench.db") });
  const { health } = seedOffice(h);
  seed(h, health);
  const curator = h.user(OFFICE.curator, "Ольга");
  const executor = h.user(OFFICE.executor, "Иван");
  const expectAnswer = (who: typeof curator, pattern: RegExp) => {
    if (!pattern.test(who.lastText())) throw new Error(`unexpected answer: ${who.lastText().slice(0, 200)}`);
  };
  const nothing = await median(async () => {
    await curator.send("/find квазар");
    expectAnswer(curator, /^По словам «квазар» сообщений не найдено/);
  });
  const common = await median(async () => {
    await curator.send("/find снег");
    expectAnswer(curator, /найдены и другие/);
  });
  const ownAmongOthers = await median(async () => {
    await executor.send("/find снег");
    expectAnswer(executor, /найдены и другие/);
  });
  const others = await median(async () => {
    await executor.send("/find ветеран");
    expectAnswer(executor, /^По словам «ветеран» сообщений не найдено/);
  });
  await h.close();
  rmSync(dir, { recursive: true, force: true });
  const round = (x: number) => Math.round(x * 10) / 10;
  const figure = (name: string, ms: number): BenchFigure => ({
    name: `/find by words, ${INCIDENTS.toLocaleString("en")} incidents: ${name}`,
    value: round(ms),
    unit: "ms",
    target: "< 100 ms",
    pass: ms < 100,
  });
  return [
    figure("a curator's words that match nothing (the newest 5 000 posts read)", nothing),
    figure("a curator's common words (the newest 10 and «…найдены и другие»)", common),
    figure("an executor's common words (his organization has 1 post of 40)", ownAmongOthers),
    figure("an executor's word in 1 post of 10, none his organization's", others),
  ];
}

await runAsScript(import.meta.url, runFindBench);
