import { ConflictError, InsufficientFundsError, NotFoundError, ValidationError } from "@/lib/errors";
import { newSortableId } from "@/lib/ids";
import { Dec, ZERO, assertWithinAmountLimit, formatAmount } from "@/lib/money";
import { assertPositive } from "./assert-positive";
import { accountKey, type CreateHoldInput, type HoldState } from "./types";
import type { WalletTx } from "./wallet-tx";

/** A hold never lives longer than this from its creation, however often it is extended. */
export const HOLD_MAX_LIFETIME_MS = 24 * 3600 * 1000;

/**
 * Holds: funds reserved on accounts, owned by the customer's ledger batch so that every
 * hold and charge of the customer is checked against the same available amount (balance +
 * overdraft − what open holds still reserve) in one transaction under the customer's lock. A hold moves
 * no money: captures are ordinary charges (`ChargeInput.holdId`) that take from it first.
 */

/**
 * Reserves every leg or none (InsufficientFundsError with the shortfall, nothing changes).
 * A repeat of the same reference with the same request answers the stored hold, whatever
 * its status now; another request under it is a ConflictError.
 */
export function createHold(w: WalletTx, input: CreateHoldInput): { hold: HoldState; replayed: boolean } {
  const existing = w.holdByReference(input.reference);
  if (existing) {
    if (existing.requestHash !== input.requestHash) {
      throw new ConflictError(`hold id ${input.reference} was already used with a different request`, [], { hold_id: existing.id });
    }
    return { hold: existing, replayed: true };
  }
  if (input.legs.length === 0) throw new ValidationError("a hold needs an amount");
  if (input.expiresAt.getTime() <= w.now.getTime()) {
    throw new ValidationError("expires_at must be in the future", [{ field: "expires_at", message: "must be in the future" }]);
  }
  if (input.expiresAt.getTime() > w.now.getTime() + HOLD_MAX_LIFETIME_MS) {
    throw new ValidationError("a hold lives at most 24 h", [{ field: "expires_at", message: "must be at most 24 h from now" }]);
  }
  const totals = new Map<string, { name: string; asset: string; amount: Dec }>();
  for (const leg of input.legs) {
    assertPositive(leg.amount, "amount");
    assertWithinAmountLimit(leg.amount, "amount");
    const key = accountKey(leg.accountName, leg.asset);
    const t = totals.get(key);
    if (t) t.amount = t.amount.plus(leg.amount);
    else totals.set(key, { name: leg.accountName, asset: leg.asset, amount: leg.amount });
  }
  const amounts: HoldState["amounts"] = [];
  for (const [key, t] of totals) {
    const account = w.account(t.name, t.asset);
    if (!account) {
      throw new ValidationError(`no account ${key}`, [{ field: "asset", message: `the customer has no account ${key}` }]);
    }
    const available = account.balance.minus(w.heldOn(account.id)).plus(account.overdraftLimit);
    if (available.lt(t.amount)) {
      throw new InsufficientFundsError(`insufficient funds in ${key}`, [], {
        account_id: key,
        available: formatAmount(available),
        requested: formatAmount(t.amount),
        shortfall: formatAmount(t.amount.minus(available)),
      });
    }
    amounts.push({ accountId: account.id, name: account.name, asset: account.asset, amount: t.amount, captured: ZERO, released: ZERO });
  }
  const hold: HoldState = {
    id: newSortableId("hold"),
    reference: input.reference,
    requestHash: input.requestHash,
    status: "held",
    amounts,
    expiresAt: input.expiresAt,
    subject: input.subject ?? null,
    metadata: input.metadata ?? null,
    createdAt: w.now,
    closedAt: null,
    isNew: true,
    dirty: true,
  };
  w.addHold(hold);
  return { hold, replayed: false };
}

/** The hold named by a job, open; a clear 404 or 409 otherwise. */
export function openHold(w: WalletTx, holdId: string): HoldState {
  const hold = w.hold(holdId);
  if (!hold) throw new NotFoundError(`hold ${holdId} not found`);
  if (hold.status !== "held") throw new ConflictError(`hold ${holdId} is ${hold.status}`, [], { hold_id: hold.id, status: hold.status });
  return hold;
}

/** Closes an open hold: what it still reserves goes back to available. */
export function closeHold(w: WalletTx, holdId: string, status: "captured" | "released"): HoldState {
  const hold = openHold(w, holdId);
  close(w, hold, status);
  return hold;
}

/** Moves an open hold's expiry: after now, at most 24 h after its creation. */
export function extendHold(w: WalletTx, holdId: string, expiresAt: Date): HoldState {
  const hold = openHold(w, holdId);
  if (expiresAt.getTime() <= w.now.getTime()) {
    throw new ValidationError("expires_at must be in the future", [{ field: "expires_at", message: "must be in the future" }]);
  }
  const latest = hold.createdAt.getTime() + HOLD_MAX_LIFETIME_MS;
  if (expiresAt.getTime() > latest) {
    throw new ValidationError(`a hold lives at most 24 h: expires_at must be at most ${new Date(latest).toISOString()}`, [
      { field: "expires_at", message: `must be at most ${new Date(latest).toISOString()}` },
    ]);
  }
  hold.expiresAt = expiresAt;
  hold.dirty = true;
  return hold;
}

/** Releases every open hold past its expiry (the first thing every batch does, after grants). */
export function expireDueHolds(w: WalletTx, holds: Iterable<HoldState>): void {
  for (const hold of holds) {
    if (hold.status !== "held" || hold.expiresAt.getTime() > w.now.getTime()) continue;
    close(w, hold, "expired");
    w.emit({ type: "hold_expired", customerId: w.customerId, hold });
  }
}

function close(w: WalletTx, hold: HoldState, status: "captured" | "released" | "expired") {
  hold.status = status;
  hold.closedAt = w.now;
  for (const a of hold.amounts) a.released = a.amount.minus(a.captured);
  hold.dirty = true;
}
