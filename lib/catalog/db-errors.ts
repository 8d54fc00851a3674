import { Prisma } from "@/lib/generated/prisma/client";

/**
 * True for a unique-constraint violation (P2002): two writers raced for the same key.
 * Checked by name and code, not `instanceof`: the production server loads lib/ twice
 * (Next.js's bundle and server/api-router.ts's modules) and the Prisma client both use is
 * whichever copy created it first (lib/db.ts keeps one per process).
 */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown } | null;
  return e?.name === "PrismaClientKnownRequestError" && e.code === "P2002";
}

/** The client a catalog write runs on: the shared client or a caller's transaction. */
export type CatalogDb = Prisma.TransactionClient;
