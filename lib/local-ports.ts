/**
 * The ports of a local instance (`npm run dev`, `npm start`, `npm run stripe:emulator`).
 *
 * PORT (the app, default 3000) decides the other two, so a second checkout runs beside
 * the first with one variable (`PORT=3001`): the embedded PostgreSQL listens on
 * PGPORT = 54329 + (PORT − 3000) and the Stripe emulator on
 * STRIPE_EMULATOR_PORT = 12111 + (PORT − 3000). Each can still be set on its own. The
 * runner refuses to start when one of them is taken (scripts/lib/run-app.ts) rather than
 * talk to another instance's database or emulator.
 */

type Environment = Record<string, string | undefined>;

export const DEFAULT_APP_PORT = 3000;
const BASE_PORTS = { PGPORT: 54329, STRIPE_EMULATOR_PORT: 12111 } as const;

export type DerivedPortVariable = keyof typeof BASE_PORTS;

function parsePort(name: string, value: string, min: number): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(port) || port < min || port > 65535) {
    throw new Error(`${name} must be a port number (${min}–65535), got "${value}"`);
  }
  return port;
}

/** The app's port: PORT, default 3000. */
export function appPort(environment: Environment = process.env): number {
  const value = environment.PORT?.trim();
  return value ? parsePort("PORT", value, 1) : DEFAULT_APP_PORT;
}

/**
 * PGPORT or STRIPE_EMULATOR_PORT: the variable when set (the emulator also takes 0, a free
 * port), otherwise its default moved by as much as PORT is from 3000.
 */
export function localPort(name: DerivedPortVariable, environment: Environment = process.env): number {
  const value = environment[name]?.trim();
  if (value) return parsePort(name, value, name === "STRIPE_EMULATOR_PORT" ? 0 : 1);
  const app = appPort(environment);
  const port = BASE_PORTS[name] + (app - DEFAULT_APP_PORT);
  if (port < 1 || port > 65535) {
    throw new Error(`${name} follows PORT (${BASE_PORTS[name]} + PORT − ${DEFAULT_APP_PORT}), which gives ${port} for PORT=${app}: set ${name}`);
  }
  return port;
}

/**
 * Where the app finds the Stripe emulator when STRIPE_EMULATOR_URL is unset: its port as
 * above, on 127.0.0.1. Never throws, since the app reads it even when it uses real Stripe:
 * a PORT that gives no valid emulator port leaves the emulator's own default, 12111.
 * (`npm run dev`/`npm start` always set STRIPE_EMULATOR_URL to the emulator they started.)
 */
export function defaultStripeEmulatorUrl(environment: Environment = process.env): string {
  let port: number = BASE_PORTS.STRIPE_EMULATOR_PORT;
  try {
    port = localPort("STRIPE_EMULATOR_PORT", environment);
  } catch {
    // keep the base port: see above
  }
  return `http://127.0.0.1:${port}`;
}
