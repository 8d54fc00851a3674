"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

/** next-auth's sign-out: deletes the session row (portal_sessions) and clears the cookie. */
export function SignOutButton({ afterSignOut }: { afterSignOut: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await signOut({ callbackUrl: afterSignOut });
      }}
      className="text-sm text-zinc-600 underline-offset-2 hover:underline disabled:opacity-50"
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
