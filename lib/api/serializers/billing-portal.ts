import type { z } from "zod";
import type { BillingPortalSession } from "@/lib/portal-access/create-billing-portal-session";
import type { billingPortalSessionSchema } from "../schemas/portal";

export function billingPortalSessionToJson(s: BillingPortalSession): z.input<typeof billingPortalSessionSchema> {
  return { redirect_url: s.url, expires_at: s.expiresAt.toISOString() };
}
