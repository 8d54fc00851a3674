import http from "node:http";
import https from "node:https";
import Stripe from "stripe";
import { stripeId, type EventObject } from "./objects";

/** One HTTP attempt to deliver one event, as listed by `GET /_emulator/deliveries`. */
export interface DeliveryAttempt {
  id: string;
  event_id: string;
  event_type: string;
  /** `automatic` (on emission, with retries), `redeliver` (with retries), `manual` (ordered, once). */
  trigger: "automatic" | "redeliver" | "manual";
  /** 1-based within its delivery run. */
  attempt: number;
  url: string;
  /** HTTP status of the endpoint's answer; null when it could not be reached or timed out. */
  status: number | null;
  ok: boolean;
  error: string | null;
  /** First 500 characters of the endpoint's answer, to see why an app refused an event. */
  response_body: string | null;
  started_at: string;
  duration_ms: number;
  /** Delay before the next attempt, or null when this was the last one of its run. */
  next_retry_in_ms: number | null;
}

export interface WebhookConfig {
  url: string;
  secret: string;
  attempts: number;
  baseDelayMs: number;
  /** When false, new events are recorded and held until delivered explicitly or resumed. */
  autoDeliver: boolean;
  timeoutMs: number;
}

/**
 * Delivers events to the app's webhook endpoint the way Stripe does: a JSON POST signed
 * with `Stripe-Signature` (made by the SDK's own helper, fresh timestamp per attempt),
 * never on the caller's path (emission returns at once), at least once: retried with
 * exponential backoff (`baseDelayMs`, ×2 per attempt) on a non-2xx answer, a connection
 * failure or a timeout, up to `attempts` attempts per run. Every attempt is logged.
 * Ordering across events is not guaranteed, as with Stripe.
 */
export class WebhookDispatcher {
  readonly log: DeliveryAttempt[] = [];
  private readonly held = new Map<string, EventObject>();
  private readonly waits = new Map<NodeJS.Timeout, () => void>();
  private readonly requests = new Set<http.ClientRequest>();
  private active = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly config: WebhookConfig) {}

  get url(): string {
    return this.config.url;
  }

  get autoDeliver(): boolean {
    return this.config.autoDeliver;
  }

  /** Called for every new event: delivered now in the background, or held while paused. */
  dispatch(event: EventObject): void {
    if (this.config.autoDeliver) this.run(event, "automatic");
    else this.held.set(event.id, event);
  }

  /** Sends an event again (a new run with retries), like "Resend" in Stripe's dashboard. */
  redeliver(event: EventObject): void {
    this.held.delete(event.id);
    this.run(event, "redeliver");
  }

  /**
   * Delivers the given events one after the other, each once, waiting for each answer
   * before sending the next: for tests of out-of-order or duplicate delivery.
   */
  async deliverInOrder(events: EventObject[]): Promise<DeliveryAttempt[]> {
    this.active++;
    try {
      const attempts: DeliveryAttempt[] = [];
      for (const event of events) {
        this.held.delete(event.id);
        attempts.push(await this.attempt(event, "manual", 1, null));
      }
      return attempts;
    } finally {
      this.finishRun();
    }
  }

  /** Changes the endpoint or pauses/resumes automatic delivery; resuming sends held events. */
  configure(changes: { url?: string; autoDeliver?: boolean }): void {
    if (changes.url !== undefined) this.config.url = new URL(changes.url).toString();
    if (changes.autoDeliver !== undefined) this.config.autoDeliver = changes.autoDeliver;
    if (this.config.autoDeliver) {
      const held = [...this.held.values()];
      this.held.clear();
      for (const event of held) this.run(event, "automatic");
    }
  }

  /** Events recorded while automatic delivery was paused and not sent since. */
  heldEventIds(): string[] {
    return [...this.held.keys()];
  }

  /** Resolves once no delivery run is in progress (retries included). */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  clear(): void {
    this.log.length = 0;
    this.held.clear();
  }

  /** Stops retries and aborts requests in flight; nothing is sent afterwards. */
  close(): void {
    this.closed = true;
    for (const [timer, resolve] of this.waits) {
      clearTimeout(timer);
      resolve();
    }
    this.waits.clear();
    for (const request of this.requests) request.destroy(new Error("emulator closed"));
  }

  private run(event: EventObject, trigger: "automatic" | "redeliver"): void {
    this.active++;
    void this.retryLoop(event, trigger).finally(() => this.finishRun());
  }

  private finishRun(): void {
    this.active--;
    if (this.active > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async retryLoop(event: EventObject, trigger: "automatic" | "redeliver"): Promise<void> {
    const { attempts, baseDelayMs } = this.config;
    for (let attempt = 1; attempt <= attempts && !this.closed; attempt++) {
      const delay = attempt < attempts ? baseDelayMs * 2 ** (attempt - 1) : null;
      const result = await this.attempt(event, trigger, attempt, delay);
      if (result.ok) return;
      if (delay !== null) await this.wait(delay);
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waits.delete(timer);
        resolve();
      }, ms);
      this.waits.set(timer, resolve);
    });
  }

  private async attempt(event: EventObject, trigger: DeliveryAttempt["trigger"], attempt: number, retryDelay: number | null): Promise<DeliveryAttempt> {
    const url = this.config.url;
    const payload = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: this.config.secret });
    const startedAt = Date.now();
    const outcome = this.closed
      ? { status: null, body: null, error: "emulator closed" }
      : await this.post(url, payload, signature);
    const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    if (ok) event.pending_webhooks = 0;
    const record: DeliveryAttempt = {
      id: stripeId("whdel"),
      event_id: event.id,
      event_type: event.type,
      trigger,
      attempt,
      url,
      status: outcome.status,
      ok,
      error: outcome.error,
      response_body: outcome.body,
      started_at: new Date(startedAt).toISOString(),
      duration_ms: Date.now() - startedAt,
      next_retry_in_ms: ok || this.closed ? null : retryDelay,
    };
    this.log.push(record);
    return record;
  }

  private post(url: string, payload: string, signature: string): Promise<{ status: number | null; body: string | null; error: string | null }> {
    return new Promise((resolve) => {
      const target = new URL(url);
      const transport = target.protocol === "https:" ? https : http;
      const request = transport.request(
        target,
        {
          method: "POST",
          agent: false,
          timeout: this.config.timeoutMs,
          headers: {
            "Content-Type": "application/json; charset=utf-8",
            "Content-Length": Buffer.byteLength(payload),
            "Stripe-Signature": signature,
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks) drawdown-stripe-emulator",
          },
        },
        (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            if (body.length < 500) body += chunk;
          });
          response.on("end", () => resolve({ status: response.statusCode ?? null, body: body.slice(0, 500), error: null }));
          response.on("error", (error) => resolve({ status: null, body: null, error: error.message }));
        },
      );
      this.requests.add(request);
      request.on("close", () => this.requests.delete(request));
      request.on("timeout", () => request.destroy(new Error(`timed out after ${this.config.timeoutMs} ms`)));
      request.on("error", (error) => resolve({ status: null, body: null, error: error.message }));
      request.end(payload);
    });
  }
}
