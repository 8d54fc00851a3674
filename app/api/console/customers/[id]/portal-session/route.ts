import { z } from "zod";
import { idSchema } from "@/lib/api/schemas/common";
import { openPortalAsCustomer } from "@/lib/console/customer-actions";
import { consoleRoute } from "@/app/_server/console-route";

const params = z.object({ id: idSchema("cust") });

/** A single-use portal sign-in link for the customer (the operator opens it in a new tab). */
export const POST = consoleRoute("member", { params, status: 201 }, async ({ console, params: { id } }) => {
  const session = await openPortalAsCustomer(console, id);
  return { url: session.url, expires_at: session.expiresAt.toISOString() };
});
