/** One page of a list: the API's `{ items, total_count, limit, offset }` in camelCase. */
export interface Page<T> {
  items: T[];
  totalCount: number;
  limit: number;
  offset: number;
}

export interface PageParams {
  /** Page size, 1-100 (the API's default is 20). */
  limit?: number;
  /** Items to skip. */
  offset?: number;
}

/**
 * Every item from `params.offset` on, fetching page after page (`limit` per page, 100 by
 * default) until `totalCount` is reached or a page comes back empty. Lists are newest
 * first and paged by offset, so items created while iterating can shift a page: an item
 * may then be seen twice (never skipped for that reason).
 */
export async function* paginate<T, P extends PageParams>(
  fetchPage: (params: P) => Promise<Page<T>>,
  params: P,
): AsyncGenerator<T, void, undefined> {
  const limit = params.limit ?? 100;
  let offset = params.offset ?? 0;
  for (;;) {
    const page = await fetchPage({ ...params, limit, offset });
    yield* page.items;
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.totalCount) return;
  }
}
