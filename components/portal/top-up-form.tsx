"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { PortalQuote } from "@/lib/portal/types";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { fetchJson } from "./fetch-json";
import { accountLabel, formatMoney } from "./format";
import { portalQueries } from "./queries";

const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;

/**
 * Pick an account and an amount (a preset or your own), see what it buys, then pay on
 * Stripe Checkout. For an account in another asset than the payment currency, the
 * converted amount comes from the server's quote (the conversion the credit will use).
 */
export function TopUpForm() {
  const { data: options = [] } = useQuery(portalQueries.topUpOptions());
  const [accountId, setAccountId] = useState(options[0]?.account_id ?? "");
  const option = options.find((o) => o.account_id === accountId) ?? options[0];
  const [preset, setPreset] = useState<string | null>(option?.presets[1] ?? null);
  const [custom, setCustom] = useState("");
  const [saveCard, setSaveCard] = useState(false);
  const amount = preset ?? custom.trim();
  const amountValid = AMOUNT.test(amount) && Number(amount) > 0 && (option?.currency.precision !== 0 || !amount.includes("."));
  const converts = option && option.asset.code !== option.currency.code;

  const quote = useQuery({
    queryKey: ["quote", option?.account_id, amount],
    queryFn: () =>
      fetchJson<PortalQuote>(`/api/portal/quote?${new URLSearchParams({ account_id: option!.account_id, amount })}`),
    enabled: Boolean(option && converts && amountValid),
  });

  const pay = useMutation({
    mutationFn: () => fetchJson<{ id: string; redirect_url: string }>("/api/portal/top-ups", { method: "POST", body: { account_id: option!.account_id, amount, save_card: saveCard } }),
    onSuccess: ({ redirect_url }) => window.location.assign(redirect_url),
  });

  if (!option) return <Card>Top-ups are not available for this account.</Card>;
  const price = amountValid ? formatMoney(amount, option.currency) : null;

  return (
    <Card>
      <form
        className="space-y-5"
        onSubmit={(event) => {
          event.preventDefault();
          if (amountValid) pay.mutate();
        }}
      >
        {options.length > 1 && (
          <label className="block text-sm font-medium">
            Account
            <select
              className="mt-1 block w-full rounded-lg border border-zinc-300 bg-white px-3 py-2"
              value={option.account_id}
              onChange={(e) => {
                setAccountId(e.target.value);
                const next = options.find((o) => o.account_id === e.target.value);
                setPreset(next?.presets[1] ?? null);
                setCustom("");
              }}
            >
              {options.map((o) => (
                <option key={o.account_id} value={o.account_id}>
                  {accountLabel(o.account_id, o.asset)}
                </option>
              ))}
            </select>
          </label>
        )}

        <fieldset>
          <legend className="text-sm font-medium">Amount ({option.currency.code})</legend>
          <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-4">
            {option.presets.map((p) => (
              <button
                key={p}
                type="button"
                aria-pressed={preset === p}
                onClick={() => {
                  setPreset(p);
                  setCustom("");
                }}
                className={`min-h-11 rounded-lg border px-3 py-2 text-sm font-medium tabular-nums ${
                  preset === p ? "border-[var(--brand,#18181b)] bg-[var(--brand,#18181b)] text-white" : "border-zinc-300 bg-white hover:bg-zinc-50"
                }`}
              >
                {formatMoney(p, option.currency)}
              </button>
            ))}
          </div>
          <label className="mt-3 block text-sm">
            <span className="text-zinc-600">Or another amount</span>
            <input
              inputMode="decimal"
              autoComplete="off"
              placeholder="e.g. 35"
              value={custom}
              onChange={(e) => {
                setCustom(e.target.value);
                setPreset(null);
              }}
              onFocus={() => setPreset(null)}
              className="mt-1 block w-full rounded-lg border border-zinc-300 px-3 py-2 tabular-nums"
              aria-label="Custom amount"
            />
          </label>
          {!amountValid && amount !== "" && <p className="mt-1 text-sm text-red-700">Enter an amount like 25 or 25.50.</p>}
        </fieldset>

        {price && (
          <div className="rounded-lg bg-zinc-50 p-3 text-sm" data-testid="top-up-summary">
            <p>
              You pay <strong>{price}</strong>
            </p>
            <p>
              You get{" "}
              <strong>
                {!converts
                  ? formatMoney(amount, option.asset)
                  : quote.data
                    ? formatMoney(quote.data.credit_amount, quote.data.asset)
                    : quote.isError
                      ? "—"
                      : "…"}
              </strong>{" "}
              in your {accountLabel(option.account_id, option.asset)}
            </p>
            {quote.isError && <p className="mt-1 text-red-700">{quote.error.message}</p>}
          </div>
        )}

        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={saveCard} onChange={(e) => setSaveCard(e.target.checked)} />
          Save this card for auto top-up
        </label>

        {pay.isError && (
          <p role="alert" className="text-sm text-red-700">
            {pay.error.message}
          </p>
        )}
        <Button type="submit" className="w-full sm:w-auto" disabled={!amountValid || pay.isPending || pay.isSuccess}>
          {pay.isPending || pay.isSuccess ? "Opening checkout…" : price ? `Pay ${price}` : "Pay"}
        </Button>
        <p className="text-xs text-zinc-500">You will pay on Stripe Checkout and come back here afterwards.</p>
      </form>
    </Card>
  );
}
