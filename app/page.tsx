import Link from "next/link";

/** Placeholder home page; the billing portal lives under its own routes. */
export default function HomePage() {
  return (
    <main className="mx-auto max-w-2xl px-6 py-16">
      <h1 className="text-3xl font-semibold">Drawdown</h1>
      <p className="mt-3 text-zinc-600">Self-hosted prepaid-wallet billing for AI products.</p>
      <p className="mt-6">
        <Link href="/docs" className="text-indigo-700 hover:underline">
          API reference
        </Link>
      </p>
    </main>
  );
}
