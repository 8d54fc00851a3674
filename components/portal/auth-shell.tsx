import type { CSSProperties, ReactNode } from "react";

/** The frame of the sign-in pages: a centred card, in the platform's colour when it is known. */
export function AuthShell({ platform, title, children }: { platform?: { name: string; brandColor: string } | null; title: string; children: ReactNode }) {
  return (
    <div
      style={platform ? ({ "--brand": platform.brandColor } as CSSProperties) : undefined}
      className="flex min-h-screen items-start justify-center bg-zinc-50 px-4 py-12 sm:items-center"
    >
      <main className="w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-6 shadow-sm">
        {platform && (
          <p className="mb-4 flex items-center gap-2 text-sm font-semibold">
            <span aria-hidden className="h-3 w-3 rounded-full bg-[var(--brand)]" />
            {platform.name} <span className="font-normal text-zinc-500">· Billing</span>
          </p>
        )}
        <h1 className="text-xl font-semibold">{title}</h1>
        <div className="mt-3 space-y-3 text-sm text-zinc-700">{children}</div>
      </main>
    </div>
  );
}
