import { inspect } from "node:util";
import { systemClock } from "./clock.js";
import { ConfigError, loadConfig, readDotEnv } from "./config.js";
import { MigrationError } from "./db/client.js";
import { CalendarError, ScheduleError, WorkingTimeError } from "./domain/calendar/index.js";
import { RegulationError } from "./domain/regulation/index.js";
import { scrub } from "./log.js";
import { secretsOf, startBot, TelegramUnavailableError } from "./runtime.js";

/** Errors a person fixes in the settings: one clear line, no stack trace. */
const SETTINGS_ERRORS = [
  ConfigError,
  RegulationError,
  ScheduleError,
  WorkingTimeError,
  CalendarError,
  MigrationError,
  TelegramUnavailableError,
];

const secrets: string[] = [];

async function main(): Promise<void> {
  readDotEnv();
  const config = loadConfig(process.env);
  secrets.push(...secretsOf(config));
  const running = await startBot(config, { clock: systemClock });
  void running.failed.then(() => process.exit(1));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      running.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((error: unknown) => {
  const text = SETTINGS_ERRORS.some((kind) => error instanceof kind)
    ? (error as Error).message
    : inspect(error, { depth: 4 });
  console.error(`Cannot start: ${scrub(text, secrets)}`);
  process.exit(1);
});
