import type { Tenant } from "@/lib/tenant";
import { isUniqueViolation, prisma } from "@/lib/db";
import { listCustomerSubscriptions, listSubscriptionsOfCustomers } from "@/lib/catalog/list-customer-subscriptions";
import { resolveSubscriptions, type CustomerSubscription } from "@/lib/catalog/subscribe-customer";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { Prisma, type Customer as CustomerRow } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { requestWebhookDispatch } from "@/lib/webhooks/request-webhook-dispatch";
import { recordSubscriptionsActivated } from "@/lib/webhooks/subscription-activated";
import { TtlCache } from "@/lib/ttl-cache";
import { NEWEST_FIRST, type Page, paginate } from "@/lib/pagination";

export interface CreateCustomerInput {
  name?: string | null;
  email?: string | null;
  external_id?: string | null;
  metadata?: Record<string, unknown>;
  subscriptions?: { products: { code?: string; id?: string; version?: number | "default" }[] }[];
}

/** A customer with its subscriptions (oldest first). */
export interface Customer {
  id: string;
  name: string | null;
  email: string | null;
  externalId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  subscriptions: CustomerSubscription[];
}

function toCustomer(row: CustomerRow, subscriptions: CustomerSubscription[]): Customer {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    externalId: row.externalId,
    metadata: (row.metadata ?? {}) as Record<string, unknown>,
    createdAt: row.createdAt,
    subscriptions,
  };
}

/**
 * Creates a customer and its subscriptions in one transaction: an unknown product or an
 * unpublished version is a 422 and nothing is written; an `external_id` already used on
 * this platform (and mode) is a 409 naming the existing customer.
 */
export async function createCustomer(tenant: Tenant, input: CreateCustomerInput): Promise<Customer> {
  const subscriptions = await resolveSubscriptions(
    tenant,
    (input.subscriptions ?? []).flatMap((s, i) => s.products.map((p, j) => ({ ...p, field: `subscriptions/${i}/products/${j}` }))),
  );
  if (input.external_id) await assertExternalIdFree(tenant, input.external_id);
  const id = newId("cust");
  const activated = subscriptions.map((s) => ({ ...s, subscriptionId: newId("sub") }));
  try {
    // The customer, its subscriptions and their subscription.activated events commit together.
    const customer = await prisma().$transaction(async (tx) => {
      const created = await tx.customer.create({
        data: {
          id,
          platformId: tenant.platformId,
          liveMode: tenant.liveMode,
          name: input.name ?? null,
          email: input.email ?? null,
          externalId: input.external_id ?? null,
          metadata: (input.metadata ?? {}) as Prisma.InputJsonValue,
          subscriptions: {
            create: activated.map((s) => ({ id: s.subscriptionId, productId: s.productId, version: s.version })),
          },
        },
      });
      await recordSubscriptionsActivated(tx, created, activated);
      return created;
    });
    if (activated.length > 0) requestWebhookDispatch();
    return toCustomer(customer, subscriptions);
  } catch (error) {
    // Two requests raced for the same external_id: the unique index decides.
    if (isUniqueViolation(error) && input.external_id) {
      await assertExternalIdFree(tenant, input.external_id);
    }
    throw error;
  }
}

async function assertExternalIdFree(tenant: Tenant, externalId: string) {
  const existing = await prisma().customer.findFirst({
    where: { platformId: tenant.platformId, liveMode: tenant.liveMode, externalId },
    select: { id: true },
  });
  if (existing) {
    throw new ConflictError(`a customer with external_id ${externalId} already exists: ${existing.id}`, [], {
      existing_id: existing.id,
    });
  }
}

/** The tenant's customer, or NotFoundError (also for another platform's or mode's id). */
export async function getCustomerOrThrow(tenant: Tenant, customerId: string): Promise<CustomerRow> {
  const customer = await prisma().customer.findFirst({
    where: { id: customerId, platformId: tenant.platformId, liveMode: tenant.liveMode },
  });
  if (!customer) throw new NotFoundError(`no customer ${customerId}`);
  return customer;
}

/**
 * Customers known to belong to a tenant. Customers are never deleted nor moved between
 * platforms, so a positive answer cannot go stale; the bound only limits memory.
 */
const knownCustomers = new TtlCache<string, true>(10 * 60_000, 100_000);
const knownCustomerKey = (tenant: Tenant, customerId: string) => `${tenant.platformId}:${tenant.liveMode}:${customerId}`;

/**
 * NotFoundError unless the customer is the tenant's: the check every per-customer route
 * makes. Cached in-process (see knownCustomers), so the usage-event path pays no query.
 */
export async function assertCustomerOfTenant(tenant: Tenant, customerId: string): Promise<void> {
  const key = knownCustomerKey(tenant, customerId);
  if (knownCustomers.get(key)) return;
  await getCustomerOrThrow(tenant, customerId);
  knownCustomers.set(key, true);
}

/**
 * The id of the tenant's customer with this `external_id`, or NotFoundError. Cached like
 * knownCustomers: a customer's external_id is set at creation and never changes.
 */
export async function customerIdByExternalIdOrThrow(tenant: Tenant, externalId: string): Promise<string> {
  const key = `${tenant.platformId}:${tenant.liveMode}:${externalId}`;
  const cached = customerIdsByExternalId.get(key);
  if (cached) return cached;
  const customer = await prisma().customer.findFirst({
    where: { platformId: tenant.platformId, liveMode: tenant.liveMode, externalId },
    select: { id: true },
  });
  if (!customer) throw new NotFoundError(`no customer with external_id ${externalId}`);
  customerIdsByExternalId.set(key, customer.id);
  // Found within the tenant: assertCustomerOfTenant need not look it up again.
  knownCustomers.set(knownCustomerKey(tenant, customer.id), true);
  return customer.id;
}

const customerIdsByExternalId = new TtlCache<string, string>(10 * 60_000, 100_000);

/** The tenant's customer with its subscriptions, or NotFoundError. */
export async function getCustomerWithSubscriptions(tenant: Tenant, customerId: string): Promise<Customer> {
  const customer = await getCustomerOrThrow(tenant, customerId);
  return toCustomer(customer, await listCustomerSubscriptions(customer.id));
}

export async function listCustomers(
  tenant: Tenant,
  filter: { externalId?: string; email?: string },
  page: Page,
): Promise<{ items: Customer[]; total: number }> {
  const where: Prisma.CustomerWhereInput = {
    platformId: tenant.platformId,
    liveMode: tenant.liveMode,
    ...(filter.externalId !== undefined ? { externalId: filter.externalId } : {}),
    ...(filter.email !== undefined ? { email: filter.email } : {}),
  };
  const { items: rows, total } = await paginate(
    page,
    (window) => prisma().customer.findMany({ where, orderBy: NEWEST_FIRST, ...window }),
    () => prisma().customer.count({ where }),
  );
  const subscriptions = await listSubscriptionsOfCustomers(rows.map((c) => c.id));
  return { items: rows.map((c) => toCustomer(c, subscriptions.get(c.id) ?? [])), total };
}
