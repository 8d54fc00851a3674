import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { vendorOperations } from "@/lib/api/schemas/vendors";
import { vendorToJson } from "@/lib/api/serializers/vendors";
import { createVendor, listVendors } from "@/lib/vendors/vendors";

export const POST = apiRoute(vendorOperations.createVendor, async ({ auth, body }) => vendorToJson(await createVendor(auth, body)));

export const GET = apiRoute(vendorOperations.listVendors, async ({ auth, query }) => {
  const { items, total } = await listVendors(auth, { externalId: query.external_id }, query);
  return listResponse(items.map(vendorToJson), total, query);
});
