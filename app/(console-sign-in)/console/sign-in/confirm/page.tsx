import type { Metadata } from "next";
import { ConsoleConfirmButton } from "@/components/console/sign-in-form";

export const metadata: Metadata = { title: "Confirm sign-in · Console", robots: { index: false } };

type Search = Promise<Record<string, string | string[] | undefined>>;

/**
 * Where the emailed link lands. Opening it uses nothing up (mail scanners fetch links):
 * the button POSTs the token to /api/console/sign-in/confirm.
 */
export default async function ConsoleConfirmPage({ searchParams }: { searchParams: Search }) {
  const token = (await searchParams).token;
  return (
    <main className="flex min-h-screen items-center justify-center bg-zinc-50 px-4">
      <div className="w-full max-w-sm space-y-4 rounded-xl border border-zinc-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold">Confirm sign-in</h1>
        {typeof token === "string" && token ? (
          <ConsoleConfirmButton token={token} />
        ) : (
          <p>
            This link is incomplete. <a href="/console/sign-in" className="underline">Ask for a new one</a>.
          </p>
        )}
      </div>
    </main>
  );
}
