/**
 * Names of organizations compare without case, extra spaces or the ё/е difference. Russian has no
 * case rules of its own (only Turkish, Azeri and Lithuanian do), so the plain lower case is the
 * Russian one, at a quarter of the cost of `toLocaleLowerCase("ru")`: a monthly report keys every
 * incident's topic and place.
 */
export function nameKey(name: string): string {
  return foldCase(name.trim().replace(/\s+/g, " "));
}

/** Text as names compare it: any case, «ё» read as «е» (SQL has it too, see db/client.ts). */
export function foldCase(text: string): string {
  return text.toLowerCase().replaceAll("ё", "е");
}

/** Which of the words are in none of these texts, compared as /find compares them (`foldCase`). */
export function wordsNotIn(texts: readonly (string | null)[], words: readonly string[]): string[] {
  const folded = foldCase(texts.join(" "));
  return words.filter((word) => !folded.includes(foldCase(word)));
}

/** A name as stored: pasted from a document, its line breaks and runs of spaces are one space. */
export function tidyName(name: string): string {
  return name.replace(/\s+/g, " ").trim();
}
