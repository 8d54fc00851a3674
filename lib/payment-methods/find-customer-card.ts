import type { Tenant } from "@/lib/tenant";
import { listSavedCards } from "./list-saved-cards";
import { isPaymentMethodId, type SavedCard } from "./saved-card";

/**
 * The card `paymentMethodId` if it is saved on this customer, else null: another
 * customer's card, a detached one, a non-card method or an unknown id all answer null, so
 * callers turn them into the same 404/422 without telling which. Another platform's
 * customer is a NotFoundError.
 */
export async function findCustomerCard(tenant: Tenant, customerId: string, paymentMethodId: string): Promise<SavedCard | null> {
  if (!isPaymentMethodId(paymentMethodId)) {
    await listSavedCards(tenant, customerId); // still a 404 for a customer that is not the tenant's
    return null;
  }
  return (await listSavedCards(tenant, customerId)).find((card) => card.id === paymentMethodId) ?? null;
}
