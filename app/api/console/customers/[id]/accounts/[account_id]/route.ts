import { z } from "zod";
import { accountParams } from "@/lib/api/schemas/wallet";
import { nonNegativeAmountSchema } from "@/lib/api/schemas/common";
import { setOverdraftLimit } from "@/lib/console/customer-actions";
import { consoleRoute } from "@/app/_server/console-route";

/** The API's overdraft field (null: back to the platform's default). */
const body = z.strictObject({ overdraft_limit: nonNegativeAmountSchema.nullable() });

export const PATCH = consoleRoute("member", { params: accountParams, body }, async ({ console, params, body }) => {
  const account = await setOverdraftLimit(console, params.id, params.account_id, body.overdraft_limit);
  return { id: account.id, overdraft_limit: account.overdraftLimit.toString() };
});
