import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { customerOperations } from "@/lib/api/schemas/customers";
import { customerToJson } from "@/lib/api/serializers/customers";
import { createCustomer, listCustomers } from "@/lib/customers/customers";

export const POST = apiRoute(customerOperations.createCustomer, async ({ auth, body }) => customerToJson(await createCustomer(auth, body)));

export const GET = apiRoute(customerOperations.listCustomers, async ({ auth, query }) => {
  const { items, total } = await listCustomers(auth, { externalId: query.external_id, email: query.email }, query);
  return listResponse(items.map(customerToJson), total, query);
});
