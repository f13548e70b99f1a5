import { existsSync } from "node:fs";
import { z } from "zod";

/** A configuration problem, said in one line that names the variable and what is expected. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const telegramId = /^-?\d{1,15}$/;

const envSchema = z.object({
  BOT_TOKEN: z
    .string({ error: "is required: the bot token from @BotFather, e.g. 123456:ABC-DEF" })
    .regex(/^\d+:[\w-]+$/, "expected a bot token from @BotFather, e.g. 123456:ABC-DEF"),
  BOT_API_ROOT: z.url({ error: "expected an http(s) URL, e.g. http://127.0.0.1:8081" }).optional(),
  DATABASE_PATH: z.string().min(1, "expected a file path").default("./data/bot.db"),
  ADMIN_IDS: z
    .string()
    .default("")
    .transform((value, ctx) => {
      const ids = value
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean);
      const bad = ids.find((id) => !telegramId.test(id));
      if (bad !== undefined) {
        ctx.addIssue({ code: "custom", message: `expected comma-separated Telegram user ids, got "${bad}"` });
        return z.NEVER;
      }
      return ids.map(Number);
    }),
  REGULATION: z
    .string()
    .min(1, "expected orenburg, georgievsk or a path to a preset file")
    .default("orenburg"),
  TIMEZONE: z.string().min(1).optional(),
  WORK_DAYS: z.string().optional(),
  WORK_HOURS: z.string().optional(),
  LUNCH: z.string().optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  WEBHOOK_URL: z
    .url({ protocol: /^https$/, error: "expected an https URL of this bot's webhook" })
    .optional(),
  WEBHOOK_SECRET: z
    .string()
    .regex(/^[\w-]{16,256}$/, "expected 16–256 characters of A-Z, a-z, 0-9, _ and -")
    .optional(),
  INTAKE_TOKEN: z
    .string()
    .regex(/^[\w-]{16,256}$/, "expected 16–256 characters of A-Z, a-z, 0-9, _ and -")
    .optional(),
  PORT: z.coerce
    .number({ error: "expected a TCP port number" })
    .int("expected a TCP port number")
    .min(1, "expected a TCP port number")
    .max(65535, "expected a TCP port number")
    .default(8080),
  LAW_ENFORCEMENT_CHAT_ID: z
    .string()
    .regex(telegramId, "expected a Telegram chat id, e.g. -1001234567890")
    .transform(Number)
    .optional(),
  INVITE_TTL_DAYS: z.coerce
    .number({ error: "expected a number of days" })
    .int("expected a whole number of days")
    .min(1, "expected at least 1 day")
    .max(365, "expected at most 365 days")
    .default(7),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  botToken: string;
  botApiRoot: string | undefined;
  databasePath: string;
  adminIds: number[];
  regulation: string;
  timezone: string | undefined;
  schedule: { WORK_DAYS?: string; WORK_HOURS?: string; LUNCH?: string };
  logLevel: Env["LOG_LEVEL"];
  webhook: { url: string; secret: string; port: number } | undefined;
  /** `POST /intake` for monitoring software, on the same port as the webhook. */
  intake: { token: string; port: number } | undefined;
  inviteTtlDays: number;
  /** Where posts with threats are forwarded (Orenburg p.17), if the deployment has such a chat. */
  lawEnforcementChatId: number | undefined;
}

/** Parses the environment once at start; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(
      ([key, value]) => key in envSchema.shape && value !== undefined && value !== "",
    ),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    throw new ConfigError(`${name}: ${issue?.message ?? "invalid value"}`);
  }
  const e = parsed.data;
  if (e.WEBHOOK_URL && !e.WEBHOOK_SECRET) {
    throw new ConfigError(
      "WEBHOOK_SECRET: is required when WEBHOOK_URL is set (16+ characters of A-Z, a-z, 0-9, _ and -)",
    );
  }
  if (e.WEBHOOK_URL && e.INTAKE_TOKEN && new URL(e.WEBHOOK_URL).pathname === "/intake") {
    throw new ConfigError(
      "WEBHOOK_URL: expected a path other than /intake, which serves INTAKE_TOKEN's posts",
    );
  }
  return {
    botToken: e.BOT_TOKEN,
    botApiRoot: e.BOT_API_ROOT?.replace(/\/+$/, ""),
    databasePath: e.DATABASE_PATH,
    adminIds: e.ADMIN_IDS,
    regulation: e.REGULATION,
    timezone: e.TIMEZONE,
    schedule: { WORK_DAYS: e.WORK_DAYS, WORK_HOURS: e.WORK_HOURS, LUNCH: e.LUNCH },
    logLevel: e.LOG_LEVEL,
    webhook: e.WEBHOOK_URL ? { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET ?? "", port: e.PORT } : undefined,
    intake: e.INTAKE_TOKEN ? { token: e.INTAKE_TOKEN, port: e.PORT } : undefined,
    inviteTtlDays: e.INVITE_TTL_DAYS,
    lawEnforcementChatId: e.LAW_ENFORCEMENT_CHAT_ID,
  };
}

/** Reads `.env` from the working directory if there is one; real environment variables win. */
export function readDotEnv(path = ".env"): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
