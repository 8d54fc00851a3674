import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";
import { unitPriceProduct } from "@/test/seed";
import { createOperator } from "./operators";
import { consoleCookieNames, createOperatorSession } from "./operator-sessions";
import type { OperatorRole } from "./operator-roles";

/**
 * The console's Catalog routes over real HTTP: simulate usage (any role; nothing stored)
 * and publish / make default (members; PATCH /products/{id}/{version}'s rules; audited).
 * read_only writes are 403, another platform's or mode's product is 404.
 */

let server: TestApiServer;
type Client = (method: string, path: string, body: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function signedIn(platformId: string, role: OperatorRole, mode: "test" | "live" = "test"): Promise<Client> {
  const operator = await createOperator(platformId, { email: `${role}-${Math.random().toString(36).slice(2)}@example.test`, role });
  const { token } = await createOperatorSession(operator.id);
  const names = consoleCookieNames(false);
  return async (method, path, body) => {
    const response = await fetch(`${server.url}/api/console${path}`, {
      method,
      headers: { cookie: `${names.session}=${token}; ${names.mode}=${mode}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

beforeAll(async () => {
  server = await startTestApiServer();
});
afterAll(async () => {
  await server?.close();
  await closeDb();
});

describe("console catalog", () => {
  it("simulates for any role; publishes and makes default for members only", async () => {
    const platform = await createTestPlatform("Catalog console");
    const api = apiClient(server.url, platform.apiKey);
    const product = await api("POST", "/products", unitPriceProduct({ name: "Calls", code: "calls", priceName: "Call", eventType: "api_call", unitPrice: 2 }));
    expect(product.status).toBe(201);
    const id = product.body.id as string;
    const v2 = await api("POST", `/products/${id}`, { prices: unitPriceProduct({ name: "Calls", code: "calls", priceName: "Call", eventType: "api_call", unitPrice: 3 }).prices });
    expect(v2.body).toMatchObject({ version: 2, status: "draft" });

    const readOnly = await signedIn(platform.platformId, "read_only");
    const member = await signedIn(platform.platformId, "member");
    const stranger = await signedIn((await createTestPlatform("Stranger")).platformId, "owner");
    const live = await signedIn(platform.platformId, "member", "live");

    const events = { events: [{ event_type: "api_call" }, { event_type: "other" }] };
    const simulated = await readOnly("POST", `/products/${id}/2/simulate-usage`, events);
    expect(simulated.status).toBe(200);
    expect(simulated.body.results).toMatchObject([
      { status: "billed", fees: [{ amount: 3, asset: "USD", price_name: "Call" }] },
      { status: "unbilled", reason: "no_matching_price" },
    ]);
    expect((await stranger("POST", `/products/${id}/2/simulate-usage`, events)).status).toBe(404);
    expect((await readOnly("POST", `/products/${id}/2/simulate-usage`, { events: [] })).status).toBe(422);

    expect((await readOnly("PATCH", `/products/${id}/2`, { publish: true })).status).toBe(403);
    expect((await stranger("PATCH", `/products/${id}/2`, { publish: true })).status).toBe(404);
    expect((await live("PATCH", `/products/${id}/2`, { publish: true })).status).toBe(404);
    expect((await member("PATCH", `/products/${id}/2`, { is_default: true })).status).toBe(409);
    expect((await member("PATCH", `/products/${id}/2`, { publish: false })).status).toBe(422);
    expect(await prisma().productVersion.findUniqueOrThrow({ where: { productId_version: { productId: id, version: 2 } } })).toMatchObject({ status: "draft" });

    const published = await member("PATCH", `/products/${id}/2`, { publish: true, is_default: true });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ version: 2, status: "published", is_default: true, default_version: 2 });
    expect((await api("GET", `/products/${id}`)).body.default_version).toBe(2);
    expect(await prisma().auditEvent.count({ where: { platformId: platform.platformId, action: "product_version.updated", targetId: id } })).toBe(1);
  });
});
