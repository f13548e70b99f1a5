/**
 * Callback data is `<action>:<arg>:<arg>…`, at most 64 bytes as Telegram requires. It is never
 * trusted: handlers re-read state and rights from the database.
 */
const MAX_BYTES = 64;

export function cb(action: string, ...args: (string | number)[]): string {
  const data = [action, ...args].join(":");
  if (Buffer.byteLength(data) > MAX_BYTES) throw new Error(`callback data over ${MAX_BYTES} bytes: ${data}`);
  return data;
}

/** Matches `action` followed by its arguments; ctx.match[1..] are the arguments. */
export function onAction(action: string, argPatterns: string[] = []): RegExp {
  const args = argPatterns.map((p) => `:(${p})`).join("");
  return new RegExp(`^${action.replace(/[.]/g, "\\.")}${args}$`);
}

export const ID = "\\d{1,12}";

/** A short base64url fingerprint (e.g. routingMark): what the button offered, checked at the press. */
export const MARK = "[\\w-]{1,22}";
