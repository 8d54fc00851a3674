import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { CSSProperties, ReactNode } from "react";
import { PortalNav } from "@/components/portal/portal-nav";
import { QueryProvider } from "@/components/portal/query-provider";
import { SignOutButton } from "@/components/portal/sign-out-button";
import { requirePortalCustomer } from "@/app/_server/portal-auth";
import { getPortalContext, platformSignInPath } from "@/lib/portal/portal-context";

export const metadata: Metadata = { title: "Billing", robots: { index: false } };

/** Every portal page: signed-in customers only, in their platform's name, colour and logo. */
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const session = await requirePortalCustomer();
  const context = await getPortalContext(session).catch(() => null);
  if (!context) redirect("/sign-in");
  const { platform, customer, returnUrl, liveMode } = context;
  return (
    <div style={{ "--brand": platform.brandColor } as CSSProperties} className="min-h-screen bg-zinc-50">
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex max-w-4xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
          <div className="flex min-w-0 items-center gap-2">
            {platform.logoUrl ? (
              // The platform's own image, loaded by the browser (never fetched by the server); a plain <img>: next/image would proxy it.
              // eslint-disable-next-line @next/next/no-img-element
              <img src={platform.logoUrl} alt={`${platform.name} logo`} className="h-7 w-auto max-w-32 shrink-0 object-contain" referrerPolicy="no-referrer" data-testid="platform-logo" />
            ) : (
              <span aria-hidden className="h-3 w-3 shrink-0 rounded-full bg-[var(--brand)]" />
            )}
            <span className="truncate font-semibold" data-testid="platform-name">
              {platform.name}
            </span>
            <span className="text-zinc-400">·</span>
            <span className="text-zinc-600">Billing</span>
            {!liveMode && <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800">Test mode</span>}
          </div>
          <div className="flex items-center gap-4 text-sm">
            <span className="hidden truncate text-zinc-500 sm:inline">{customer.email ?? customer.name}</span>
            {returnUrl && (
              <a href={returnUrl} className="font-medium text-[var(--brand)] hover:underline" data-testid="return-link">
                ← Back to {platform.name}
              </a>
            )}
            <SignOutButton afterSignOut={`${platformSignInPath(platform.id, liveMode)}&signed_out=1`} />
          </div>
        </div>
        <div className="mx-auto max-w-4xl px-4 pb-2">
          <PortalNav />
        </div>
      </header>
      <QueryProvider>
        <main className="mx-auto max-w-4xl px-4 py-6">{children}</main>
      </QueryProvider>
    </div>
  );
}
