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


/**
 * autocannon's overallRate, reproduced for the baselines: `connections` workers, each
 * sending its share of `rate` back to back at the start of every second (that is how
 * autocannon 9 limits a connection's rate); `send(i)` gets a running number. Latency is
 * timed per call.
 */
export async function bursts(
  rate: number,
  connections: number,
  seconds: number,
  send: (i: number) => Promise<void>,
  errors: ErrorCounts,
  onError: (e: unknown) => void,
): Promise<LatencyFigure> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, i) => {
      const share = Math.floor(rate / connections) + (i < rate % connections ? 1 : 0);
      for (let window = 0; started + window * 1000 < deadline; window++) {
        const windowStart = started + window * 1000;
        if (performance.now() < windowStart) await sleep(windowStart - performance.now());
        for (let k = 0; k < share && performance.now() < deadline; k++) {
          const t0 = performance.now();
          try {
            await send(next++);
            latencies.push(performance.now() - t0);
          } catch (error) {
            onError(error);
          }
        }
      }
    }),
  );
  return latencyFigure(latencies, (performance.now() - started) / 1000, errors);
}
