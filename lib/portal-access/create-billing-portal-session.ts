import type { Tenant } from "@/lib/tenant";
import { getCustomerOrThrow } from "@/lib/customers/customers";
import { createRedirectToken } from "./redirect-tokens";

/** A sign-in link into the portal. */
export interface BillingPortalSession {
  url: string;
  expiresAt: Date;
}

/**
 * `POST /billing-portal/sessions`: a single-use, 10-minute link that signs the tenant's
 * customer into the portal overview. Another platform's (or mode's) customer is a 404.
 */
export async function createBillingPortalSession(
  tenant: Tenant,
  input: { customer_id: string; return_url?: string; failure_url?: string },
): Promise<BillingPortalSession> {
  const customer = await getCustomerOrThrow(tenant, input.customer_id);
  const link = await createRedirectToken({
    customerId: customer.id,
    target: "/portal",
    returnUrl: input.return_url ?? null,
    failureUrl: input.failure_url ?? null,
  });
  return { url: link.url, expiresAt: link.expiresAt };
}
