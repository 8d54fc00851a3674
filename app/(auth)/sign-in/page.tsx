import type { Metadata } from "next";
import { AuthShell } from "@/components/portal/auth-shell";
import { SignInForm } from "@/components/portal/sign-in-form";
import { getPlatformBranding } from "@/lib/portal/portal-context";

export const metadata: Metadata = { title: "Sign in · Billing", robots: { index: false } };

type Search = Promise<Record<string, string | string[] | undefined>>;

/**
 * Magic-link sign-in of one platform's customers: `/sign-in?platform=plat_…` (add
 * `&mode=test` for test-mode customers). Without a platform there is nobody to look the
 * address up among, so the page explains how to get in instead.
 */
export default async function SignInPage({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  const platformId = typeof search.platform === "string" ? search.platform : "";
  const mode = search.mode === "test" ? "test" : "live";
  const platform = platformId ? await getPlatformBranding(platformId) : null;

  if (!platform) {
    return (
      <AuthShell title={search.expired ? "Your session has ended" : "Sign in to billing"}>
        <p>Open the billing page from the product you use: it signs you in here directly.</p>
        <p className="text-zinc-500">To sign in by email, use the sign-in link your provider gave you (it names the provider).</p>
      </AuthShell>
    );
  }
  return (
    <AuthShell platform={platform} title="Sign in">
      {search.signed_out && <p className="rounded-lg bg-zinc-100 p-2">You are signed out.</p>}
      <p>We will email you a link that signs you in. It works once and expires in 15 minutes.</p>
      <SignInForm platformId={platform.id} mode={mode} />
    </AuthShell>
  );
}
