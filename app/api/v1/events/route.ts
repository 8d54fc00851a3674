import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { eventOperations } from "@/lib/api/schemas/events";
import { eventResultJson, usageEventJson } from "@/lib/api/serializers/usage";
import { assertCustomerOfTenant, customerIdByExternalIdOrThrow } from "@/lib/customers/customers";
import { customerOfHoldOrThrow } from "@/lib/holds/read-holds";
import { ingestEvents } from "@/lib/usage/ingest-events";
import { listEvents } from "@/lib/usage/list-events";

export const POST = apiRoute(eventOperations.sendUsageEvents, async ({ auth, body }) => {
  // The schema admits exactly one of the two.
  const customerId = body.customer_id ?? (await customerIdByExternalIdOrThrow(auth, body.customer_external_id!));
  return { results: (await ingestEvents(auth, customerId, body.events)).map(eventResultJson) };
});

export const GET = apiRoute(eventOperations.listUsageEvents, async ({ auth, query }) => {
  if (query.customer_id) await assertCustomerOfTenant(auth, query.customer_id);
  // A hold is one customer's: its events are looked for among that customer's alone.
  const customerId = query.customer_id ?? (query.hold_id ? await customerOfHoldOrThrow(auth, query.hold_id) : undefined);
  const { items, total } = await listEvents(
    auth,
    { customerId, status: query.status, eventType: query.event_type, sourceReference: query.source_reference, holdId: query.hold_id },
    query,
  );
  return listResponse(items.map(usageEventJson), total, query);
});
