"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The console's sections. Only finished sections are listed (an unfinished one is not linked). */
export const consoleSections: { href: string; label: string }[] = [
  { href: "/console/overview", label: "Overview" },
  { href: "/console/customers", label: "Customers" },
  { href: "/console/events", label: "Events" },
  { href: "/console/catalog", label: "Catalog" },
  { href: "/console/developers", label: "Developers" },
  { href: "/console/settings", label: "Settings" },
  { href: "/console/team", label: "Team" },
  { href: "/console/audit", label: "Audit log" },
];

export function ConsoleNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className="flex gap-4 overflow-x-auto text-sm">
      {consoleSections.map((section) => {
        const current = pathname === section.href || pathname.startsWith(`${section.href}/`);
        return (
          <Link
            key={section.href}
            href={section.href}
            aria-current={current ? "page" : undefined}
            className={current ? "border-b-2 border-zinc-900 pb-1 font-medium text-zinc-900" : "pb-1 text-zinc-600 hover:text-zinc-900"}
          >
            {section.label}
          </Link>
        );
      })}
    </nav>
  );
}
