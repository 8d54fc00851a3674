import { apiRoute } from "@/lib/api/route";
import { holdOperations } from "@/lib/api/schemas/holds";
import { holdJson } from "@/lib/api/serializers/holds";
import { eventResultJson } from "@/lib/api/serializers/usage";
import { captureHold } from "@/lib/holds/capture-hold";

export const POST = apiRoute(holdOperations.captureHold, async ({ auth, params, body }) => {
  const { hold, results } = await captureHold(auth, params.id, params.hold_id, body.events);
  return { hold: holdJson(hold), results: results.map(eventResultJson) };
});
