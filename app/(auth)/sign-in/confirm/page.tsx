import { AuthShell } from "@/components/portal/auth-shell";
import { Button } from "@/components/ui/button";
import { parseIdentity } from "@/lib/portal-access/magic-link-identity";
import { getPlatformBranding } from "@/lib/portal/portal-context";

type Search = Promise<Record<string, string | string[] | undefined>>;

/**
 * Where the emailed link lands. Opening it changes nothing: the button posts to
 * /api/sign-in/confirm, which continues to next-auth's callback, which uses the token.
 * Mail scanners that fetch links therefore cannot use the link up.
 */
export default async function ConfirmSignInPage({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  const field = (name: string) => (typeof search[name] === "string" ? (search[name] as string) : "");
  const identity = parseIdentity(field("email"));
  const platform = identity ? await getPlatformBranding(identity.platformId) : null;
  if (!identity || !field("token")) {
    return (
      <AuthShell title="This link is incomplete">
        <p>Open the link from the email again, or ask for a new one.</p>
      </AuthShell>
    );
  }
  return (
    <AuthShell platform={platform} title="Confirm sign-in">
      <p>
        Sign in as <strong>{identity.email}</strong>?
      </p>
      <form method="post" action="/api/sign-in/confirm">
        <input type="hidden" name="token" value={field("token")} />
        <input type="hidden" name="email" value={field("email")} />
        <input type="hidden" name="callbackUrl" value={field("callbackUrl") || "/portal"} />
        <Button type="submit" className="w-full">
          Sign in
        </Button>
      </form>
    </AuthShell>
  );
}
