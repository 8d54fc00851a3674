import type { z } from "zod";
import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointWithDeliveries } from "@/lib/webhooks/webhook-endpoints";
import type { createdWebhookEndpointSchema, webhookEndpointDetailSchema, webhookEndpointSchema } from "../schemas/webhooks";

export function webhookEndpointToJson(e: WebhookEndpoint): z.input<typeof webhookEndpointSchema> {
  return { id: e.id, url: e.url, description: e.description, topics: e.topics, connect: e.connect, created_at: e.createdAt.toISOString() };
}

/** The answer to a creation: the only one that shows the signing secret. */
export function createdWebhookEndpointToJson(created: { endpoint: WebhookEndpoint; secret: string }): z.input<typeof createdWebhookEndpointSchema> {
  return { ...webhookEndpointToJson(created.endpoint), secret: created.secret };
}

function deliveryToJson(d: WebhookDelivery) {
  return {
    id: d.id,
    event_id: d.eventId,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    last_status: d.lastStatus,
    last_error: d.lastError,
    next_attempt_at: d.nextAttemptAt?.toISOString() ?? null,
    delivered_at: d.deliveredAt?.toISOString() ?? null,
    created_at: d.createdAt.toISOString(),
    attempt_log: d.attemptLog.map((a) => ({
      attempt: a.attempt,
      status_code: a.statusCode,
      error: a.error,
      duration_ms: a.durationMs,
      attempted_at: a.attemptedAt.toISOString(),
    })),
  };
}

export function webhookEndpointDetailToJson(e: WebhookEndpointWithDeliveries): z.input<typeof webhookEndpointDetailSchema> {
  return { ...webhookEndpointToJson(e), deliveries: e.deliveries.map(deliveryToJson) };
}
