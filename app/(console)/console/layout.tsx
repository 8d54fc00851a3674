import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ConsoleNav } from "@/components/console/console-nav";
import { ConsoleSignOut } from "@/components/console/console-sign-out";
import { ModeSwitch } from "@/components/console/mode-switch";
import { requireOperator } from "@/app/_server/console-auth";

export const metadata: Metadata = { title: { template: "%s · Console", default: "Console" }, robots: { index: false } };

/**
 * Every console page: signed-in operators only (each page checks again, with the role it
 * needs: a layout does not re-render on every navigation), under a header with the
 * platform, the test/live switch, the sections and sign-out.
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { operator, platform, liveMode } = await requireOperator("read_only");
  return (
    <div className="min-h-screen bg-zinc-50">
      <header className={`border-b bg-white ${liveMode ? "border-zinc-200" : "border-amber-300"}`}>
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
          <div className="flex min-w-0 items-center gap-2">
            <span className="truncate font-semibold" data-testid="console-platform-name">
              {platform.name}
            </span>
            <span className="text-zinc-400">·</span>
            <span className="text-zinc-600">Console</span>
          </div>
          <div className="flex items-center gap-4 text-sm">
            <ModeSwitch liveMode={liveMode} />
            <span className="hidden truncate text-zinc-500 sm:inline" data-testid="console-operator">
              {operator.email} ({operator.role.replace("_", "-")})
            </span>
            <ConsoleSignOut />
          </div>
        </div>
        <div className="mx-auto max-w-6xl px-4 pb-2">
          <ConsoleNav />
        </div>
        {/* Inside the header (a landmark), so axe's `region` rule finds all content in one. */}
        {!liveMode && (
          <p className="bg-amber-100 px-4 py-1 text-center text-xs font-medium text-amber-900">Test mode: you are looking at test data.</p>
        )}
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
