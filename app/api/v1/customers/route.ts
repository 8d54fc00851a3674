import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { createCustomerBody, listCustomersQuery } from "@/lib/api/schemas/customers";
import { createCustomer, listCustomers } from "@/lib/customers/customers";
import { methodNotAllowed } from "@/lib/api/fallback";

export const POST = apiRoute({ body: createCustomerBody, status: 201 }, ({ auth, body }) => createCustomer(auth, body));

export const GET = apiRoute({ query: listCustomersQuery }, async ({ auth, query }) => {
  const { items, total } = await listCustomers(auth, { externalId: query.external_id, email: query.email }, query);
  return listResponse(items, total, query);
});

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET", "POST"]);
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
