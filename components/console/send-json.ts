/** A field's error from a problem-details answer (the API's validation, `errors[]`). */
export interface FieldError {
  field: string;
  message: string;
}

export interface PostResult<T> {
  ok: boolean;
  status: number;
  body: T & { detail?: string; errors?: FieldError[] };
}

/** POST/PATCH JSON to a console route; the answer's problem details come back as is. */
export async function sendJson<T = Record<string, unknown>>(method: "POST" | "PATCH", url: string, body?: unknown): Promise<PostResult<T>> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { detail: text };
  }
  return { ok: response.ok, status: response.status, body: parsed as PostResult<T>["body"] };
}

/** The message for one field, from an answer's `errors[]`. */
export function errorFor(errors: FieldError[] | undefined, field: string): string | undefined {
  return errors?.find((e) => e.field === field || e.field.endsWith(`.${field}`))?.message;
}
