import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/**
 * App processes for the multi-process tests (the stateless app tier of docs/scaling.md):
 * each runs test/api-server-process.ts (the router the production server uses for
 * /api/v1, over the route sources) on the suite's PostgreSQL, with its own ledger batches.
 */
export interface AppProcess {
  child: ChildProcess;
  url: string;
}

/** Starts one; resolves with its URL once it listens (its stderr's tail in any failure). */
export function startAppProcess(): Promise<AppProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(process.cwd(), "test/api-server-process.ts")], {
    cwd: process.cwd(),
    env: { ...process.env, JOBS_IN_PROCESS: "false", API_RATE_LIMIT: "10000000", DATABASE_POOL_SIZE: "5" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`an app process did not start in time:\n${stderr}`)), 50_000);
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const m = /listening (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`an app process exited (${code}):\n${stderr}`));
    });
  });
}

/** Stops them (SIGTERM) and waits until each has exited. */
export async function stopAppProcesses(apps: readonly AppProcess[]): Promise<void> {
  await Promise.all(
    apps.map(
      (app) =>
        new Promise<void>((resolve) => {
          if (app.child.exitCode !== null) return resolve();
          app.child.once("exit", () => resolve());
          app.child.kill("SIGTERM");
        }),
    ),
  );
}
