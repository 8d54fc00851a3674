import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Drawdown",
  description: "Self-hosted prepaid-wallet billing for AI products",
};

/**
 * Every page is rendered per request: its scripts carry the nonce of that request's
 * Content-Security-Policy (proxy.ts), which a page prerendered at build time cannot.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-white text-zinc-900 antialiased">{children}</body>
    </html>
  );
}
