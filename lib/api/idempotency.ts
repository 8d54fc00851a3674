import { createHash } from "node:crypto";
import {
  claimIdempotencyKey,
  releaseIdempotencyKey,
  storeIdempotentAnswer,
  type StoredAnswer,
} from "@/lib/idempotency/idempotency-keys";
import type { ApiAuth } from "./auth";
import { DEFAULT_MAX_BODY_BYTES, readBytes } from "./body";
import { ApiProblem, renderProblem } from "./problem";

/** Turns a first answer that holds a secret into the problem its replays answer (route.ts `replayWithoutSecret`). */
export type SecretRedaction = (firstAnswer: Record<string, unknown>) => ApiProblem;

/**
 * Opt-in `Idempotency-Key` request header (Stripe's semantics) for every `apiRoute`
 * write. Keys are scoped to the API key's tenant (platform and mode). The first request
 * with a key claims it; its answer (status and body) is stored with a hash of the request
 * (method, path with query, body bytes), and a repeat of the same request within
 * `RETENTION` gets that answer again, with `Idempotent-Replayed: true`, and writes nothing.
 *
 * - the same key with a different request: 409 `idempotency_key_reused`;
 * - a repeat while the first is still running: 409 `idempotency_key_in_use` with
 *   `Retry-After` (retry with the same key: it will get the stored answer);
 * - a 5xx answer (or a crash) is not stored: the claim is released so a retry runs again;
 * - a claim left in flight longer than `ABANDONED_AFTER` (a process died) may be taken over;
 * - rows older than `RETENTION` may be replaced by a new request and are pruned by the
 *   `prune_idempotency_keys` job.
 * Storage (claim, release, answer, prune) is lib/idempotency/idempotency-keys.ts.
 * Requests without the header, and GET/HEAD, are untouched.
 */
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const REPLAYED_HEADER = "Idempotent-Replayed";
/** Printable ASCII (UUIDs, ULIDs, "order-123:attempt"), at most 255 characters. */
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

const inUse = () =>
  new ApiProblem(
    409,
    "idempotency_key_in_use",
    "A request with this Idempotency-Key is still being processed; retry with the same key shortly to get its answer.",
    [],
    { "Retry-After": "1" },
  );

const reused = () =>
  new ApiProblem(
    409,
    "idempotency_key_reused",
    "This Idempotency-Key was already used with a different request (method, path or body); use a new key for a new request.",
  );

function invalidKey(): ApiProblem {
  return new ApiProblem(422, "validation_error", "The Idempotency-Key header is invalid.", [
    { field: IDEMPOTENCY_HEADER, message: "Must be 1-255 printable ASCII characters" },
  ]);
}

/** Method, path with query and the raw body bytes (read from a clone, under the body limit). */
async function requestHash(request: Request, maxBodyBytes: number): Promise<string> {
  const url = new URL(request.url);
  const body = await readBytes(request.clone(), maxBodyBytes);
  return createHash("sha256")
    .update(`${request.method}\n${url.pathname}${url.search}\n`)
    .update(body)
    .digest("hex");
}

/**
 * Keeps the answer for replays. An answer holding a secret (`withoutSecret`) is kept as the
 * problem that route chose instead: the secret is shown once and never written here.
 */
async function store(auth: ApiAuth, key: string, requestId: string, response: Response, withoutSecret?: SecretRedaction): Promise<void> {
  let body = await response.clone().text();
  let status = response.status;
  let type = response.headers.get("content-type");
  if (withoutSecret && response.ok) {
    const problem = withoutSecret(JSON.parse(body) as Record<string, unknown>);
    const replacement = renderProblem(problem, requestId);
    ({ status } = replacement);
    type = replacement.headers.get("content-type");
    body = await replacement.text();
  }
  await storeIdempotentAnswer(auth, key, { status, type, body });
}

function replay(answer: StoredAnswer, requestId: string): Response {
  return new Response(answer.response_body || null, {
    status: answer.response_status!,
    headers: {
      ...(answer.response_type ? { "Content-Type": answer.response_type } : {}),
      [REPLAYED_HEADER]: "true",
      "X-Request-Id": requestId,
    },
  });
}

/**
 * Runs `execute` (which answers every outcome as a Response, never throws for a client
 * error) under the request's Idempotency-Key, if it sent one.
 */
export async function withIdempotency(
  request: Request,
  auth: ApiAuth,
  requestId: string,
  maxBodyBytes: number | undefined,
  execute: () => Promise<Response>,
  withoutSecret?: SecretRedaction,
): Promise<Response> {
  const key = request.headers.get(IDEMPOTENCY_HEADER);
  if (key === null || request.method === "GET" || request.method === "HEAD") return execute();
  if (!KEY_PATTERN.test(key)) throw invalidKey();

  const hash = await requestHash(request, maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const earlier = await claimIdempotencyKey(auth, key, hash);
  if (earlier) {
    if (earlier.request_hash !== hash) throw reused();
    if (earlier.response_status === null) throw inUse();
    return replay(earlier, requestId);
  }

  let response: Response;
  try {
    response = await execute();
  } catch (error) {
    await releaseIdempotencyKey(auth, key);
    throw error;
  }
  // The handler's answer stands whatever happens to its bookkeeping: a write that
  // committed must not be reported as failed (the client would retry it after the claim
  // is abandoned). An answer that could not be stored leaves the claim unanswered; a
  // retry gets 409 "in use" until ABANDONED_AFTER, as after a crash at this point.
  try {
    if (response.status >= 500) await releaseIdempotencyKey(auth, key);
    else await store(auth, key, requestId, response, withoutSecret);
  } catch (error) {
    console.error(`[idempotency] the answer to ${request.method} ${new URL(request.url).pathname} could not be stored (key kept in use):`, error);
  }
  return response;
}
