import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * How `npm start`, the e2e suite and the benchmark run the production server
 * (server/main.ts) on a `next build`: Node with tsx (the server is TypeScript; the route
 * handlers it serves are the build's compiled ones), from the project root. It prints `[server] Ready in … ms` once it
 * listens. Pass the port and host through the environment (PORT, HOST) with
 * NODE_ENV=production.
 */
export const PRODUCTION_SERVER_ARGS = [
  // A 64 MB young generation (the default is 16): every request allocates its parsed body,
  // prices and answers, and with the default the scavenger took 12–13% of the app's CPU under
  // batched ingestion against 7–8% with this (`npm run bench:profile`, docs/benchmarks.md).
  "--max-semi-space-size=64",
  "--import",
  "tsx",
  path.join(ROOT, "server/main.ts"),
];

/** The line the server prints once it accepts requests. */
export const READY_LINE = /\[server\] Ready in\b/;
