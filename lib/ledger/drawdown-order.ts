import type { GrantPurpose, GrantState } from "./types";

const purposeRank: Record<GrantPurpose, number> = { promotion: 0, bundled: 1, paid: 2 };

/**
 * The order in which a charge draws credit grants down (PRODUCT.md, "Credit grant"):
 * promotion, then bundled, then paid; within a purpose the soonest `expires_at` first,
 * grants without expiry last; then the oldest; the id breaks remaining ties so the order
 * is total and the same in every process.
 */
export function drawdownOrder(a: GrantState, b: GrantState): number {
  const byPurpose = purposeRank[a.purpose] - purposeRank[b.purpose];
  if (byPurpose !== 0) return byPurpose;
  const ea = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const eb = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (ea !== eb) return ea < eb ? -1 : 1;
  const ca = a.createdAt.getTime();
  const cb = b.createdAt.getTime();
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
