import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { startJobWorker, stopJobWorker } from "@/lib/jobs/worker";
import { waitFor } from "@/lib/top-ups/testing/stripe-harness";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";
import { verifyWebhookSignature } from "@/sdk/src/webhook-signature";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver";
import { unitPriceProduct } from "@/test/seed";

/**
 * The real job worker delivers webhooks with nobody calling the dispatcher: events left in
 * the outbox before the worker started (as after a crash right after COMMIT) are sent when
 * it starts, and new ones as soon as their transaction commits.
 */

let server: TestApiServer;
let receiver: WebhookReceiver;
beforeAll(async () => {
  server = await startTestApiServer();
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await stopJobWorker();
  await receiver?.close();
  await server?.close();
  await closeDb();
});

describe("the job worker", () => {
  it("delivers what was pending before it started, then each new event as it commits", async () => {
    const api = apiClient(server.url, (await createTestPlatform("Worker webhooks")).apiKey);
    const hook = await api("POST", "/webhooks", { url: receiver.url, topics: ["event.refused"] });
    expect(hook.status).toBe(201);
    const product = unitPriceProduct({ name: "Calls", code: "calls", priceName: "Call", eventType: "api_call", unitPrice: 1 });
    expect((await api("POST", "/products", product)).status).toBe(201);
    const customer = await api("POST", "/customers", { subscriptions: [{ products: [{ code: "calls", version: "default" }] }] });
    const send = (id: string) =>
      api("POST", "/events", { customer_id: customer.body.id, events: [{ id, event_type: "api_call", occurred_at: "2025-01-31T12:00:00Z" }] });

    expect((await send("before-start")).body.results[0].status).toBe("refused");
    await startJobWorker({ noHandleSignals: true, pollInterval: 200 });
    await waitFor(() => receiver.received.length === 1, "the pending event, sent at start", 20_000);

    expect((await send("while-running")).body.results[0].status).toBe("refused");
    await waitFor(() => receiver.received.length === 2, "the new event, sent on commit", 20_000);

    expect(receiver.received.map((r) => r.envelope.data.id)).toEqual(["before-start", "while-running"]);
    for (const hit of receiver.received) {
      expect(await verifyWebhookSignature(hit.body, hit.headers["drawdown-signature"] as string, hook.body.secret)).toBe(true);
    }
  });
});
