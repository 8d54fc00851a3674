import fs from "node:fs/promises";
import path from "node:path";

/**
 * Where the CPU went during a phase, from /proc (Linux): the app server process, the
 * PostgreSQL server (postmaster and its backends) and this process (the load generator and
 * the ledger-direct baseline). In cores: 1.0 is one core busy for the whole phase. On the
 * 2-core benchmark machine this tells a CPU-bound Node process from a waiting one.
 */

export interface CpuShares {
  app: number;
  postgres: number;
  bench: number;
  /**
   * Share of the phase the app's JavaScript thread spent runnable but waiting for a CPU
   * (/proc/<pid>/schedstat). High values mean the machine, not the app, set the pace.
   */
  appWaiting: number;
  /** The same for this process's main thread (load generator, ledger-direct caller). */
  benchWaiting: number;
}

export interface CpuProbe {
  /** Starts a measurement; the returned function ends it. */
  start(): Promise<() => Promise<CpuShares | null>>;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

async function readStat(pid: number): Promise<{ ppid: number; ticks: number } | null> {
  const text = await fs.readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (!text) return null;
  // "pid (comm) state ppid ... utime(14) stime(15) ...": comm may contain spaces.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** Ticks of the postmaster and each of its backends, by pid. */
async function postgresTicks(postmasterPid: number): Promise<Map<number, number>> {
  const entries = await fs.readdir("/proc").catch(() => [] as string[]);
  const ticks = new Map<number, number>();
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = await readStat(pid);
    if (stat && (pid === postmasterPid || stat.ppid === postmasterPid)) ticks.set(pid, stat.ticks);
  }
  return ticks;
}

/**
 * Ticks used between two snapshots: a backend that appeared counts in full; one that
 * exited in between (a pool closed an idle connection) is lost, so this undercounts.
 */
function ticksBetween(before: Map<number, number>, after: Map<number, number>): number {
  let used = 0;
  for (const [pid, ticks] of after) used += ticks - (before.get(pid) ?? 0);
  return used;
}

/** Nanoseconds the thread spent waiting on a run queue (0 when unavailable). */
async function runQueueWaitNs(pid: number): Promise<number> {
  const text = await fs.readFile(`/proc/${pid}/schedstat`, "utf8").catch(() => null);
  const waiting = Number(text?.split(" ")[1]);
  return Number.isFinite(waiting) ? waiting : 0;
}

async function postmasterPid(dataDir: string): Promise<number | null> {
  const text = await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => null);
  const pid = Number(text?.split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

export function cpuProbe(appPid: number | undefined, pgDataDir: string): CpuProbe {
  return {
    async start() {
      const pgPid = await postmasterPid(pgDataDir);
      if (!appPid || !pgPid || !(await readStat(appPid))) return async () => null;
      const t0 = performance.now();
      const bench0 = process.cpuUsage();
      const app0 = (await readStat(appPid))?.ticks ?? 0;
      const pg0 = await postgresTicks(pgPid);
      const appWait0 = await runQueueWaitNs(appPid);
      const benchWait0 = await runQueueWaitNs(process.pid);
      return async () => {
        const seconds = (performance.now() - t0) / 1000;
        const bench = process.cpuUsage(bench0);
        const app1 = (await readStat(appPid))?.ticks ?? app0;
        const pg1 = await postgresTicks(pgPid);
        const appWaiting = (await runQueueWaitNs(appPid)) - appWait0;
        const benchWaiting = (await runQueueWaitNs(process.pid)) - benchWait0;
        return {
          appWaiting: appWaiting / 1e9 / seconds,
          benchWaiting: benchWaiting / 1e9 / seconds,
          app: (app1 - app0) / TICKS_PER_SECOND / seconds,
          postgres: ticksBetween(pg0, pg1) / TICKS_PER_SECOND / seconds,
          bench: (bench.user + bench.system) / 1e6 / seconds,
        };
      };
    },
  };
}
