import { z } from "zod";
import { idSchema } from "@/lib/api/schemas/common";
import { API_REQUEST_METHODS, listApiRequests, STATUS_CLASSES, type ApiRequestView } from "@/lib/request-log/list-api-requests";
import { consoleRoute } from "@/app/_server/console-route";

const query = z.strictObject({
  status: z.enum(STATUS_CLASSES).optional(),
  method: z.enum(API_REQUEST_METHODS).optional(),
  path: z.string().trim().min(1).max(200).optional(),
  api_key: idSchema("key").optional(),
  before: z.string().regex(/^[1-9][0-9]{0,17}$/, "Must be a request log row id").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const toJson = (r: ApiRequestView) => ({
  id: r.id,
  created_at: r.createdAt.toISOString(),
  method: r.method,
  path: r.path,
  status: r.status,
  duration_ms: r.durationMs,
  request_id: r.requestId,
  error_code: r.errorCode,
  api_key: r.apiKey,
});

/**
 * The request log (Developers → Request log) as JSON, newest first: the operator's platform
 * and mode only; a key filter naming another platform's key is a 404.
 */
export const GET = consoleRoute("read_only", { query }, async ({ console, query: q }) => {
  const page = await listApiRequests(
    console.tenant,
    { statusClass: q.status, method: q.method, pathContains: q.path, apiKeyId: q.api_key, before: q.before },
    q.limit,
  );
  return { items: page.items.map(toJson), next_before: page.nextBefore };
});
