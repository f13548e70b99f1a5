/**
 * A month of an office run by monkeys: where the fuzz (fuzz.test.ts) forges what nobody was shown,
 * here curators, executors and a head press only buttons the bot showed them — new or stale — and
 * type what its questions ask for, or not: answers, links, reasons, photos, commands, nonsense; they
 * correct what they sent, curators forward a channel's posts (albums too), and an admin takes an
 * executor out of his organization and invites him back. The clock moves on and the timed jobs run
 * as in production. Whatever they do, nothing may crash, every press gets one answer, every private
 * message a reply, and every change to a post leaves an audit event of someone with the right to
 * make it; and the posts do move: some are answered.
 */
import { appendFileSync } from "node:fs";
import type { Chat, User } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPerson } from "../../src/app/people.js";
import { t } from "../../src/bot/texts.js";
import { remindAbandonedDrafts } from "../../src/jobs/abandoned-drafts.js";
import { remindUnpostedClaims } from "../../src/jobs/curator-posting.js";
import { curatorsDigest, morningDigests } from "../../src/jobs/digest.js";
import { headsRetry, surgeRetry } from "../../src/jobs/heads.js";
import { monthlyReports } from "../../src/jobs/reports.js";
import { sweep } from "../../src/jobs/sweep.js";
import { Harness } from "../support/bot-harness.js";
import type { ApiCall } from "../support/fake-bot-api.js";
import { recordErrors, rng } from "../support/seeded.js";
import {
  channelChat,
  type FileRef,
  groupChat,
  type NewUpdate,
  privateChat,
  tgUser,
  unixNow,
  updates,
} from "../support/updates.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice } from "../support/workflow.js";

/** 1 200 by default (in each office); MONKEY_STEPS=… to run more or fewer. */
const STEPS = Number(process.env.MONKEY_STEPS ?? 1_200);
/** Fixed, so a failure replays; MONKEY_SEED=… to explore other days. */
const SEED = Number(process.env.MONKEY_SEED ?? 20261207);
const REPLAY = `replay: MONKEY_SEED=${SEED} MONKEY_STEPS=${STEPS} npx vitest run test/reliability/monkey.test.ts`;

/** MONKEY_TRACE=file: what each monkey did, a line a step (with MONKEY_DEBUG=1, also what the bot sent). */
function trace(line: string): void {
  if (process.env.MONKEY_TRACE) appendFileSync(process.env.MONKEY_TRACE, `${line}\n`);
}

const EDUCATION = { chat: -300, executor: 3002 } as const;
/** Not a monkey: comes by now and then to take an executor out of his organization or invite him back. */
const ADMIN = tgUser(1001, "Анна");
/** The city's news channel, whose posts the curators forward, with photos as an album or not. */
const NEWS = channelChat(-1001500, "Новости города", "city_news");

interface Monkey {
  tg: User;
  /** The chats the person is in: the private chat first. */
  chats: Chat[];
  curator: boolean;
  /** An executor's organization: the one the admin takes him out of and invites him back to. */
  organization?: string;
}

/** What people type: answers to the bot's questions, and what they type instead. */
function typed(random: () => number, posts: number): string {
  const n = 1 + Math.floor(random() * Math.max(posts, 1));
  // A post of the morning's (seeded) or one the curators registered.
  const post = random() < 0.5 ? `wall-200_${1 + Math.floor(random() * 6)}` : `wall-100_${n}`;
  const samples = [
    "Здравствуйте! Снег во дворе уберут до пятницы. Спасибо за обращение, администрация района.",
    "Здравствуйте! Ремонт освещения запланирован на следующую неделю.",
    "Здравствуйте! Мусор вывезут сегодня до 18:00, контейнерную площадку приведут в порядок.",
    "Здравствуйте! Проверка проведена, нарушения устранены. Администрация района.",
    "Не наша компетенция: это вопрос Министерства транспорта.",
    `https://vk.com/${post}?reply=${500 + Math.floor(random() * 500)}`,
    `https://vk.com/${post}?reply=${500 + Math.floor(random() * 500)}`,
    `https://vk.com/${post}`,
    "https://ok.ru/group/1/topic/2",
    "ЖКХ",
    "Ленина, 5",
    "Готово",
    "да",
    "2",
    "отмена",
    "/cancel",
    "/list",
    `/find ${n}`,
    "/find мусор",
    `/find https://vk.com/${post}`,
    "/start",
    "/help",
    "/report",
    "Спасибо 👍",
    "ا".repeat(50),
    "Очень длинный ответ. ".repeat(300),
  ];
  return samples[Math.floor(random() * samples.length)] as string;
}

/**
 * People mostly move a post on: the buttons that do are pressed more often than those that close it,
 * cancel or look around; so posts go the whole way while every button still gets pressed.
 */
const ON =
  /^(Направить|Зарегистрировать|Взять в работу|Подготовить|Промежуточный|Отправить|Согласовать|Размещено|Размещу|Готово|Мин)/;
const AWAY =
  /^(Отмена|История|Угроза|Оскорбительное|Да, закрыть|Да, угроза|Закрыть|Вернуть|На доработку|Все|•)/;

function weighted<T extends { label: string }>(random: () => number, buttons: readonly T[]): T {
  const weights = buttons.map((b) => (ON.test(b.label) ? 6 : AWAY.test(b.label) ? 0.3 : 1));
  let left = random() * weights.reduce((a, b) => a + b, 0);
  for (const [i, button] of buttons.entries()) {
    left -= weights[i] as number;
    if (left < 0) return button;
  }
  return buttons.at(-1) as T;
}

/** Asked for a link about post № N: the comment that answers it, as a person would paste it. */
function linkAskedIn(question: string | undefined): string | undefined {
  const id = /ссылк/i.test(question ?? "") ? /№ (\d+)/.exec(question ?? "")?.[1] : undefined;
  if (id === undefined) return undefined;
  const post = h.database.sqlite.prepare("SELECT link FROM incidents WHERE id = ?").get(id) as
    | { link: string }
    | undefined;
  return post && `${post.link}?reply=${id}01`;
}

/**
 * Post № n of the news channel forwarded: its text alone, or with one to three photos, an album of
 * several (one message each, its own number in the channel) with the text in any one caption.
 */
function forwardedPost(chat: Chat, from: User, n: number, text: string, random: () => number): NewUpdate[] {
  const origin = { type: "channel", chat: NEWS, date: unixNow() - 3600 } as const;
  const photos = random() < 0.5 ? 1 + Math.floor(random() * 3) : 0;
  if (photos === 0) return [updates.forwarded(chat, from, text, { ...origin, message_id: n * 10 })];
  const captioned = Math.floor(random() * photos);
  const album = photos > 1 ? `album-${n}` : undefined;
  return Array.from({ length: photos }, (_, k) => {
    const forward_origin = { ...origin, message_id: n * 10 + k };
    return updates.photo(chat, from, file, k === captioned ? text : undefined, album, { forward_origin });
  });
}

/** The tables a change of a post touches, as one string, to see whether a step changed one. */
function postsState(h: Harness): string {
  const { sqlite } = h.database;
  return ["incidents", "assignments", "drafts", "publications"]
    .map((table) => JSON.stringify(sqlite.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all()))
    .join("\n");
}

/**
 * Changes to posts since audit event `after` made by someone who may not make them now: neither a
 * curator nor an admin, nor in an organization the post was routed to (an executor taken out of his).
 */
function actedWithoutRight(h: Harness, after: number): string[] {
  const rows = h.database.sqlite
    .prepare(
      `SELECT e.action, e.entity_id AS id, p.first_name AS name FROM audit_events e
       JOIN people p ON p.id = e.actor_id
       WHERE e.id > ? AND e.entity = 'incident'
         AND NOT EXISTS (SELECT 1 FROM role_grants r WHERE r.person_id = p.id AND r.role IN ('curator', 'admin'))
         AND NOT EXISTS (SELECT 1 FROM memberships m JOIN assignments a ON a.organization_id = m.organization_id
                         WHERE m.person_id = p.id AND a.incident_id = CAST(e.entity_id AS INTEGER))`,
    )
    .all(after) as { action: string; id: string; name: string }[];
  return rows.map((row) => `${row.name} made «${row.action}» on № ${row.id} without the right`);
}

function lastAuditId(h: Harness): number {
  const row = h.database.sqlite.prepare("SELECT max(id) AS id FROM audit_events").get() as {
    id: number | null;
  };
  return row.id ?? 0;
}

/**
 * What was wrong with the bot's handling of one update, judged by the calls it made meanwhile: a
 * private message gets a reply (or the question it answers says what was taken); a press exactly one answer; nobody is told «что-то пошло не так».
 */
function problemsOf(where: string, update: NewUpdate, made: ApiCall[]): string[] {
  const problems: string[] = [];
  const message = update.message;
  if (
    message?.chat.type === "private" &&
    !made.some((c) => /^(send|edit)/.test(c.method) && c.params.chat_id === message.chat.id && c.response.ok)
  )
    problems.push(`${where}: no reply to ${JSON.stringify(message.text ?? "(photo)").slice(0, 60)}`);
  const query = update.callback_query;
  if (query) {
    const answers = made.filter(
      (c) => c.method === "answerCallbackQuery" && c.params.callback_query_id === query.id,
    );
    if (answers.length !== 1) problems.push(`${where}: ${answers.length} answers to «${query.data}»`);
  }
  if (made.some((c) => c.params.text === t.error)) problems.push(`${where}: apologized`);
  return problems;
}

let h: Harness;
let people: Monkey[];
let file: FileRef;

/** The office: two curators, two organizations with a work chat and an executor each, a head. */
async function openOffice(regulation: "orenburg" | "georgievsk"): Promise<void> {
  h = await Harness.start({ now: "2026-11-23T04:00:00Z", regulation });
  const { health } = seedOffice(h);
  const education = h.seedOrganization("Министерство образования", "Минобр");
  h.seedChat(h.group(EDUCATION.chat, "Минобр: обращения"), education);
  h.seedPerson(EDUCATION.executor, "Пётр", [], [education]);
  h.seedPerson(ADMIN.id, ADMIN.first_name, ["admin"]);
  // The day starts with work on the desks: posts in work at the health ministry, some with a draft
  // waiting for the curators, one approved; the rest come in through the curators' chat.
  for (let n = 1; n <= 6; n++) {
    const id = await seedIncidentInWork(h, health, { link: `https://vk.com/wall-200_${n}` });
    if (n > 2) await seedDraft(h, id, { approve: n === 6 });
  }
  const curators = groupChat(OFFICE.curatorsChat, "Кураторы");
  const person = (
    id: number,
    name: string,
    groups: Chat[],
    curator = false,
    organization?: string,
  ): Monkey => {
    const tg = tgUser(id, name);
    return { tg, chats: [privateChat(tg), ...groups], curator, ...(organization ? { organization } : {}) };
  };
  // The head comes by now and then; curators and executors work all day.
  people = [
    person(OFFICE.curator, "Ольга", [curators], true),
    person(OFFICE.curator2, "Светлана", [curators], true),
    person(OFFICE.executor, "Иван", [groupChat(OFFICE.healthChat, "Минздрав: обращения")], false, "Минздрав"),
    person(EDUCATION.executor, "Пётр", [groupChat(EDUCATION.chat, "Минобр: обращения")], false, "Минобр"),
    person(OFFICE.head, "Глава", []),
  ];
  people.splice(0, 0, ...people.slice(0, 4));
  file = h.fake.addFile("photo", "photo.jpg");
}

// Georgievsk's curators pass co-executors' parts on and may post answers themselves (p.12, p.18):
// more of their buttons to press.
describe.each(["orenburg", "georgievsk"] as const)(
  "monkeys in an office under %s's regulation",
  (regulation) => {
    beforeAll(() => openOffice(regulation), 60_000);
    afterAll(() => h.close());

    it(`${STEPS} steps of pressing what is shown and typing what is asked: nothing crashes, nothing is unaccounted for`, async () => {
      const random = rng(SEED);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
      const { errors, log } = recordErrors(h);
      const deps = { ...h.deps(), log };
      const jobs = [
        sweep,
        headsRetry(),
        surgeRetry(),
        morningDigests,
        curatorsDigest,
        remindAbandonedDrafts,
        remindUnpostedClaims,
        monthlyReports,
      ];
      const problems: string[] = [];
      const seeded = lastAuditId(h);
      let posts = 0;
      let previous: Monkey | undefined;
      let presses = 0;
      /** Delivers what a person sent (an album's items one after another) and notes what went wrong. */
      const act = async (where: string, batch: NewUpdate[]): Promise<void> => {
        const before = postsState(h);
        const audited = lastAuditId(h);
        const mark = h.fake.calls.length;
        for (const update of batch) {
          try {
            await h.deliver(update);
          } catch (error) {
            problems.push(`${where} threw ${String(error)}`);
            return;
          }
        }
        if (process.env.MONKEY_DEBUG)
          for (const c of h.fake.calls.slice(mark))
            trace(
              `    < ${c.method} ${String(c.params.chat_id)} ${String(c.params.text ?? "").slice(0, 120)}`,
            );
        const found = problemsOf(where, batch[0] as NewUpdate, h.fake.calls.slice(mark));
        problems.push(...found);
        if (found.length > 0)
          for (const c of h.fake.calls.slice(Math.max(0, mark - 12)))
            trace(`  ${c.method} ${JSON.stringify(c.params).slice(0, 300)}`);
        if (postsState(h) !== before && lastAuditId(h) === audited)
          problems.push(`${where}: a post changed without an audit event`);
        problems.push(...actedWithoutRight(h, audited).map((problem) => `${where}: ${problem}`));
      };
      const executors = people.filter((p) => p.organization !== undefined);
      const isMember = (executor: Monkey) =>
        (findPerson(h.db, executor.tg.id)?.organizationIds.length ?? 0) > 0;
      /** The admin presses the newest button so labelled in his chat. */
      const adminPresses = async (where: string, label: RegExp): Promise<void> => {
        const button = h.fake.buttons(ADMIN.id).find((b) => b.callbackData && label.test(b.label));
        if (!button) return void problems.push(`${where}: no button ${label}`);
        trace(`${where} press ${button.label}`);
        const press = updates.callback(ADMIN, button.message, button.callbackData as string);
        await act(where, [press]);
      };
      /**
       * The admin takes an executor out of his organization (/people, as the admin's tests do), or
       * invites him back (/invite), and he follows the link: his posts go on without him, or with him.
       */
      const adminVisits = async (i: number, executor: Monkey): Promise<void> => {
        const where = `#${i} ${ADMIN.first_name}`;
        trace(`${where} ${isMember(executor) ? "takes out" : "invites back"} ${executor.tg.first_name}`);
        if (isMember(executor)) {
          await act(where, [updates.text(privateChat(ADMIN), ADMIN, "/people")]);
          await adminPresses(where, new RegExp(`^\\d+\\. ${executor.tg.first_name}`));
          await adminPresses(where, /^Исключить из/);
          await adminPresses(where, /^Да, исключить/);
          return;
        }
        await act(where, [updates.text(privateChat(ADMIN), ADMIN, "/invite")]);
        await adminPresses(where, /^Исполнитель$/);
        await adminPresses(where, new RegExp(`^${executor.organization} `));
        const token = /start=(\S+)/.exec(h.lastText(ADMIN.id))?.[1];
        if (!token) return void problems.push(`${where}: no invite link`);
        const [chat] = executor.chats as [Chat];
        await act(`${where} → ${executor.tg.first_name}`, [
          updates.text(chat, executor.tg, `/start ${token}`),
        ]);
      };
      for (let i = 0; i < STEPS && problems.length === 0; i++) {
        const roll = random();
        if (roll < 0.06) {
          // Time passes; the minute's jobs run as startJobs runs them.
          h.clock.advance(Math.floor(1 + random() * 180) * 60_000);
          const mark = h.fake.calls.length;
          for (const job of jobs) {
            try {
              await job(deps);
            } catch (error) {
              problems.push(`#${i} job threw ${String(error)}`);
            }
          }
          if (h.fake.calls.slice(mark).some((c) => c.params.text === t.error))
            problems.push(`#${i}: a job apologized`);
          continue;
        }
        // Now and then an executor leaves his organization; one gone is soon invited back.
        const out = executors.filter((e) => !isMember(e));
        if (roll < 0.0615 || (roll < 0.07 && out.length > 0)) {
          await adminVisits(i, roll < 0.0615 ? pick(executors) : pick(out));
          continue;
        }
        // People work in streaks: a dialogue begun is mostly gone on with by the same person.
        const monkey =
          roll < 0.1
            ? (pick(people.filter((p) => p.curator)) as Monkey)
            : previous && random() < 0.6
              ? previous
              : pick(people);
        previous = monkey;
        const buttonsIn = (chat: Chat) => h.fake.buttons(chat.id).filter((b) => b.callbackData !== undefined);
        const withButtons = monkey.chats.filter((c) => buttonsIn(c).length > 0);
        // A person the bot has just asked for a text or a link mostly sends it there.
        const asked = monkey.chats.find((c) =>
          /пришлите (текст|ссылку)/i.test(h.fake.lastMessage(c.id)?.text ?? ""),
        );
        const answering = roll >= 0.1 && asked !== undefined && random() < 0.7;
        const pressing = !answering && roll >= 0.1 && withButtons.length > 0 && random() < 0.7;
        let chat =
          roll < 0.1
            ? (monkey.chats[1] as Chat)
            : answering
              ? (asked as Chat)
              : pick(pressing ? withButtons : monkey.chats);
        let batch: NewUpdate[];
        let said: string | undefined;
        if (roll < 0.1 && posts < 40) {
          // A curator pastes a new post from the monitoring into the curators' chat, or forwards one
          // of the news channel's there or to the bot.
          posts += 1;
          const complaint = `Жалоба ${posts}: во дворе не вывозят мусор, дети ходят по дороге.`;
          if (random() < 0.3) {
            chat = pick(monkey.chats.slice(0, 2));
            batch = forwardedPost(chat, monkey.tg, posts, complaint, random);
            said = `forwards ${batch.length > 1 ? `an album of ${batch.length}` : "a post"}`;
          } else batch = [updates.text(chat, monkey.tg, `https://vk.com/wall-100_${posts}\n${complaint}`)];
        } else if (pressing) {
          // Mostly what was just shown; now and then a stale button further up.
          const shown = buttonsIn(chat);
          const newest = shown[0]?.message.message_id ?? 0;
          const last = shown.filter((b) => b.message.message_id === newest);
          const fresh = shown.filter((b) => b.message.message_id >= newest - 3);
          const which = random();
          const button = weighted(random, which < 0.5 ? last : which < 0.85 ? fresh : shown);
          const press = updates.callback(monkey.tg, button.message, button.callbackData as string);
          batch = [{ callback_query: { ...press.callback_query, id: `monkey-${i}` } }];
          presses += 1;
          trace(`${i} ${monkey.tg.first_name} ${chat.id} press ${button.label}`);
        } else if (random() < 0.15) {
          batch = [updates.photo(chat, monkey.tg, file, random() < 0.5 ? "Фото с места" : undefined)];
        } else {
          // Now and then a person corrects what he sent before.
          const mine =
            random() < 0.1
              ? h.fake
                  .messages(chat.id, { includeUsers: true })
                  .findLast((m) => !m.from_bot && m.message.from?.id === monkey.tg.id && m.text !== undefined)
              : undefined;
          const last = h.fake.lastMessage(chat.id);
          const text = (random() < 0.5 && linkAskedIn(last?.text)) || typed(random, posts);
          if (mine) {
            batch = [updates.edited(mine.message, text)];
            said = `edits ${mine.message_id} to ${text.slice(0, 40)}`;
          } else {
            // In a group, an answer is often a reply to the bot's question.
            const reply = chat.type !== "private" && last && random() < 0.5;
            batch = [
              reply ? updates.replyTo(chat, monkey.tg, text, last) : updates.text(chat, monkey.tg, text),
            ];
          }
        }
        const [first] = batch as [NewUpdate];
        if (!first.callback_query)
          trace(
            `${i} ${monkey.tg.first_name} ${chat.id} ${said ?? `says ${(first.message?.text ?? "(photo)").slice(0, 40)}`}`,
          );
        await act(`#${i} ${monkey.tg.first_name} in ${chat.id}`, batch);
      }

      expect(problems.slice(0, 10), REPLAY).toEqual([]);
      expect(errors.slice(0, 5), REPLAY).toEqual([]);
      // The monkeys did work: posts came in, buttons were pressed, and some posts went the whole way.
      expect(posts).toBeGreaterThan(10);
      expect(presses).toBeGreaterThan(STEPS / 4);
      const actions = h.database.sqlite
        .prepare("SELECT action, count(*) AS n FROM audit_events WHERE id > ? GROUP BY action")
        .all(seeded) as { action: string; n: number }[];
      trace(JSON.stringify(actions));
      expect(actions.some((a) => a.action.startsWith("publish"))).toBe(true);
      expect(actions.map((a) => a.action)).toEqual(
        expect.arrayContaining(["route", "accept", "submitDraft", "approve"]),
      );
    }, 300_000);
  },
);
