import { z } from "zod";
import { idSchema } from "@/lib/api/schemas/common";
import { getCustomerOverview } from "@/lib/console/get-customer-overview";
import { consoleRoute } from "@/app/_server/console-route";

const params = z.object({ id: idSchema("cust") });

/** The customer page's data (the console's live refresh); another platform's or mode's customer is a 404. */
export const GET = consoleRoute("read_only", { params }, async ({ console, params: { id } }) =>
  getCustomerOverview(console.tenant, id),
);
