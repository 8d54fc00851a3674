import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { createTopUpBody, listTopUpsQuery } from "@/lib/api/schemas/top-ups";
import { assertCustomerOfTenant } from "@/lib/customers/customers";
import { initiateTopUp, listTopUps, topUpToJson } from "@/lib/top-ups";
import { methodNotAllowed } from "@/lib/api/fallback";

export const POST = apiRoute({ body: createTopUpBody, status: 201 }, async ({ auth, body }) => {
  const destination = body.destination ?? { account_name: "default", asset: body.currency };
  const { topUp, redirectUrl } = await initiateTopUp(auth, { ...body, destination });
  return { ...topUpToJson(topUp), redirect_url: redirectUrl };
});

export const GET = apiRoute({ query: listTopUpsQuery }, async ({ auth, query }) => {
  // Like GET /events: another platform's customer is a 404, not an empty list.
  if (query.customer_id) await assertCustomerOfTenant(auth, query.customer_id);
  const { items, total } = await listTopUps(auth, { customerId: query.customer_id, status: query.status }, query);
  return listResponse(items.map(topUpToJson), total, query);
});

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET", "POST"]);
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
