import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { Operation } from "@/lib/api/contract";
import { isFallback } from "@/lib/api/fallback";
import { apiOperations } from "@/lib/api/operations";

const V1 = path.join(process.cwd(), "app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route file under app/api/v1 with its path written the OpenAPI way (`[id]` → `{id}`). */
function routeFiles(dir = V1, segments: string[] = []): { file: string; path: string; catchAll: boolean }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) {
      const name = entry.name.replace(/^\[(\w+)\]$/, "{$1}");
      return routeFiles(path.join(dir, entry.name), [...segments, name]);
    }
    if (entry.name !== "route.ts") return [];
    return [{ file: path.join(dir, entry.name), path: "/" + segments.join("/"), catchAll: segments.some((s) => s.startsWith("[...")) }];
  });
}

/** `method path` → the operation its handler was made from, for every route file's handler. */
async function handledOperations() {
  const handled = new Map<string, Operation>();
  for (const route of routeFiles()) {
    const mod = (await import(pathToFileURL(route.file).href)) as Record<string, unknown>;
    for (const method of METHODS) {
      const handler = mod[method] as ((...args: unknown[]) => unknown) & { operation?: Operation };
      if (handler === undefined) continue;
      const key = `${method.toLowerCase()} ${route.path}`;
      if (route.catchAll) {
        // The catch-all 404 files answer paths no operation has: no contract of their own.
        expect(isFallback(handler), `${key} is a catch-all and answers only 404`).toBe(true);
        continue;
      }
      expect(handler.operation, `${key} (${path.relative(process.cwd(), route.file)}) is not made with apiRoute from a declared operation`).toBeDefined();
      expect(`${handler.operation!.method} ${handler.operation!.path}`, `${key}'s handler is declared for another method or path`).toBe(key);
      handled.set(key, handler.operation!);
    }
  }
  return handled;
}

describe("the API contract", () => {
  it("every route handler is made from a declared operation of its own method and path, and every declared operation has one", async () => {
    const handled = await handledOperations();
    const declared = new Map(apiOperations.map((op) => [`${op.method} ${op.path}`, op]));
    expect([...handled.keys()].sort()).toEqual([...declared.keys()].sort());
    // The handler carries the very declaration the document is built from.
    for (const [key, operation] of handled) expect(operation, key).toBe(declared.get(key));
  }, 30_000);

  it("declares a response schema for every operation (what the wrapper sends is what the document says)", () => {
    const missing = apiOperations.filter((op) => op.response === undefined).map((op) => op.operationId);
    expect(missing).toEqual([]);
  });

  it("declares a params schema for every path parameter", () => {
    for (const op of apiOperations) {
      const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = op.params && "shape" in op.params ? Object.keys(op.params.shape as object) : [];
      expect(declared.sort(), op.operationId).toEqual(names.sort());
    }
  });
});
