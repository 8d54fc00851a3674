import { apiRoute } from "@/lib/api/route";
import { vendorOperations } from "@/lib/api/schemas/vendors";
import { vendorToJson } from "@/lib/api/serializers/vendors";
import { getVendorOrThrow } from "@/lib/vendors/vendors";

// Credyt's documented path for /vendors/{id}.
export const GET = apiRoute(vendorOperations.getVendorAtEvents, async ({ auth, params }) => vendorToJson(await getVendorOrThrow(auth, params.id)));
