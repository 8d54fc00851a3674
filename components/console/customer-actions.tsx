"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { addDecimalText } from "./decimal-text";
import { errorFor, sendJson, type FieldError } from "./send-json";

export interface ConsoleAccount {
  /** `{name}:{ASSET}` */
  id: string;
  name: string;
  asset: string;
  /** Exact decimal text. */
  available: string;
  overdraftLimit: string;
}

const inputClass = "w-full rounded-lg border border-zinc-300 px-3 py-2 text-sm";

function FieldMessage({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="mt-1 text-sm text-red-700">
      {message}
    </p>
  ) : null;
}

/**
 * Adjust a balance: fields, then a confirmation showing the balance after it, then the
 * console's adjustment route (the API's createAdjustment). Field errors are the API's.
 */
export function AdjustBalanceForm({ customerId, accounts, reasons }: { customerId: string; accounts: ConsoleAccount[]; reasons: string[] }) {
  const router = useRouter();
  const [accountId, setAccountId] = useState(accounts[0]?.id ?? "");
  const [newAccount, setNewAccount] = useState("default:USD");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("correction");
  const [description, setDescription] = useState("");
  const [review, setReview] = useState<{ transactionId: string; after: string | null; before: string } | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const chosen = accountId === "new" ? newAccount : accountId;
  const [accountName = "", asset = ""] = chosen.split(":");
  const current = accounts.find((a) => a.id === chosen)?.available ?? "0";

  async function confirm() {
    if (!review) return;
    setPending(true);
    const answer = await sendJson("POST", `/api/console/customers/${customerId}/adjustments`, {
      transaction_id: review.transactionId,
      account_name: accountName,
      asset,
      amount: amount.trim(),
      reason,
      description,
    });
    setPending(false);
    setReview(null);
    if (answer.ok) {
      setMessage(`Adjusted ${chosen} by ${amount.trim()}.`);
      setAmount("");
      setDescription("");
      setErrors([]);
      router.refresh();
    } else {
      setErrors(answer.body.errors ?? []);
      setMessage(answer.body.detail ?? "The adjustment was refused.");
    }
  }

  return (
    <form
      className="space-y-3"
      aria-label="Adjust the balance"
      onSubmit={(event) => {
        event.preventDefault();
        setMessage(null);
        setReview({ transactionId: `console_${crypto.randomUUID()}`, before: current, after: addDecimalText(current, amount) });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor="adjust-account" className="block text-sm font-medium">
            Account
          </label>
          <select id="adjust-account" className={inputClass} value={accountId} onChange={(e) => setAccountId(e.target.value)}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.id}
              </option>
            ))}
            <option value="new">Another account…</option>
          </select>
          {accountId === "new" && (
            <input aria-label="Account id (name:ASSET)" className={`${inputClass} mt-2`} value={newAccount} onChange={(e) => setNewAccount(e.target.value)} />
          )}
          <FieldMessage id="adjust-account-error" message={errorFor(errors, "account_name") ?? errorFor(errors, "asset")} />
        </div>
        <div>
          <label htmlFor="adjust-amount" className="block text-sm font-medium">
            Amount (negative to debit)
          </label>
          <input
            id="adjust-amount"
            inputMode="decimal"
            required
            className={inputClass}
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            aria-describedby="adjust-amount-error"
          />
          <FieldMessage id="adjust-amount-error" message={errorFor(errors, "amount")} />
        </div>
        <div>
          <label htmlFor="adjust-reason" className="block text-sm font-medium">
            Reason
          </label>
          <select id="adjust-reason" className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)}>
            {reasons.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <FieldMessage id="adjust-reason-error" message={errorFor(errors, "reason")} />
        </div>
        <div>
          <label htmlFor="adjust-description" className="block text-sm font-medium">
            Why (kept on the transaction and in the audit log)
          </label>
          <input
            id="adjust-description"
            required
            className={inputClass}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            aria-describedby="adjust-description-error"
          />
          <FieldMessage id="adjust-description-error" message={errorFor(errors, "description")} />
        </div>
      </div>
      {review ? (
        <div role="group" aria-label="Confirm the adjustment" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm">
          <p data-testid="adjust-preview">
            {chosen}: {review.before} → <strong>{review.after ?? "?"}</strong>
          </p>
          <div className="mt-2 flex gap-2">
            <Button type="button" onClick={confirm} disabled={pending}>
              {pending ? "Adjusting…" : "Confirm adjustment"}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setReview(null)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <Button type="submit">Review adjustment</Button>
      )}
      {message && (
        <p role="status" className="text-sm">
          {message}
        </p>
      )}
    </form>
  );
}

/** Sets (or clears back to the platform default) one account's overdraft limit. */
export function OverdraftForm({ customerId, account }: { customerId: string; account: ConsoleAccount }) {
  const router = useRouter();
  const [limit, setLimit] = useState(account.overdraftLimit);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const inputId = `overdraft-${account.id.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={async (event) => {
        event.preventDefault();
        setSaved(false);
        const answer = await sendJson("PATCH", `/api/console/customers/${customerId}/accounts/${encodeURIComponent(account.id)}`, {
          overdraft_limit: limit.trim() === "" ? null : limit.trim(),
        });
        if (answer.ok) {
          setError(null);
          setSaved(true);
          router.refresh();
        } else setError(errorFor(answer.body.errors, "overdraft_limit") ?? answer.body.detail ?? "Refused.");
      }}
    >
      <div>
        <label htmlFor={inputId} className="block text-xs text-zinc-600">
          Overdraft limit of {account.id} (empty: platform default)
        </label>
        <input id={inputId} inputMode="decimal" className={inputClass} value={limit} onChange={(e) => setLimit(e.target.value)} />
      </div>
      <Button type="submit" variant="secondary">
        Save
      </Button>
      {error && <p className="w-full text-sm text-red-700">{error}</p>}
      {saved && (
        <p role="status" className="w-full text-sm text-emerald-700">
          Saved.
        </p>
      )}
    </form>
  );
}

/** A single-use portal sign-in link for the customer, opened in a new tab. */
export function OpenPortalButton({ customerId }: { customerId: string }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <span>
      <Button
        type="button"
        variant="secondary"
        onClick={async () => {
          const answer = await sendJson<{ url?: string }>("POST", `/api/console/customers/${customerId}/portal-session`);
          if (answer.ok && answer.body.url) window.open(answer.body.url, "_blank", "noopener");
          else setError(answer.body.detail ?? "Could not open the portal.");
        }}
      >
        Open portal as customer
      </Button>
      {error && <span className="ml-2 text-sm text-red-700">{error}</span>}
    </span>
  );
}

/**
 * Refunds a paid top-up at Stripe (empty amount: all that is left), after a confirmation.
 * The balance changes when Stripe's charge.refunded webhook arrives, as for a dashboard refund.
 */
export function RefundTopUpButton({ topUpId, refundable, currency }: { topUpId: string; refundable: string; currency: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState(refundable);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // One key per confirmation: submitting it twice refunds (and audits) once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const inputId = `refund-${topUpId}`;
  if (!open) {
    return (
      <Button type="button" variant="secondary" onClick={() => setOpen(true)}>
        Refund…
      </Button>
    );
  }
  return (
    <div className="space-y-2">
      <label htmlFor={inputId} className="block text-xs text-zinc-600">
        Refund ({currency}, at most {refundable})
      </label>
      <input id={inputId} inputMode="decimal" className={inputClass} value={amount} onChange={(e) => setAmount(e.target.value)} />
      <div className="flex gap-2">
        <Button
          type="button"
          disabled={pending}
          onClick={async () => {
            setPending(true);
            const answer = await sendJson("POST", `/api/console/top-ups/${topUpId}/refund`, { amount: amount.trim() || null, idempotency_key: idempotencyKey });
            setPending(false);
            if (answer.ok) {
              setMessage("Refund sent to Stripe; the balance follows when Stripe confirms it.");
              router.refresh();
            } else setMessage(errorFor(answer.body.errors, "amount") ?? answer.body.detail ?? "Refused.");
          }}
        >
          {pending ? "Refunding…" : `Confirm refund of ${amount || refundable} ${currency}`}
        </Button>
        <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
      {message && (
        <p role="status" className="text-sm">
          {message}
        </p>
      )}
    </div>
  );
}
