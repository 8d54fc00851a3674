/** A page of a list: `limit` items after the first `offset`. */
export interface Page {
  limit: number;
  offset: number;
}

/** A page's items and the length of the whole list. */
export interface Paged<T> {
  items: T[];
  total: number;
}

/**
 * One page of a list and the count of the whole list, read in parallel: what every list
 * (`GET /customers`, `/events`, `/top-ups`, …) does. `rows` gets the page as Prisma's
 * `take`/`skip`; both queries must use the same `where`.
 *
 * ```ts
 * const where = { platformId: tenant.platformId, liveMode: tenant.liveMode };
 * return paginate(page, (window) => prisma().customer.findMany({ where, orderBy: NEWEST_FIRST, ...window }), () => prisma().customer.count({ where }));
 * ```
 */
export async function paginate<R>(
  page: Page,
  rows: (window: { take: number; skip: number }) => Promise<R[]>,
  count: () => Promise<number>,
): Promise<Paged<R>> {
  const [items, total] = await Promise.all([rows({ take: page.limit, skip: page.offset }), count()]);
  return { items, total };
}

/** Newest first, ties broken by id: the order of every list of things platforms create. */
export const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];
