"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { postJson } from "./post-json";
import { SecretOnce } from "./secret-once";

/*
 * The Developers section's forms. Each posts to a console route, which checks the
 * operator's platform and role on the server and validates with the API's own schema;
 * `canWrite` only spares a read-only operator a button the server would refuse (403).
 */

interface Outcome {
  ok: boolean;
  message?: string;
  errors: Record<string, string>;
  secret?: string;
}

const none: Outcome = { ok: false, errors: {} };

function Message({ outcome }: { outcome: Outcome }) {
  if (!outcome.message) return null;
  return (
    <p role={outcome.ok ? "status" : "alert"} className={`mt-2 text-sm ${outcome.ok ? "text-emerald-700" : "text-red-700"}`}>
      {outcome.message}
    </p>
  );
}

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} className="mt-1 text-sm text-red-700">
      {error}
    </p>
  ) : null;
}

const inputClass = "mt-1 block w-full rounded-lg border border-zinc-300 px-3 py-2 text-sm";

/** A write's common state: busy while it runs, its outcome, and a refresh of the server-rendered page after it. */
function useWrite() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(none);
  async function run<T>(url: string, body: unknown, done: (data: T) => Omit<Outcome, "errors">) {
    setBusy(true);
    try {
      const result = await postJson<T>(url, body);
      setOutcome(result.ok ? { ...done(result.data), errors: {} } : { ok: false, message: result.message, errors: result.errors });
      if (result.ok) router.refresh();
    } finally {
      setBusy(false);
    }
  }
  return { busy, outcome, run };
}

/** New API key: a name; the key is shown once in the answer. */
export function CreateApiKeyForm({ canWrite }: { canWrite: boolean }) {
  const { busy, outcome, run } = useWrite();
  const [name, setName] = useState("");
  function submit(e: FormEvent) {
    e.preventDefault();
    void run<{ key: string; prefix: string }>("/api/console/api-keys", { name: name.trim() === "" ? null : name }, (d) => ({
      ok: true,
      message: `Created ${d.prefix}…`,
      secret: d.key,
    }));
  }
  return (
    <form onSubmit={submit} aria-label="Create an API key">
      <label htmlFor="api-key-name" className="block text-sm font-medium text-zinc-700">
        Name (what the key is for)
      </label>
      <input
        id="api-key-name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        placeholder="production server"
        aria-invalid={outcome.errors.name ? true : undefined}
        aria-describedby={outcome.errors.name ? "api-key-name-error" : undefined}
        className={inputClass}
      />
      <FieldError id="api-key-name-error" error={outcome.errors.name} />
      <Button type="submit" className="mt-3" disabled={busy || !canWrite}>
        Create API key
      </Button>
      <Message outcome={outcome} />
      {outcome.secret && <SecretOnce label="New API key" secret={outcome.secret} />}
    </form>
  );
}

/** New webhook endpoint: URL, topics (none ticked: every topic), description; the signing secret is shown once. */
export function CreateWebhookForm({ topics, canWrite }: { topics: readonly string[]; canWrite: boolean }) {
  const { busy, outcome, run } = useWrite();
  const [url, setUrl] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [description, setDescription] = useState("");
  function submit(e: FormEvent) {
    e.preventDefault();
    const body = { url: url.trim(), ...(chosen.length > 0 ? { topics: chosen } : {}), description: description.trim() === "" ? null : description };
    void run<{ id: string; secret: string }>("/api/console/webhooks", body, (d) => ({ ok: true, message: `Added ${d.id}`, secret: d.secret }));
  }
  const err = outcome.errors;
  return (
    <form onSubmit={submit} aria-label="Add a webhook endpoint">
      <label htmlFor="webhook-url" className="block text-sm font-medium text-zinc-700">
        URL
      </label>
      <input
        id="webhook-url"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        placeholder="https://example.com/webhooks/drawdown"
        aria-invalid={err.url ? true : undefined}
        aria-describedby={err.url ? "webhook-url-error" : undefined}
        className={inputClass}
      />
      <FieldError id="webhook-url-error" error={err.url} />
      <fieldset className="mt-3">
        <legend className="text-sm font-medium text-zinc-700">Topics (none ticked: every topic)</legend>
        <div className="mt-1 grid grid-cols-1 gap-1 sm:grid-cols-2">
          {topics.map((t) => (
            <label key={t} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={chosen.includes(t)}
                onChange={(e) => setChosen((c) => (e.target.checked ? [...c, t] : c.filter((x) => x !== t)))}
              />
              <code>{t}</code>
            </label>
          ))}
        </div>
        <FieldError id="webhook-topics-error" error={err.topics} />
      </fieldset>
      <label htmlFor="webhook-description" className="mt-3 block text-sm font-medium text-zinc-700">
        Description
      </label>
      <input id="webhook-description" value={description} onChange={(e) => setDescription(e.target.value)} className={inputClass} />
      <FieldError id="webhook-description-error" error={err.description} />
      <Button type="submit" className="mt-3" disabled={busy || !canWrite}>
        Add endpoint
      </Button>
      <Message outcome={outcome} />
      {outcome.secret && <SecretOnce label="Signing secret" secret={outcome.secret} />}
    </form>
  );
}

/**
 * One button posting to a console route with no body (revoke, rotate, redeliver), with a
 * confirmation for what cannot be undone; a secret in the answer is shown once.
 */
export function PostButton({
  url,
  label,
  done,
  confirm,
  canWrite,
  secretLabel = "New secret",
}: {
  url: string;
  label: string;
  done: string;
  confirm?: string;
  canWrite: boolean;
  secretLabel?: string;
}) {
  const { busy, outcome, run } = useWrite();
  return (
    <div>
      <Button
        type="button"
        variant="secondary"
        disabled={busy || !canWrite}
        onClick={() => {
          if (confirm && !window.confirm(confirm)) return;
          void run<{ secret?: string }>(url, undefined, (d) => ({ ok: true, message: done, secret: d.secret }));
        }}
      >
        {label}
      </Button>
      <Message outcome={outcome} />
      {outcome.secret && <SecretOnce label={secretLabel} secret={outcome.secret} />}
    </div>
  );
}
