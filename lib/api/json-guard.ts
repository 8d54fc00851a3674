import { ValidationError } from "@/lib/errors";

/** Deeper JSON than this is refused: no request shape of the API nests more than ~8 levels. */
export const MAX_JSON_DEPTH = 32;

/**
 * Finds what PostgreSQL or the validators cannot take, before anything else reads the value:
 * U+0000 in a string or key (PostgreSQL text and jsonb refuse it, which would surface as a
 * 500) and nesting deeper than MAX_JSON_DEPTH (recursive code further on would overflow
 * the stack). Iterative, so hostile input cannot overflow this check itself.
 */
export function findUnsafeJson(value: unknown): { field: string; message: string } | null {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\u0000")) return { field: path.join("/"), message: "Must not contain the NUL character (U+0000)" };
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (path.length >= MAX_JSON_DEPTH) return { field: path.join("/"), message: `Nested deeper than ${MAX_JSON_DEPTH} levels` };
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: [...path, String(i)] }));
      continue;
    }
    for (const [key, item] of Object.entries(v)) {
      if (key.includes("\u0000")) return { field: [...path, key].join("/"), message: "Keys must not contain the NUL character (U+0000)" };
      stack.push({ value: item, path: [...path, key] });
    }
  }
  return null;
}

/** Throws a 422 naming the field when `findUnsafeJson` finds something. */
export function assertSafeJson(value: unknown, detail: string): void {
  const unsafe = findUnsafeJson(value);
  if (unsafe) throw new ValidationError(detail, [unsafe]);
}
