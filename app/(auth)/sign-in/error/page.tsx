import { AuthShell } from "@/components/portal/auth-shell";

type Search = Promise<Record<string, string | string[] | undefined>>;

const messages: Record<string, { title: string; body: string }> = {
  Verification: { title: "This sign-in link no longer works", body: "Sign-in links work once and expire after 15 minutes. Ask for a new one." },
  RateLimited: { title: "Too many sign-in emails", body: "Wait a few minutes before asking for another link." },
  AccessDenied: { title: "Sign-in refused", body: "This address is not linked to an account." },
  EmailSignin: { title: "The email could not be sent", body: "Check the address and try again." },
};

/** next-auth's error page (pages.error) and the rate limit's. */
export default async function SignInErrorPage({ searchParams }: { searchParams: Search }) {
  const { error } = await searchParams;
  const message = messages[typeof error === "string" ? error : ""] ?? { title: "Sign-in failed", body: "Try again from the start." };
  return (
    <AuthShell title={message.title}>
      <p>{message.body}</p>
    </AuthShell>
  );
}
