/**
 * The cost of a «Согласовать» press on the full path (update → rights → transition → audit → card
 * edits and notices over HTTP to a local fake Bot API) against a bare grammY echo bot on the same
 * fake, both fed at a sustained 200 updates per second; and the same press with the Bot API answered
 * inside the bot (no HTTP), which is the bot's own share of the cost.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bot, type Transformer } from "grammy";
import type { Update } from "grammy/types";
import { Harness } from "../test/support/bot-harness.js";
import { privateChat, tgUser, updates } from "../test/support/updates.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice } from "../test/support/workflow.js";
import { type BenchFigure, runAsScript } from "./figures.js";

const PRESSES = 600;
const RATE = Number(process.env.RATE ?? 200);

/** Starts one update every 1/RATE s and measures each one's handling time. */
async function drive(
  handle: (update: Update) => Promise<unknown>,
  make: (i: number) => Update,
): Promise<number[]> {
  const times: number[] = [];
  const running: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < PRESSES; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const update = make(i);
    const t0 = performance.now();
    running.push(handle(update).then(() => void times.push(performance.now() - t0)));
  }
  await Promise.all(running);
  return times.sort((a, b) => a - b);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const p99 = (xs: number[]) => xs[Math.floor(xs.length * 0.99)] ?? Number.NaN;

/** While `on`, every Bot API call is answered at once without leaving the process. */
function answeredInside(): { transformer: Transformer; on: () => void } {
  let inside = false;
  let messageId = 1_000_000;
  const transformer: Transformer = async (prev, method, payload, signal) => {
    if (!inside) return prev(method, payload, signal);
    const chat = { id: (payload as { chat_id?: number }).chat_id ?? 0, type: "private" };
    const result = method === "sendMessage" ? { message_id: ++messageId, date: 0, chat, text: "" } : true;
    return { ok: true, result } as never;
  };
  const on = () => {
    inside = true;
  };
  return { transformer, on };
}

export async function runApproveBench(): Promise<BenchFigure[]> {
  const stub = answeredInside();
  // A database file, as in production: each commit's fsync is part of the press.
  const dir = mkdtempSync(join(tmpdir(), "osm-approve-bench-"));
  const h = await Harness.start({
    now: "2026-11-24T05:00:00Z",
    transformers: [stub.transformer],
    databasePath: join(dir, "bench.db"),
  });
  const { health } = seedOffice(h);
  const ids: number[] = [];
  for (let i = 0; i < 2 * PRESSES; i++) {
    const id = await seedIncidentInWork(h, health, { link: `https://vk.com/wall-1_${i + 1}` });
    await seedDraft(h, id);
    ids.push(id);
  }
  const curator = h.user(OFFICE.curator, "Ольга").tg;
  const card = h.fake.messages(OFFICE.curatorsChat)[0]?.message;
  if (!card) throw new Error("no card");
  const press = (i: number) => h.fake.pushUpdate(updates.callback(curator, card, `inc.ok:${ids[i]}`));
  const before = h.fake.mark();
  const full = await drive((update) => h.bot.handleUpdate(update), press);
  const callsPerPress = (h.fake.mark() - before) / PRESSES;

  const echo = new Bot(h.fake.token, { botInfo: h.fake.botInfo, client: { apiRoot: h.fake.apiRoot } });
  echo.on("message:text", (ctx) => ctx.reply(ctx.message.text));
  const person = tgUser(9001, "Эхо");
  const text = (i: number) => h.fake.pushUpdate(updates.text(privateChat(person), person, `эхо ${i}`));
  const bare = await drive((update) => echo.handleUpdate(update), text);

  // The same echo, answering each message as many times as a press calls the Bot API, side by side
  // as the press does: what the calls alone cost, so that the rest is the bot's own overhead.
  const calls = Math.round(callsPerPress);
  const busy = new Bot(h.fake.token, { botInfo: h.fake.botInfo, client: { apiRoot: h.fake.apiRoot } });
  busy.on("message:text", (ctx) =>
    Promise.all(Array.from({ length: calls }, () => ctx.reply(ctx.message.text))),
  );
  const echoed = await drive((update) => busy.handleUpdate(update), text);
  stub.on();
  const own = await drive(
    (update) => h.bot.handleUpdate(update),
    (i) => press(PRESSES + i),
  );
  await h.close();
  rmSync(dir, { recursive: true, force: true });

  const ratio = mean(full) / mean(bare);
  const sameCalls = mean(full) / mean(echoed);
  const round = (x: number) => Math.round(x * 10) / 10;
  return [
    {
      name: "approve press: mean / p99",
      value: round(mean(full)),
      unit: `ms / ${round(p99(full))} ms`,
      target: "p99 < 25 ms",
      pass: p99(full) < 25,
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
      name: `echo bot making the press's ${calls} Bot API calls: mean / p99`,
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
      name: "approve press without HTTP (the bot's own work): mean / p99",
      value: round(mean(own)),
      unit: `ms / ${round(p99(own))} ms`,
      target: "—",
      pass: true,
    },
  ];
}

await runAsScript(import.meta.url, runApproveBench);
