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

/** Platform name and brand colour, as the billing portal shows them. */
export function BrandingForm({ name: initialName, brandColor, canWrite }: { name: string; brandColor: string; canWrite: boolean }) {
  const { busy, message, errors, save } = useSave();
  const [name, setName] = useState(initialName);
  const [color, setColor] = useState(brandColor);
  function submit(e: FormEvent) {
    e.preventDefault();
    void save("/api/console/settings/branding", { name, brand_color: color });
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
