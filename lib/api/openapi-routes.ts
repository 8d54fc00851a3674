import type { RouteDoc } from "./openapi";
import { apiKeyRouteDocs } from "./schemas/api-keys";
import { catalogRouteDocs } from "./schemas/catalog";
import { customerRouteDocs } from "./schemas/customers";
import { eventRouteDocs } from "./schemas/events";
import { platformRouteDocs } from "./schemas/platform";
import { portalRouteDocs } from "./schemas/portal";
import { topUpRouteDocs } from "./schemas/top-ups";
import { walletRouteDocs } from "./schemas/wallet";
import { webhookRouteDocs } from "./schemas/webhooks";

/**
 * Every documented `/api/v1` endpoint, in the order shown on /docs. Each domain's schema
 * file exports its `RouteDoc[]` beside the zod schemas its route handlers validate with;
 * spread it in here. An entry looks like:
 *
 * ```ts
 * { method: "post", path: "/customers", tag: "Customers", summary: "Create a customer",
 *   body: createCustomerBody, response: customerSchema, status: 201, errors: [409] },
 * ```
 */
export const apiRouteDocs: RouteDoc[] = [
  ...customerRouteDocs,
  ...walletRouteDocs,
  ...eventRouteDocs,
  ...catalogRouteDocs,
  ...topUpRouteDocs,
  ...webhookRouteDocs,
  ...portalRouteDocs,
  ...apiKeyRouteDocs,
  ...platformRouteDocs,
  { method: "get", path: "/openapi.json", tag: "Meta", summary: "This OpenAPI 3.1 document", public: true },
];
