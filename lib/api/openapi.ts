import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

import type { Operation } from "./contract";

/**
 * OpenAPI 3.1 from the declared operations (lib/api/contract.ts), whose zod schemas also
 * validate requests and shape answers. zod-to-openapi v9 reads zod 4's
 * `.meta({ description, example, id })`; no `extendZodWithOpenApi` side effect.
 */
export const problemSchema = z
  .object({
    type: z.string().meta({ example: "https://drawdown.dev/problems/validation_error" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    request_id: z.string(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details (application/problem+json)" });

const errorDescriptions: Record<number, string> = {
  400: "Malformed JSON, or a query parameter the operation does not take",
  401: "Missing or invalid API key",
  404: "Not found (also another platform's id)",
  409: "Conflict (an idempotency key reused with a different request, or still in flight)",
  413: "Request body too large",
  415: "Content-Type is not JSON",
  422: "Validation failed; `errors[]` per field",
  429: "Rate limited; see Retry-After",
  500: "Unexpected error; quote request_id",
};

/** Writes take the optional `Idempotency-Key` header (lib/api/idempotency.ts). */
const takesIdempotencyKey = (doc: Operation) => !doc.public && doc.method !== "get";

const idempotencyHeaders = z.object({
  "Idempotency-Key": z.string().min(1).max(255).optional().meta({
    description:
      "Makes the request safe to retry: a repeat with the same key and request within 24 h answers the first response again (`Idempotent-Replayed: true`) and writes nothing; another request with the key is a 409.",
    example: "5f0c6d3e-8a54-4a4f-9f43-0d5f3b6f8c21",
  }),
});

function errorStatuses(doc: Operation): number[] {
  const statuses = new Set<number>(doc.errors ?? []);
  if (!doc.public) [401, 429].forEach((s) => statuses.add(s));
  if (takesIdempotencyKey(doc)) [409, 422].forEach((s) => statuses.add(s));
  if (doc.body) [400, 413, 415, 422].forEach((s) => statuses.add(s));
  // An unknown query parameter is a 400, a value the schema refuses a 422.
  if (doc.query) [400, 422].forEach((s) => statuses.add(s));
  if (doc.path.includes("{")) statuses.add(404);
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}

function pathParams(path: string): z.ZodObject {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return z.object(Object.fromEntries(names.map((n) => [n, z.string()])));
}

function toRouteConfig(doc: Operation): RouteConfig {
  const status = doc.status ?? 200;
  const responses: RouteConfig["responses"] = {
    [status]: {
      description: doc.response ? "Success" : "Success (no schema documented yet)",
      ...(doc.response ? { content: { "application/json": { schema: doc.response } } } : {}),
    },
  };
  for (const s of errorStatuses(doc)) {
    responses[s] = {
      description: errorDescriptions[s] ?? "Error",
      content: { "application/problem+json": { schema: problemSchema } },
    };
  }
  return {
    operationId: doc.operationId,
    method: doc.method,
    path: doc.path,
    summary: doc.summary,
    description: doc.description,
    tags: [doc.tag],
    security: doc.public ? [] : [{ bearerAuth: [] }, { apiKeyHeader: [] }, { credytApiKeyHeader: [] }],
    request: {
      // Operations declare objects here (contract.ts types them as any schema).
      params: (doc.params as z.ZodObject | undefined) ?? (doc.path.includes("{") ? pathParams(doc.path) : undefined),
      query: doc.query as z.ZodObject | undefined,
      headers: takesIdempotencyKey(doc) ? idempotencyHeaders : undefined,
      body: doc.body ? { required: true, content: { "application/json": { schema: doc.body } } } : undefined,
    },
    responses,
  };
}

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

export function openApiDocument(routes: readonly Operation[], serverUrl = "/api/v1"): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "`Authorization: Bearer <API key>`",
  });
  registry.registerComponent("securitySchemes", "apiKeyHeader", { type: "apiKey", in: "header", name: "X-API-Key" });
  registry.registerComponent("securitySchemes", "credytApiKeyHeader", {
    type: "apiKey",
    in: "header",
    name: "X-CREDYT-API-KEY",
    description: "The header of Credyt's documentation, accepted as is",
  });
  for (const doc of routes) registry.registerPath(toRouteConfig(doc));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Drawdown API",
      version: "1",
      description:
        "Prepaid wallet billing. Authenticate with an API key in a header (never the query string). " +
        "Errors are RFC 9457 problem details. Amounts are exact decimals: send a JSON number or a decimal string.",
    },
    servers: [{ url: serverUrl }],
  });
}
