/** A problem-details answer of a portal route, thrown by fetchJson. */
export class PortalRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The problem's `errors[]`: one message per field, for forms that show them in place. */
    readonly fieldErrors: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** Same-origin JSON for the portal's session routes; the session cookie goes along by itself. */
export async function fetchJson<T>(url: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const response = await fetch(url, {
    method: init?.method ?? "GET",
    headers: init?.body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: "same-origin",
    cache: "no-store",
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as { detail?: string; errors?: { field: string; message: string }[] } | null;
    const detail = problem?.errors?.[0]?.message ?? problem?.detail ?? `Request failed (${response.status})`;
    if (response.status === 401 && typeof window !== "undefined") {
      // A full navigation on purpose: the session is gone, so is every cached portal query.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.href = "/sign-in?expired=1";
    }
    throw new PortalRequestError(response.status, detail, problem?.errors ?? []);
  }
  return (await response.json()) as T;
}
