import { z } from "zod";
import { defineOperations, type Operation } from "./contract";
import { apiKeyOperations } from "./schemas/api-keys";
import { autoTopUpOperations } from "./schemas/auto-top-ups";
import { catalogOperations } from "./schemas/catalog";
import { customerOperations } from "./schemas/customers";
import { eventOperations } from "./schemas/events";
import { holdOperations } from "./schemas/holds";
import { statsOperations } from "./schemas/stats";
import { vendorOperations } from "./schemas/vendors";
import { platformOperations } from "./schemas/platform";
import { portalOperations } from "./schemas/portal";
import { topUpOperations } from "./schemas/top-ups";
import { walletOperations } from "./schemas/wallet";
import { webhookOperations } from "./schemas/webhooks";

export const metaOperations = defineOperations({
  getOpenApiDocument: {
    method: "get",
    path: "/openapi.json",
    tag: "Meta",
    summary: "This OpenAPI 3.1 document",
    public: true,
    // No parameters: an unknown one is a 400, as everywhere.
    query: z.object({}),
    response: z.record(z.string(), z.unknown()).meta({ id: "OpenApiDocument", description: "An OpenAPI 3.1 document" }),
  },
});

/**
 * Every `/api/v1` operation, in the order shown on /docs: the OpenAPI document is built from
 * this list, and test/api-contract.test.ts checks each has its route handler and each
 * route handler is one of these.
 */
export const apiOperations: readonly Operation[] = [
  ...Object.values(customerOperations),
  ...Object.values(walletOperations),
  ...Object.values(holdOperations),
  ...Object.values(autoTopUpOperations),
  ...Object.values(eventOperations),
  ...Object.values(vendorOperations),
  ...Object.values(statsOperations),
  ...Object.values(catalogOperations),
  ...Object.values(topUpOperations),
  ...Object.values(webhookOperations),
  ...Object.values(portalOperations),
  ...Object.values(apiKeyOperations),
  ...Object.values(platformOperations),
  ...Object.values(metaOperations),
];
