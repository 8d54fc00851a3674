import { pool } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { accountKey, type HoldState, type HoldStatus } from "@/lib/ledger";
import { Dec } from "@/lib/money";

/**
 * A hold as the domain sees it: exact decimals, Dates, public account ids. Its wire shape
 * is lib/api/serializers/holds.ts (and, the same, the `hold.*` webhooks' data).
 */
export interface Hold {
  id: string;
  reference: string;
  customerId: string;
  status: HoldStatus;
  amounts: { accountId: string; asset: string; amount: Dec; captured: Dec; released: Dec }[];
  expiresAt: Date;
  subject: string | null;
  metadata: Record<string, unknown> | null;
  createdAt: Date;
  closedAt: Date | null;
}

/**
 * The hold as of `now`: one past its expiry is `expired` with everything not captured
 * released, even before a batch (or the expiry job) wrote that, because a hold never lives
 * past its expiry (the ledger treats it the same way in every batch).
 */
export function toHold(customerId: string, state: HoldState, now: Date = new Date()): Hold {
  const lapsed = state.status === "held" && state.expiresAt.getTime() <= now.getTime();
  return {
    id: state.id,
    reference: state.reference,
    customerId,
    status: lapsed ? "expired" : state.status,
    amounts: state.amounts.map((a) => ({
      accountId: accountKey(a.name, a.asset),
      asset: a.asset,
      amount: a.amount,
      captured: a.captured,
      released: lapsed ? a.amount.minus(a.captured) : a.released,
    })),
    expiresAt: state.expiresAt,
    subject: state.subject,
    metadata: state.metadata,
    createdAt: state.createdAt,
    closedAt: lapsed ? state.expiresAt : state.closedAt,
  };
}

/** A `holds` row as read (amounts as decimal text). */
export interface HoldRow {
  id: string;
  reference: string;
  request_hash: string;
  status: HoldStatus;
  amounts: { account_id: string; name: string; asset: string; amount: string; captured: string; released: string }[];
  expires_at: Date;
  subject: string | null;
  metadata: Record<string, unknown> | null;
  created_at: Date;
  closed_at: Date | null;
}

export const HOLD_COLUMNS = "id, reference, request_hash, status, amounts, expires_at, subject, metadata, created_at, closed_at";

export function holdStateOf(row: HoldRow): HoldState {
  return {
    id: row.id,
    reference: row.reference,
    requestHash: row.request_hash,
    status: row.status,
    amounts: row.amounts.map((a) => ({
      accountId: a.account_id,
      name: a.name,
      asset: a.asset,
      amount: new Dec(a.amount),
      captured: new Dec(a.captured),
      released: new Dec(a.released),
    })),
    expiresAt: row.expires_at,
    subject: row.subject,
    metadata: row.metadata,
    createdAt: row.created_at,
    closedAt: row.closed_at,
    isNew: false,
    dirty: false,
  };
}

/** The customer's hold, or NotFoundError (also for another customer's hold id). */
export async function readHoldOrThrow(customerId: string, holdId: string): Promise<HoldState> {
  const { rows } = await pool().query<HoldRow>(`SELECT ${HOLD_COLUMNS} FROM holds WHERE customer_id = $1 AND id = $2`, [customerId, holdId]);
  if (!rows[0]) throw new NotFoundError(`hold ${holdId} not found`);
  return holdStateOf(rows[0]);
}
