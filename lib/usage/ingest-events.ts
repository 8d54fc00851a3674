import type { Tenant } from "@/lib/tenant";
import { subscribedPrices } from "@/lib/catalog";
import { assertCustomerOfTenant } from "@/lib/customers/customers";
import { pool } from "@/lib/db";
import { InsufficientFundsError, ValidationError } from "@/lib/errors";
import { fusedColumns, runInCustomerBatch, type BatchGroup, type BatchJob, type FusedWrite, type WalletTx } from "@/lib/ledger";
import { amountToJson, Dec, formatAmount, isLimitError } from "@/lib/money";
import { priceEvent, type Fee } from "@/lib/pricing";
import { addEventRollups, unitsToText, type Rollups } from "@/lib/stats/rollup-facts";
import { resolveVendorRefs } from "@/lib/vendors/vendors";
import { webhookEvent } from "@/lib/webhooks/ledger-outbox";

/** The account usage fees are drawn from. */
export const USAGE_ACCOUNT = "default";

export interface UsageEventInput {
  id: string;
  event_type: string;
  occurred_at: Date;
  subject?: string | null;
  description?: string | null;
  data?: Record<string, unknown>;
  costs?: EventCostInput[];
  /** A hold of the customer the fees are taken from first (it stays open). */
  hold_id?: string;
}

/** What serving the event cost the platform at a vendor (named by id or external id). */
export interface EventCostInput {
  vendor_id?: string;
  vendor_external_id?: string;
  amount: Dec;
  currency: string;
  description?: string | null;
  dimensions?: Record<string, unknown> | null;
}

/** A cost as `usage_events.costs` stores it (JSON: the amount as exact decimal text). */
export interface StoredCost {
  vendor_id: string;
  amount: string;
  currency: string;
  description: string | null;
  dimensions: Record<string, unknown> | null;
}

/** A fee as `usage_events.fees` stores it (JSON: the amount as exact decimal text). */
export interface StoredFee {
  amount: string;
  asset: string;
  account_id: string;
  product_id: string;
  product_version: number;
  price_name: string;
}

/** One fee of a usage event: what one price of one product charged (or would have). */
export interface EventFee {
  amount: Dec;
  asset: string;
  /** `default:{ASSET}`: usage is drawn from the default account. */
  accountId: string;
  productId: string;
  productVersion: number;
  priceName: string;
}

/** A billed fee, with the account's balance after the event's charge. */
export interface ChargedFee extends EventFee {
  balanceAfter?: Dec;
}

/** What is stored for an event; `duplicate` is only ever an answer (the stored row is the first one). */
export type StoredEventStatus = "billed" | "unbilled" | "refused";
export type EventStatus = StoredEventStatus | "duplicate";

export interface EventResult {
  id: string;
  status: EventStatus;
  reason?: string;
  detail?: string;
  fees: ChargedFee[];
}

interface Row {
  eventId: string;
  event: UsageEventInput;
  status: StoredEventStatus;
  reason: string | null;
  fees: StoredFee[];
  transactionId: string | null;
  /** The value of the price's source_reference_field in data (lib/pricing priceEvent). */
  sourceReference: string | null;
  costs: StoredCost[] | null;
}

interface UsageCtx {
  seen: Map<string, { status: string; fees: StoredFee[] }>;
  rows: Row[];
  tenant: Tenant;
}

interface UsageInput {
  eventId: string;
  tenant: Tenant;
}

/**
 * Which of the batch's event ids are already stored, and the batch's event rows written
 * with the ledger's own statement (FusedWrite).
 *
 * A batch does not look the ids up until a try of it failed on a unique index: a repeated
 * id makes the write hit the `usage_events` primary key (the record of the event and of
 * its charge, whose ledger transaction stores no key), the batch is retried, and the retry
 * loads the stored ids and answers `duplicate`. New events (the usual case) so cost one
 * round trip fewer; a repeat costs one attempt more.
 */
const usageGroup: BatchGroup<UsageCtx, UsageInput> = {
  async preload(client, customerId, inputs, afterViolation) {
    const tenant = inputs[0]!.tenant;
    if (!afterViolation) return { seen: new Map(), rows: [], tenant };
    const ids = inputs.map((i) => i.eventId);
    const { rows } = await client.query<{ event_id: string; status: string; fees: StoredFee[] }>({
      name: "usage_seen_events",
      text: "SELECT event_id, status, fees FROM usage_events WHERE customer_id = $1 AND event_id = ANY($2::text[])",
      values: [customerId, ids],
    });
    return { seen: new Map(rows.map((r) => [r.event_id, { status: r.status, fees: r.fees }])), rows: [], tenant };
  },
  flushWith(_customerId, ctx) {
    if (ctx.rows.length === 0) return null;
    // The stats rollups of the batch's new events, in the same statement (lib/stats).
    const rollups: Rollups = new Map();
    for (const row of ctx.rows) {
      addEventRollups(rollups, { occurredAt: row.event.occurred_at, status: row.status, fees: row.fees, costs: row.costs });
    }
    return [insertEvents(ctx), upsertRollups(ctx.tenant, rollups)];
  },
};

/** The columns of an event row after its customer id, in parameter order (insertEvents). */
const EVENT_COLUMNS = fusedColumns([
  ["platform_id", "text"], ["live_mode", "boolean"], ["event_id", "text"], ["event_type", "text"], ["occurred_at", "timestamptz"],
  ["subject", "text"], ["description", "text"], ["data", "jsonb"], ["status", "text"], ["reason", "text"], ["fees", "jsonb"],
  ["transaction_id", "text"], ["source_reference", "text"], ["costs", "jsonb"], ["hold_id", "text"],
]);

/** The batch's event rows, as a CTE of the ledger's flush statement (its first parameter is the rows' customer ids). */
function insertEvents(ctx: UsageCtx): FusedWrite {
  const r = ctx.rows;
  return {
    name: "usage_events_insert",
    sql: (n) => `INSERT INTO usage_events (customer_id, ${EVENT_COLUMNS.names}, created_at)
           SELECT customer_id, ${EVENT_COLUMNS.names}, now() FROM ${EVENT_COLUMNS.rows(n)}`,
    types: EVENT_COLUMNS.types,
    // In EVENT_COLUMNS' order.
    columns: [
      r.map(() => ctx.tenant.platformId),
      r.map(() => ctx.tenant.liveMode),
      r.map((x) => x.eventId),
      r.map((x) => x.event.event_type),
      r.map((x) => x.event.occurred_at),
      r.map((x) => x.event.subject ?? null),
      r.map((x) => x.event.description ?? null),
      r.map((x) => x.event.data ?? {}),
      r.map((x) => x.status),
      r.map((x) => x.reason),
      r.map((x) => x.fees),
      r.map((x) => x.transactionId),
      r.map((x) => x.sourceReference),
      r.map((x) => x.costs),
      // The hold the event was sent against (its `hold_id`, or the hold a capture closes).
      r.map((x) => x.event.hold_id ?? null),
    ],
  };
}

/** The stats rollups' columns after their customer id, in parameter order (upsertRollups). */
const ROLLUP_COLUMNS = fusedColumns([
  ["platform_id", "text"], ["live_mode", "boolean"], ["day", "date"], ["product_id", "text"], ["vendor_id", "text"],
  ["kind", "text"], ["unit", "text"], ["status", "text"], ["amount", "numeric"], ["count", "bigint"],
]);

/**
 * The batch's stats rollups (lib/stats/rollup-facts.ts) as one more CTE of the flush
 * statement: summed in memory first, so each key is one row of the upsert (ON CONFLICT may
 * not touch a row twice in one statement; rows of different customers never share a key).
 * A repeated event id fails the statement on the usage_events key and the batch is
 * retried, so a duplicate never adds to a rollup.
 */
function upsertRollups(tenant: Tenant, rollups: Rollups): FusedWrite {
  const rows = [...rollups.values()];
  return {
    name: "usage_rollups_upsert",
    sql: (n) => `INSERT INTO usage_rollups AS r (customer_id, ${ROLLUP_COLUMNS.names})
           SELECT customer_id, ${ROLLUP_COLUMNS.names} FROM ${ROLLUP_COLUMNS.rows(n)}
           ON CONFLICT (customer_id, day, product_id, vendor_id, kind, unit, status)
           DO UPDATE SET amount = r.amount + EXCLUDED.amount, count = r.count + EXCLUDED.count`,
    types: ROLLUP_COLUMNS.types,
    // In ROLLUP_COLUMNS' order.
    columns: [
      rows.map(() => tenant.platformId),
      rows.map(() => tenant.liveMode),
      rows.map((r) => r.day),
      rows.map((r) => r.productId),
      rows.map((r) => r.vendorId),
      rows.map((r) => r.kind),
      rows.map((r) => r.unit),
      rows.map((r) => r.status),
      rows.map((r) => unitsToText(r.units)),
      rows.map((r) => r.count),
    ],
  };
}

function storedFee(fee: Fee): StoredFee {
  return {
    amount: formatAmount(fee.amount),
    asset: fee.asset,
    account_id: `${USAGE_ACCOUNT}:${fee.asset}`,
    product_id: fee.productId,
    product_version: fee.productVersion,
    price_name: fee.priceName,
  };
}

/** The stored fees as domain fees; with `balances` (account id → balance after), as charged. */
export function eventFees(fees: StoredFee[], balances?: Map<string, string>): ChargedFee[] {
  return fees.map((f) => ({
    amount: new Dec(f.amount),
    asset: f.asset,
    accountId: f.account_id,
    productId: f.product_id,
    productVersion: f.product_version,
    priceName: f.price_name,
    ...(balances?.has(f.account_id) ? { balanceAfter: new Dec(balances.get(f.account_id)!) } : {}),
  }));
}

/**
 * Prices and charges a customer's usage events in real time. Each event is its own ledger
 * charge (all of its fees or none: atomic per event), so one event's refusal never loses
 * another's charge; all events of the request (and of concurrent requests for the same
 * customer) share one database transaction. An id already stored answers `duplicate` with
 * the original fees and charges nothing. Events no price matches are stored as `unbilled`.
 */
export async function ingestEvents(tenant: Tenant, customerId: string, events: UsageEventInput[]): Promise<EventResult[]> {
  return (await ingestEventsIntoHold(tenant, customerId, events, null)).results;
}

/**
 * The events, as `ingestEvents`; with `capture`, each is charged from that hold (which
 * must be open when the event's job applies: ConflictError otherwise, nothing written) and
 * `capture.then` is queued right after them, so it runs in their batch, after them (it
 * closes the hold). Holds named by events' `hold_id` must be the customer's (422 otherwise).
 */
export async function ingestEventsIntoHold<R>(
  tenant: Tenant,
  customerId: string,
  events: UsageEventInput[],
  capture: { holdId: string; then: BatchJob<R> } | null,
): Promise<{ results: EventResult[]; then: R | undefined }> {
  await assertCustomerOfTenant(tenant, customerId);
  if (capture) events = events.map((e) => ({ ...e, hold_id: capture.holdId }));
  else await assertHoldsOfCustomer(customerId, events);
  const costs = await storedCosts(tenant, events);
  const prices = await subscribedPrices(customerId);
  const results = events.map((event, index) => {
      const eventCosts = costs?.[index] ?? null;
      const priced = priceEvent(prices, { event_type: event.event_type, data: event.data ?? {} });
      const sourceReference = priced.sourceReference ?? null;
      const fees = priced.fees.map(storedFee);
      return runInCustomerBatch<EventResult, UsageCtx, UsageInput>(customerId, {
        // None: the event's charge stores no ledger key (requestHash null below); the usage
        // group's own lookup of stored event ids, and `usage_events`' primary key, dedupe it.
        idempotencyKeys: [],
        ...(event.hold_id ? { holdKeys: [event.hold_id] } : {}),
        group: usageGroup,
        groupInput: { eventId: event.id, tenant },
        // A capture's events and its close run in one batch, never cut by a full queue.
        ...(capture ? { sameBatchAsNext: true } : {}),
        apply: (wallet, ctx) => {
          // A capture charges nothing once its hold is closed (or expired): one outcome.
          if (capture) wallet.assertHoldOpen(capture.holdId);
          return applyEvent(wallet, ctx, event, { sourceReference, costs: eventCosts }, priced.fees, fees, priced.unbilledReason, priced.detail);
        },
      });
  });
  // Queued in the same tick as the events: the same batch, after them.
  const then = capture ? runInCustomerBatch(customerId, capture.then) : undefined;
  const [settled, closed] = await Promise.all([Promise.all(results), then]);
  return { results: settled, then: closed };
}

/** Every `hold_id` of the events names a hold of this customer (another's, or none, is a 422 naming the event). */
async function assertHoldsOfCustomer(customerId: string, events: UsageEventInput[]): Promise<void> {
  const ids = [...new Set(events.flatMap((e) => (e.hold_id ? [e.hold_id] : [])))];
  if (ids.length === 0) return;
  const { rows } = await pool().query<{ id: string }>("SELECT id FROM holds WHERE customer_id = $1 AND id = ANY($2::text[])", [customerId, ids]);
  const known = new Set(rows.map((r) => r.id));
  const bad = events.findIndex((e) => e.hold_id !== undefined && !known.has(e.hold_id));
  if (bad >= 0) {
    throw new ValidationError(`no hold ${events[bad]!.hold_id} for this customer`, [{ field: `events/${bad}/hold_id`, message: "no such hold for this customer" }]);
  }
}

/**
 * The events' costs as stored, with every vendor resolved in one query before anything is
 * queued: an unknown vendor (or another platform's) fails the whole request with a 422
 * naming `events/{i}/costs/{j}/vendor_id`, and nothing is written. Null (no query) when no
 * event has costs, which is the usual case.
 */
async function storedCosts(tenant: Tenant, events: UsageEventInput[]): Promise<(StoredCost[] | null)[] | null> {
  if (!events.some((e) => e.costs?.length)) return null;
  const refs = events.flatMap((e, i) =>
    (e.costs ?? []).map((c, j) => ({ vendorId: c.vendor_id, vendorExternalId: c.vendor_external_id, field: `events/${i}/costs/${j}` })),
  );
  const vendorIds = await resolveVendorRefs(tenant, refs);
  let next = 0;
  return events.map((e) =>
    e.costs?.length
      ? e.costs.map((c) => ({
          vendor_id: vendorIds[next++]!,
          amount: formatAmount(c.amount),
          currency: c.currency,
          description: c.description ?? null,
          dimensions: c.dimensions ?? null,
        }))
      : null,
  );
}

function applyEvent(
  wallet: WalletTx,
  ctx: UsageCtx,
  event: UsageEventInput,
  extra: { sourceReference: string | null; costs: StoredCost[] | null },
  fees: Fee[],
  storedFees: StoredFee[],
  unbilledReason: string | undefined,
  detail: string | undefined,
): EventResult {
  const seen = ctx.seen.get(event.id);
  if (seen) return { id: event.id, status: "duplicate", fees: eventFees(seen.fees) };
  const remember = (row: Omit<Row, "sourceReference" | "costs">) => {
    ctx.rows.push({ ...row, ...extra });
    ctx.seen.set(event.id, { status: row.status, fees: row.fees });
  };
  if (unbilledReason) {
    remember({ eventId: event.id, event, status: "unbilled", reason: unbilledReason, fees: [], transactionId: null });
    return { id: event.id, status: "unbilled", reason: unbilledReason, ...(detail ? { detail } : {}), fees: [] };
  }
  if (fees.length === 0) {
    // A price applied and came to zero (e.g. no volume): billed, with nothing to charge.
    remember({ eventId: event.id, event, status: "billed", reason: null, fees: [], transactionId: null });
    return { id: event.id, status: "billed", fees: [] };
  }
  try {
    const result = wallet.charge({
      ...(event.hold_id ? { holdId: event.hold_id } : {}),
      idempotencyKey: `event:${event.id}`,
      // Repeats are answered from the event's row (ctx.seen): the ledger stores no key, hash or result.
      requestHash: null,
      legs: fees.map((f) => ({ accountName: USAGE_ACCOUNT, asset: f.asset, amount: f.amount })),
      description: event.description ?? null,
      metadata: { event_id: event.id, event_type: event.event_type },
    });
    remember({ eventId: event.id, event, status: "billed", reason: null, fees: storedFees, transactionId: result.transaction_id });
    const balances = new Map(result.legs.map((l) => [l.account_id, l.balance_after]));
    return { id: event.id, status: "billed", fees: eventFees(storedFees, balances) };
  } catch (error) {
    // Refusals of this one event (validated before the wallet changed): stored as refused,
    // the batch's other events go on. A fee above the largest amount (lib/money/limits.ts,
    // e.g. a volume of 1e20 at a volume_rate of 1e20) is `amount_too_large`.
    const reason = error instanceof InsufficientFundsError ? "insufficient_funds" : isLimitError(error) ? "amount_too_large" : null;
    if (!reason) throw error;
    remember({ eventId: event.id, event, status: "refused", reason, fees: storedFees, transactionId: null });
    const result: EventResult = {
      id: event.id,
      status: "refused",
      reason,
      ...(reason === "amount_too_large" ? { detail: (error as Error).message } : {}),
      fees: eventFees(storedFees),
    };
    // Recorded with the event's row, in the batch's transaction (lib/webhooks outbox). The
    // payload is wire JSON: the fees as the API sends them (amounts as JSON numbers).
    wallet.emit(webhookEvent("event.refused", {
      id: event.id,
      customer_id: wallet.customerId,
      event_type: event.event_type,
      occurred_at: event.occurred_at.toISOString(),
      subject: event.subject ?? null,
      reason: result.reason,
      fees: storedFees.map((f) => ({ ...f, amount: amountToJson(f.amount) })),
    }));
    return result;
  }
}
