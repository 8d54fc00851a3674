import type { Tenant } from "@/lib/tenant";
import { prisma } from "@/lib/db";
import { isOpenReview, listTopUps, type TopUp } from "@/lib/top-ups";
import { listEvents } from "@/lib/usage/list-events";
import { listCreditGrants } from "@/lib/wallet/wallet-views";
import { formatAmount } from "@/lib/money";
import { assetOf, portalAssets } from "./portal-assets";
import type { PortalCreditGrant, PortalPage, PortalTopUp, PortalUsageEvent } from "./types";
import type { Page } from "@/lib/pagination";

/**
 * The portal's history lists, always of the session's own customer (the caller passes
 * the session's tenant and customer id, never an id from the request). Newest first.
 */

function page<T>(items: T[], total: number, p: Page): PortalPage<T> {
  return { items, total_count: total, limit: p.limit, offset: p.offset };
}

/** Usage events with their fees, each fee named by its product and price. */
export async function listPortalUsage(tenant: Tenant, customerId: string, p: Page): Promise<PortalPage<PortalUsageEvent>> {
  const { items, total } = await listEvents(tenant, { customerId }, p);
  const fees = items.flatMap((e) => e.fees);
  const [products, assets] = await Promise.all([
    fees.length
      ? prisma().product.findMany({
          where: { platformId: tenant.platformId, liveMode: tenant.liveMode, id: { in: [...new Set(fees.map((f) => f.productId))] } },
          select: { id: true, name: true },
        })
      : Promise.resolve([]),
    portalAssets(tenant, fees.map((f) => f.asset)),
  ]);
  const productName = new Map(products.map((pr) => [pr.id, pr.name]));
  return page(
    items.map((e) => ({
      id: e.id,
      event_type: e.eventType,
      occurred_at: e.occurredAt.toISOString(),
      subject: e.subject,
      description: e.description,
      status: e.status,
      reason: e.reason,
      fees: e.fees.map((f) => ({
        product: productName.get(f.productId) ?? f.productId,
        price_name: f.priceName,
        // Exact: every digit the ledger holds (the browser rounds for display only).
        amount: formatAmount(f.amount),
        asset: assetOf(assets, f.asset),
      })),
    })),
    total,
    p,
  );
}

export async function toPortalTopUps(tenant: Tenant, topUps: TopUp[]): Promise<PortalTopUp[]> {
  const assets = await portalAssets(tenant, topUps.flatMap((t) => [t.asset, t.currency]));
  return topUps.map((t) => ({
    id: t.id,
    status: t.status as PortalTopUp["status"],
    under_review: t.status === "initiated" && isOpenReview(t.review),
    automatic: t.automatic,
    amount: formatAmount(t.amount.toFixed()),
    currency: assetOf(assets, t.currency),
    credit_amount: formatAmount(t.creditAmount.toFixed()),
    asset: assetOf(assets, t.asset),
    account_id: `${t.accountName}:${t.asset}`,
    created_at: t.createdAt.toISOString(),
  }));
}

export async function listPortalTopUps(tenant: Tenant, customerId: string, p: Page): Promise<PortalPage<PortalTopUp>> {
  const { items, total } = await listTopUps(tenant, { customerId }, p);
  return page(await toPortalTopUps(tenant, items), total, p);
}

export async function listPortalCreditGrants(tenant: Tenant, customerId: string, p: Page): Promise<PortalPage<PortalCreditGrant>> {
  const { items, total } = await listCreditGrants(tenant, customerId, p);
  const assets = await portalAssets(tenant, items.map((g) => g.asset));
  return page(
    items.map((g) => ({
      id: g.id,
      account_id: g.accountId,
      asset: assetOf(assets, g.asset),
      purpose: g.purpose,
      amount: formatAmount(g.amount),
      remaining: formatAmount(g.remaining),
      status: g.status,
      effective_at: g.effectiveAt.toISOString(),
      expires_at: g.expiresAt?.toISOString() ?? null,
      created_at: g.createdAt.toISOString(),
    })),
    total,
    p,
  );
}
