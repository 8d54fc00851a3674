import { notFound } from "next/navigation";
import { requirePortalCustomer } from "@/lib/auth/portal-auth";
import { NotFoundError } from "@/lib/errors";
import { tenantOf } from "./portal-context";
import { getPortalTopUpResult } from "./portal-top-up";
import type { PortalTopUpResult } from "./types";

/** The success and failure pages' data: the session customer's top-up, or the 404 page. */
export async function loadTopUpResult(id: string): Promise<PortalTopUpResult> {
  const session = await requirePortalCustomer();
  try {
    return await getPortalTopUpResult(tenantOf(session), session.customerId, id);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}
