import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { createCustomerBody, listCustomersQuery } from "@/lib/api/schemas/customers";
import { createCustomer, listCustomers } from "@/lib/customers/customers";

export const POST = apiRoute({ body: createCustomerBody, status: 201 }, ({ auth, body }) => createCustomer(auth, body));

export const GET = apiRoute({ query: listCustomersQuery }, async ({ auth, query }) => {
  const { items, total } = await listCustomers(auth, { externalId: query.external_id, email: query.email }, query);
  return listResponse(items, total, query);
});
