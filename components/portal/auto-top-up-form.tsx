"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { PortalAutoTopUp } from "@/lib/portal/types";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { AutoTopUpNotice } from "./auto-top-up-notice";
import { fetchJson, PortalRequestError } from "./fetch-json";
import { accountLabel, formatMoney } from "./format";
import { portalQueries } from "./queries";
import { cardLabel } from "./saved-cards";

/** Auto top-up, one form per account the customer can top up. */
export function AutoTopUpForms() {
  const { data: accounts = [] } = useQuery({ ...portalQueries.autoTopUps(), refetchInterval: 15_000 });
  if (accounts.length === 0) return null;
  return (
    <>
      {accounts.map((settings) => (
        // Remounted (fresh values) when the server switches it off, so the form never shows "on" for an auto top-up that is off.
        <AutoTopUpForm key={`${settings.account_id}:${settings.enabled ? "" : (settings.disabled_reason ?? "")}`} settings={settings} titled={accounts.length > 1} />
      ))}
    </>
  );
}

const inputClass = "mt-1 block w-full rounded-lg border border-zinc-300 px-3 py-2 tabular-nums";

/**
 * Enabled, threshold (in the account's asset), amount and monthly cap (in the payment
 * currency) and the card. A first setup starts from the server's suggested values. The
 * rules are the server's (lib/auto-top-ups): its field errors show beside their fields.
 */
function AutoTopUpForm({ settings, titled }: { settings: PortalAutoTopUp; titled: boolean }) {
  const queryClient = useQueryClient();
  const { data: cards = [] } = useQuery(portalQueries.cards());
  const [enabled, setEnabled] = useState(settings.configured ? settings.enabled : true);
  const [threshold, setThreshold] = useState(settings.threshold ?? settings.suggested.threshold);
  const [amount, setAmount] = useState(settings.amount ?? settings.suggested.amount);
  const [cap, setCap] = useState(settings.monthly_cap ?? settings.suggested.monthly_cap);
  const [cardId, setCardId] = useState(settings.payment_method_id ?? "");
  const defaultCard = cards.find((c) => c.is_default);
  const chosenCard = cards.some((c) => c.id === cardId) ? cardId : (defaultCard?.id ?? "");

  const save = useMutation({
    mutationFn: () =>
      fetchJson<PortalAutoTopUp>(`/api/portal/auto-top-ups/${encodeURIComponent(settings.account_id)}`, {
        method: "PUT",
        body: { enabled, threshold: threshold.trim(), amount: amount.trim(), monthly_cap: cap.trim(), payment_method_id: chosenCard || null },
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(portalQueries.autoTopUps().queryKey, (old: PortalAutoTopUp[] | undefined) =>
        old?.map((s) => (s.account_id === saved.account_id ? saved : s)),
      );
    },
  });
  const fieldErrors = save.error instanceof PortalRequestError ? save.error.fieldErrors : [];
  const errorOf = (...fields: string[]) => fieldErrors.find((e) => fields.includes(e.field))?.message;
  const otherErrors = fieldErrors.filter((e) => !["threshold", "amount", "monthly_cap", "payment_method_id"].includes(e.field));
  const id = (name: string) => `${settings.account_id}-${name}`;

  return (
    <Card title={titled ? `Auto top-up: ${accountLabel(settings.account_id, settings.asset)}` : "Auto top-up"}>
      <div className="space-y-4">
        <AutoTopUpNotice settings={settings} />
        <form
          className="space-y-4"
          aria-label={`Auto top-up for ${accountLabel(settings.account_id, settings.asset)}`}
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate();
          }}
        >
          <p className="text-sm text-zinc-600">
            When your balance falls below the threshold, your saved card is charged the amount, at most the monthly cap per calendar month.
          </p>
          <label className="flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
            Turn on auto top-up
          </label>
          <Field id={id("threshold")} label={`When the balance falls below (${settings.asset.code})`} error={errorOf("threshold")}>
            <input id={id("threshold")} inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} className={inputClass} />
          </Field>
          <Field id={id("amount")} label={`Top up by (${settings.currency.code})`} error={errorOf("amount", "currency")}>
            <input id={id("amount")} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} className={inputClass} />
          </Field>
          <Field id={id("cap")} label={`Monthly cap (${settings.currency.code})`} error={errorOf("monthly_cap")}>
            <input id={id("cap")} inputMode="decimal" value={cap} onChange={(e) => setCap(e.target.value)} className={inputClass} />
            <span className="mt-1 block text-xs text-zinc-500" data-testid="auto-top-up-spent">
              {settings.spent_this_month !== null && settings.monthly_cap !== null
                ? `Spent this month: ${formatMoney(settings.spent_this_month, settings.currency)} of ${formatMoney(settings.monthly_cap, settings.currency)}.`
                : `Suggested: ${formatMoney(settings.suggested.monthly_cap, settings.currency)}.`}
            </span>
          </Field>
          <Field id={id("card")} label="Card" error={errorOf("payment_method_id")}>
            {cards.length === 0 ? (
              <p id={id("card")} className="mt-1 text-sm text-zinc-500">
                No saved card yet: add one above.
              </p>
            ) : (
              <select id={id("card")} value={chosenCard} onChange={(e) => setCardId(e.target.value)} className={`${inputClass} bg-white`}>
                {cards.map((card) => (
                  <option key={card.id} value={card.id}>
                    {cardLabel(card)}
                    {card.is_default ? " (default)" : ""}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {(otherErrors.length > 0 || (save.isError && fieldErrors.length === 0)) && (
            <p role="alert" className="text-sm text-red-700">
              {otherErrors[0]?.message ?? save.error?.message}
            </p>
          )}
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save auto top-up"}
            </Button>
            {save.isSuccess && (
              <span role="status" className="text-sm text-emerald-700">
                Saved: auto top-up is {save.data.enabled ? "on" : "off"}.
              </span>
            )}
          </div>
        </form>
      </div>
    </Card>
  );
}

function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div className="text-sm">
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      {children}
      {error && (
        <p className="mt-1 text-red-700" data-testid="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
