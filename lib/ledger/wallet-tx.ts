import { ConflictError, InsufficientFundsError, ValidationError } from "@/lib/errors";
import { newId, newSortableId } from "@/lib/ids";
import { Dec, ZERO, assertWithinAmountLimit, assertWithinBalanceLimit, fitsStorage, formatAmount } from "@/lib/money";
import { assertPositive } from "./assert-positive";
import { drawdownOrder } from "./drawdown-order";
import type { BalanceChange, LedgerEvent } from "./ledger-events";
import { hashRequest } from "./request-hash";
import { closeHold, createHold, expireDueHolds, extendHold, openHold } from "./hold-operations";
import { reverseTransaction } from "./reverse-transaction";
import {
  accountKey,
  type AccountState,
  type AppliedResult,
  type ChargeInput,
  type CreateHoldInput,
  type CreditInput,
  type GrantState,
  type HoldState,
  type LegResult,
  type ReverseInput,
  type TransactionResult,
} from "./types";

export interface TransactionRow {
  id: string;
  idempotencyKey: string;
  /** Null for a charge its caller deduplicates (ChargeInput.requestHash): no key and no result are stored either. */
  requestHash: string | null;
  kind: TransactionResult["kind"];
  description: string | null;
  metadata: Record<string, unknown>;
  result: TransactionResult;
  reversesId: string | null;
  createdAt: Date;
}

/** A stored (or earlier in the batch) use of an idempotency key; hash and result are null for a caller-deduplicated charge. */
export interface SeenKey {
  transactionId: string;
  requestHash: string | null;
  result: TransactionResult | null;
}

export type EntryKind = "credit" | "charge" | "expire" | "reverse" | "reverse_debt";

export interface EntryRow {
  transactionId: string;
  accountId: string;
  grantId: string | null;
  amount: Dec;
  kind: EntryKind;
  rate: Dec | null;
  createdAt: Date;
}

/** A transaction referenced by a reversal, loaded before the batch runs. */
export interface ReferencedTransaction {
  id: string;
  kind: TransactionResult["kind"];
  entries: { accountId: string; grantId: string | null; amount: Dec; kind: EntryKind }[];
  /** Sum already taken back by earlier reversals (positive). */
  reversed: Dec;
}

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * One customer's wallet inside one database transaction: the accounts and live grants
 * loaded at BEGIN, changed in memory by credit/charge/reverse/expire, and the rows those
 * changes produce, written in a handful of multi-row statements by flushWallets.
 *
 * Guarantees, per operation: validation happens before any mutation, so a refused
 * operation leaves the wallet exactly as it found it; every balance change is an entry in
 * the transaction's rows and the cached balance moves by exactly the entries' sum; grants
 * never go below zero; a charge never takes an account below -overdraftLimit; no single
 * amount is above MAX_AMOUNT and a credit never takes a balance above MAX_BALANCE
 * (lib/money/limits.ts), so nothing the batch writes can overflow NUMERIC(38,12).
 */
export class WalletTx {
  readonly transactions: TransactionRow[] = [];
  readonly entries: EntryRow[] = [];
  private readonly accounts = new Map<string, AccountState>();
  private readonly accountsById = new Map<string, AccountState>();
  private readonly grantsByAccount = new Map<string, GrantState[]>();
  private readonly grantsById = new Map<string, GrantState>();
  /** Open holds, and closed ones a job of the batch names (by id or reference). */
  private readonly holdsById = new Map<string, HoldState>();
  private readonly holdsByReference = new Map<string, HoldState>();
  private readonly seenKeys: Map<string, SeenKey>;
  private readonly referenced: Map<string, ReferencedTransaction>;
  /** Entries of the transaction being built (one at a time). */
  private openEntries: EntryRow[] = [];
  /** Balances at BEGIN, to tell which accounts this batch took below their low-balance threshold. */
  private readonly openingBalances = new Map<string, Dec>();
  /** What open, unexpired holds reserved per account at BEGIN: available = balance − held (balanceChanges). */
  private readonly openingHeld = new Map<string, Dec>();
  /**
   * What this batch did that other modules react to (ledger-events.ts), handed to the batch
   * listeners in the same transaction as the changes, so their rows exist exactly when
   * those commit.
   */
  readonly events: LedgerEvent[] = [];

  constructor(
    readonly customerId: string,
    readonly now: Date,
    accounts: AccountState[],
    grants: GrantState[],
    seenKeys: Map<string, SeenKey>,
    referenced: Map<string, ReferencedTransaction>,
    /** The platform's default overdraft limit for the customer's mode: the floor of accounts without their own. */
    readonly defaultOverdraftLimit: Dec = ZERO,
    holds: HoldState[] = [],
    /** The platform's default low-balance threshold for the customer's mode: the threshold of accounts without their own (null: none). */
    readonly defaultLowBalanceThreshold: Dec | null = null,
  ) {
    for (const h of holds) this.addHold(h);
    for (const a of accounts) {
      this.accounts.set(accountKey(a.name, a.asset), a);
      this.accountsById.set(a.id, a);
      this.openingBalances.set(a.id, a.balance);
    }
    for (const g of grants) this.addGrant(g);
    for (const list of this.grantsByAccount.values()) list.sort(drawdownOrder);
    this.seenKeys = seenKeys;
    this.referenced = referenced;
    for (const h of holds) {
      // A hold past its expiry already reads as released (reads, verifyLedger).
      if (h.status !== "held" || h.expiresAt.getTime() <= now.getTime()) continue;
      for (const a of h.amounts) this.openingHeld.set(a.accountId, (this.openingHeld.get(a.accountId) ?? ZERO).plus(a.amount.minus(a.captured)));
    }
  }

  /** Accounts changed or created in this transaction. */
  dirtyAccounts(): AccountState[] {
    return [...this.accounts.values()].filter((a) => a.dirty || a.isNew);
  }

  dirtyGrants(): GrantState[] {
    return [...this.grantsById.values()].filter((g) => g.dirty || g.isNew);
  }

  dirtyHolds(): HoldState[] {
    return [...this.holdsById.values()].filter((h) => h.dirty || h.isNew);
  }

  /** @internal */
  hold(id: string): HoldState | undefined {
    return this.holdsById.get(id);
  }

  /** @internal */
  holdByReference(reference: string): HoldState | undefined {
    return this.holdsByReference.get(reference);
  }

  /** @internal */
  addHold(hold: HoldState) {
    this.holdsById.set(hold.id, hold);
    this.holdsByReference.set(hold.reference, hold);
  }

  /**
   * What open holds still reserve on the account (amount − captured of each). Every batch
   * closes the holds past their expiry before anything else, so an open hold here is live.
   */
  heldOn(accountId: string): Dec {
    let held = ZERO;
    for (const hold of this.holdsById.values()) {
      if (hold.status !== "held") continue;
      for (const a of hold.amounts) if (a.accountId === accountId) held = held.plus(a.amount.minus(a.captured));
    }
    return held;
  }

  account(name: string, asset: string): AccountState | undefined {
    return this.accounts.get(accountKey(name, asset));
  }

  // ------------------------------------------------------------------ operations

  /**
   * Adds a credit grant. Pays overdraft debt first (the grant's remaining is what is left).
   * Refused (nothing changes) above MAX_AMOUNT (`amount_too_large`) or when the balance
   * would end above MAX_BALANCE (`balance_limit_exceeded`).
   */
  credit(input: CreditInput): AppliedResult {
    const requestHash = input.requestHash ?? hashRequest({ op: "credit", ...input, idempotencyKey: undefined });
    const replay = this.replay(input.idempotencyKey, requestHash);
    if (replay) return replay;
    assertPositive(input.amount, "amount");
    const existing = this.account(input.accountName, input.asset);
    assertWithinBalanceLimit(existing?.balance ?? ZERO, input.amount, { field: "amount", accountId: accountKey(input.accountName, input.asset) });
    if (input.expiresAt && input.expiresAt.getTime() <= this.now.getTime()) {
      throw new ValidationError("expires_at must be in the future", [{ field: "expires_at", message: "must be in the future" }]);
    }
    const expiresAt =
      input.expiresAt !== undefined ? input.expiresAt : input.purpose === "paid" ? new Date(this.now.getTime() + ONE_YEAR_MS) : null;

    const account = this.accountForWrite(input.accountName, input.asset);
    const tx = this.beginTransaction("credit", input.idempotencyKey, requestHash, input.description, input.metadata);
    const debt = account.balance.isNegative() ? account.balance.neg() : ZERO;
    const grant = this.newGrant(account, tx, input.amount, input.purpose, expiresAt, input.source, input.effectiveAt);
    grant.remaining = input.amount.minus(Dec.min(debt, input.amount));
    this.sortGrants(account.id);
    this.entry(tx, account, grant.id, input.amount, "credit", input.rate ?? null);
    return this.finish(tx, [account], { grant_id: grant.id });
  }

  /**
   * Charges every leg or none: each account must stay at or above -overdraftLimit, or the
   * whole charge is refused with insufficient_funds and nothing changes. Grants are drawn
   * in drawdownOrder; what they cannot cover becomes overdraft debt.
   */
  charge(input: ChargeInput): AppliedResult {
    const requestHash = input.requestHash === undefined ? hashRequest({ op: "charge", ...input, idempotencyKey: undefined }) : input.requestHash;
    const replay = this.replay(input.idempotencyKey, requestHash);
    if (replay) return replay;
    if (input.legs.length === 0) throw new ValidationError("a charge needs at least one leg");

    const totals = new Map<string, { name: string; asset: string; amount: Dec }>();
    for (const leg of input.legs) {
      assertPositive(leg.amount, "amount");
      const key = accountKey(leg.accountName, leg.asset);
      const t = totals.get(key);
      if (t) t.amount = t.amount.plus(leg.amount);
      else totals.set(key, { name: leg.accountName, asset: leg.asset, amount: leg.amount });
    }
    // Holds: other holds' funds are not available to this charge; its own hold's are, first.
    const hold = input.holdId ? this.holdsById.get(input.holdId) : undefined;
    const openHold = hold?.status === "held" ? hold : undefined;
    const fromHold = new Map<string, Dec>();
    for (const [key, t] of totals) {
      const acc = this.accounts.get(key);
      const balance = acc?.balance ?? ZERO;
      const held = acc ? this.heldOn(acc.id) : ZERO;
      const reserved = acc && openHold ? openHold.amounts.find((a) => a.accountId === acc.id) : undefined;
      const take = reserved ? Dec.min(reserved.amount.minus(reserved.captured), t.amount) : ZERO;
      fromHold.set(key, take);
      // An account not opened yet would follow the platform's default.
      const floor = (acc?.overdraftLimit ?? this.defaultOverdraftLimit).neg();
      if (balance.minus(held).minus(t.amount.minus(take)).lt(floor)) {
        throw new InsufficientFundsError(`insufficient funds in ${key}`, [], {
          account_id: key,
          available: formatAmount(balance.minus(held)),
          requested: formatAmount(t.amount),
        });
      }
    }

    const tx = this.beginTransaction("charge", input.idempotencyKey, requestHash, input.description, input.metadata);
    const touched: AccountState[] = [];
    for (const [key, t] of totals) {
      const account = this.accountForWrite(t.name, t.asset);
      this.drawDown(tx, account, t.amount, "charge", "charge", openHold !== undefined);
      const take = fromHold.get(key)!;
      if (openHold && take.gt(0)) {
        const reserved = openHold.amounts.find((a) => a.accountId === account.id)!;
        reserved.captured = reserved.captured.plus(take);
        openHold.dirty = true;
      }
      touched.push(account);
    }
    return this.finish(tx, touched);
  }

  /**
   * Takes back a credit (what is left of its grant; the rest is drawn from other grants
   * and then recorded as debt, past any overdraft limit) or gives back a charge (to the
   * grants it drew from, newest draw first). Never reverses more than the original.
   * In its own file, reverse-transaction.ts.
   */
  reverse(input: ReverseInput): AppliedResult {
    return reverseTransaction(this, input);
  }

  /** Reserves funds (hold-operations.ts): every leg or none, against what is available net of other holds. */
  createHold(input: CreateHoldInput): { hold: HoldState; replayed: boolean } {
    return createHold(this, input);
  }

  /** Closes an open hold (captured or released); 404 unknown, 409 already closed. */
  closeHold(holdId: string, status: "captured" | "released"): HoldState {
    return closeHold(this, holdId, status);
  }

  /** NotFoundError for a hold the batch did not load, ConflictError for a closed one. */
  assertHoldOpen(holdId: string): void {
    openHold(this, holdId);
  }

  /** Moves an open hold's expiry (at most 24 h after its creation). */
  extendHold(holdId: string, expiresAt: Date): HoldState {
    return extendHold(this, holdId, expiresAt);
  }

  /** Releases the open holds past their expiry, once each (`hold_expired` events). */
  expireDueHolds(): void {
    expireDueHolds(this, [...this.holdsById.values()]);
  }

  /** Expiries this batch has made (every batch expires due grants before anything else). */
  readonly expired: AppliedResult[] = [];

  /**
   * True when a due grant kept part of its remainder back for open holds (see
   * expireDueGrants): the batch runs expireDueGrants again after its jobs, and charges draw
   * such grants first only for their hold.
   */
  keptForHolds = false;

  /**
   * Moves every due grant's remainder out of the balance, one transaction per grant (per
   * part), in drawdown order. Rule: an expiring grant never leaves open holds unbacked:
   * what it may take out is at most `balance − Σ open holds + overdraft` of its account, so
   * the rest of it stays (live, past its expiry) while the holds need it; captures draw it
   * first, plain charges last, and whatever is still left expires as soon as a batch finds
   * the holds no longer need it (each part its own `expire` transaction and
   * `grant_expired` event; the last one under the key `expire:{grant}`).
   */
  expireDueGrants(): AppliedResult[] {
    this.keptForHolds = false;
    const results: AppliedResult[] = [];
    for (const [accountId, grants] of this.grantsByAccount) {
      for (const grant of grants) {
        if (grant.status !== "live" || !grant.remaining.gt(0) || !this.isDue(grant)) continue;
        const account = this.accountById(accountId);
        const room = account.balance.minus(this.heldOn(account.id)).plus(account.overdraftLimit);
        const amount = Dec.min(grant.remaining, Dec.max(ZERO, room));
        const whole = amount.eq(grant.remaining);
        if (!whole) this.keptForHolds = true;
        if (amount.isZero()) continue;
        // The key of a grant's last expiry is `expire:{grant}` (once: the grant is then expired); earlier parts get their own.
        const key = whole ? `expire:${grant.id}` : `expire:${grant.id}:${newId("part")}`;
        results.push(this.expireGrant(grant, account, amount, key));
      }
    }
    return results;
  }

  /** Whether the grant is past its expiry (a live one then only backs open holds). */
  private isDue(grant: GrantState): boolean {
    return grant.expiresAt !== null && grant.expiresAt.getTime() <= this.now.getTime();
  }

  private expireGrant(grant: GrantState, account: AccountState, amount: Dec, key: string): AppliedResult {
    const tx = this.beginTransaction("expire", key, "expire", null, { grant_id: grant.id });
    this.takeFromGrant(grant, amount);
    if (grant.remaining.isZero()) grant.status = "expired";
    this.entry(tx, account, grant.id, amount.neg(), "expire", null);
    const result = this.finish(tx, [account], { grant_id: grant.id });
    this.expired.push(result);
    this.events.push({
      type: "grant_expired",
      customerId: this.customerId,
      accountId: accountKey(account.name, account.asset),
      asset: account.asset,
      grantId: grant.id,
      purpose: grant.purpose,
      amount: grant.amount,
      expiredAmount: amount,
      expiresAt: grant.expiresAt!,
      transactionId: tx.id,
    });
    return result;
  }

  /**
   * Sets how far the account may go below zero (creating the account if needed); null
   * makes it follow the platform's default for the mode again.
   */
  setOverdraftLimit(name: string, asset: string, own: Dec | null): AccountState {
    if (own !== null && (own.isNegative() || !fitsStorage(own))) {
      throw new ValidationError("overdraft_limit must be zero or positive", [{ field: "overdraft_limit", message: "must be >= 0" }]);
    }
    if (own !== null) assertWithinAmountLimit(own, "overdraft_limit");
    const limit = own ?? this.defaultOverdraftLimit;
    const existing = this.account(name, asset);
    if (existing && existing.balance.lt(limit.neg())) {
      // Lowering the floor under the current debt would break "never below the floor";
      // setting it to exactly the debt already stops every further charge.
      throw new ValidationError(`overdraft_limit cannot be lower than the current debt of ${formatAmount(existing.balance.neg())}`, [
        { field: "overdraft_limit", message: "lower than the current debt" },
      ]);
    }
    const account = this.accountForWrite(name, asset);
    account.overdraftLimit = limit;
    account.ownOverdraftLimit = own;
    account.dirty = true;
    return account;
  }

  /**
   * Sets the balance under which `wallet.balance_low` fires (null: the platform's default
   * for the mode, if it has one; else never), creating the
   * account if needed. Setting it never fires the event by itself: only a batch that moves
   * the balance across it does.
   */
  setLowBalanceThreshold(name: string, asset: string, threshold: Dec | null): AccountState {
    if (threshold !== null && (threshold.isNegative() || !fitsStorage(threshold))) {
      throw new ValidationError("low_balance_threshold must be zero or positive", [{ field: "low_balance_threshold", message: "must be >= 0" }]);
    }
    if (threshold !== null) assertWithinAmountLimit(threshold, "low_balance_threshold");
    const account = this.accountForWrite(name, asset);
    account.lowBalanceThreshold = threshold;
    account.dirty = true;
    return account;
  }

  /** Records an event of this batch for its listeners (see `events`). */
  /**
   * Accounts whose available balance (balance − what open holds reserve) differs from
   * BEGIN's, with both (net movement per batch): a hold moves it as a charge does.
   */
  balanceChanges(): BalanceChange[] {
    const out: BalanceChange[] = [];
    // Most customers have no holds: then available is the balance, and no hold is summed.
    const holds = this.holdsById.size > 0;
    for (const account of this.accountsById.values()) {
      const balance = this.openingBalances.get(account.id) ?? ZERO;
      const heldAtBegin = this.openingHeld.get(account.id);
      const opening = heldAtBegin ? balance.minus(heldAtBegin) : balance;
      const closing = holds ? account.balance.minus(this.heldOn(account.id)) : account.balance;
      if (!closing.eq(opening)) out.push({ name: account.name, asset: account.asset, opening, closing });
    }
    return out;
  }

  emit(event: LedgerEvent): void {
    this.events.push(event);
  }

  /**
   * `balance_low` for every account this batch took from at-or-above its threshold
   * (at BEGIN; 0 for a new account) to below it (at COMMIT). The threshold is the
   * account's own, or else the platform's default for the mode. Net movement per batch: a
   * balance that dips and recovers within one batch does not fire; one that stays below
   * fires once, when it crossed. Called once, after every job has applied.
   */
  emitLowBalanceCrossings(): void {
    for (const account of this.accountsById.values()) {
      const threshold = account.lowBalanceThreshold ?? this.defaultLowBalanceThreshold;
      if (!threshold) continue;
      const opening = this.openingBalances.get(account.id) ?? ZERO;
      if (opening.gte(threshold) && account.balance.lt(threshold)) {
        this.events.push({
          type: "balance_low",
          customerId: this.customerId,
          accountId: accountKey(account.name, account.asset),
          asset: account.asset,
          balance: account.balance,
          threshold,
        });
      }
    }
  }

  // ------------------------------------------------------------------ internals
  // Not private: the operations kept in their own files in this folder (reverse-transaction.ts)
  // build on them. Nothing outside lib/ledger calls them; jobs get the operations above.

  /** @internal A loaded transaction a reversal in this batch refers to. */
  referencedTransaction(id: string): ReferencedTransaction | undefined {
    return this.referenced.get(id);
  }

  /** @internal */
  grant(id: string): GrantState | undefined {
    return this.grantsById.get(id);
  }

  /**
   * @internal The first result of `key`, or null when it is new; ConflictError for another
   * request under it, and for any second use of a caller-deduplicated charge's key (no hash).
   */
  replay(key: string, requestHash: string | null): AppliedResult | null {
    const seen = this.seenKeys.get(key);
    if (!seen) return null;
    if (seen.requestHash === null || seen.result === null || seen.requestHash !== requestHash) {
      throw new ConflictError(`idempotency key ${key} was already used with a different request`, [], {
        transaction_id: seen.transactionId,
      });
    }
    return { ...seen.result, replayed: true };
  }

  /** @internal */
  beginTransaction(
    kind: TransactionResult["kind"],
    idempotencyKey: string,
    requestHash: string | null,
    description: string | null | undefined,
    metadata: Record<string, unknown> | undefined,
  ): TransactionRow {
    const row: TransactionRow = {
      id: newSortableId("ltx"),
      idempotencyKey,
      requestHash,
      kind,
      description: description ?? null,
      metadata: metadata ?? {},
      result: { transaction_id: "", kind, created_at: this.now.toISOString(), legs: [] },
      reversesId: null,
      createdAt: this.now,
    };
    row.result.transaction_id = row.id;
    this.openEntries = [];
    return row;
  }

  /** @internal */
  finish(tx: TransactionRow, accounts: AccountState[], extra: Partial<TransactionResult> = {}): AppliedResult {
    const legs: LegResult[] = accounts.map((a) => {
      const moved = this.openEntries.filter((e) => e.accountId === a.id);
      const sum = moved.reduce((s, e) => s.plus(e.amount), ZERO);
      return { account_id: accountKey(a.name, a.asset), asset: a.asset, amount: sum.toFixed(), balance_after: a.balance.toFixed() };
    });
    tx.result = { ...tx.result, legs, ...extra };
    this.transactions.push(tx);
    this.seenKeys.set(tx.idempotencyKey, { transactionId: tx.id, requestHash: tx.requestHash, result: tx.requestHash === null ? null : tx.result });
    return { ...tx.result, replayed: false };
  }

  /** @internal */
  entry(tx: TransactionRow, account: AccountState, grantId: string | null, amount: Dec, kind: EntryKind, rate: Dec | null) {
    const row: EntryRow = { transactionId: tx.id, accountId: account.id, grantId, amount, kind, rate, createdAt: this.now };
    this.entries.push(row);
    this.openEntries.push(row);
    account.balance = account.balance.plus(amount);
    account.dirty = true;
  }

  /**
   * @internal Draws `amount` from the account's live grants in order; the rest is a debt
   * entry. Grants past their expiry kept back for open holds (expireDueGrants) come first
   * for a charge against a hold (`keptFirst`), last for anything else: expired credit pays
   * only for the held work, never for what the holds did not cover.
   */
  drawDown(tx: TransactionRow, account: AccountState, amount: Dec, grantKind: EntryKind, debtKind: EntryKind, keptFirst = false) {
    let left = amount;
    const grants = this.grantsByAccount.get(account.id) ?? [];
    // Most batches have no kept grant: one pass in drawdown order. Otherwise two: kept (due) ones in the pass `keptFirst` says.
    const passes = this.keptForHolds ? 2 : 1;
    for (let pass = 0; pass < passes; pass++) {
      const due = pass === 0 ? keptFirst : !keptFirst;
      for (const grant of grants) {
        if (left.isZero()) break;
        if (grant.status !== "live" || grant.remaining.isZero()) continue;
        if (passes === 2 && this.isDue(grant) !== due) continue;
        const take = Dec.min(grant.remaining, left);
        this.takeFromGrant(grant, take);
        this.entry(tx, account, grant.id, take.neg(), grantKind, null);
        left = left.minus(take);
      }
    }
    if (left.gt(0)) this.entry(tx, account, null, left.neg(), debtKind, null);
  }

  /** @internal */
  takeFromGrant(grant: GrantState, amount: Dec) {
    grant.remaining = grant.remaining.minus(amount);
    grant.dirty = true;
  }

  private accountForWrite(name: string, asset: string): AccountState {
    const key = accountKey(name, asset);
    let account = this.accounts.get(key);
    if (!account) {
      account = {
        id: newId("acct"),
        name,
        asset,
        balance: ZERO,
        overdraftLimit: this.defaultOverdraftLimit,
        ownOverdraftLimit: null,
        createdAt: this.now,
        isNew: true,
        dirty: true,
      };
      this.accounts.set(key, account);
      this.accountsById.set(account.id, account);
    }
    return account;
  }

  /** @internal */
  accountById(id: string): AccountState {
    const account = this.accountsById.get(id);
    if (!account) throw new Error(`ledger: account ${id} not loaded`);
    return account;
  }

  readonly grantSources = new Map<string, Record<string, unknown>>();

  /** @internal A new live grant of `amount` on the account (the caller writes its entry). */
  newGrant(
    account: AccountState,
    tx: TransactionRow,
    amount: Dec,
    purpose: GrantState["purpose"],
    expiresAt: Date | null,
    source?: Record<string, unknown>,
    effectiveAt?: Date,
  ): GrantState {
    const grant: GrantState = {
      id: newId("grant"),
      accountId: account.id,
      purpose,
      amount,
      remaining: amount,
      effectiveAt: effectiveAt ?? this.now,
      expiresAt,
      createdAt: this.now,
      status: "live",
      transactionId: tx.id,
      isNew: true,
      dirty: true,
    };
    this.addGrant(grant, source);
    return grant;
  }

  private addGrant(grant: GrantState, source?: Record<string, unknown>) {
    this.grantsById.set(grant.id, grant);
    const list = this.grantsByAccount.get(grant.accountId);
    if (list) list.push(grant);
    else this.grantsByAccount.set(grant.accountId, [grant]);
    if (source) this.grantSources.set(grant.id, source);
  }

  /** @internal */
  sortGrants(accountId: string) {
    this.grantsByAccount.get(accountId)?.sort(drawdownOrder);
  }
}
