import { defineConfig, globalIgnores } from "eslint/config";
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// ---------------------------------------------------------------------------- layers
// The architecture diagram, enforced (docs/ARCHITECTURE.md "Layers: what may import
// what" is this table in words; keep them together). Tests and test harnesses
// (`*.test.ts`, `testing/`) are exempt: they drive the code from the outside.

/** lib/ modules everything in lib/ may import: they import nothing of the domain. */
const FOUNDATION = [
  "env.ts", "db.ts", "ids.ts", "errors.ts", "tenant.ts", "ttl-cache.ts", "local-ports.ts",
  "cache-invalidation.ts", "pagination.ts", "generated", "money", "observability", "http",
];

/**
 * Each domain folder of lib/ and the other domain folders it may import (besides the
 * foundation). Anything not listed is refused, lib/api (the HTTP layer) always: the
 * graph has no cycles, and a new edge is a decision made here.
 */
const DOMAIN = {
  pricing: [],
  // The ledger knows no one: it emits typed events to the listeners registered with it.
  ledger: [],
  // The outbox is the ledger's listener (lib/webhooks/ledger-outbox.ts).
  webhooks: ["ledger"],
  auth: [], // API keys
  idempotency: [],
  stripe: [], // the client only; webhook handling is lib/top-ups/stripe-webhooks
  platforms: [],
  catalog: ["pricing", "webhooks"],
  customers: ["catalog", "webhooks"],
  wallet: ["catalog", "customers", "ledger", "webhooks"],
  // Profitability: vendors stand alone; usage resolves costs' vendors and writes the stats
  // rollups (lib/stats/rollup-facts.ts) in its own flush; stats reads them.
  vendors: [],
  stats: ["catalog", "customers", "vendors"],
  usage: ["catalog", "customers", "ledger", "pricing", "stats", "vendors", "webhooks"],
  "portal-access": ["customers"],
  "top-ups": ["catalog", "customers", "ledger", "portal-access", "stripe", "webhooks"],
  // Saved cards over the Stripe customer; auto top-up and the portal build on them.
  "payment-methods": ["customers", "stripe"],
  portal: ["auto-top-ups", "catalog", "ledger", "payment-methods", "portal-access", "top-ups", "usage", "wallet", "webhooks"],
  // Auto top-up: its settings, the ledger listener that records requests, the job that pays them.
  "auto-top-ups": ["catalog", "customers", "ledger", "payment-methods", "stripe", "top-ups", "webhooks"],
  // Holds: reserved in the ledger's batch, priced like usage events, captured by them.
  holds: ["catalog", "customers", "ledger", "pricing", "usage", "webhooks"],
  // The console's request log: the API wrapper records, the jobs prune, the console reads.
  "request-log": [],
  jobs: ["auto-top-ups", "console", "holds", "idempotency", "request-log", "top-ups", "webhooks"],
  // The operator console: operators, their sessions and audit log, over the API's own
  // domain functions (no second path to the ledger).
  console: [
    "auth", "auto-top-ups", "catalog", "customers", "holds", "ledger", "platforms", "portal-access", "stats",
    "stripe", "top-ups", "usage", "vendors", "wallet", "webhooks",
  ],
};

/** Outside lib/: the HTTP edge and the programs around it. lib/ imports none of it. */
const EDGE = ["app", "server", "components", "scripts", "test", "e2e", "sdk", "proxy.ts", "instrumentation.ts"];

const domainZones = Object.entries(DOMAIN).map(([folder, allowed]) => ({
  target: `./lib/${folder}`,
  from: ["api", ...Object.keys(DOMAIN)].filter((other) => other !== folder && !allowed.includes(other)).map((other) => `./lib/${other}`),
  message: `lib/${folder} may import only the foundation${allowed.length ? ` and lib/{${allowed.join(",")}}` : ""} (eslint.config.mjs, docs/ARCHITECTURE.md "Layers").`,
}));

const layerRules = {
  files: ["lib/**/*.{ts,tsx}"],
  ignores: ["**/*.test.ts", "**/testing/**"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        paths: ["next", "react", "react-dom"].map((name) => ({
          name,
          message: "lib/ is plain TypeScript: Next.js and React belong to the HTTP edge (app/, app/_server/).",
        })),
        patterns: [
          {
            group: ["next/*", "react/*", "react-dom/*"],
            message: "lib/ is plain TypeScript: Next.js and React belong to the HTTP edge (app/, app/_server/).",
          },
        ],
      },
    ],
    "import/no-restricted-paths": [
      "error",
      {
        zones: [
          { target: "./lib", from: EDGE.map((path) => `./${path}`), message: "lib/ never imports the edge (app/, server/, components/, scripts/)." },
          {
            target: FOUNDATION.map((path) => `./lib/${path}`),
            from: ["./lib/api", ...Object.keys(DOMAIN).map((folder) => `./lib/${folder}`)],
            message: "The foundation of lib/ imports no domain folder and not lib/api.",
          },
          ...domainZones,
        ],
      },
    ],
  },
};

/** Components run in the browser too: no server code but the portal's wire types. */
const componentRules = {
  files: ["components/**/*.{ts,tsx}"],
  ignores: ["**/*.test.ts"],
  rules: {
    "import/no-restricted-paths": [
      "error",
      {
        zones: [
          { target: "./components", from: ["./app", "./server"], message: "Components are composed by pages, never the other way." },
          {
            target: "./components",
            from: "./lib",
            except: ["./portal/types.ts"],
            message: "Components get data from pages and the portal's JSON routes; from lib/ only the portal's wire types.",
          },
        ],
      },
    ],
  },
};

export default defineConfig([
  ...nextCoreWebVitals,
  ...nextTypescript,
  globalIgnores([
    ".next/**",
    "out/**",
    "build/**",
    ".data/**",
    "lib/generated/**",
    "sdk/dist/**",
    "sdk/src/generated/**",
    "next-env.d.ts",
    "test-results/**",
    "playwright-report/**",
    "e2e/artifacts/**",
    "**/node_modules/**",
  ]),
  layerRules,
  componentRules,
  {
    rules: {
      // `_`-prefixed arguments and variables are deliberately unused.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
]);
