import { randomBytes } from "node:crypto";
import type { Tenant } from "@/lib/tenant";
import { prisma } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { ALL_TOPICS, type WebhookTopic } from "./topics";
import { checkWebhookDestination } from "./webhook-destination-policy";
import { NEWEST_FIRST, type Page, paginate } from "@/lib/pagination";

/** A webhook endpoint without its secret (reads never load it; only creation and the sender do). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  topics: string[];
  /** Credyt's `connect`: stored and answered; no effect until connected accounts exist. */
  connect: boolean;
  createdAt: Date;
}

export type WebhookDeliveryStatus = "pending" | "delivered" | "failed";

export interface WebhookAttempt {
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  attemptLog: WebhookAttempt[];
}

export interface WebhookEndpointWithDeliveries extends WebhookEndpoint {
  deliveries: WebhookDelivery[];
}

/** Deliveries shown with an endpoint, newest first. */
export const RECENT_DELIVERIES = 20;

/** Every column but the secret: reads never load it (only creation and the sender do). */
const publicColumns = { id: true, url: true, description: true, topics: true, connect: true, createdAt: true } as const;

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
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
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
  return { endpoint, secret };
}

/** The tenant's endpoints, newest first, without secrets. */
export async function listWebhookEndpoints(tenant: Tenant, page: Page): Promise<{ items: WebhookEndpoint[]; total: number }> {
  const where = { platformId: tenant.platformId, liveMode: tenant.liveMode };
  return paginate(
    page,
    (window) => prisma().webhookEndpoint.findMany({ where, select: publicColumns, orderBy: NEWEST_FIRST, ...window }),
    () => prisma().webhookEndpoint.count({ where }),
  );
}

/** The tenant's endpoint with its latest deliveries and their attempt log; NotFoundError otherwise (also another platform's id). */
export async function getWebhookEndpointOrThrow(tenant: Tenant, endpointId: string): Promise<WebhookEndpointWithDeliveries> {
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
    ...endpoint,
    deliveries: endpoint.deliveries.map(({ attemptLog, ...d }) => ({
      id: d.id,
      eventId: d.eventId,
      type: d.type,
      status: d.status as WebhookDeliveryStatus,
      attempts: d.attempts,
      lastStatus: d.lastStatus,
      lastError: d.lastError,
      nextAttemptAt: d.nextAttemptAt,
      deliveredAt: d.deliveredAt,
      createdAt: d.createdAt,
      attemptLog: attemptLog.map(({ attempt, statusCode, error, durationMs, attemptedAt }) => ({ attempt, statusCode, error, durationMs, attemptedAt })),
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
