import { z } from "zod";
import { defineOperations } from "../contract";
import { listSchema, paginationQuery } from "../pagination";
import { emailSchema, externalIdSchema, idSchema, metadataSchema, nameSchema, notSupportedYet } from "./common";

const productRef = z
  .strictObject({
    code: z.string().min(1).max(100).optional(),
    id: idSchema("prp").optional(),
    version: z.union([z.literal("default"), z.number().int().min(1)]).default("default"),
  })
  .refine((p) => Boolean(p.code) !== Boolean(p.id), "Give exactly one of code or id");

/** Credyt's fields for paying a fixed-fee subscription up front, which Drawdown does not take yet. */
const subscriptionPaymentField = notSupportedYet("subscriptions are active at once; there is no up-front payment to return from");

/** Strict, like every request body: a typo (`extrenal_id`) is a 422 naming it, never a lost value. */
export const createCustomerBody = z
  .strictObject({
    name: nameSchema.nullish(),
    email: emailSchema.nullish(),
    external_id: externalIdSchema.nullish(),
    metadata: metadataSchema.optional(),
    subscriptions: z
      .array(
        z.strictObject({
          products: z.array(productRef).min(1).max(50),
          return_url: subscriptionPaymentField,
          failure_url: subscriptionPaymentField,
          redirect_to: subscriptionPaymentField,
        }),
      )
      .max(20)
      .optional(),
  })
  .meta({ id: "CreateCustomer" });

export const customerIdParams = z.object({ id: idSchema("cust") });

export const listCustomersQuery = paginationQuery.extend({
  external_id: externalIdSchema.optional(),
  email: z.string().max(254).optional(),
});

export const customerSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    external_id: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    created_at: z.string(),
    subscriptions: z.array(
      z.object({ products: z.array(z.object({ id: z.string(), code: z.string(), version: z.union([z.number(), z.literal("default")]) })) }),
    ),
  })
  .meta({ id: "Customer" });

export const customerOperations = defineOperations({
  createCustomer: { method: "post", path: "/customers", tag: "Customers", summary: "Create a customer", body: createCustomerBody, response: customerSchema, status: 201, errors: [409] },
  listCustomers: { method: "get", path: "/customers", tag: "Customers", summary: "List customers (filter by external_id or email)", query: listCustomersQuery, response: listSchema(customerSchema).meta({ id: "CustomerList" }) },
  getCustomer: { method: "get", path: "/customers/{id}", params: customerIdParams, tag: "Customers", summary: "Get a customer", response: customerSchema },
});
