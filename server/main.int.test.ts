import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PRODUCTION_SERVER_ARGS } from "@/scripts/lib/production-server";

/**
 * The production server run without the runner (a container's `node --import tsx
 * server/main.ts`): it refuses to start without a Stripe mode before it loads Next.js or
 * listens. (Starting it needs a build: e2e/lifecycle.spec.ts.)
 */

const ROOT = path.resolve(import.meta.dirname, "..");

function runServer(extra: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", ...extra };
  for (const name of ["STRIPE_MODE", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]) if (!(name in extra)) delete env[name];
  const child = spawn(process.execPath, PRODUCTION_SERVER_ARGS, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

describe("server/main.ts's Stripe mode", () => {
  it("refuses to start with neither Stripe keys nor STRIPE_MODE=emulator", async () => {
    const { code, output } = await runServer({});
    expect(code).toBe(1);
    expect(output).toMatch(/\[server\] failed to start: .*Stripe is not configured\. Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/);
    expect(output).not.toMatch(/Ready in/);
  }, 60_000);

  it("refuses STRIPE_MODE=emulator beside a secret key", async () => {
    const { code, output } = await runServer({ STRIPE_MODE: "emulator", STRIPE_SECRET_KEY: "sk_live_x", STRIPE_WEBHOOK_SECRET: "whsec_x" });
    expect(code).toBe(1);
    expect(output).toMatch(/STRIPE_MODE=emulator and STRIPE_SECRET_KEY are both set/);
  }, 60_000);
});
