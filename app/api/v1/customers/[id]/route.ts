import { apiRoute } from "@/lib/api/route";
import { customerOperations } from "@/lib/api/schemas/customers";
import { getCustomerJson } from "@/lib/customers/customers";

export const GET = apiRoute(customerOperations.getCustomer, ({ auth, params }) => getCustomerJson(auth, params.id));
