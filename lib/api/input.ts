import type { z } from "zod";
import { bodyRequired, EMPTY_BODY, readJsonBody } from "./body";
import { assertSafeJson, findUnsafeJson } from "./json-guard";
import { problems } from "./problem";

/** Query string as an object: a repeated key becomes an array, so a schema can refuse it. */
export function queryObject(url: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(url).searchParams) {
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

/**
 * A query parameter the endpoint does not know is a 400 naming it, never ignored: a
 * filter with a typo (`?extrenal_id=`) or one this endpoint lacks would otherwise answer
 * the whole unfiltered list, and a client would act on the wrong record.
 */
function assertKnownParameters(schema: z.ZodType, query: Record<string, unknown>): void {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  if (!shape) return;
  const unknown = Object.keys(query).filter((key) => !Object.hasOwn(shape, key));
  if (unknown.length === 0) return;
  const known = Object.keys(shape).join(", ");
  throw problems.unknownQueryParameters(unknown, known);
}

export async function parseQuery<S extends z.ZodType>(schema: S, url: string): Promise<z.output<S>> {
  const query = queryObject(url);
  assertSafeJson(query, "The query string has invalid parameters.");
  assertKnownParameters(schema, query);
  const result = await schema.safeParseAsync(query);
  if (!result.success) throw problems.validation(result.error, "", "The query string has invalid parameters.");
  return result.data;
}

/**
 * Route params (`/customers/{id}`). A value the schema refuses (an id with the wrong
 * prefix) names nothing that can exist, so it answers 404 like an unknown id, never 422:
 * clients see one answer for "no such customer" whatever the id looks like.
 */
export async function parseParams<S extends z.ZodType>(
  schema: S,
  params: Promise<unknown> | unknown,
): Promise<z.output<S>> {
  const raw = (await params) ?? {};
  if (findUnsafeJson(raw)) throw problems.notFound();
  const result = await schema.safeParseAsync(raw);
  if (!result.success) throw problems.notFound();
  return result.data;
}

/** Reads and validates a JSON body: 413/415/400 from `readJsonBody`, then 422 per field. */
export async function parseBody<S extends z.ZodType>(
  schema: S,
  request: Request,
  maxBytes: number | undefined,
): Promise<z.output<S>> {
  const raw = await readJsonBody(request, maxBytes);
  const value = raw === EMPTY_BODY ? undefined : raw;
  assertSafeJson(value, "The request body has invalid values.");
  const result = await schema.safeParseAsync(value);
  if (result.success) return result.data;
  if (raw === EMPTY_BODY) throw bodyRequired();
  throw problems.validation(result.error);
}
