import { randomBytes } from "node:crypto";
import type { Tenant } from "@/lib/tenant";
import { prisma } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { ALL_TOPICS, type WebhookTopic } from "./topics";
import { checkWebhookDestination } from "./webhook-destination-policy";

/** What the API answers for an endpoint; the secret only once, when it is created. */
export interface WebhookEndpointJson {
  id: string;
  url: string;
  description: string | null;
  topics: string[];
  /** Credyt's `connect`: stored and answered; no effect until connected accounts exist. */
  connect: boolean;
  created_at: string;
}

export interface CreatedWebhookEndpointJson extends WebhookEndpointJson {
  secret: string;
}

export interface WebhookAttemptJson {
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: string;
}

export interface WebhookDeliveryJson {
  id: string;
  event_id: string;
  type: string;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
  attempt_log: WebhookAttemptJson[];
}

export interface WebhookEndpointDetailJson extends WebhookEndpointJson {
  deliveries: WebhookDeliveryJson[];
}

/** Deliveries shown with an endpoint, newest first. */
export const RECENT_DELIVERIES = 20;

/** Every column but the secret: reads never load it (only creation and the sender do). */
const publicColumns = { id: true, url: true, description: true, topics: true, connect: true, createdAt: true } as const;

function endpointJson(e: {
  id: string;
  url: string;
  description: string | null;
  topics: string[];
  connect: boolean;
  createdAt: Date;
}): WebhookEndpointJson {
  return { id: e.id, url: e.url, description: e.description, topics: e.topics, connect: e.connect, created_at: e.createdAt.toISOString() };
}

/** `*` alone when it is asked for (or nothing is), else the topics once each, in the order given. */
function normalizeTopics(topics: (WebhookTopic | typeof ALL_TOPICS)[] | undefined): string[] {
  if (!topics || topics.length === 0 || topics.includes(ALL_TOPICS)) return [ALL_TOPICS];
  return [...new Set(topics)];
}

/**
 * Registers an endpoint for the tenant (platform and mode) with a new signing secret,
 * returned here in full and never again. The secret is stored as is: every delivery is
 * signed with it (HMAC needs the key itself, so it cannot be hashed like API keys).
 * The endpoint receives events that happen from now on. A URL the destination policy
 * refuses (not https where required, a non-public address or name: see
 * webhook-destination-policy.ts) is a ValidationError on `url`, and nothing is written.
 */
export async function createWebhookEndpoint(
  tenant: Tenant,
  input: { url: string; topics?: (WebhookTopic | typeof ALL_TOPICS)[]; description?: string | null; connect?: boolean },
): Promise<CreatedWebhookEndpointJson> {
  const refusal = await checkWebhookDestination(input.url);
  if (refusal) throw new ValidationError(`This webhook URL is not allowed. ${refusal.message}.`, [{ field: "url", message: refusal.message }]);
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  const endpoint = await prisma().webhookEndpoint.create({
    data: {
      id: newId("whe"),
      platformId: tenant.platformId,
      liveMode: tenant.liveMode,
      url: input.url,
      description: input.description ?? null,
      topics: normalizeTopics(input.topics),
      connect: input.connect ?? false,
      secret,
      createdAt: new Date(),
    },
    select: publicColumns,
  });
  return { ...endpointJson(endpoint), secret };
}

/** The tenant's endpoints, newest first, without secrets. */
export async function listWebhookEndpoints(tenant: Tenant, page: { limit: number; offset: number }): Promise<{ items: WebhookEndpointJson[]; total: number }> {
  const where = { platformId: tenant.platformId, liveMode: tenant.liveMode };
  const [rows, total] = await Promise.all([
    prisma().webhookEndpoint.findMany({ where, select: publicColumns, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: page.limit, skip: page.offset }),
    prisma().webhookEndpoint.count({ where }),
  ]);
  return { items: rows.map(endpointJson), total };
}

/** The tenant's endpoint with its latest deliveries and their attempt log; NotFoundError otherwise (also another platform's id). */
export async function getWebhookEndpointOrThrow(tenant: Tenant, endpointId: string): Promise<WebhookEndpointDetailJson> {
  const endpoint = await prisma().webhookEndpoint.findFirst({
    where: { id: endpointId, platformId: tenant.platformId, liveMode: tenant.liveMode },
    select: {
      ...publicColumns,
      deliveries: {
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: RECENT_DELIVERIES,
        include: { attemptLog: { orderBy: { attempt: "asc" } } },
      },
    },
  });
  if (!endpoint) throw new NotFoundError(`no webhook endpoint ${endpointId}`);
  return {
    ...endpointJson(endpoint),
    deliveries: endpoint.deliveries.map((d) => ({
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
    })),
  };
}

/**
 * Deletes the tenant's endpoint with its deliveries and their log (nothing more is sent to
 * it; an attempt in flight is not recorded). NotFoundError for an unknown or another
 * platform's id.
 */
export async function deleteWebhookEndpoint(tenant: Tenant, endpointId: string): Promise<{ id: string; deleted: true }> {
  const { count } = await prisma().webhookEndpoint.deleteMany({
    where: { id: endpointId, platformId: tenant.platformId, liveMode: tenant.liveMode },
  });
  if (count === 0) throw new NotFoundError(`no webhook endpoint ${endpointId}`);
  return { id: endpointId, deleted: true };
}
