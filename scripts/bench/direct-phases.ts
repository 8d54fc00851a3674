import type { BenchCustomer } from "./fixtures";
import { ASSET, UNIT_PRICE } from "./fixtures";
import { countError, noErrors, type ErrorCounts, type LatencyFigure, type ThroughputFigure } from "./figures";
import { bursts, paced } from "./pacing";

/**
 * The yardstick: the same charges as the HTTP phases, made by calling `charge()` from
 * lib/ledger in this process against the same database (no HTTP, no auth, no pricing, no
 * usage_events row). Every call has a unique idempotency key; every phase stops launching
 * work at its deadline and waits for what is in flight. `charged` counts successful charges
 * per customer for the balance check.
 */

type Charge = typeof import("@/lib/ledger").charge;

export interface DirectContext {
  charge: Charge;
  /** customer id → successful charges so far (all runs). */
  charged: Map<string, number>;
  /** Unique per phase and run: idempotency keys are `${tag}-${n}`. */
  tag: string;
}

function chargeOnce(ctx: DirectContext, customerId: string, seq: number): Promise<void> {
  return ctx.charge(customerId, {
    idempotencyKey: `${ctx.tag}-${seq}`,
    legs: [{ accountName: "default", asset: ASSET, amount: UNIT_PRICE }],
    metadata: { bench: true },
  }).then(() => {
    ctx.charged.set(customerId, (ctx.charged.get(customerId) ?? 0) + 1);
  });
}

function recordFailure(errors: ErrorCounts, error: unknown): void {
  errors.non200++;
  const name = (error as { code?: unknown } | null)?.code ?? (error instanceof Error ? error.constructor.name : "error");
  countError(errors, String(name));
}

/** (a) Workers each charge one customer `perBatch` times at once (one batch), round robin. */
export async function directBatched(ctx: DirectContext, customers: BenchCustomer[], perBatch: number, workers: number, seconds: number): Promise<ThroughputFigure> {
  const errors = noErrors();
  let ops = 0;
  let seq = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        const customer = customers[next++ % customers.length]!;
        const settled = await Promise.allSettled(Array.from({ length: perBatch }, () => chargeOnce(ctx, customer.id, seq++)));
        for (const s of settled) {
          if (s.status === "fulfilled") ops++;
          else recordFailure(errors, s.reason);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { ops, seconds: elapsed, perSecond: ops / elapsed, errors };
}

/** (b) Workers each charge the one hot customer, one charge at a time. */
export async function directHot(ctx: DirectContext, customer: BenchCustomer, workers: number, seconds: number): Promise<ThroughputFigure> {
  const errors = noErrors();
  let ops = 0;
  let seq = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        try {
          await chargeOnce(ctx, customer.id, seq++);
          ops++;
        } catch (error) {
          recordFailure(errors, error);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { ops, seconds: elapsed, perSecond: ops / elapsed, errors };
}

/**
 * (c) autocannon's overallRate, reproduced: `connections` workers, each sending its share
 * of `rate` back to back at the start of every second (that is how autocannon 9 limits a
 * connection's rate), single charges spread over the customers.
 */
export function directBursts(ctx: DirectContext, customers: BenchCustomer[], rate: number, connections: number, seconds: number): Promise<LatencyFigure> {
  const errors = noErrors();
  return bursts(rate, connections, seconds, (i) => chargeOnce(ctx, customers[i % customers.length]!.id, i), errors, (e) => recordFailure(errors, e));
}

/** (c') Single charges at an even `rate`, spread over the customers. */
export async function directPaced(ctx: DirectContext, customers: BenchCustomer[], rate: number, seconds: number): Promise<LatencyFigure> {
  const errors = noErrors();
  return paced(rate, seconds, (i) => chargeOnce(ctx, customers[i % customers.length]!.id, i), errors, (e) => recordFailure(errors, e));
}
