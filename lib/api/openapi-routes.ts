import type { RouteDoc } from "./openapi";

/**
 * Every documented `/api/v1` endpoint, in the order shown on /docs. To document a route,
 * add an entry here (or export a `RouteDoc[]` beside its schemas and spread it in),
 * passing the same zod schemas the route handler validates with:
 *
 * ```ts
 * { method: "post", path: "/customers", tag: "Customers", summary: "Create a customer",
 *   body: createCustomerBody, response: customerSchema, status: 201, errors: [409] },
 * ```
 */
export const apiRouteDocs: RouteDoc[] = [
  { method: "get", path: "/openapi.json", tag: "Meta", summary: "This OpenAPI 3.1 document", public: true },
];
