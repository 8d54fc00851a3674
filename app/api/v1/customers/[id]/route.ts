import { apiRoute } from "@/lib/api/route";
import { customerIdParams } from "@/lib/api/schemas/customers";
import { getCustomerJson } from "@/lib/customers/customers";
import { methodNotAllowed } from "@/lib/api/fallback";

export const GET = apiRoute({ params: customerIdParams }, ({ auth, params }) => getCustomerJson(auth, params.id));

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
