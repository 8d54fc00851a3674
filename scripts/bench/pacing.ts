import type { ErrorCounts, LatencyFigure } from "./figures";
import { percentile, sleep } from "./stats";

/** Latency figures from raw samples (ms), shared by the HTTP and ledger-direct phases. */
export function latencyFigure(latencies: number[], seconds: number, errors: ErrorCounts): LatencyFigure {
  return {
    count: latencies.length,
    seconds,
    achievedRate: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    errors,
  };
}

/**
 * Open-loop pacing shared by the paced phases: `send` is started at t0 + i·(1000/rate) ms
 * whatever earlier calls are doing, and each latency is measured from its scheduled time
 * (so a stall delays the clock of every call it holds up: no coordinated omission).
 */
export async function paced(rate: number, seconds: number, send: (i: number) => Promise<void>, errors: ErrorCounts, onError: (e: unknown) => void): Promise<LatencyFigure> {
  const interval = 1000 / rate;
  const total = Math.floor(rate * seconds);
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const scheduled = started + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await sleep(wait);
    // From the scheduled time when the send is late (the queue shows), from the send itself
    // when a timer fired early (Node timers round to whole ms): never a negative latency.
    const from = Math.max(scheduled, performance.now());
    inFlight.push(
      send(i).then(
        () => void latencies.push(performance.now() - from),
        (error: unknown) => onError(error),
      ),
    );
  }
  await Promise.all(inFlight);
  return latencyFigure(latencies, (performance.now() - started) / 1000, errors);
}

