import { z } from "zod";
import { ALL_TOPICS, WEBHOOK_TOPICS } from "@/lib/webhooks/topics";
import { defineOperations } from "../contract";
import { listSchema, paginationQuery } from "../pagination";
import { descriptionSchema, idSchema } from "./common";

const topicSchema = z.enum([ALL_TOPICS, ...WEBHOOK_TOPICS]).meta({ description: "A topic, or `*` for every topic", example: "top_up.succeeded" });

/** Strict: a misspelt `topics` must be a 422, not a silent subscription to every topic. */
export const createWebhookEndpointBody = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: "Must be an absolute http(s) URL" })
      .max(2000)
      .meta({
        description:
          "Where events are POSTed: https (http only while the app itself is served over http), on a public address; loopback, private, link-local and metadata addresses and internal names are refused, at registration and at every delivery",
        example: "https://glitch.ai/webhooks/drawdown",
      }),
    topics: z
      .array(topicSchema)
      .min(1)
      .max(WEBHOOK_TOPICS.length + 1)
      .optional()
      .meta({ description: "Topics to receive (default: every topic, `[\"*\"]`)", example: ["top_up.succeeded", "wallet.balance_low"] }),
    description: descriptionSchema.nullish(),
    connect: z
      .boolean()
      .optional()
      .meta({ description: "Credyt's flag for connected accounts' events (default false): stored and answered; no effect until connected accounts exist" }),
  })
  .meta({ id: "CreateWebhookEndpoint" });

export const webhookEndpointParams = z.object({ id: idSchema("whe") });

export const listWebhookEndpointsQuery = paginationQuery;

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    topics: z.array(z.string()),
    connect: z.boolean(),
    created_at: z.string(),
  })
  .meta({ id: "WebhookEndpoint" });

export const createdWebhookEndpointSchema = webhookEndpointSchema
  .extend({
    secret: z.string().meta({
      description: "The signing secret (`whsec_…`), shown only here: verify `Drawdown-Signature` with it",
      example: "whsec_0f3kJ…",
    }),
  })
  .meta({ id: "WebhookEndpointCreated" });

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    event_id: z.string().meta({ description: "The envelope's `id` (`evt_…`): the same on every attempt" }),
    type: z.string(),
    status: z.enum(["pending", "delivered", "failed"]),
    attempts: z.number().int(),
    last_status: z.number().int().nullable().meta({ description: "HTTP status of the last attempt; null when no response came" }),
    last_error: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    delivered_at: z.string().nullable(),
    created_at: z.string(),
    attempt_log: z.array(
      z.object({
        attempt: z.number().int(),
        status_code: z.number().int().nullable(),
        error: z.string().nullable(),
        duration_ms: z.number().int(),
        attempted_at: z.string(),
      }),
    ),
  })
  .meta({ id: "WebhookDelivery" });

export const webhookEndpointDetailSchema = webhookEndpointSchema
  .extend({ deliveries: z.array(webhookDeliverySchema).meta({ description: "The 20 latest deliveries, newest first" }) })
  .meta({ id: "WebhookEndpointDetail" });

export const deletedWebhookEndpointSchema = z.object({ id: z.string(), deleted: z.literal(true) }).meta({ id: "WebhookEndpointDeleted" });

export const webhookOperations = defineOperations({
  createWebhookEndpoint: {
    method: "post",
    path: "/webhooks",
    tag: "Webhooks",
    summary: "Register a webhook endpoint",
    description:
      "Events are POSTed as `{ id, type, created, live_mode, data }` with `Drawdown-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"t.body\">`. A 2xx answer is a delivery; anything else is retried with exponential backoff (10 attempts over about 4 hours).",
    body: createWebhookEndpointBody,
    response: createdWebhookEndpointSchema,
    status: 201,
  },
  listWebhookEndpoints: { method: "get", path: "/webhooks", tag: "Webhooks", summary: "List webhook endpoints, newest first (without secrets)", query: listWebhookEndpointsQuery, response: listSchema(webhookEndpointSchema).meta({ id: "WebhookEndpointList" }) },
  getWebhookEndpoint: { method: "get", path: "/webhooks/{id}", params: webhookEndpointParams, tag: "Webhooks", summary: "Get a webhook endpoint with its latest deliveries and their attempts", response: webhookEndpointDetailSchema },
  deleteWebhookEndpoint: { method: "delete", path: "/webhooks/{id}", params: webhookEndpointParams, tag: "Webhooks", summary: "Delete a webhook endpoint (and its delivery log)", response: deletedWebhookEndpointSchema },
});
