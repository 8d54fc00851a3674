"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { sendJson } from "./send-json";

/*
 * The Catalog section's forms: publish / make default (members; the server checks the role
 * and applies PATCH /products/{id}/{version}'s rules) and simulate usage (any role: it
 * charges and stores nothing).
 */

/** Publish a draft, or make a published version the default. */
export function VersionActions({ productId, version, status, isDefault, canWrite }: { productId: string; version: number; status: string; isDefault: boolean; canWrite: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function update(body: Record<string, boolean>, done: string) {
    setBusy(true);
    try {
      const res = await sendJson("PATCH", `/api/console/products/${productId}/${version}`, body);
      setMessage(res.ok ? { ok: true, text: done } : { ok: false, text: res.body.detail ?? `Refused (${res.status})` });
      if (res.ok) router.refresh();
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      {status === "draft" && (
        <>
          <Button variant="secondary" disabled={busy || !canWrite} onClick={() => void update({ publish: true }, "Published.")}>
            Publish v{version}
          </Button>
          <Button variant="secondary" disabled={busy || !canWrite} onClick={() => void update({ publish: true, is_default: true }, "Published and made the default.")}>
            Publish v{version} and make default
          </Button>
        </>
      )}
      {status === "published" && !isDefault && (
        <Button variant="secondary" disabled={busy || !canWrite} onClick={() => void update({ is_default: true }, "Now the default.")}>
          Make v{version} the default
        </Button>
      )}
      {message && (
        <p role={message.ok ? "status" : "alert"} className={`text-sm ${message.ok ? "text-emerald-700" : "text-red-700"}`}>
          {message.text}
        </p>
      )}
    </div>
  );
}

interface Simulated {
  results: { event_type: string; status: string; reason?: string; detail?: string; fees: { amount: number | string; asset: string; price_name: string }[] }[];
}

/** One event's type and data (JSON) priced against this version alone. */
export function SimulateForm({ productId, version, eventTypes }: { productId: string; version: number; eventTypes: string[] }) {
  const [eventType, setEventType] = useState(eventTypes[0] ?? "");
  const [data, setData] = useState("{}");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Simulated["results"][number] | null>(null);
  const id = `sim-${version}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    setResult(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.trim() === "" ? "{}" : data);
    } catch {
      setError("data is not valid JSON");
      return;
    }
    setBusy(true);
    try {
      const res = await sendJson<Simulated>("POST", `/api/console/products/${productId}/${version}/simulate-usage`, { events: [{ event_type: eventType, data: parsed }] });
      if (res.ok) {
        setError(null);
        setResult(res.body.results[0] ?? null);
      } else setError(res.body.errors?.[0] ? `${res.body.errors[0].field}: ${res.body.errors[0].message}` : (res.body.detail ?? `Refused (${res.status})`));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} aria-label={`Simulate usage on version ${version}`} className="grid gap-2 sm:grid-cols-[1fr_2fr_auto] sm:items-end">
      <label htmlFor={`${id}-type`} className="text-sm font-medium text-zinc-700">
        Event type
        <input id={`${id}-type`} value={eventType} onChange={(e) => setEventType(e.target.value)} className="mt-1 block w-full rounded-lg border border-zinc-300 px-3 py-2 text-sm" />
      </label>
      <label htmlFor={`${id}-data`} className="text-sm font-medium text-zinc-700">
        data (JSON)
        <input id={`${id}-data`} value={data} onChange={(e) => setData(e.target.value)} className="mt-1 block w-full rounded-lg border border-zinc-300 px-3 py-2 font-mono text-sm" />
      </label>
      <Button type="submit" variant="secondary" disabled={busy}>
        Simulate
      </Button>
      <div className="sm:col-span-3" aria-live="polite">
        {error && <p className="text-sm text-red-700">{error}</p>}
        {result && (
          <p className="text-sm" data-testid="simulation-result">
            <strong>{result.status}</strong>
            {result.reason && ` (${result.reason}${result.detail ? `: ${result.detail}` : ""})`}
            {result.fees.map((f, i) => (
              <span key={i}>
                {" "}
                · {String(f.amount)} {f.asset} ({f.price_name})
              </span>
            ))}
          </p>
        )}
      </div>
    </form>
  );
}
