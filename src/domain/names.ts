/**
 * Names of organizations compare without case, extra spaces or the ё/е difference. Russian has no
 * case rules of its own (only Turkish, Azeri and Lithuanian do), so the plain lower case is the
 * Russian one, at a quarter of the cost of `toLocaleLowerCase("ru")`: a monthly report keys every
 * incident's topic and place.
 */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase().replaceAll("ё", "е");
}

/** A name as stored: pasted from a document, its line breaks and runs of spaces are one space. */
export function tidyName(name: string): string {
  return name.replace(/\s+/g, " ").trim();
}
