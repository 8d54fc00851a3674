import { describe, expect, it } from "vitest";
import { z } from "zod";
import { GET as openApiGet } from "@/app/api/v1/openapi.json/route";
import { openApiDocument } from "./openapi";
import { defineOperations } from "./contract";
import { apiOperations } from "./operations";
import { apiReference } from "./openapi-view";
import { paginationQuery } from "./pagination";
import { amountSchema, assetCodeSchema } from "./schemas/common";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document walked by path in assertions
type Json = Record<string, any>;

const body = z.object({
  name: z.string(),
  lines: z.array(
    z.union([
      z.object({ kind: z.literal("unit"), amount: amountSchema }),
      z.object({ kind: z.literal("volume"), asset: assetCodeSchema, rate: amountSchema }),
    ]),
  ),
});

describe("openApiDocument", () => {
  const operations = defineOperations({
    addThingLines: { method: "post", path: "/things/{id}/lines", tag: "Things", summary: "Add lines", body, status: 201, errors: [409] },
    listThings: { method: "get", path: "/things", tag: "Things", summary: "List things", query: paginationQuery },
    ping: { method: "get", path: "/ping", tag: "Meta", summary: "Ping", public: true },
  });
  const doc = openApiDocument(Object.values(operations)) as Json;

  it("is OpenAPI 3.1 with the API's base path and both key schemes", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "/api/v1" }]);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(["bearerAuth", "apiKeyHeader", "credytApiKeyHeader"]);
  });

  it("derives path params, body, success and problem responses from the route doc", () => {
    const op = doc.paths["/things/{id}/lines"].post;
    expect(op.parameters).toEqual([
      expect.objectContaining({ name: "id", in: "path", required: true }),
      expect.objectContaining({ name: "Idempotency-Key", in: "header", required: false, schema: expect.objectContaining({ maxLength: 255 }) }),
    ]);
    const schema = op.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(["name", "lines"]);
    // amounts are documented as number or decimal string, from the same zod schema
    expect(JSON.stringify(schema)).toContain('"anyOf":[{"type":"number"},{"type":"string"}]');
    expect(Object.keys(op.responses)).toEqual(["201", "400", "401", "404", "409", "413", "415", "422", "429", "500"]);
    expect(op.responses["422"].content["application/problem+json"].schema).toEqual({ $ref: "#/components/schemas/Problem" });
    expect(op.security).toEqual([{ bearerAuth: [] }, { apiKeyHeader: [] }, { credytApiKeyHeader: [] }]);
  });

  it("documents query parameters with their bounds and public routes without security", () => {
    const list = doc.paths["/things"].get;
    const limit = list.parameters.find((p: Json) => p.name === "limit");
    expect(limit).toMatchObject({ in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } });
    expect(list.parameters.find((p: Json) => p.name === "offset").schema.type).toBe("integer");
    expect(list.parameters.some((p: Json) => p.in === "header")).toBe(false); // GET takes no Idempotency-Key
    expect(doc.paths["/ping"].get.security).toEqual([]);
    expect(Object.keys(doc.paths["/ping"].get.responses)).toEqual(["200", "500"]);
  });

  it("flattens schemas into rows for the /docs page, merging union variants", () => {
    const [things] = apiReference(doc as never);
    const add = things!.endpoints.find((e) => e.method === "POST")!;
    const rows = Object.fromEntries(add.body.map((r) => [r.name, r]));
    expect(Object.keys(rows)).toEqual(["name", "lines", "lines[].kind", "lines[].amount", "lines[].asset", "lines[].rate"]);
    expect(rows["lines[].kind"]).toMatchObject({ type: '"unit" | "volume"', required: true });
    expect(rows["lines[].asset"]).toMatchObject({ type: "string", required: false });
    expect(rows["lines[].amount"]!.type).toBe("number | string");
  });
});

describe("the API's document", () => {
  it("has one operation per declaration, each with its own operationId, and declares every path parameter", () => {
    const doc = openApiDocument(apiOperations) as Json;
    const seen = new Set<string>();
    const ids = new Set<string>();
    for (const route of apiOperations) {
      const key = `${route.method} ${route.path}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      expect(ids.has(route.operationId), route.operationId).toBe(false);
      ids.add(route.operationId);
      const op = doc.paths[route.path][route.method];
      expect(op.summary).toBe(route.summary);
      expect(op.operationId).toBe(route.operationId);
      for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
        expect(op.parameters.some((p: Json) => p.in === "path" && p.name === name), `${key} {${name}}`).toBe(true);
      }
    }
  });

  it("is served without an API key at GET /api/v1/openapi.json", async () => {
    const res = await openApiGet(new Request("http://localhost/api/v1/openapi.json"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const doc = (await res.json()) as Json;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/openapi.json");
  });
});
