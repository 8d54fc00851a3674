import type { Tenant } from "@/lib/tenant";
import { isUniqueViolation, prisma } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError, type FieldError } from "@/lib/errors";
import { Prisma, type Vendor as VendorRow } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { NEWEST_FIRST, type Page, type Paged, paginate } from "@/lib/pagination";
import { TtlCache } from "@/lib/ttl-cache";

/** A vendor behind the platform's products (a model provider, a GPU cloud): what costs name. */
export interface Vendor {
  id: string;
  name: string;
  externalId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export interface CreateVendorInput {
  name: string;
  external_id?: string | null;
  metadata?: Record<string, unknown>;
}

function toVendor(row: VendorRow): Vendor {
  return {
    id: row.id,
    name: row.name,
    externalId: row.externalId,
    metadata: (row.metadata ?? {}) as Record<string, unknown>,
    createdAt: row.createdAt,
  };
}

const tenantWhere = (tenant: Tenant) => ({ platformId: tenant.platformId, liveMode: tenant.liveMode });

/**
 * Creates a vendor. An `external_id` already used on this platform (and mode) is a 409
 * naming the existing vendor; the unique index decides between two racing requests.
 */
export async function createVendor(tenant: Tenant, input: CreateVendorInput): Promise<Vendor> {
  const externalId = input.external_id ?? null;
  if (externalId) await assertExternalIdFree(tenant, externalId);
  try {
    const row = await prisma().vendor.create({
      data: {
        id: newId("vnd"),
        ...tenantWhere(tenant),
        name: input.name,
        externalId,
        metadata: (input.metadata ?? {}) as Prisma.InputJsonValue,
      },
    });
    return toVendor(row);
  } catch (error) {
    if (isUniqueViolation(error) && externalId) await assertExternalIdFree(tenant, externalId);
    throw error;
  }
}

async function assertExternalIdFree(tenant: Tenant, externalId: string) {
  const existing = await prisma().vendor.findFirst({ where: { ...tenantWhere(tenant), externalId }, select: { id: true } });
  if (existing) {
    throw new ConflictError(`a vendor with external_id ${externalId} already exists: ${existing.id}`, [], { existing_id: existing.id });
  }
}

/** The tenant's vendor, or NotFoundError (also for another platform's or mode's id). */
export async function getVendorOrThrow(tenant: Tenant, vendorId: string): Promise<Vendor> {
  const row = await prisma().vendor.findFirst({ where: { id: vendorId, ...tenantWhere(tenant) } });
  if (!row) throw new NotFoundError(`no vendor ${vendorId}`);
  return toVendor(row);
}

export async function listVendors(tenant: Tenant, filter: { externalId?: string }, page: Page): Promise<Paged<Vendor>> {
  const where: Prisma.VendorWhereInput = {
    ...tenantWhere(tenant),
    ...(filter.externalId !== undefined ? { externalId: filter.externalId } : {}),
  };
  const { items, total } = await paginate(
    page,
    (window) => prisma().vendor.findMany({ where, orderBy: NEWEST_FIRST, ...window }),
    () => prisma().vendor.count({ where }),
  );
  return { items: items.map(toVendor), total };
}

/** A vendor as a cost names it: by id or by the platform's external id; `field` is where. */
export interface VendorRef {
  vendorId?: string;
  vendorExternalId?: string;
  field: string;
}

/**
 * Vendors found, by `{platform}:{mode}:id:{id}` and `…:ext:{external_id}` → id. Vendors are
 * never changed or deleted, so a positive answer cannot go stale (misses are not kept):
 * usage events with costs resolve their vendors without a query once they are known.
 */
const knownVendors = new TtlCache<string, string>(10 * 60_000, 100_000);

/**
 * The vendor id of every reference, in order, in at most one query. Any unknown one (or
 * another platform's or mode's vendor) is a ValidationError (422) naming each field, so a
 * request with a wrong vendor writes nothing.
 */
export async function resolveVendorRefs(tenant: Tenant, refs: readonly VendorRef[]): Promise<string[]> {
  const prefix = `${tenant.platformId}:${tenant.liveMode}:`;
  const cacheKey = (r: VendorRef) => (r.vendorId ? `${prefix}id:${r.vendorId}` : `${prefix}ext:${r.vendorExternalId}`);
  const byId = new Set<string>();
  const byExternalId = new Map<string, string>();
  const missing = refs.filter((r) => {
    const id = knownVendors.get(cacheKey(r));
    if (id === undefined) return true;
    if (r.vendorId) byId.add(id);
    else byExternalId.set(r.vendorExternalId!, id);
    return false;
  });
  if (missing.length > 0) {
    const ids = [...new Set(missing.flatMap((r) => (r.vendorId ? [r.vendorId] : [])))];
    const externalIds = [...new Set(missing.flatMap((r) => (r.vendorExternalId ? [r.vendorExternalId] : [])))];
    const rows = await prisma().vendor.findMany({
      where: { ...tenantWhere(tenant), OR: [{ id: { in: ids } }, { externalId: { in: externalIds } }] },
      select: { id: true, externalId: true },
    });
    for (const row of rows) {
      byId.add(row.id);
      knownVendors.set(`${prefix}id:${row.id}`, row.id);
      if (row.externalId) {
        byExternalId.set(row.externalId, row.id);
        knownVendors.set(`${prefix}ext:${row.externalId}`, row.id);
      }
    }
  }
  const errors: FieldError[] = [];
  const resolved = refs.map((ref) => {
    if (ref.vendorId) {
      if (byId.has(ref.vendorId)) return ref.vendorId;
      errors.push({ field: `${ref.field}/vendor_id`, message: `No vendor ${ref.vendorId}` });
      return "";
    }
    const id = byExternalId.get(ref.vendorExternalId!);
    if (id) return id;
    errors.push({ field: `${ref.field}/vendor_external_id`, message: `No vendor with external_id ${ref.vendorExternalId}` });
    return "";
  });
  if (errors.length > 0) throw new ValidationError(`Unknown vendor: ${errors.map((e) => `${e.field}: ${e.message}`).join("; ")}`, errors);
  return resolved;
}
