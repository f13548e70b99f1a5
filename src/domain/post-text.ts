import { createHash } from "node:crypto";

/**
 * Fewer letters and digits than this is no sign of a duplicate: «Когда починят дорогу?» is asked by
 * many citizens in the same words.
 */
const MIN_TEXT_SIGNS = 40;

/**
 * The key of a post's text, the same for texts that differ only in case, «ё», spacing, punctuation
 * or emoji (the same citizen's words copied to another network, or sent by monitoring software
 * under another link); null for a text too short to tell a duplicate by. A hash, so the column it is
 * stored in and its index stay small however long the posts are.
 */
export function postTextKey(text: string | null): string | null {
  const signs =
    text
      ?.toLowerCase()
      .replaceAll("ё", "е")
      .replace(/[^\p{L}\p{N}]+/gu, "") ?? "";
  if (signs.length < MIN_TEXT_SIGNS) return null;
  return createHash("sha256").update(signs).digest("base64url").slice(0, 22);
}
