import { apiRoute } from "@/lib/api/route";
import { vendorOperations } from "@/lib/api/schemas/vendors";
import { vendorToJson } from "@/lib/api/serializers/vendors";
import { getVendorOrThrow } from "@/lib/vendors/vendors";

export const GET = apiRoute(vendorOperations.getVendor, async ({ auth, params }) => vendorToJson(await getVendorOrThrow(auth, params.id)));
