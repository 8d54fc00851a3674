import { z } from "zod";
import { defineOperations } from "../contract";
import { listSchema, paginationQuery } from "../pagination";
import { externalIdSchema, idSchema, metadataSchema, nameSchema } from "./common";

/** Strict, like every request body: a typo is a 422 naming it. */
export const createVendorBody = z
  .strictObject({
    name: nameSchema,
    external_id: externalIdSchema.nullish().meta({ description: "Your own id for the vendor; costs may name it as vendor_external_id" }),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: "CreateVendor" });

export const vendorIdParams = z.object({ id: idSchema("vnd") });

export const listVendorsQuery = paginationQuery.extend({ external_id: externalIdSchema.optional() });

export const vendorSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    external_id: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    created_at: z.string(),
  })
  .meta({ id: "Vendor" });

const tag = "Vendors";
const create = { method: "post" as const, tag, summary: "Create a vendor", body: createVendorBody, response: vendorSchema, status: 201, errors: [409] };
const list = { method: "get" as const, tag, summary: "List vendors (filter by external_id)", query: listVendorsQuery, response: listSchema(vendorSchema).meta({ id: "VendorList" }) };
const get = { method: "get" as const, params: vendorIdParams, tag, summary: "Get a vendor", response: vendorSchema };

/** Served at `/vendors` and, as Credyt's docs write it, at `/events/vendors`. */
export const vendorOperations = defineOperations({
  createVendor: { ...create, path: "/vendors" },
  listVendors: { ...list, path: "/vendors" },
  getVendor: { ...get, path: "/vendors/{id}" },
  createVendorAtEvents: { ...create, path: "/events/vendors", summary: "Create a vendor (Credyt's path for POST /vendors)" },
  listVendorsAtEvents: { ...list, path: "/events/vendors", summary: "List vendors (Credyt's path for GET /vendors)" },
  getVendorAtEvents: { ...get, path: "/events/vendors/{id}", summary: "Get a vendor (Credyt's path for GET /vendors/{id})" },
});
