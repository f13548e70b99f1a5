/**
 * What changed between two versions of a draft, for the curator who returned it for rework: a
 * word-level diff of the text cut to a few short fragments, and the attachments added or removed.
 * Pure; the words it is told in come from the caller (the bot's texts).
 */

import { clip, cutBefore, tailFrom } from "./clip.js";

export interface DiffAttachment {
  type: "photo" | "video" | "document" | "animation";
  fileUniqueId: string;
  fileName?: string;
}

export interface DraftVersion {
  text: string;
  attachments: DiffAttachment[];
}

/** One place where the text changed: a little unchanged context on each side. */
export interface Hunk {
  before: string;
  removed: string;
  added: string;
  after: string;
}

export interface TextDiff {
  /** No word differs (whitespace and line breaks are not words). */
  same: boolean;
  /** Most of the words differ: fragments would only repeat the whole text. */
  rewritten: boolean;
  hunks: Hunk[];
}

export interface DiffWords {
  textSame: string;
  textRewritten: string;
  textChanged: string;
  /** The fragment as it was, with its context. */
  was: (fragment: string) => string;
  /** The fragment as it is now, with the same context. */
  became: (fragment: string) => string;
  more: (hunks: number) => string;
  attachment: (attachment: DiffAttachment) => string;
  attachments: (added: string[], removed: string[]) => string;
  nothingChanged: string;
}

const CONTEXT_WORDS = 3;
/** Unchanged words between two changes that still make them one fragment. */
const JOIN_GAP = 2;
const FRAGMENT_CHARS = 160;
/** A larger middle part is not compared word by word (the texts are at most 4096 characters). */
const MAX_CELLS = 4_000_000;
const KEPT_SHARE = 0.4;

type Op = { kind: "same" | "removed" | "added"; word: string };

const wordsOf = (text: string): string[] => text.match(/\S+/g) ?? [];

/** The word-level edit script between a and b (longest common subsequence of the middle part). */
function editScript(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (words: string[]): Op[] => words.map((word) => ({ kind: "same", word }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const middle =
    midA.length * midB.length > MAX_CELLS
      ? [
          ...midA.map((word): Op => ({ kind: "removed", word })),
          ...midB.map((word): Op => ({ kind: "added", word })),
        ]
      : lcsScript(midA, midB);
  return [...same(a.slice(0, start)), ...middle, ...same(a.slice(endA))];
}

function lcsScript(a: string[], b: string[]): Op[] {
  const width = b.length + 1;
  // lengths[i * width + j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      ops.push({ kind: "same", word: a[i] as string });
      i++;
      j++;
    } else if ((lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0)) {
      ops.push({ kind: "removed", word: a[i++] as string });
    } else {
      ops.push({ kind: "added", word: b[j++] as string });
    }
  }
  while (i < a.length) ops.push({ kind: "removed", word: a[i++] as string });
  while (j < b.length) ops.push({ kind: "added", word: b[j++] as string });
  return ops;
}

/** Runs of changed words, with short runs of unchanged words between them folded in. */
function changedRanges(ops: Op[]): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = [];
  ops.forEach((op, index) => {
    if (op.kind === "same") return;
    const last = ranges.at(-1);
    const gap = last ? ops.slice(last.to, index).filter((o) => o.kind === "same").length : Infinity;
    if (last && gap <= JOIN_GAP) last.to = index + 1;
    else ranges.push({ from: index, to: index + 1 });
  });
  return ranges;
}

export function diffText(before: string, after: string): TextDiff {
  const a = wordsOf(before);
  const b = wordsOf(after);
  const ops = editScript(a, b);
  const changed = ops.filter((op) => op.kind !== "same").length;
  if (changed === 0) return { same: true, rewritten: false, hunks: [] };
  // Rewritten: little of the old text is left and little of the new one is old (a paragraph
  // added to a short answer is not a rewrite).
  const kept = ops.length - changed;
  const rewritten = kept < KEPT_SHARE * a.length && kept < KEPT_SHARE * b.length;
  const hunks = changedRanges(ops).map(({ from, to }) => {
    const inside = ops.slice(from, to);
    const join = (kind: "removed" | "added") =>
      inside
        .filter((op) => op.kind === "same" || op.kind === kind)
        .map((op) => op.word)
        .join(" ");
    const context = (slice: Op[]) =>
      slice
        .filter((op) => op.kind !== "added")
        .map((op) => op.word)
        .join(" ");
    const sameBefore = ops.slice(0, from).filter((op) => op.kind === "same");
    const sameAfter = ops.slice(to).filter((op) => op.kind === "same");
    return {
      before: context(sameBefore.slice(-CONTEXT_WORDS)),
      removed: inside.some((op) => op.kind === "removed") ? join("removed") : "",
      added: inside.some((op) => op.kind === "added") ? join("added") : "",
      after: context(sameAfter.slice(0, CONTEXT_WORDS)),
    };
  });
  return { same: false, rewritten, hunks };
}

/** Attachments are the same file when Telegram's unique id is the same. */
export function diffAttachments(
  before: DiffAttachment[],
  after: DiffAttachment[],
): { added: DiffAttachment[]; removed: DiffAttachment[] } {
  const ids = (list: DiffAttachment[]) => new Set(list.map((a) => a.fileUniqueId));
  const had = ids(before);
  const has = ids(after);
  return {
    added: after.filter((a) => !had.has(a.fileUniqueId)),
    removed: before.filter((a) => !has.has(a.fileUniqueId)),
  };
}

function shortened(text: string, limit = FRAGMENT_CHARS): string {
  if (text.length <= limit) return text;
  const half = Math.floor((limit - 1) / 2);
  return `${text.slice(0, cutBefore(text, half))}…${text.slice(tailFrom(text, text.length - half))}`;
}

/** A change as two lines, the old and the new fragment, each in the same few words of context. */
function hunkLine(hunk: Hunk, words: DiffWords): string {
  const inContext = (fragment: string) =>
    [
      hunk.before ? `…${shortened(hunk.before, 60)}` : "",
      fragment ? shortened(fragment) : "",
      hunk.after ? `${shortened(hunk.after, 60)}…` : "",
    ]
      .filter(Boolean)
      .join(" ");
  return `${words.was(inContext(hunk.removed))}\n${words.became(inContext(hunk.added))}`;
}

/** «x», «x ×2»: equal descriptions counted, so a dozen photos take one line. */
function counted(labels: string[]): string[] {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(([label, n]) => (n > 1 ? `${label} ×${n}` : label));
}

/**
 * The curator's summary of a reworked draft: the text's changed fragments (as many as fit) and the
 * attachments added or removed, within `limit` characters.
 */
export function describeChanges(
  before: DraftVersion,
  after: DraftVersion,
  words: DiffWords,
  limit = 1000,
): string {
  const text = diffText(before.text, after.text);
  const files = diffAttachments(before.attachments, after.attachments);
  const filesChanged = files.added.length > 0 || files.removed.length > 0;
  if (text.same && !filesChanged) return words.nothingChanged;
  const tail = filesChanged
    ? [
        words.attachments(
          counted(files.added.map(words.attachment)),
          counted(files.removed.map(words.attachment)),
        ),
      ]
    : [];
  const lines: string[] = [];
  if (text.same) lines.push(words.textSame);
  else if (text.rewritten) lines.push(words.textRewritten);
  else {
    lines.push(words.textChanged);
    const budget = limit - tail.join("\n").length - words.more(text.hunks.length).length - 2;
    let used = lines[0]?.length ?? 0;
    let shown = 0;
    for (const hunk of text.hunks) {
      const line = hunkLine(hunk, words);
      if (used + line.length + 1 > budget) break;
      lines.push(line);
      used += line.length + 1;
      shown++;
    }
    if (shown < text.hunks.length) lines.push(words.more(text.hunks.length - shown));
  }
  const result = [...lines, ...tail].join("\n");
  return clip(result, limit);
}
