import { pool } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { Tenant } from "@/lib/tenant";

/** One logged API call (record-api-request.ts), with the key it used. */
export interface ApiRequestView {
  /** The row's id (a bigint, as text): the list's cursor. */
  id: string;
  createdAt: Date;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  requestId: string;
  errorCode: string | null;
  /** The key the request used; null when it has been deleted since. */
  apiKey: { id: string; name: string | null; prefix: string } | null;
}

export const STATUS_CLASSES = ["2xx", "4xx", "5xx"] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];
/** The methods the API's route files serve (a HEAD is answered, and logged, as a GET). */
export const API_REQUEST_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export interface ApiRequestFilters {
  statusClass?: StatusClass;
  method?: string;
  /** A substring of the path, matched without regard to case. */
  pathContains?: string;
  apiKeyId?: string;
  /** The id of the last row of the previous page: only older rows. */
  before?: string;
}

export interface ApiRequestPage {
  items: ApiRequestView[];
  /** The cursor of the next (older) page; null when this is the last. */
  nextBefore: string | null;
}

const MAX_LIMIT = 200;

/**
 * The tenant's logged API calls (its platform, in its mode only), newest first, filtered,
 * one keyset page at a time (`before`: a row id). The order is the composite index's
 * (platform_id, live_mode, created_at), ties broken by id, so a page reads `limit` index
 * entries whatever the table's size. A key filter naming a key that is not the tenant's
 * (another platform's, the other mode's) is a NotFoundError, as it is everywhere else.
 */
export async function listApiRequests(tenant: Tenant, filters: ApiRequestFilters, limit = 50): Promise<ApiRequestPage> {
  const take = Math.min(Math.max(1, Math.trunc(limit)), MAX_LIMIT);
  // Edges validate the cursor; a malformed one is no page of this tenant's either.
  if (filters.before !== undefined && !/^[1-9][0-9]{0,17}$/.test(filters.before)) return { items: [], nextBefore: null };
  if (filters.apiKeyId !== undefined) {
    const { rowCount } = await pool().query(`SELECT 1 FROM api_keys WHERE id = $1 AND platform_id = $2 AND live_mode = $3`, [
      filters.apiKeyId,
      tenant.platformId,
      tenant.liveMode,
    ]);
    if (!rowCount) throw new NotFoundError(`No API key ${filters.apiKeyId}.`);
  }
  const values: unknown[] = [tenant.platformId, tenant.liveMode];
  const where = ["r.platform_id = $1", "r.live_mode = $2"];
  const param = (value: unknown) => `$${values.push(value)}`;
  if (filters.statusClass) {
    const floor = Number(filters.statusClass[0]) * 100;
    where.push(`r.status >= ${param(floor)} AND r.status < ${param(floor + 100)}`);
  }
  if (filters.method) where.push(`r.method = ${param(filters.method.toUpperCase())}`);
  if (filters.pathContains) where.push(`r.path ILIKE ${param(`%${escapeLike(filters.pathContains)}%`)}`);
  if (filters.apiKeyId) where.push(`r.api_key_id = ${param(filters.apiKeyId)}`);
  if (filters.before) {
    // A cursor of another tenant's row finds no row here, so the page is empty rather than theirs.
    const cursor = param(filters.before);
    where.push(
      `(r.created_at, r.id) < (SELECT c.created_at, c.id FROM api_requests c WHERE c.id = ${cursor}::bigint AND c.platform_id = $1 AND c.live_mode = $2)`,
    );
  }
  const { rows } = await pool().query<{
    id: string;
    created_at: Date;
    method: string;
    path: string;
    status: number;
    duration_ms: number;
    request_id: string;
    error_code: string | null;
    key_id: string | null;
    key_name: string | null;
    key_prefix: string | null;
  }>(
    `SELECT r.id, r.created_at, r.method, r.path, r.status, r.duration_ms, r.request_id, r.error_code,
            k.id AS key_id, k.name AS key_name, k.prefix AS key_prefix
       FROM api_requests r
       LEFT JOIN api_keys k ON k.id = r.api_key_id
      WHERE ${where.join(" AND ")}
      ORDER BY r.created_at DESC, r.id DESC
      LIMIT ${param(take + 1)}`,
    values,
  );
  const items = rows.slice(0, take).map(
    (r): ApiRequestView => ({
      id: r.id,
      createdAt: r.created_at,
      method: r.method,
      path: r.path,
      status: r.status,
      durationMs: r.duration_ms,
      requestId: r.request_id,
      errorCode: r.error_code,
      apiKey: r.key_id ? { id: r.key_id, name: r.key_name, prefix: r.key_prefix ?? "" } : null,
    }),
  );
  return { items, nextBefore: rows.length > take ? items.at(-1)!.id : null };
}

/** `%`, `_` and `\` match themselves in the path filter. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
