import { readFileSync } from "node:fs";
import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

const valid = { BOT_TOKEN: "123456:ABC-def_1" };

/**
 * The image as README's `docker run --env-file .env -v osm-data:/data osm-bot` starts it: the
 * Dockerfile's last stage (its working directory, ENV, volume and links), with each `KEY=VALUE` line of
 * the env file set over the image's ENV — an empty `KEY=` too, as Docker does.
 */
function dockerRun(envFile: string) {
  const lines = readFileSync(new URL("../../Dockerfile", import.meta.url), "utf8").split("\n");
  const image = lines.slice(lines.findLastIndex((line) => line.startsWith("FROM ")));
  const argsOf = (instruction: string) =>
    image
      .filter((line) => line.startsWith(`${instruction} `))
      .map((line) => line.slice(instruction.length + 1));
  const env: Record<string, string> = {};
  for (const pair of argsOf("ENV").flatMap((args) => args.trim().split(/\s+/))) {
    const [key = "", value = ""] = pair.split("=");
    env[key] = value;
  }
  for (const line of readFileSync(new URL(`../../${envFile}`, import.meta.url), "utf8").split("\n")) {
    const at = line.indexOf("=");
    if (at > 0 && !line.trimStart().startsWith("#")) env[line.slice(0, at)] = line.slice(at + 1);
  }
  const workdir = argsOf("WORKDIR").at(-1) ?? "/";
  const links = argsOf("RUN").flatMap((run) =>
    [...run.matchAll(/ln -s (\S+) (\S+)/g)].map(([, to, at]) => ({ to, at })),
  );
  const volumes = argsOf("VOLUME").flatMap((args) => JSON.parse(args) as string[]);
  /** Where a path in the container ends up, through the image's links. */
  const where = (path: string) => {
    let full = posix.resolve(workdir, path);
    for (const { to = "", at = "" } of links)
      if (full.startsWith(`${at}/`)) full = to + full.slice(at.length);
    return full;
  };
  return { env, volumes, where };
}

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("applies defaults for everything but the token", () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      botToken: "123456:ABC-def_1",
      botApiRoot: undefined,
      databasePath: "./data/bot.db",
      adminIds: [],
      regulation: "orenburg",
      logLevel: "info",
      webhook: undefined,
      inviteTtlDays: 7,
    });
  });

  it("names BOT_TOKEN when it is missing or malformed", () => {
    expect(errorOf({})).toMatch(/^BOT_TOKEN: is required/);
    expect(errorOf({ BOT_TOKEN: "not-a-token" })).toMatch(/^BOT_TOKEN: expected a bot token/);
  });

  it("parses ADMIN_IDS and names a bad id", () => {
    expect(loadConfig({ ...valid, ADMIN_IDS: " 111, 222 ,," }).adminIds).toEqual([111, 222]);
    expect(errorOf({ ...valid, ADMIN_IDS: "111,abc" })).toBe(
      'ADMIN_IDS: expected comma-separated Telegram user ids, got "abc"',
    );
  });

  it("treats empty variables as unset, as in a copied .env.example", () => {
    expect(loadConfig({ ...valid, BOT_API_ROOT: "", TIMEZONE: "" }).botApiRoot).toBeUndefined();
  });

  it("in Docker, with a copied .env.example's empty DATABASE_PATH=, keeps the database in the /data volume", () => {
    const container = dockerRun(".env.example");
    expect(container.env.DATABASE_PATH).toBe("");
    const config = loadConfig({ ...container.env, ...valid });
    expect(container.volumes).toEqual(["/data"]);
    expect(container.where(config.databasePath)).toBe("/data/bot.db");
  });

  it("rejects bad values with one line naming the variable", () => {
    expect(errorOf({ ...valid, BOT_API_ROOT: "localhost" })).toMatch(
      /^BOT_API_ROOT: expected an http\(s\) URL/,
    );
    expect(errorOf({ ...valid, LOG_LEVEL: "loud" })).toMatch(/^LOG_LEVEL: expected one of fatal/);
    expect(errorOf({ ...valid, PORT: "http" })).toMatch(/^PORT: expected a TCP port number/);
    expect(errorOf({ ...valid, INVITE_TTL_DAYS: "0" })).toMatch(/^INVITE_TTL_DAYS: expected at least 1 day/);
  });

  it("requires an https URL and a webhook secret in webhook mode", () => {
    expect(errorOf({ ...valid, WEBHOOK_URL: "http://bot.example.ru/tg" })).toMatch(
      /^WEBHOOK_URL: expected an https URL/,
    );
    expect(errorOf({ ...valid, WEBHOOK_URL: "https://bot.example.ru/tg" })).toMatch(
      /^WEBHOOK_SECRET: is required/,
    );
    const config = loadConfig({
      ...valid,
      WEBHOOK_URL: "https://bot.example.ru/tg",
      WEBHOOK_SECRET: "s3cret-s3cret-s3cret",
      PORT: "8443",
    });
    expect(config.webhook).toEqual({
      url: "https://bot.example.ru/tg",
      secret: "s3cret-s3cret-s3cret",
      port: 8443,
    });
  });

  it("takes an intake token of 16+ characters for monitoring software's POST /intake", () => {
    expect(errorOf({ ...valid, INTAKE_TOKEN: "short" })).toMatch(/^INTAKE_TOKEN: expected 16–256 characters/);
    expect(loadConfig(valid).intake).toBeUndefined();
    const clash = { WEBHOOK_URL: "https://bot.example.ru/intake", WEBHOOK_SECRET: "s3cret-s3cret-s3cret" };
    expect(errorOf({ ...valid, ...clash, INTAKE_TOKEN: "monitoring-token-0123" })).toMatch(
      /^WEBHOOK_URL: expected a path other than \/intake/,
    );
    expect(loadConfig({ ...valid, INTAKE_TOKEN: "monitoring-token-0123", PORT: "8081" }).intake).toEqual({
      token: "monitoring-token-0123",
      port: 8081,
    });
  });

  it("strips a trailing slash from BOT_API_ROOT", () => {
    expect(loadConfig({ ...valid, BOT_API_ROOT: "http://127.0.0.1:8081/" }).botApiRoot).toBe(
      "http://127.0.0.1:8081",
    );
  });
});
