import { prisma } from "@/lib/db";
import { Dec } from "@/lib/money";
import { findCustomerCard, type SavedCard } from "@/lib/payment-methods";
import type { Tenant } from "@/lib/tenant";
import { autoTopUpFromRow, type AutoTopUp, type AutoTopUpSettings } from "./auto-top-up";
import { accountOfId, getAutoTopUpSettings } from "./settings";

/** An account's auto top-up as the API and the portal show it. */
export interface AutoTopUpView {
  accountId: string;
  /** null: never configured. */
  settings: AutoTopUpSettings | null;
  /** The settings' card, while it is still saved on the customer. */
  card: SavedCard | null;
  /** What succeeded auto top-ups paid this calendar month (UTC), in the settings' currency. */
  spentThisMonth: Dec;
  /** The latest request, whatever became of it (the portal shows a failure from it). */
  lastAutoTopUp: AutoTopUp | null;
}

/**
 * The settings with their card summary (read from Stripe), this month's spend and the
 * latest attempt. Another platform's or mode's customer is a NotFoundError.
 */
export async function getAutoTopUp(tenant: Tenant, customerId: string, accountId: string): Promise<AutoTopUpView> {
  const settings = await getAutoTopUpSettings(tenant, customerId, accountId);
  const { name, asset } = accountOfId(accountId);
  const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
  const [card, last, spent] = await Promise.all([
    settings?.paymentMethodId ? findCustomerCard(tenant, customerId, settings.paymentMethodId) : null,
    prisma().autoTopUp.findFirst({ where: { customerId, accountName: name, asset }, orderBy: { createdAt: "desc" } }),
    settings
      ? prisma().autoTopUp.aggregate({
          where: { customerId, accountName: name, asset, currency: settings.currency, status: "succeeded", createdAt: { gte: monthStart } },
          _sum: { amount: true },
        })
      : null,
  ]);
  return {
    accountId: `${name}:${asset}`,
    settings,
    card,
    spentThisMonth: new Dec(spent?._sum.amount?.toFixed() ?? "0"),
    lastAutoTopUp: last ? autoTopUpFromRow(last) : null,
  };
}
