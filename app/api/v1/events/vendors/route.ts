import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { vendorOperations } from "@/lib/api/schemas/vendors";
import { vendorToJson } from "@/lib/api/serializers/vendors";
import { createVendor, listVendors } from "@/lib/vendors/vendors";

// Credyt's documented path for /vendors (docs/credyt-compatibility.md): the same operations.
export const POST = apiRoute(vendorOperations.createVendorAtEvents, async ({ auth, body }) => vendorToJson(await createVendor(auth, body)));

export const GET = apiRoute(vendorOperations.listVendorsAtEvents, async ({ auth, query }) => {
  const { items, total } = await listVendors(auth, { externalId: query.external_id }, query);
  return listResponse(items.map(vendorToJson), total, query);
});
