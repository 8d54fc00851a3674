import { notFound } from "next/navigation";
import { requirePortalCustomer } from "@/app/_server/portal-auth";
import { NotFoundError } from "@/lib/errors";
import { tenantOf } from "@/lib/portal/portal-context";
import { getPortalTopUpResult } from "@/lib/portal/portal-top-up";
import type { PortalTopUpResult } from "@/lib/portal/types";

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
