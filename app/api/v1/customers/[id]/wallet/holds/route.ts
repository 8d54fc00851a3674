import { listResponse } from "@/lib/api/pagination";
import { ApiProblem } from "@/lib/api/problem";
import { InsufficientFundsError } from "@/lib/errors";
import { amountToJson } from "@/lib/money";
import { apiRoute } from "@/lib/api/route";
import { holdOperations } from "@/lib/api/schemas/holds";
import { holdJson } from "@/lib/api/serializers/holds";
import { createHold } from "@/lib/holds/create-hold";
import { listHolds } from "@/lib/holds/read-holds";

export const POST = apiRoute(holdOperations.createHold, async ({ auth, params, body }) => {
  const { hold } = await createHold(auth, params.id, {
    id: body.id,
    accountName: body.account_name,
    amount: body.amount,
    asset: body.asset,
    estimate: body.estimate,
    ttlSeconds: body.ttl_seconds,
    expiresAt: body.expires_at,
    subject: body.subject,
    metadata: body.metadata,
  }).catch(insufficientFundsAs402);
  return holdJson(hold);
});

/**
 * A hold the balance cannot cover is 402 (PRODUCT.md, holds), unlike a refused adjustment
 * (422): the payer must add funds. The shortfall and amounts as JSON numbers.
 */
function insufficientFundsAs402(error: unknown): never {
  if (!(error instanceof InsufficientFundsError)) throw error;
  const extra = Object.fromEntries(
    Object.entries(error.extra).map(([k, v]) => [k, k === "account_id" || typeof v !== "string" ? v : amountToJson(v)]),
  );
  throw new ApiProblem(402, "insufficient_funds", error.message, [], {}, extra);
}

export const GET = apiRoute(holdOperations.listHolds, async ({ auth, params, query }) => {
  const { items, total } = await listHolds(auth, params.id, query.status, query);
  return listResponse(items.map(holdJson), total, query);
});
