/** The pages `total` items fill (one, even empty) and the requested page, kept within them. */
export function pageWithin(
  total: number,
  pageSize: number,
  requested: number,
): { page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return { page: Math.min(Math.max(0, requested), pages - 1), pages };
}
