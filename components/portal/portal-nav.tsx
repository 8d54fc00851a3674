"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const links = [
  { href: "/portal", label: "Overview" },
  { href: "/portal/usage", label: "Usage" },
  { href: "/portal/top-ups", label: "Top-ups & credits" },
  { href: "/portal/top-up", label: "Top up" },
];

export function PortalNav() {
  const pathname = usePathname();
  return (
    <nav className="-mx-4 overflow-x-auto px-4" aria-label="Portal">
      <ul className="flex gap-1 whitespace-nowrap text-sm">
        {links.map((link) => {
          const active = link.href === "/portal" ? pathname === "/portal" : pathname === link.href;
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={active ? "page" : undefined}
                className={`inline-block rounded-lg px-3 py-2 font-medium ${active ? "bg-[var(--brand,#18181b)] text-white" : "text-zinc-700 hover:bg-zinc-100"}`}
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
