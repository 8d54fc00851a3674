import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { Dec, ZERO, formatAmount } from "@/lib/money";
import { assertPositive } from "./assert-positive";
import { hashRequest } from "./request-hash";
import type { AccountState, AppliedResult, ReverseInput } from "./types";
import type { WalletTx } from "./wallet-tx";

/**
 * `WalletTx.reverse`: takes back a credit (what is left of its grant; the rest is drawn
 * from other grants and then recorded as debt, past any overdraft limit) or gives back a
 * charge (to the grants it drew from, newest draw first). Never reverses more than the
 * original. Like every operation it validates before it mutates.
 */
export function reverseTransaction(w: WalletTx, input: ReverseInput): AppliedResult {
  const requestHash = input.requestHash ?? hashRequest({ op: "reverse", ...input, idempotencyKey: undefined });
  const replay = w.replay(input.idempotencyKey, requestHash);
  if (replay) return replay;
  const original = w.referencedTransaction(input.transactionId);
  if (!original || (original.kind !== "credit" && original.kind !== "charge")) {
    throw new NotFoundError(`no reversible transaction ${input.transactionId}`);
  }
  const originalTotal = original.entries.reduce((s, e) => s.plus(e.amount.abs()), ZERO);
  const left = originalTotal.minus(original.reversed);
  const amount = input.amount ?? left;
  if (input.amount) assertPositive(input.amount, "amount");
  if (amount.gt(left)) {
    throw new ValidationError(`at most ${formatAmount(left)} of this transaction is left to reverse`, [
      { field: "amount", message: "exceeds what is left to reverse" },
    ]);
  }
  if (amount.isZero()) throw new ConflictError("this transaction has already been fully reversed");

  const tx = w.beginTransaction("reverse", input.idempotencyKey, requestHash, input.description, input.metadata);
  tx.reversesId = original.id;
  tx.metadata = { ...tx.metadata, reversed_amount: amount.toFixed() };
  original.reversed = original.reversed.plus(amount);
  const touched = new Set<AccountState>();

  if (original.kind === "credit") {
    const entry = original.entries[0]!;
    const account = w.accountById(entry.accountId);
    const grant = entry.grantId ? w.grant(entry.grantId) : undefined;
    let rest = amount;
    if (grant && grant.status === "live" && grant.remaining.gt(0)) {
      const take = Dec.min(grant.remaining, rest);
      w.takeFromGrant(grant, take);
      w.entry(tx, account, grant.id, take.neg(), "reverse", null);
      rest = rest.minus(take);
    }
    if (grant && grant.remaining.isZero() && original.reversed.gte(originalTotal)) grant.status = "reversed";
    if (rest.gt(0)) w.drawDown(tx, account, rest, "reverse", "reverse_debt");
    touched.add(account);
  } else {
    // Give back the newest draws first, past what earlier reversals already gave back.
    let rest = amount;
    let alreadyGiven = original.reversed.minus(amount);
    for (const e of [...original.entries].reverse()) {
      if (rest.isZero()) break;
      let available = e.amount.abs();
      const skip = Dec.min(alreadyGiven, available);
      alreadyGiven = alreadyGiven.minus(skip);
      available = available.minus(skip);
      if (available.isZero()) continue;
      const give = Dec.min(available, rest);
      rest = rest.minus(give);
      const account = w.accountById(e.accountId);
      const grant = e.grantId ? w.grant(e.grantId) : undefined;
      if (grant && (grant.status !== "live" || (grant.expiresAt && grant.expiresAt <= w.now))) {
        continue; // value returned to a grant that has since expired would expire again at once
      }
      // Value given back pays overdraft debt first, like any credit; only the rest goes
      // back into the grant (or, for a part that was debt when charged, into a new grant).
      const debt = account.balance.isNegative() ? account.balance.neg() : ZERO;
      const paysDebt = Dec.min(give, debt);
      const refill = give.minus(paysDebt);
      if (paysDebt.gt(0)) w.entry(tx, account, null, paysDebt, "reverse", null);
      if (refill.gt(0)) {
        const target = grant ?? w.newGrant(account, tx, refill, "paid", null, { reversal_of: original.id });
        if (grant) {
          grant.remaining = grant.remaining.plus(refill);
          grant.dirty = true;
        }
        w.sortGrants(account.id);
        w.entry(tx, account, target.id, refill, "reverse", null);
      }
      touched.add(account);
    }
  }
  return w.finish(tx, [...touched]);
}
