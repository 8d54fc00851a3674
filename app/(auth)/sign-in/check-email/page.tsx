import { AuthShell } from "@/components/portal/auth-shell";
import { getPlatformBranding } from "@/lib/portal/portal-context";

type Search = Promise<Record<string, string | string[] | undefined>>;

/** After a magic-link request. Says the same whether or not the address is a customer. */
export default async function CheckEmailPage({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  const platform = typeof search.platform === "string" ? await getPlatformBranding(search.platform) : null;
  const email = typeof search.email === "string" ? search.email : null;
  return (
    <AuthShell platform={platform} title="Check your email">
      <p>
        If {email ? <strong>{email}</strong> : "that address"} belongs to an account{platform ? ` at ${platform.name}` : ""}, a sign-in link is on its
        way. Open it on this device; it expires in 15 minutes.
      </p>
    </AuthShell>
  );
}
