import { disableAutoTopUp, getAutoTopUp } from "@/lib/auto-top-ups";
import { apiRoute } from "@/lib/api/route";
import { autoTopUpOperations } from "@/lib/api/schemas/auto-top-ups";
import { autoTopUpToJson } from "@/lib/api/serializers/auto-top-ups";

export const GET = apiRoute(autoTopUpOperations.getAutoTopUp, async ({ auth, params }) =>
  autoTopUpToJson(await getAutoTopUp(auth, params.id, params.account_id)),
);

/** The platform may switch auto top-up off; only the cardholder switches it on (the portal). */
export const DELETE = apiRoute(autoTopUpOperations.disableAutoTopUp, async ({ auth, params }) => {
  await disableAutoTopUp(auth, params.id, params.account_id, "platform");
  return autoTopUpToJson(await getAutoTopUp(auth, params.id, params.account_id));
});
