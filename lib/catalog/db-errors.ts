import { Prisma } from "@/lib/generated/prisma/client";

/** True for a unique-constraint violation (P2002): two writers raced for the same key. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** The client a catalog write runs on: the shared client or a caller's transaction. */
export type CatalogDb = Prisma.TransactionClient;
