import type { Metadata } from "next";
import { ConsoleSignInForm } from "@/components/console/sign-in-form";

export const metadata: Metadata = { title: "Sign in · Console", robots: { index: false } };

/** Operators sign in by email link; a portal session does not count here (another cookie). */
export default function ConsoleSignInPage() {
  return (
    <main className="flex min-h-screen items-center justify-center bg-zinc-50 px-4">
      <div className="w-full max-w-sm space-y-4 rounded-xl border border-zinc-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold">Sign in to the console</h1>
        <ConsoleSignInForm />
      </div>
    </main>
  );
}
