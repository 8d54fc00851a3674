"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "./send-json";

/** Ends the console session (operator_sessions row and cookie); the portal's session is another cookie. */
export function ConsoleSignOut() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      className="text-sm text-zinc-600 underline-offset-2 hover:underline disabled:opacity-50"
      onClick={async () => {
        setPending(true);
        await sendJson("POST", "/api/console/sign-out");
        router.replace("/console/sign-in");
        router.refresh();
      }}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
