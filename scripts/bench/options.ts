import { parseArgs } from "node:util";

/** What one `npm run bench` does; every knob has a default that matches docs/benchmarks.md. */
export interface BenchOptions {
  /** Seconds each measured phase runs. */
  duration: number;
  /** Measurement rounds over the same server; the table shows medians. */
  runs: number;
  /** Skip `next build` even when .next/BUILD_ID is missing or older than the sources. */
  build: boolean;
  /** DATABASE_POOL_SIZE for the app and for the ledger-direct baseline (the app's default). */
  poolSize: number;
  /** Customers of the batched-ingestion phase (a). */
  customers: number;
  /** Events per request in phase (a). */
  eventsPerRequest: number;
  /** Concurrent connections (HTTP) / workers (ledger-direct) in phase (a). */
  batchConnections: number;
  /** Concurrent connections / workers on the one hot wallet, phase (b). */
  hotConnections: number;
  /** Requests per second of phase (c). */
  rate: number;
  /** autocannon connections sharing that rate in phase (c). */
  rateConnections: number;
  /** Every HTTP event carries one vendor cost (`events[].costs`), to measure what costs add. */
  costs: boolean;
  /** Writes the raw figures of every run as JSON. */
  json?: string;
  /** Connect over 127.0.0.1 instead of the embedded server's Unix socket (what `npm start` uses). */
  tcp: boolean;
  /** Runs the app server under `node --cpu-prof`, writing its profile (on exit) into this folder. */
  appCpuProf?: string;
}

export const usage = `Usage: npm run bench -- [--duration 10] [--runs 1] [--no-build] [--pool-size 10]
       [--customers 1000] [--events-per-request 100] [--batch-connections 16]
       [--hot-connections 32] [--rate 200] [--rate-connections 10] [--costs] [--json out.json]
       [--tcp] [--app-cpu-prof DIR]`;

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer (got ${raw})`);
  return n;
}

/** Parses argv; throws with a message for the user on anything it does not understand. */
export function parseBenchOptions(argv: string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      duration: { type: "string" },
      runs: { type: "string" },
      "no-build": { type: "boolean", default: false },
      "pool-size": { type: "string" },
      customers: { type: "string" },
      "events-per-request": { type: "string" },
      "batch-connections": { type: "string" },
      "hot-connections": { type: "string" },
      rate: { type: "string" },
      "rate-connections": { type: "string" },
      costs: { type: "boolean", default: false },
      json: { type: "string" },
      "app-cpu-prof": { type: "string" },
      tcp: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return "help";
  const options: BenchOptions = {
    duration: positiveInt("duration", values.duration, 10),
    runs: positiveInt("runs", values.runs, 1),
    build: !values["no-build"],
    poolSize: positiveInt("pool-size", values["pool-size"], 10),
    customers: positiveInt("customers", values.customers, 1000),
    eventsPerRequest: positiveInt("events-per-request", values["events-per-request"], 100),
    batchConnections: positiveInt("batch-connections", values["batch-connections"], 16),
    hotConnections: positiveInt("hot-connections", values["hot-connections"], 32),
    rate: positiveInt("rate", values.rate, 200),
    rateConnections: positiveInt("rate-connections", values["rate-connections"], 10),
    costs: values.costs,
    ...(values.json ? { json: values.json } : {}),
    tcp: values.tcp!,
    ...(values["app-cpu-prof"] ? { appCpuProf: values["app-cpu-prof"] } : {}),
  };
  if (options.eventsPerRequest > 1000) throw new Error("--events-per-request is at most 1000 (the API's limit)");
  if (options.duration > 300) throw new Error("--duration is at most 300 seconds");
  if (options.runs > 10) throw new Error("--runs is at most 10");
  return options;
}
