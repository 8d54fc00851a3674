"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "./send-json";

/** Test / live, always in the header (as Stripe's): a cookie the server reads on every page and route. */
export function ModeSwitch({ liveMode }: { liveMode: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className={liveMode ? "font-medium text-emerald-700" : "font-medium text-amber-700"} data-testid="console-mode">
        {liveMode ? "Live mode" : "Test mode"}
      </span>
      <input
        type="checkbox"
        role="switch"
        aria-label="Live mode"
        checked={liveMode}
        disabled={pending}
        className="h-4 w-4"
        onChange={async (event) => {
          setPending(true);
          await sendJson("POST", "/api/console/mode", { live: event.target.checked });
          setPending(false);
          router.refresh();
        }}
      />
    </label>
  );
}
