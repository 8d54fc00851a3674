"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { PortalCard } from "@/lib/portal/types";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { fetchJson } from "./fetch-json";
import { portalQueries } from "./queries";

export function cardLabel(card: PortalCard): string {
  const brand = card.brand.charAt(0).toUpperCase() + card.brand.slice(1);
  return `${brand} •••• ${card.last4}`;
}

function expiry(card: PortalCard): string {
  return `${String(card.exp_month).padStart(2, "0")}/${String(card.exp_year).slice(-2)}`;
}

/**
 * The customer's saved cards: the ones auto top-up can charge. "Add a card" opens Stripe's
 * setup Checkout and comes back to this page; removing a card that pays for auto top-up
 * switches that auto top-up off (its form says so).
 */
export function SavedCards() {
  const queryClient = useQueryClient();
  const { data: cards = [] } = useQuery(portalQueries.cards());
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ["cards"] }), queryClient.invalidateQueries({ queryKey: ["auto-top-ups"] })]);

  const add = useMutation({
    mutationFn: () => fetchJson<{ redirect_url: string }>("/api/portal/cards", { method: "POST", body: {} }),
    onSuccess: ({ redirect_url }) => window.location.assign(redirect_url),
  });
  const makeDefault = useMutation({
    mutationFn: (id: string) => fetchJson(`/api/portal/cards/${encodeURIComponent(id)}/default`, { method: "POST", body: {} }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => fetchJson(`/api/portal/cards/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: refresh,
  });
  const error = add.error ?? makeDefault.error ?? remove.error;

  return (
    <Card
      title="Cards"
      action={
        <Button variant="secondary" onClick={() => add.mutate()} disabled={add.isPending || add.isSuccess}>
          {add.isPending || add.isSuccess ? "Opening…" : "Add a card"}
        </Button>
      }
    >
      {cards.length === 0 ? (
        <p className="text-sm text-zinc-500">No saved cards. Add one to turn on auto top-up.</p>
      ) : (
        <ul className="divide-y divide-zinc-100" aria-label="Saved cards">
          {cards.map((card) => (
            <li key={card.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="saved-card">
              <span className="text-sm">
                <span className="font-medium">{cardLabel(card)}</span> <span className="text-zinc-500">expires {expiry(card)}</span>{" "}
                {card.is_default && <Badge tone="good">Default</Badge>}
              </span>
              <span className="flex gap-2">
                {!card.is_default && (
                  <Button variant="secondary" onClick={() => makeDefault.mutate(card.id)} disabled={makeDefault.isPending}>
                    Make default
                  </Button>
                )}
                <Button
                  variant="secondary"
                  aria-label={`Remove ${cardLabel(card)}`}
                  onClick={() => {
                    if (window.confirm(`Remove ${cardLabel(card)}? Auto top-ups paid with it will be switched off.`)) remove.mutate(card.id);
                  }}
                  disabled={remove.isPending}
                >
                  Remove
                </Button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error.message}
        </p>
      )}
    </Card>
  );
}
