import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";
import { getCustomerOverview } from "./get-customer-overview";

/** The console's customer page lists the customer's holds, open ones first (newest first), then the latest closed ones. */

let server: TestApiServer;
let platform: TestPlatform;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startTestApiServer();
  platform = await createTestPlatform("Customer page holds");
  api = apiClient(server.url, platform.apiKey);
});
afterAll(async () => {
  await server?.close();
  await closeDb();
});

describe("getCustomerOverview", () => {
  it("lists holds with open ones first, each with its amounts, status and expiry", async () => {
    const customerId = (await api("POST", "/customers", { name: "Holder" })).body.id as string;
    expect(
      (await api("POST", `/customers/${customerId}/wallet/adjustments`, { transaction_id: "fund", asset: "USD", amount: 10, reason: "gift" })).status,
    ).toBe(201);
    const hold = async (ref: string, amount: number) => {
      const res = await api("POST", `/customers/${customerId}/wallet/holds`, { id: ref, amount, asset: "USD", ttl_seconds: 600 });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const oldest = await hold("h-1", 1);
    const open = await hold("h-2", 2);
    const newest = await hold("h-3", 3);
    for (const id of [oldest, newest]) expect((await api("POST", `/customers/${customerId}/wallet/holds/${id}/release`, {})).status).toBe(200);

    const overview = await getCustomerOverview({ platformId: platform.platformId, liveMode: false }, customerId);
    expect(overview.holds.map((h) => [h.id, h.status])).toEqual([
      [open, "held"],
      [newest, "released"],
      [oldest, "released"],
    ]);
    expect(overview.holds[0]!.amounts.map((a) => [a.accountId, a.amount.toString(), a.captured.toString()])).toEqual([["default:USD", "2", "0"]]);
    expect(overview.holds[0]!.expiresAt.getTime()).toBeGreaterThan(Date.now());

    const other = await createTestPlatform("Elsewhere");
    await expect(getCustomerOverview({ platformId: other.platformId, liveMode: false }, customerId)).rejects.toMatchObject({ code: "not_found" });
  });
});
