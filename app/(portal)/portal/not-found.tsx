import Link from "next/link";
import { Card } from "@/components/ui/card";

/** A portal id that is not the signed-in customer's (or does not exist): the same answer. */
export default function PortalNotFound() {
  return (
    <Card>
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-zinc-700">There is nothing here for your account.</p>
      <Link href="/portal" className="mt-4 inline-block text-sm font-medium text-[var(--brand,#18181b)] underline">
        Back to overview
      </Link>
    </Card>
  );
}
