/** One page of a list, and what a pager needs to link to the others. */
export interface Page<T> {
  items: T[];
  total: number;
  /** 1-based. */
  page: number;
  pages: number;
  perPage: number;
}

export const DEFAULT_PER_PAGE = 50;
const MAX_PAGE = 10_000;

/**
 * The page a request asks for (`?page=3`), as a whole number from 1; anything else (missing, "abc", -2,
 * 1e9, an array) is page 1 rather than an error, since a pager link is easy to mistype or truncate.
 */
export function pageFromQuery(query: unknown): number {
  const raw = (query as { page?: unknown } | undefined)?.page;
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return Math.min(Math.max(n, 1), MAX_PAGE);
}

/**
 * Reads one page: `count` and `find` run at once (find gets skip and limit). A page past the end comes back
 * empty with the real total, so the pager can offer the last page.
 */
export async function paginate<T>(
  page: number,
  perPage: number,
  find: (skip: number, limit: number) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<Page<T>> {
  const [items, total] = await Promise.all([find((page - 1) * perPage, perPage), count()]);
  return { items, total, page, pages: Math.max(1, Math.ceil(total / perPage)), perPage };
}

/** The address of another page of the same list, keeping the other query parameters. */
export function pageHref(path: string, query: Record<string, unknown>, page: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (k !== 'page' && typeof v === 'string') params.set(k, v);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
