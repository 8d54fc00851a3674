import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { topUpOperations } from "@/lib/api/schemas/top-ups";
import { topUpToJson } from "@/lib/api/serializers/top-ups";
import { assertCustomerOfTenant } from "@/lib/customers/customers";
import { initiateTopUp, listTopUps } from "@/lib/top-ups";

export const POST = apiRoute(topUpOperations.createTopUp, async ({ auth, body }) => {
  const { topUp, redirectUrl } = await initiateTopUp(auth, body);
  // Made unless the caller opts out, as only the portal (already signed in) does.
  if (redirectUrl === null) throw new Error("initiateTopUp made no sign-in link");
  return { ...topUpToJson(topUp), redirect_url: redirectUrl };
});

export const GET = apiRoute(topUpOperations.listTopUps, async ({ auth, query }) => {
  // Like GET /events: another platform's customer is a 404, not an empty list.
  if (query.customer_id) await assertCustomerOfTenant(auth, query.customer_id);
  const { items, total } = await listTopUps(auth, { customerId: query.customer_id, status: query.status }, query);
  return listResponse(items.map(topUpToJson), total, query);
});
