import { type Logger, pino } from "pino";

/**
 * The application's logger. Telegram's library puts request URLs — which contain the bot token —
 * into network errors, so every line is scrubbed of the secrets before it is written.
 */
export function createLogger(
  level: string,
  secrets: string[],
  out: NodeJS.WritableStream = process.stdout,
): Logger {
  return pino({ level }, { write: (line: string) => out.write(scrub(line, secrets)) });
}

export function scrub(text: string, secrets: string[]): string {
  return secrets
    .filter((secret) => secret.length >= 8)
    .reduce((acc, secret) => acc.replaceAll(secret, "[secret]"), text);
}
