import { AuthShell } from "@/components/portal/auth-shell";

/** Where a used, expired or unknown portal link goes when its platform gave no failure_url. */
export default function LinkExpiredPage() {
  return (
    <AuthShell title="This link has expired">
      <p>Billing links work once and only for a few minutes, so this one cannot sign you in again.</p>
      <p>Go back to the product you came from and open its billing page again to get a fresh link.</p>
    </AuthShell>
  );
}
