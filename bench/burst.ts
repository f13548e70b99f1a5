/**
 * A burst of alerts: 500 messages to 50 group chats through the production transformers
 * (auto-retry + throttler) against a fake Bot API that enforces Telegram's flood limits.
 * The limit-imposed minimum is max(500 / 30 per second, 10 per chat at 1 per second).
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Api, GrammyError } from "grammy";
import { FakeBotApi } from "../test/support/fake-bot-api.js";
import { type BenchFigure, runAsScript } from "./figures.js";

const CHATS = 50;
const PER_CHAT = 10;

export async function runBurstBench(): Promise<BenchFigure[]> {
  const fake = await FakeBotApi.start({ token: "1:burst", enforceLimits: true });
  const api = new Api(fake.token, { apiRoot: fake.apiRoot });
  // As in production: the throttler inside, auto-retry outside, so a retried call queues again.
  api.config.use(apiThrottler());
  api.config.use(autoRetry({ maxRetryAttempts: 10, maxDelaySeconds: 60 }));
  const started = performance.now();
  let lost = 0;
  const sends: Promise<unknown>[] = [];
  for (let n = 0; n < PER_CHAT; n++) {
    for (let c = 0; c < CHATS; c++) {
      sends.push(
        api.sendMessage(-1000 - c, `Напоминание ${n + 1}`).catch((error) => {
          if (!(error instanceof GrammyError)) throw error;
          lost++;
        }),
      );
    }
  }
  await Promise.all(sends);
  const seconds = (performance.now() - started) / 1000;
  const minimum = Math.max((CHATS * PER_CHAT) / 30, PER_CHAT - 1);
  const delivered = fake.callsOf("sendMessage").filter((c) => c.response.ok).length;
  const figures: BenchFigure[] = [
    {
      name: "burst: 500 alerts to 50 chats, time",
      value: Math.round(seconds * 10) / 10,
      unit: "s",
      target: `≤ ${(minimum * 1.1).toFixed(1)} s (1.1 × ${minimum.toFixed(1)} s)`,
      pass: seconds <= minimum * 1.1,
    },
    {
      name: "burst: delivered",
      value: delivered,
      unit: "messages",
      target: "500",
      pass: delivered === 500 && lost === 0,
    },
    {
      name: "burst: 429 answered by the fake",
      value: fake.floodErrors,
      unit: "",
      target: "0 unhandled",
      pass: lost === 0,
    },
  ];
  await fake.close();
  return figures;
}

await runAsScript(import.meta.url, runBurstBench);
