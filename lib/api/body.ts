import { ApiProblem, problems, renderProblem } from "./problem";
import { newRequestId } from "./request-id";

/** Default request body limit; a route raises it with `maxBodyBytes` (POST /events: 5 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Content-Type rule: `application/json` (any parameters, e.g. charset) or a `+json` type is
 * read as JSON; any other declared type is refused with 415. A request with no
 * Content-Type at all is still parsed as JSON, because `curl -d '{…}'` users forget the
 * header more often than they mean anything else (curl's default is form encoding, which
 * it does set explicitly, and that is refused).
 */
function checkContentType(headers: Headers): void {
  const raw = headers.get("content-type");
  if (raw === null || raw.trim() === "") return;
  const mediaType = raw.split(";")[0]!.trim().toLowerCase();
  if (mediaType === "application/json" || /^application\/[\w.+-]+\+json$/.test(mediaType)) return;
  throw problems.unsupportedMediaType(mediaType);
}

/** 413 when the request's Content-Length already says it is over `maxBytes`. */
export function assertDeclaredLength(request: Request, maxBytes: number): void {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw problems.payloadTooLarge(maxBytes);
}

/**
 * The raw body, refusing more than `maxBytes` before (Content-Length) and while reading: a
 * chunked body is read no further than the chunk that passes the limit. The rest is left
 * unread, not cancelled: under Next.js cancelling the stream destroys the socket before the
 * 413 is written. The 413 says `Connection: close`, and the server closes the connection
 * once the answer is out (server/api-router.ts `closeWhenAnswered`).
 */
export async function readBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  assertDeclaredLength(request, maxBytes);
  if (!request.body) return new Uint8Array();

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.releaseLock();
      throw problems.payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Marks a request that carried no body at all (as opposed to a JSON `null`). */
export const EMPTY_BODY = Symbol("empty body");

/**
 * Reads a JSON request body: 415 for a non-JSON content type, 413 over `maxBytes`,
 * 400 for bytes that are not UTF-8 JSON. Returns `EMPTY_BODY` for an empty body.
 */
export async function readJsonBody(request: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  checkContentType(request.headers);
  const bytes = await readBytes(request, maxBytes);
  let text: string;
  try {
    // fatal: invalid UTF-8 is an error, not silently replaced; a leading BOM is dropped.
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw problems.malformedJson("The request body is not valid UTF-8.");
  }
  if (text.trim() === "") return EMPTY_BODY;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof SyntaxError ? `: ${error.message}` : ".";
    throw problems.malformedJson(`The request body is not valid JSON${reason}`);
  }
}

export function bodyRequired(): ApiProblem {
  return problems.malformedJson("This endpoint needs a JSON request body.");
}

/** The body as text (UTF-8, invalid bytes replaced, as `Request.text()`), at most `maxBytes`. */
export async function readTextBody(request: Request, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readBytes(request, maxBytes));
}

/** A route handler that declares its body limit, so server/api-router.ts buffers no more. */
export type BodyLimitedHandler<R extends Request, A extends unknown[]> = ((request: R, ...rest: A) => Promise<Response>) & {
  maxBodyBytes: number;
};

/**
 * Wraps a route handler that is not an `apiRoute` (the Stripe webhook, sign-in, next-auth)
 * with a body limit: a Content-Length over `maxBytes` is a 413 before the handler runs, and
 * a 413 the handler's own `readBytes`/`readTextBody` throws while reading is answered as a
 * problem too. The limit is kept on the function as `maxBodyBytes` for the router.
 */
export function withBodyLimit<R extends Request, A extends unknown[]>(
  maxBytes: number,
  handler: (request: R, ...rest: A) => Promise<Response>,
): BodyLimitedHandler<R, A> {
  const limited = async (request: R, ...rest: A): Promise<Response> => {
    try {
      assertDeclaredLength(request, maxBytes);
      return await handler(request, ...rest);
    } catch (error) {
      if (error instanceof ApiProblem) return renderProblem(error, newRequestId());
      throw error;
    }
  };
  return Object.assign(limited, { maxBodyBytes: maxBytes });
}
