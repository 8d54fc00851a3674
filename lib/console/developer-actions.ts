import { createApiKey, revokeApiKey, type ApiKey } from "@/lib/auth/api-keys";
import type { ALL_TOPICS, WebhookTopic } from "@/lib/webhooks/topics";
import { createWebhookEndpoint, type WebhookEndpoint } from "@/lib/webhooks/webhook-endpoints";
import { redeliverWebhookDelivery } from "@/lib/webhooks/redeliver-webhook";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate-webhook-secret";
import { recordAuditEvent } from "./audit-events";
import type { ConsoleContext } from "./operator-sessions";

/**
 * The console's Developers writes: API keys and webhook endpoints of the console's platform
 * and mode. Each is the API's (or the CLI's) own domain function followed by its audit
 * event; a refused write throws before anything is recorded. Secrets are returned to be
 * shown once and never written to the audit log.
 */

export async function createConsoleApiKey(ctx: ConsoleContext, input: { name?: string | null }): Promise<{ key: string; apiKey: ApiKey }> {
  const { key, apiKey } = await createApiKey(ctx.tenant.platformId, ctx.tenant.liveMode, { name: input.name ?? null });
  await recordAuditEvent(ctx, { action: "api_key.created", targetType: "api_key", targetId: apiKey.id, detail: { name: apiKey.name, prefix: apiKey.prefix } });
  return { key, apiKey };
}

/** Revokes a key of the console's platform and mode (another's is NotFoundError). */
export async function revokeConsoleApiKey(ctx: ConsoleContext, keyId: string): Promise<ApiKey> {
  const apiKey = await revokeApiKey(ctx.tenant, keyId);
  await recordAuditEvent(ctx, { action: "api_key.revoked", targetType: "api_key", targetId: keyId, detail: { prefix: apiKey.prefix } });
  return apiKey;
}

export async function createConsoleWebhookEndpoint(
  ctx: ConsoleContext,
  input: { url: string; topics?: (WebhookTopic | typeof ALL_TOPICS)[]; description?: string | null },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const created = await createWebhookEndpoint(ctx.tenant, input);
  await recordAuditEvent(ctx, {
    action: "webhook_endpoint.created",
    targetType: "webhook_endpoint",
    targetId: created.endpoint.id,
    detail: { url: created.endpoint.url, topics: created.endpoint.topics },
  });
  return created;
}

export async function rotateConsoleWebhookSecret(ctx: ConsoleContext, endpointId: string): Promise<{ id: string; secret: string }> {
  const rotated = await rotateWebhookSecret(ctx.tenant, endpointId);
  await recordAuditEvent(ctx, { action: "webhook_endpoint.secret_rotated", targetType: "webhook_endpoint", targetId: endpointId });
  return rotated;
}

export async function redeliverConsoleWebhook(ctx: ConsoleContext, deliveryId: string): Promise<{ id: string; status: "pending" }> {
  const result = await redeliverWebhookDelivery(ctx.tenant, deliveryId);
  await recordAuditEvent(ctx, { action: "webhook_delivery.redelivered", targetType: "webhook_delivery", targetId: deliveryId });
  return result;
}
