"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { sendJson } from "./send-json";

/*
 * The Settings section's forms. The server checks the operator (owners only) and validates
 * with the same rules as the API (field errors shown beside their inputs); `canWrite` only
 * spares other roles a button the server would refuse (403).
 */

type Errors = Record<string, string>;

function useSave() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  async function save(url: string, body: unknown) {
    setBusy(true);
    try {
      const res = await sendJson("PATCH", url, body);
      const fieldErrors: Errors = {};
      // "settings/default_overdraft_limit" → "default_overdraft_limit"
      for (const e of res.body.errors ?? []) fieldErrors[e.field.split("/").at(-1) || "form"] ??= e.message;
      setErrors(res.ok ? {} : fieldErrors);
      setMessage(res.ok ? { ok: true, text: "Saved." } : { ok: false, text: res.body.detail ?? `Not saved (${res.status}).` });
      if (res.ok) router.refresh();
    } finally {
      setBusy(false);
    }
  }
  return { busy, message, errors, save };
}

function Labelled({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div className="mb-3">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-700">
        {label}
      </label>
      {children}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

function Outcome({ message }: { message: { ok: boolean; text: string } | null }) {
  if (!message) return null;
  return (
    <p role={message.ok ? "status" : "alert"} className={`mt-2 text-sm ${message.ok ? "text-emerald-700" : "text-red-700"}`}>
      {message.text}
    </p>
  );
}

const inputClass = "mt-1 block w-full rounded-lg border border-zinc-300 px-3 py-2 text-sm";

/** Platform name, brand colour and logo URL, as the billing portal shows them. */
export function BrandingForm({
  name: initialName,
  brandColor,
  logoUrl: initialLogoUrl,
  canWrite,
}: {
  name: string;
  brandColor: string;
  logoUrl: string | null;
  canWrite: boolean;
}) {
  const { busy, message, errors, save } = useSave();
  const [name, setName] = useState(initialName);
  const [color, setColor] = useState(brandColor);
  const [logoUrl, setLogoUrl] = useState(initialLogoUrl ?? "");
  function submit(e: FormEvent) {
    e.preventDefault();
    // Empty clears the logo.
    void save("/api/console/settings/branding", { name, brand_color: color, logo_url: logoUrl.trim() });
  }
  return (
    <form onSubmit={submit} aria-label="Branding" className="max-w-md">
      <Labelled id="platform-name" label="Platform name" error={errors.name}>
        <input id="platform-name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? "platform-name-error" : undefined} className={inputClass} />
      </Labelled>
      <Labelled id="brand-color" label="Brand colour (#rrggbb)" error={errors.brand_color}>
        <div className="flex items-center gap-2">
          <input id="brand-color" value={color} onChange={(e) => setColor(e.target.value)} aria-invalid={errors.brand_color ? true : undefined} aria-describedby={errors.brand_color ? "brand-color-error" : undefined} className={inputClass} />
          <span aria-hidden className="mt-1 h-9 w-9 shrink-0 rounded-lg border border-zinc-300" style={{ background: /^#[0-9a-fA-F]{6}$/.test(color) ? color : "transparent" }} />
        </div>
      </Labelled>
      <Labelled id="logo-url" label="Logo URL (https://…, shown beside the name; empty: none)" error={errors.logo_url}>
        <input
          id="logo-url"
          inputMode="url"
          value={logoUrl}
          onChange={(e) => setLogoUrl(e.target.value)}
          placeholder="https://example.com/logo.svg"
          aria-invalid={errors.logo_url ? true : undefined}
          aria-describedby={errors.logo_url ? "logo-url-error" : undefined}
          className={inputClass}
        />
      </Labelled>
      <Button type="submit" disabled={busy || !canWrite}>
        Save branding
      </Button>
      <Outcome message={message} />
    </form>
  );
}

/** The mode's default overdraft limit: an amount or "unlimited" (PATCH /accounts/self's rule). */
export function DefaultOverdraftForm({ limit, canWrite, mode }: { limit: string; canWrite: boolean; mode: string }) {
  const { busy, message, errors, save } = useSave();
  const [value, setValue] = useState(limit);
  function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = value.trim();
    // The API's JSON carries an amount as a number or a decimal string; "unlimited" as is.
    void save("/api/console/settings/overdraft", { settings: { default_overdraft_limit: trimmed } });
  }
  return (
    <form onSubmit={submit} aria-label="Default overdraft limit" className="max-w-md">
      <Labelled id="default-overdraft" label={`Default overdraft limit (${mode} mode): an amount, or "unlimited"`} error={errors.default_overdraft_limit}>
        <input id="default-overdraft" value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" aria-invalid={errors.default_overdraft_limit ? true : undefined} aria-describedby={errors.default_overdraft_limit ? "default-overdraft-error" : undefined} className={inputClass} />
      </Labelled>
      <Button type="submit" disabled={busy || !canWrite}>
        Save limit
      </Button>
      <Outcome message={message} />
    </form>
  );
}

/** The mode's default low-balance threshold: an amount (0 or more), or empty for none (PATCH /accounts/self's rule). */
export function DefaultLowBalanceForm({ threshold, canWrite, mode }: { threshold: string | null; canWrite: boolean; mode: string }) {
  const { busy, message, errors, save } = useSave();
  const [value, setValue] = useState(threshold ?? "");
  function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = value.trim();
    void save("/api/console/settings/low-balance", { settings: { default_low_balance_threshold: trimmed === "" ? null : trimmed } });
  }
  return (
    <form onSubmit={submit} aria-label="Default low-balance threshold" className="max-w-md">
      <Labelled id="default-low-balance" label={`Default low-balance threshold (${mode} mode): an amount, or empty for none`} error={errors.default_low_balance_threshold}>
        <input
          id="default-low-balance"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          inputMode="decimal"
          aria-invalid={errors.default_low_balance_threshold ? true : undefined}
          aria-describedby={errors.default_low_balance_threshold ? "default-low-balance-error" : undefined}
          className={inputClass}
        />
      </Labelled>
      <Button type="submit" disabled={busy || !canWrite}>
        Save threshold
      </Button>
      <Outcome message={message} />
    </form>
  );
}

/** What the portal suggests for a first auto top-up setup: all three, or all empty for the built-in suggestion. */
export function AutoTopUpDefaultsForm({
  defaults,
  canWrite,
}: {
  defaults: { threshold: string; amount: string; monthlyCap: string } | null;
  canWrite: boolean;
}) {
  const { busy, message, errors, save } = useSave();
  const [threshold, setThreshold] = useState(defaults?.threshold ?? "");
  const [amount, setAmount] = useState(defaults?.amount ?? "");
  const [cap, setCap] = useState(defaults?.monthlyCap ?? "");
  function submit(e: FormEvent) {
    e.preventDefault();
    const value = (v: string) => (v.trim() === "" ? null : v.trim());
    void save("/api/console/settings/auto-top-up", { threshold: value(threshold), amount: value(amount), monthly_cap: value(cap) });
  }
  const field = (id: string, key: string, label: string, v: string, set: (v: string) => void) => (
    <Labelled id={id} label={label} error={errors[key]}>
      <input
        id={id}
        value={v}
        onChange={(e) => set(e.target.value)}
        inputMode="decimal"
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `${id}-error` : undefined}
        className={inputClass}
      />
    </Labelled>
  );
  return (
    <form onSubmit={submit} aria-label="Auto top-up defaults" className="max-w-md">
      {field("auto-top-up-threshold", "threshold", "When the balance falls below", threshold, setThreshold)}
      {field("auto-top-up-amount", "amount", "Top up by", amount, setAmount)}
      {field("auto-top-up-cap", "monthly_cap", "Monthly cap", cap, setCap)}
      <Button type="submit" disabled={busy || !canWrite}>
        Save auto top-up defaults
      </Button>
      <Outcome message={message} />
    </form>
  );
}
