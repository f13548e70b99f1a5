import { InlineKeyboard } from "grammy";
import { listOrganizations, type Organization } from "../app/organizations.js";
import type { Db } from "../db/client.js";
import { cb } from "./callback-data.js";
import { t } from "./texts.js";

/**
 * Telegram shows about 64 characters of a button; a long official name is cut in the middle, «…»
 * standing for what is left out, so that names alike in their beginning («Муниципальное бюджетное
 * общеобразовательное учреждение … № 1», «… № 2») keep what tells them apart. `tailShare` 0 cuts
 * the end off instead. Cuts fall between words where a word boundary is near.
 */
export function buttonLabel(text: string, max = 48, tailShare = 0.45): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const tail = Math.floor((max - 1) * tailShare);
  const head = max - 1 - tail;
  const start = chars.slice(0, head).join("");
  const end = tail > 0 ? chars.slice(-tail).join("") : "";
  return `${atWordEnd(start, chars[head] ?? " ")}…${tail > 0 ? atWordStart(end, chars.at(-tail - 1) ?? " ") : ""}`;
}

/** The beginning of a text cut after its last whole word (`next`: the character cut off after it). */
function atWordEnd(start: string, next: string): string {
  if (/\s/.test(next)) return start.trimEnd();
  const space = start.search(/\s\S*$/);
  return (space > start.length / 2 ? start.slice(0, space) : start).trimEnd();
}

/** The end of a text cut before its first whole word (`before`: the character cut off before it). */
function atWordStart(end: string, before: string): string {
  if (/\s/.test(before)) return end.trimStart();
  const space = end.search(/\s/);
  return (space >= 0 && space < end.length / 2 ? end.slice(space) : end).trimStart();
}

/**
 * The words that end each of the names («… администрации Георгиевского муниципального округа»),
 * where they share two or more and each name keeps a word of its own; "" otherwise.
 */
export function sharedEnding(names: readonly string[]): string {
  const words = names.map((name) => name.trim().split(/\s+/));
  const [first] = words;
  if (!first || words.length < 2) return "";
  let shared = 0;
  while (
    words.every((w) => w.length > shared + 1 && w[w.length - 1 - shared] === first[first.length - 1 - shared])
  )
    shared++;
  return shared >= 2 ? first.slice(-shared).join(" ") : "";
}

/**
 * Organizations on the buttons of a list to pick from: each its short name, or else its name without
 * the `ending` all the list's names share, its end cut at a word with «…» where still too long. Names
 * that would then read alike (schools «Муниципальное бюджетное общеобразовательное учреждение … № 1»,
 * «… № 2») are cut in the middle instead, keeping what tells them apart. `marks`: each button's prefix.
 */
export function organizationLabels(
  orgs: readonly Pick<Organization, "name" | "shortName">[],
  ending: string,
  marks: readonly string[] = [],
): string[] {
  const names = orgs.map(
    ({ name, shortName }) =>
      shortName || (ending && name.endsWith(` ${ending}`) ? name.slice(0, -ending.length).trimEnd() : name),
  );
  const ends = names.map((name) => buttonLabel(name, 48, 0));
  return names.map((name, i) => {
    const alike = ends.some((other, j) => j !== i && other === ends[i]);
    return buttonLabel(`${marks[i] ?? ""}${name}`, 48, alike ? undefined : 0);
  });
}

const CARD_BUTTONS_PER_ROW = 4;
/** Telegram takes at most 100 buttons; a longer list is in the text, the first cards one tap away. */
const CARD_BUTTONS = 32;

/** «№ 12» buttons that show each post's card in the chat (a list, a digest), four to a row. */
export function cardButtons(ids: readonly number[], keyboard = new InlineKeyboard()): InlineKeyboard {
  ids.slice(0, CARD_BUTTONS).forEach((id, i) => {
    keyboard.text(`№ ${id}`, cb("inc.show", id));
    if ((i + 1) % CARD_BUTTONS_PER_ROW === 0) keyboard.row();
  });
  return keyboard;
}

/** «Открыть № 12»: shows the post's card at the bottom of the chat (under an alert, a reminder). */
export function openCardButton(id: number, keyboard = new InlineKeyboard()): InlineKeyboard {
  return keyboard.text(t.alert.open(id), cb("inc.show", id));
}

/**
 * At most this many «Открыть № N» under a message: Telegram takes about 100 buttons and rejects the
 * whole message past them.
 */
export const OPEN_BUTTONS = 30;

/** «Открыть № N» for each post a message is about (the first OPEN_BUTTONS of them), one a row. */
export function openCardButtons(ids: Iterable<number>): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const id of [...ids].slice(0, OPEN_BUTTONS)) openCardButton(id, keyboard).row();
  return keyboard;
}

export function organizationName(org: Pick<Organization, "name" | "shortName">): string {
  return org.shortName ? `${org.shortName} — ${org.name}` : org.name;
}

/**
 * A paged list of organizations: one button per organization (`pickAction:<id>`) and ◀ ▶ buttons
 * (`pageAction:<page>`) when the list is longer than a page.
 */
export function organizationPicker(
  db: Db,
  opts: { page: number; pickAction: string; pageAction: string; activeOnly?: boolean; except?: number },
): { keyboard: InlineKeyboard; empty: boolean; page: number; pages: number } {
  const { items, page, pages } = listOrganizations(db, {
    page: opts.page,
    activeOnly: opts.activeOnly ?? false,
    ...(opts.except === undefined ? {} : { except: opts.except }),
  });
  const keyboard = new InlineKeyboard();
  for (const org of items) {
    const label = `${org.active ? "" : "⛔ "}${organizationName(org)}`;
    keyboard.text(buttonLabel(label), cb(opts.pickAction, org.id)).row();
  }
  if (pages > 1) {
    if (page > 0) keyboard.text("◀", cb(opts.pageAction, page - 1));
    keyboard.text(`${page + 1}/${pages}`, cb("noop"));
    if (page < pages - 1) keyboard.text("▶", cb(opts.pageAction, page + 1));
  }
  return { keyboard, empty: items.length === 0, page, pages };
}
