import { type Logger, pino } from "pino";

/**
 * The application's logger. Telegram's library puts request URLs — which contain the bot token —
 * into network errors, so every line is scrubbed of the secrets before it is written. A refused
 * call's error carries the call's whole payload (a post's text, a report naming people): it is
 * logged without it, by method and Telegram's answer.
 */
export function createLogger(
  level: string,
  secrets: string[],
  out: NodeJS.WritableStream = process.stdout,
): Logger {
  return pino(
    { level, serializers: { err: withoutPayload } },
    { write: (line: string) => out.write(scrub(line, secrets)) },
  );
}

function withoutPayload(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (serialized && typeof serialized === "object" && "payload" in serialized) {
    const { payload: _payload, ...rest } = serialized;
    return rest;
  }
  return serialized;
}

export function scrub(text: string, secrets: string[]): string {
  return secrets
    .filter((secret) => secret.length >= 8)
    .reduce((acc, secret) => acc.replaceAll(secret, "[secret]"), text);
}
