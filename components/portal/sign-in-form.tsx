"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";

const errors: Record<string, string> = {
  RateLimited: "Too many sign-in emails were requested. Wait a few minutes and try again.",
  EmailSignin: "Enter a valid email address.",
};

/**
 * Asks next-auth for a magic link. The platform and mode travel with the address: the
 * route scopes the address to that platform's customers (lib/portal-access/magic-link-request.ts).
 * The answer is the same whether or not the address is a customer.
 */
export function SignInForm({ platformId, mode }: { platformId: string; mode: "live" | "test" }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  return (
    <form
      className="space-y-4"
      onSubmit={async (event) => {
        event.preventDefault();
        setPending(true);
        setError(null);
        const result = await signIn("email", { email, platform: platformId, mode, callbackUrl: "/portal", redirect: false });
        if (result?.ok && !result.error) {
          router.push(`/sign-in/check-email?${new URLSearchParams({ platform: platformId, mode, email })}`);
          return;
        }
        setPending(false);
        setError(errors[result?.error ?? ""] ?? "The sign-in email could not be requested. Try again.");
      }}
    >
      <label className="block text-sm font-medium">
        Email address
        <input
          type="email"
          name="email"
          required
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          className="mt-1 block w-full rounded-lg border border-zinc-300 px-3 py-2"
        />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Sending…" : "Email me a sign-in link"}
      </Button>
    </form>
  );
}
