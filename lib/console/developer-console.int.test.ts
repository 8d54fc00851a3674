import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, pool, prisma } from "@/lib/db";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-webhooks";
import { fanOutWebhookEvents } from "@/lib/webhooks/fan-out-webhook-events";
import { recordWebhookEvents, webhookEventDraft } from "@/lib/webhooks/record-webhook-events";
import { startWebhookReceiver, type WebhookReceiver } from "@/lib/webhooks/testing/webhook-receiver";
import { verifyWebhookSignature } from "@/sdk/src/webhook-signature";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestCustomer, createTestPlatform, type TestPlatform } from "@/test/factories";
import { createOperator } from "./operators";
import { consoleCookieNames, createOperatorSession } from "./operator-sessions";
import type { OperatorRole } from "./operator-roles";

/**
 * The console's Developers routes (app/api/console/{api-keys,webhooks,webhook-deliveries})
 * over real HTTP with real operator sessions: a member's writes go through the API's domain
 * functions and are audited; read_only is 403, another platform's operator and the other
 * mode are 404, no session is 401, and none of those writes anything.
 */

let server: TestApiServer;
let receiver: WebhookReceiver;
let platform: TestPlatform;
let member: Console;
let readOnly: Console;
let stranger: Console;
let memberLive: Console;
let anonymous: Console;

type Console = (path: string, body?: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

function consoleClient(cookie: string | null): Console {
  return async (path, body) => {
    const response = await fetch(`${server.url}/api/console${path}`, {
      method: "POST",
      headers: { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

async function signedIn(platformId: string, role: OperatorRole, mode: "test" | "live" = "test"): Promise<Console> {
  const operator = await createOperator(platformId, { email: `${role}-${Math.random().toString(36).slice(2)}@example.test`, role });
  const { token } = await createOperatorSession(operator.id);
  const names = consoleCookieNames(false);
  return consoleClient(`${names.session}=${token}; ${names.mode}=${mode}`);
}

const audits = (action: string, targetId: string) => prisma().auditEvent.count({ where: { platformId: platform.platformId, action, targetId } });

beforeAll(async () => {
  server = await startTestApiServer();
  receiver = await startWebhookReceiver();
  platform = await createTestPlatform("Console developers");
  member = await signedIn(platform.platformId, "member");
  readOnly = await signedIn(platform.platformId, "read_only");
  memberLive = await signedIn(platform.platformId, "member", "live");
  stranger = await signedIn((await createTestPlatform("Another platform")).platformId, "owner");
  anonymous = consoleClient(null);
});
afterAll(async () => {
  await receiver?.close();
  await server?.close();
  await closeDb();
});

describe("API keys", () => {
  it("a member creates a key shown once that works, then revokes it and it is refused; both audited", async () => {
    const created = await member("/api-keys", { name: "ci" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^key_/), name: "ci", live_mode: false, key: expect.stringMatching(/^dd_test_/) });
    const api = apiClient(server.url, created.body.key);
    expect((await api("GET", "/customers")).status).toBe(200);
    expect(await audits("api_key.created", created.body.id)).toBe(1);
    const audit = await prisma().auditEvent.findFirstOrThrow({ where: { targetId: created.body.id } });
    expect(JSON.stringify(audit.detail)).not.toContain(created.body.key);

    expect((await stranger(`/api-keys/${created.body.id}/revoke`)).status).toBe(404);
    expect((await memberLive(`/api-keys/${created.body.id}/revoke`)).status).toBe(404);
    expect((await readOnly(`/api-keys/${created.body.id}/revoke`)).status).toBe(403);
    expect((await anonymous(`/api-keys/${created.body.id}/revoke`)).status).toBe(401);
    expect((await api("GET", "/customers")).status).toBe(200);

    const revoked = await member(`/api-keys/${created.body.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).toEqual(expect.any(String));
    expect((await api("GET", "/customers")).status).toBe(401);
    expect(await audits("api_key.revoked", created.body.id)).toBe(1);
  });

  it("read_only, no session and a bad body create nothing", async () => {
    const before = await prisma().apiKey.count({ where: { platformId: platform.platformId } });
    expect((await readOnly("/api-keys", { name: "x" })).status).toBe(403);
    expect((await anonymous("/api-keys", { name: "x" })).status).toBe(401);
    const bad = await member("/api-keys", { name: "x", live_mode: true });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ field: "live_mode", message: expect.any(String) }]);
    expect(await prisma().apiKey.count({ where: { platformId: platform.platformId } })).toBe(before);
  });
});

describe("webhook endpoints", () => {
  it("create answers the API's field errors; a member's endpoint gets a secret once; rotation re-signs; all audited", async () => {
    const badUrl = await member("/webhooks", { url: "not a url" });
    expect(badUrl.status).toBe(422);
    expect(badUrl.body.errors[0]).toMatchObject({ field: "url" });
    const badTopic = await member("/webhooks", { url: receiver.url, topics: ["nope"] });
    expect(badTopic.status).toBe(422);
    expect(badTopic.body.errors[0].field).toMatch(/^topics/);
    expect((await readOnly("/webhooks", { url: receiver.url })).status).toBe(403);
    expect(await prisma().webhookEndpoint.count({ where: { platformId: platform.platformId } })).toBe(0);

    const created = await member("/webhooks", { url: receiver.url, topics: ["event.refused"] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^whe_/), topics: ["event.refused"], secret: expect.stringMatching(/^whsec_/) });
    expect(await audits("webhook_endpoint.created", created.body.id)).toBe(1);

    const path = `/webhooks/${created.body.id}/rotate-secret`;
    expect((await stranger(path)).status).toBe(404);
    expect((await memberLive(path)).status).toBe(404);
    expect((await readOnly(path)).status).toBe(403);
    expect((await prisma().webhookEndpoint.findUniqueOrThrow({ where: { id: created.body.id } })).secret).toBe(created.body.secret);

    const rotated = await member(path);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(await audits("webhook_endpoint.secret_rotated", created.body.id)).toBe(1);

    // what is sent from now on verifies with the new secret only
    const { customerId } = await createTestCustomer(platform.platformId);
    await recordWebhookEvents(pool(), customerId, [webhookEventDraft("event.refused", { id: "console-1" }, new Date())]);
    await fanOutWebhookEvents();
    await deliverDueWebhooks({ endpointId: created.body.id });
    const hit = receiver.received.at(-1)!;
    const header = hit.headers["drawdown-signature"] as string;
    expect(await verifyWebhookSignature(hit.body, header, rotated.body.secret)).toBe(true);
    expect(await verifyWebhookSignature(hit.body, header, created.body.secret)).toBe(false);

    // redeliver: read_only 403, another platform or mode 404, a member queues it once (409 while pending)
    const delivery = await prisma().webhookDelivery.findFirstOrThrow({ where: { endpointId: created.body.id } });
    expect(delivery.status).toBe("delivered");
    const redeliver = `/webhook-deliveries/${delivery.id}/redeliver`;
    expect((await stranger(redeliver)).status).toBe(404);
    expect((await memberLive(redeliver)).status).toBe(404);
    expect((await readOnly(redeliver)).status).toBe(403);
    expect((await anonymous(redeliver)).status).toBe(401);
    expect((await member("/webhook-deliveries/not-an-id/redeliver")).status).toBe(404);
    expect((await prisma().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).status).toBe("delivered");

    const queued = await member(redeliver);
    expect(queued.status).toBe(200);
    expect(queued.body).toEqual({ id: delivery.id, status: "pending" });
    expect((await member(redeliver)).status).toBe(409);
    const before = receiver.received.length;
    await deliverDueWebhooks({ endpointId: created.body.id });
    expect(receiver.received.length).toBe(before + 1);
    expect(receiver.received.at(-1)!.envelope.id).toBe(hit.envelope.id);
    expect(await audits("webhook_delivery.redelivered", delivery.id)).toBe(1);
  });
});
