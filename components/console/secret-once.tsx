/** A secret shown once, selectable, with the warning that it will not be shown again. */
export function SecretOnce({ label, secret }: { label: string; secret: string }) {
  return (
    <div role="status" className="mt-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm">
      <p className="font-medium text-amber-900">{label}: copy it now, it is not shown again.</p>
      <code data-testid="secret-once" className="mt-1 block break-all rounded bg-white px-2 py-1 font-mono text-zinc-900 select-all">
        {secret}
      </code>
    </div>
  );
}
