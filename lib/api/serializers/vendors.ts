import type { z } from "zod";
import type { Vendor } from "@/lib/vendors/vendors";
import type { vendorSchema } from "../schemas/vendors";

export function vendorToJson(v: Vendor): z.input<typeof vendorSchema> {
  return { id: v.id, name: v.name, external_id: v.externalId, metadata: v.metadata, created_at: v.createdAt.toISOString() };
}
