import { apiRoute } from "@/lib/api/route";
import { customerIdParams } from "@/lib/api/schemas/customers";
import { getCustomerJson } from "@/lib/customers/customers";

export const GET = apiRoute({ params: customerIdParams }, ({ auth, params }) => getCustomerJson(auth, params.id));
