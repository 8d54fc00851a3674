import { Prisma } from "@/lib/generated/prisma/client";

/** The client a catalog write runs on: the shared client or a caller's transaction. */
export type CatalogDb = Prisma.TransactionClient;
