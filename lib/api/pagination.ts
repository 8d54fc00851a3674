import { z } from "zod";

/**
 * `?limit=&offset=` for every list: limit 1..100 (default 20), offset >= 0 (default 0).
 * Query values are strings; they are coerced, and garbage ("abc", "", "2.5") is a 422.
 * Extend it for filters: `paginationQuery.extend({ customer_id: idSchema("cust").optional() })`.
 */
export const paginationQuery = z.object({
  limit: z.coerce.number<string | number>().int().min(1).max(100).default(20).meta({ description: "Page size, 1-100" }),
  // `type` pinned: the generator probes nullability with safeParse(null), which coercion accepts.
  offset: z.coerce
    .number<string | number>()
    .int()
    .min(0)
    .default(0)
    .meta({ description: "Items to skip", type: "integer", minimum: 0, default: 0 }),
});

export type Pagination = z.output<typeof paginationQuery>;

export interface ListResponse<T> {
  items: T[];
  total_count: number;
  limit: number;
  offset: number;
}

/** The list envelope of PRODUCT.md: `{ items, total_count, limit, offset }`. */
export function listResponse<T>(items: T[], total: number, page: Pagination): ListResponse<T> {
  return { items, total_count: total, limit: page.limit, offset: page.offset };
}

/** The OpenAPI shape of a list of `item`. */
export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total_count: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });
}
