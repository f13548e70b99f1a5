/** Names of organizations compare without case, extra spaces or the ё/е difference. */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLocaleLowerCase("ru").replaceAll("ё", "е");
}
