/**
 * A person's official name, «Фамилия Имя Отчество»: what reports and cards give instead of the
 * Telegram name, which the person changes at will. Pure.
 */

import { tidyName } from "./names.js";

export const OFFICIAL_NAME_MAX = 100;

export type OfficialNameRefusal = "letters" | "words" | "too_long";
export type ParsedOfficialName = { ok: true; name: string } | { ok: false; reason: OfficialNameRefusal };

/** One word of a name: Cyrillic or Latin letters, parts joined by a hyphen or an apostrophe («Д'Артаньян»). */
const WORD = /^[\p{sc=Cyrillic}\p{sc=Latin}]+(?:[-'’][\p{sc=Cyrillic}\p{sc=Latin}]+)*$/u;

/** The name as typed, its spaces tidied: 2–4 words (a surname and a name at least), ≤ 100 characters. */
export function parseOfficialName(text: string): ParsedOfficialName {
  const name = tidyName(text);
  if (name.length > OFFICIAL_NAME_MAX) return { ok: false, reason: "too_long" };
  const words = name.split(" ");
  if (!words.every((word) => WORD.test(word))) return { ok: false, reason: "letters" };
  if (words.length < 2 || words.length > 4) return { ok: false, reason: "words" };
  return { ok: true, name };
}

/** «Иванов Иван Иванович» → «Иванов И. И.»; a double name by both initials: «Анна-Мария» → «А.-М.». */
export function shortOfficialName(name: string): string {
  const [surname, ...rest] = name.split(" ");
  const initials = rest.map((word) =>
    word
      .split("-")
      .map((part) => `${part.charAt(0).toUpperCase()}.`)
      .join("-"),
  );
  return [surname, ...initials].join(" ");
}
