import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, pool, prisma } from "@/lib/db";
import type { Tenant } from "@/lib/tenant";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import { verifyWebhookSignature } from "@/sdk/src/webhook-signature";
import { deliverDueWebhooks, MAX_DELIVERY_ATTEMPTS } from "./deliver-webhooks";
import { fanOutWebhookEvents } from "./fan-out-webhook-events";
import { recordWebhookEvents, webhookEventDraft } from "./record-webhook-events";
import { redeliverWebhookDelivery } from "./redeliver-webhook";
import { rotateWebhookSecret } from "./rotate-webhook-secret";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver";
import { createWebhookEndpoint, getWebhookEndpointOrThrow } from "./webhook-endpoints";

/**
 * The console's two webhook actions as domain functions, against real PostgreSQL and a real
 * receiver: redeliver a delivery that gave up (or one delivered), and rotate an endpoint's
 * signing secret. Another platform's or mode's ids are not found.
 */

let receiver: WebhookReceiver;
let tenant: Tenant;
let other: Tenant;
const later = (days: number) => new Date(Date.now() + days * 24 * 3600_000);

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  tenant = { platformId: (await createTestPlatform("Redeliver")).platformId, liveMode: false };
  other = { platformId: (await createTestPlatform("Someone else")).platformId, liveMode: false };
});
afterAll(async () => {
  await receiver?.close();
  await closeDb();
});

/** An endpoint of the tenant with one delivery of a new event, not yet attempted. */
async function endpointWithDelivery(): Promise<{ endpointId: string; secret: string; deliveryId: string; eventId: string }> {
  const { endpoint, secret } = await createWebhookEndpoint(tenant, { url: receiver.url, topics: ["event.refused"] });
  const { customerId } = await createTestCustomer(tenant.platformId);
  const draft = webhookEventDraft("event.refused", { id: `e-${endpoint.id}` }, new Date());
  await recordWebhookEvents(pool(), customerId, [draft]);
  await fanOutWebhookEvents();
  const delivery = await prisma().webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
  return { endpointId: endpoint.id, secret, deliveryId: delivery.id, eventId: draft.id };
}

describe("redeliverWebhookDelivery", () => {
  it("sends a delivery that gave up once more, now, signed, with the same event id", async () => {
    const { endpointId, deliveryId, eventId, secret } = await endpointWithDelivery();
    receiver.answerWith(500);
    for (let i = 1; i <= MAX_DELIVERY_ATTEMPTS; i++) await deliverDueWebhooks({ dueBy: later(i), endpointId });
    expect(await prisma().webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS });
    expect(await deliverDueWebhooks({ dueBy: later(60), endpointId })).toMatchObject({ attempted: 0 });

    receiver.answerWith(200);
    const before = receiver.received.length;
    expect(await redeliverWebhookDelivery(tenant, deliveryId)).toEqual({ id: deliveryId, status: "pending" });
    // due now: no waiting for a backoff
    expect(await deliverDueWebhooks({ endpointId })).toMatchObject({ attempted: 1, delivered: 1 });

    const hit = receiver.received[before]!;
    expect(hit.envelope.id).toBe(eventId);
    expect(await verifyWebhookSignature(hit.body, hit.headers["drawdown-signature"] as string, secret)).toBe(true);
    const [shown] = (await getWebhookEndpointOrThrow(tenant, endpointId)).deliveries;
    expect(shown).toMatchObject({ id: deliveryId, status: "delivered", attempts: MAX_DELIVERY_ATTEMPTS + 1, lastStatus: 200 });
    expect(shown!.attemptLog.map((a) => a.attempt)).toEqual(Array.from({ length: MAX_DELIVERY_ATTEMPTS + 1 }, (_, i) => i + 1));
  });

  it("resends a delivered one; a pending one is a conflict; another platform's or mode's is not found", async () => {
    const { endpointId, deliveryId } = await endpointWithDelivery();
    receiver.answerWith(200);
    await expect(redeliverWebhookDelivery(tenant, deliveryId)).rejects.toMatchObject({ code: "conflict" });
    await deliverDueWebhooks({ endpointId });
    await expect(redeliverWebhookDelivery(other, deliveryId)).rejects.toMatchObject({ code: "not_found" });
    await expect(redeliverWebhookDelivery({ ...tenant, liveMode: true }, deliveryId)).rejects.toMatchObject({ code: "not_found" });
    await expect(redeliverWebhookDelivery(tenant, "whd_nope")).rejects.toMatchObject({ code: "not_found" });
    expect(await prisma().webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "delivered" });

    await redeliverWebhookDelivery(tenant, deliveryId);
    expect(await prisma().webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "pending", deliveredAt: null });
    expect(await deliverDueWebhooks({ endpointId })).toMatchObject({ delivered: 1 });
  });
});

describe("rotateWebhookSecret", () => {
  it("signs every attempt from then on with the new secret, shown once; the old one no longer verifies", async () => {
    const { endpointId, deliveryId, secret: oldSecret } = await endpointWithDelivery();
    const rotated = await rotateWebhookSecret(tenant, endpointId);
    expect(rotated.id).toBe(endpointId);
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(rotated.secret).not.toBe(oldSecret);

    receiver.answerWith(200);
    const before = receiver.received.length;
    await deliverDueWebhooks({ endpointId });
    const hit = receiver.received[before]!;
    const header = hit.headers["drawdown-signature"] as string;
    expect(await verifyWebhookSignature(hit.body, header, rotated.secret)).toBe(true);
    expect(await verifyWebhookSignature(hit.body, header, oldSecret)).toBe(false);
    expect(await prisma().webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "delivered" });
  });

  it("another platform's or mode's endpoint is not found, and keeps its secret", async () => {
    const { endpointId, secret } = await endpointWithDelivery();
    await expect(rotateWebhookSecret(other, endpointId)).rejects.toMatchObject({ code: "not_found" });
    await expect(rotateWebhookSecret({ ...tenant, liveMode: true }, endpointId)).rejects.toMatchObject({ code: "not_found" });
    expect((await prisma().webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).secret).toBe(secret);
  });
});
