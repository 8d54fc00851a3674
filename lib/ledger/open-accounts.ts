import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";

/**
 * Opens zero-balance accounts for a customer created in the caller's transaction (Credyt
 * provisions one per asset the customer's subscribed prices use, so `GET …/wallet/default:USD`
 * answers right after creation). Only for a new customer: no batch can have loaded its
 * wallet yet, so writing the rows outside a batch cannot race a cached wallet. The limits
 * stay null (the platform's defaults); an account that exists already is left as it is.
 */
export async function openAccountsOfNewCustomer(
  tx: Prisma.TransactionClient,
  customerId: string,
  accounts: readonly { name: string; asset: string }[],
): Promise<void> {
  if (accounts.length === 0) return;
  await tx.account.createMany({
    data: accounts.map((a) => ({ id: newId("acct"), customerId, name: a.name, asset: a.asset })),
    skipDuplicates: true,
  });
}
