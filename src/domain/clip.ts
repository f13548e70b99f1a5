/**
 * Where a text may be cut at `at` (UTF-16 code units, as Telegram counts) without leaving half of a
 * character such as an emoji: one unit earlier when `at` falls between the two halves. Telegram
 * refuses a request with half a character in it, so the whole message would be lost.
 */
export function cutBefore(text: string, at: number): number {
  const high = text.charCodeAt(at - 1);
  return high >= 0xd800 && high <= 0xdbff ? at - 1 : at;
}

/** Where a text's tail may start at `at` without half a character: one unit later between two halves. */
export function tailFrom(text: string, at: number): number {
  return cutBefore(text, at) < at ? at + 1 : at;
}

/** The text within `max` characters, ending in «…» when cut (right after a word, not after a space). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, cutBefore(text, max - 1)).trimEnd()}…`;
}
