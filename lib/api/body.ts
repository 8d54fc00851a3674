import { ApiProblem, problems } from "./problem";

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

/** The raw body, refusing more than `maxBytes` before (Content-Length) and while reading. */
export async function readBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw problems.payloadTooLarge(maxBytes);
  if (!request.body) return new Uint8Array();

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
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
