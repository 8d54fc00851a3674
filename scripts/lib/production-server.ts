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
  // A 128 MB semi-space (the default is 16): every request allocates its parsed body,
  // prices and answers, and the scavenger's cost follows how often it runs. Under batched
  // ingestion it took 12–13% of the app's CPU with the default, 15% with 64 MB and 9% with
  // 128 MB at 24,000 events/s, where 128 MB also cut the app's CPU per event by a tenth
  // (`npm run bench:profile -- --phase a`, docs/benchmarks.md). It costs memory: the young
  // generation can grow to three semi-spaces (~384 MB).
  "--max-semi-space-size=128",
  "--import",
  "tsx",
  path.join(ROOT, "server/main.ts"),
];

/** The line the server prints once it accepts requests. */
export const READY_LINE = /\[server\] Ready in\b/;
