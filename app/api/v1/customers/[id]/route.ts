import { apiRoute } from "@/lib/api/route";
import { customerOperations } from "@/lib/api/schemas/customers";
import { customerToJson } from "@/lib/api/serializers/customers";
import { getCustomerWithSubscriptions } from "@/lib/customers/customers";

export const GET = apiRoute(customerOperations.getCustomer, async ({ auth, params }) =>
  customerToJson(await getCustomerWithSubscriptions(auth, params.id)),
);
