/**
 * POSTs JSON to a console route. A success answers its JSON as `data`; a refusal its
 * problem details' `detail` as `message` and its `errors[]` (the API's own validation) as
 * one message per field.
 */
export type PostJsonResult<T> = { ok: true; data: T } | { ok: false; message: string; errors: Record<string, string> };

export async function postJson<T>(url: string, body: unknown): Promise<PostJsonResult<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.ok) return { ok: true, data: parsed as T };
  const problem = (parsed ?? {}) as { detail?: string; title?: string; errors?: { field: string; message: string }[] };
  const errors: Record<string, string> = {};
  for (const e of problem.errors ?? []) errors[e.field] ??= e.message;
  return { ok: false, message: problem.detail ?? problem.title ?? `The request failed (${response.status}).`, errors };
}
