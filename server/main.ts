import http from "node:http";
import path from "node:path";
import next from "next";
import { env } from "@/lib/env";
import { stampPeerAddress } from "@/lib/http/client-address";
import { BASELINE_SECURITY_HEADERS, strictTransportSecurity } from "@/lib/http/security-headers";
import { defaultStripeEmulatorUrl } from "@/lib/local-ports";
import { routeConsoleToJsonLogs } from "@/lib/observability/logger";
import { timeResponse } from "@/lib/observability/metrics";
import { flushRequestLogOnExit } from "@/lib/request-log/flush-on-exit";
import { decideStripeMode, describeStripeMode } from "@/lib/stripe/stripe-mode";
import { closeWhenAnswered, createApiRouter, isRouteMethod, type ApiRouter } from "./api-router";

/**
 * The production HTTP server (`npm start`, the e2e suite and the benchmark run it on a
 * `next build`): one Node server in which `/api/v1/*` goes straight to the route handlers
 * (server/api-router.ts) and everything else (portal, sign-in, docs, assets, the Stripe
 * webhook, next-auth) to Next.js's own request handler. `npm run dev` keeps `next dev`,
 * which serves the same route files through Next.js.
 *
 * Environment: PORT (default 3000), HOST (default 127.0.0.1), and the app's own variables;
 * Stripe's keys or STRIPE_MODE=emulator are required (lib/stripe/stripe-mode.ts: it refuses
 * to start without one, rather than take top-ups through an emulator nobody chose);
 * METRICS_PORT serves Prometheus metrics on a port of its own (lib/observability), and
 * LOG_FORMAT=json makes every line this process prints, Next.js's included, a JSON object.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
/** The route modules `next build` compiled: the router serves these, not the sources. */
const BUILT_APP = path.join(ROOT, ".next/server/app");
const API_PREFIX = "/api/v1/";
const STOP_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.HOST ?? "127.0.0.1";
  const started = Date.now();
  routeConsoleToJsonLogs();
  const stripe = decideStripeMode(process.env);
  if (stripe.kind === "refused") throw new Error(stripe.reason);
  console.log(`[server] ${describeStripeMode(stripe, process.env.STRIPE_EMULATOR_URL || defaultStripeEmulatorUrl())}`);
  // Before Next.js loads, so the build's lib/ finds the metrics on (lib/observability/metrics.ts).
  // Imported only when asked for: the metrics server reads the database, and so loads
  // lib/db.ts from source, a copy of lib/ next to the build's (GET /api/ready's module_graphs).
  if (env().METRICS_PORT) {
    const { startMetricsServerFromEnv } = await import("@/lib/observability/metrics-server");
    const metricsServer = await startMetricsServerFromEnv();
    if (metricsServer) console.log(`[server] Metrics on ${metricsServer.url}`);
  }

  const app = next({ dev: false, dir: ROOT, hostname, port });
  const nextHandler = app.getRequestHandler();
  await app.prepare();
  // The build's compiled route modules, which Next.js's own routes share a runtime with: one
  // copy of lib/ for the API, the portal's routes and the Stripe webhook (docs/ARCHITECTURE.md).
  const api = await createApiRouter(BUILT_APP, API_PREFIX, { built: true });

  // Next.js answers a method no route file can export (PROPFIND) with an empty 400; under
  // /api that is a 405 problem with the path's Allow (or a 404), from the route files read
  // by a router of their own, loaded on first use.
  let otherMethods: Promise<ApiRouter> | undefined;
  // On every answer (Next.js repeats the first two for its own; /api/v1 never reaches it).
  const hsts = strictTransportSecurity(env().APP_URL);
  const answerHeaders = [...BASELINE_SECURITY_HEADERS, ...(hsts ? [{ key: "Strict-Transport-Security", value: hsts }] : [])];
  const server = http.createServer((req, res) => {
    for (const { key, value } of answerHeaders) res.setHeader(key, value);
    if (req.url?.startsWith(API_PREFIX)) {
      // Balances and keys are per caller: no cache keeps them unless a route says otherwise.
      res.setHeader("Cache-Control", "no-store");
      void api.handle(req, res);
      return;
    }
    if (req.url?.startsWith("/api/")) {
      if (!isRouteMethod(req.method)) {
        otherMethods ??= createApiRouter(BUILT_APP, "/api/", { built: true });
        otherMethods.then((router) => router.handle(req, res)).catch((error: unknown) => {
          console.error("[server] loading the route files failed:", error);
          res.writeHead(500).end();
        });
        return;
      }
      // The routes' body limits leave the rest of a large body unread (lib/api/body.ts).
      closeWhenAnswered(req, res);
    }
    // One label for all of Next.js's routes: their paths hold tokens and ids.
    timeResponse(res, "next", isRouteMethod(req.method) ? req.method! : "other");
    // The client's address for Next.js's routes (the magic-link limit): the socket's, not
    // a header the client chose (lib/http/client-address.ts).
    stampPeerAddress(req);
    nextHandler(req, res).catch((error: unknown) => {
      // Next.js answers its own errors; this is the last resort, so the process stays up.
      console.error("[server] Next.js request handler failed:", error);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("Internal Server Error");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => resolve());
  });
  console.log(`[server] Ready in ${Date.now() - started} ms on http://${hostname}:${port}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`[server] ${signal}: closing`);
    // Stop accepting, let answers in flight finish, then leave (bounded).
    setTimeout(() => process.exit(0), STOP_TIMEOUT_MS).unref();
    server.close(() => {
      // The request log's last second of rows (lib/request-log), then Next.js.
      void flushRequestLogOnExit()
        .catch(() => undefined)
        .then(() => app.close())
        .finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error("[server] failed to start:", error);
  process.exit(1);
});
