import { assertCustomerOfTenant } from "@/lib/customers/customers";
import { pool } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { HoldStatus } from "@/lib/ledger";
import type { Page } from "@/lib/pagination";
import type { Tenant } from "@/lib/tenant";
import { HOLD_COLUMNS, holdStateOf, readHoldOrThrow, toHold, type Hold, type HoldRow } from "./hold";

export async function getHold(tenant: Tenant, customerId: string, holdId: string): Promise<Hold> {
  await assertCustomerOfTenant(tenant, customerId);
  return toHold(customerId, await readHoldOrThrow(customerId, holdId));
}

/**
 * The customer a hold belongs to (404 when it is no hold of the tenant's): `GET
 * /events?hold_id=` lists that customer's events only, so the filter scans one customer's
 * events (its `(customer_id, created_at)` index) and needs no index of its own.
 */
export async function customerOfHoldOrThrow(tenant: Tenant, holdId: string): Promise<string> {
  const { rows } = await pool().query<{ customer_id: string }>("SELECT customer_id FROM holds WHERE id = $1", [holdId]);
  if (!rows[0]) throw new NotFoundError(`hold ${holdId} not found`);
  await assertCustomerOfTenant(tenant, rows[0].customer_id);
  return rows[0].customer_id;
}

/**
 * The customer's holds, newest first. The status filter is the one reads show: an open hold
 * past its expiry is `expired` (not `held`) even before a batch released it.
 */
export async function listHolds(tenant: Tenant, customerId: string, status: HoldStatus | undefined, page: Page): Promise<{ items: Hold[]; total: number }> {
  await assertCustomerOfTenant(tenant, customerId);
  const filter =
    status === undefined
      ? ""
      : status === "held"
        ? "AND status = 'held' AND expires_at > now()"
        : status === "expired"
          ? "AND (status = 'expired' OR (status = 'held' AND expires_at <= now()))"
          : "AND status = $2";
  const values: unknown[] = [customerId];
  if (status === "captured" || status === "released") values.push(status);
  const [rows, count] = await Promise.all([
    pool().query<HoldRow>(
      `SELECT ${HOLD_COLUMNS} FROM holds WHERE customer_id = $1 ${filter}
        ORDER BY created_at DESC, id DESC LIMIT ${Number(page.limit)} OFFSET ${Number(page.offset)}`,
      values,
    ),
    pool().query<{ n: string }>(`SELECT count(*) AS n FROM holds WHERE customer_id = $1 ${filter}`, values),
  ]);
  const now = new Date();
  return { items: rows.rows.map((r) => toHold(customerId, holdStateOf(r), now)), total: Number(count.rows[0]!.n) };
}
