/**
 * The cost of a «Согласовать» press on the full path (update → rights → transition → audit → card
 * edits and notices over HTTP to a Bot API in another thread) against a bare grammY echo bot on the
 * same Bot API, both fed at a sustained 200 updates per second; and the same press with the Bot API
 * answered inside the bot (no HTTP), which is the bot's own share of the cost.
 *
 * The presses come from one curators' chat, as in an office. The bot handles one chat's updates one
 * after another, but a press holds its chat only while it commits (src/bot/after-turn.ts): its
 * announcements run beside the next presses, and each press's time here runs until the last of them.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Bot, type Transformer } from "grammy";
import type { Update } from "grammy/types";
import pino from "pino";
import { createBot } from "../src/bot/index.js";
import { startCheckpointer } from "../src/db/checkpointer.js";
import { Harness } from "../test/support/bot-harness.js";
import { privateChat, tgUser, updates } from "../test/support/updates.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice } from "../test/support/workflow.js";
import { type BenchFigure, runAsScript } from "./figures.js";
import { startRemoteBotApi } from "./remote-bot-api.js";

const PRESSES = 600;
/** Presses before the measured ones, while V8 compiles the code. */
const WARM_UP = 200;
/** Presses handled one after another, none waiting for another: what one costs without a queue. */
const ALONE = 200;
const RATE = Number(process.env.RATE ?? 200);

/**
 * Starts one update every 1/RATE s and measures each one's handling time. The updates are made
 * before the clock starts: making them is the benchmark's work, not the bot's.
 */
async function drive(
  handle: (update: Update) => Promise<unknown>,
  make: (i: number) => Update,
  count = PRESSES,
): Promise<Run> {
  const made = Array.from({ length: count }, (_, i) => make(i));
  const times: number[] = [];
  const running: Promise<void>[] = [];
  const elu = performance.eventLoopUtilization();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  for (const [i, update] of made.entries()) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    running.push(handle(update).then(() => void times.push(performance.now() - t0)));
  }
  await Promise.all(running);
  const busy = performance.eventLoopUtilization(elu).active / count;
  delay.disable();
  return { times: times.sort((a, b) => a - b), busy, stall: delay.max / 1e6 };
}

/**
 * Each update's handling time, sorted; the time the bot's thread was busy per update; and the longest
 * time its event loop could not turn (a checkpoint in the commit, a GC).
 */
interface Run {
  times: number[];
  busy: number;
  stall: number;
}

/**
 * With PROFILE=file, a CPU profile of the measured presses at full rate is written there (open it in
 * Chrome's DevTools): where the bot's thread spends a press.
 */
async function profiled(): Promise<{ stop: () => Promise<void> }> {
  const file = process.env.PROFILE;
  if (!file) return { stop: async () => {} };
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    stop: async () => {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const p99 = (xs: number[]) => xs[Math.floor(xs.length * 0.99)] ?? Number.NaN;

/** Counts the calls of a bot's API, or answers them at once inside the bot when `inside`. */
function counted(inside: boolean): { transformer: Transformer; made: () => number } {
  let made = 0;
  let messageId = 1_000_000;
  const transformer: Transformer = async (prev, method, payload, signal) => {
    made++;
    if (!inside) return prev(method, payload, signal);
    const chat = { id: (payload as { chat_id?: number }).chat_id ?? 0, type: "private" };
    const result = method === "sendMessage" ? { message_id: ++messageId, date: 0, chat, text: "" } : true;
    return { ok: true, result } as never;
  };
  return { transformer, made: () => made };
}

export async function runApproveBench(): Promise<BenchFigure[]> {
  const remoteApi = await startRemoteBotApi();
  // A database file, as in production: the press's calls wait for the WAL's sync (db/durability.ts).
  const dir = mkdtempSync(join(tmpdir(), "osm-approve-bench-"));
  const h = await Harness.start({ now: "2026-11-24T05:00:00Z", databasePath: join(dir, "bench.db") });
  const remote = { botInfo: h.fake.botInfo, client: { apiRoot: remoteApi.apiRoot } };
  // The WAL is checkpointed from a thread of its own, as production does (db/checkpointer.ts).
  const checkpointer = startCheckpointer(h.database.sqlite, pino({ level: "silent" }));
  const { health } = seedOffice(h);
  const ids: number[] = [];
  for (let i = 0; i < 2 * WARM_UP + 2 * PRESSES + ALONE; i++) {
    const id = await seedIncidentInWork(h, health, { link: `https://vk.com/wall-1_${i + 1}` });
    await seedDraft(h, id);
    ids.push(id);
  }
  const curator = h.user(OFFICE.curator, "Ольга").tg;
  const card = h.fake.messages(OFFICE.curatorsChat)[0]?.message;
  if (!card) throw new Error("no card");
  // Each press approves an incident of its own, none twice.
  let pressed = 0;
  const press = () => h.fake.pushUpdate(updates.callback(curator, card, `inc.ok:${ids[pressed++]}`));
  // The office is seeded through the test fake; the presses go to a bot made as production makes
  // it (its own transformers: each call waits for the WAL's sync), talking to the remote Bot API.
  const botOf = (inside: boolean) => {
    const calls = counted(inside);
    const bot = createBot({
      token: h.fake.token,
      apiRoot: remoteApi.apiRoot,
      botInfo: h.fake.botInfo,
      deps: h.app,
      transformers: [calls.transformer],
    });
    return { bot, calls };
  };
  const { bot, calls } = botOf(false);
  // A running bot has its code compiled: the first presses, slower while V8 compiles it, are not measured.
  await drive((update) => bot.handleUpdate(update), press, WARM_UP);
  const before = calls.made();
  const profile = await profiled();
  const { times: full, busy: fullBusy, stall } = await drive((update) => bot.handleUpdate(update), press);
  await profile.stop();
  const callsPerPress = Math.round((calls.made() - before) / PRESSES);
  const alone: number[] = [];
  for (let i = 0; i < ALONE; i++) {
    const update = press();
    const t0 = performance.now();
    await bot.handleUpdate(update);
    alone.push(performance.now() - t0);
  }
  alone.sort((a, b) => a - b);

  const echo = new Bot(h.fake.token, remote);
  echo.on("message:text", (ctx) => ctx.reply(ctx.message.text));
  const person = tgUser(9001, "Эхо");
  const text = (i: number) => h.fake.pushUpdate(updates.text(privateChat(person), person, `эхо ${i}`));
  await drive((update) => echo.handleUpdate(update), text, WARM_UP);
  const { times: bare, busy: bareBusy } = await drive((update) => echo.handleUpdate(update), text);

  // The same echo, answering each message as many times as a press calls the Bot API, side by side
  // as the press does: what the calls alone cost, so that the rest is the bot's own overhead.
  const busy = new Bot(h.fake.token, remote);
  busy.on("message:text", (ctx) =>
    Promise.all(Array.from({ length: callsPerPress }, () => ctx.reply(ctx.message.text))),
  );
  const { times: echoed, busy: echoedBusy } = await drive((update) => busy.handleUpdate(update), text);
  const inside = botOf(true).bot;
  await drive((update) => inside.handleUpdate(update), press, WARM_UP);
  const { times: own, busy: ownBusy } = await drive((update) => inside.handleUpdate(update), press);
  await checkpointer?.stop();
  await h.close();
  await remoteApi.close();
  rmSync(dir, { recursive: true, force: true });

  const ratio = mean(full) / mean(bare);
  const sameCalls = mean(full) / mean(echoed);
  const round = (x: number) => Math.round(x * 10) / 10;
  const round2 = (x: number) => Math.round(x * 100) / 100;
  return [
    {
      name: "approve press: mean / p99",
      value: round(mean(full)),
      unit: `ms / ${round(p99(full))} ms`,
      target: "p99 < 25 ms",
      pass: p99(full) < 25,
    },
    {
      name: "approve press, one at a time: mean / p99",
      value: round(mean(alone)),
      unit: `ms / ${round(p99(alone))} ms`,
      target: "—",
      pass: true,
    },
    {
      name: "echo bot: mean / p99",
      value: round(mean(bare)),
      unit: `ms / ${round(p99(bare))} ms`,
      target: "—",
      pass: true,
    },
    { name: "approve press vs echo, mean", value: round(ratio), unit: "×", target: "≤ 2×", pass: ratio <= 2 },
    {
      name: `echo bot making the press's ${callsPerPress} Bot API calls: mean / p99`,
      value: round(mean(echoed)),
      unit: `ms / ${round(p99(echoed))} ms`,
      target: "—",
      pass: true,
    },
    {
      name: "approve press vs that echo, mean (the bot's own overhead)",
      value: round(sameCalls),
      unit: "×",
      target: "—",
      pass: true,
    },
    {
      name: `bot's thread busy per update at ${RATE}/s: press / echo / echo with the press's calls / press without HTTP`,
      value: round2(fullBusy),
      unit: `ms / ${round2(bareBusy)} / ${round2(echoedBusy)} / ${round2(ownBusy)} ms`,
      target: "—",
      pass: true,
    },
    {
      name: `the bot's event loop blocked at most, presses at ${RATE}/s`,
      value: round(stall),
      unit: "ms",
      target: "—",
      pass: true,
    },
    {
      name: "approve press without HTTP (the bot's own work): mean / p99",
      value: round(mean(own)),
      unit: `ms / ${round(p99(own))} ms`,
      target: "—",
      pass: true,
    },
  ];
}

await runAsScript(import.meta.url, runApproveBench);
