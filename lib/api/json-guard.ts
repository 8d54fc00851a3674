import { ValidationError } from "@/lib/errors";

/** Deeper JSON than this is refused: no request shape of the API nests more than ~8 levels. */
export const MAX_JSON_DEPTH = 32;

const NUL = "the NUL character (U+0000)";
const LONE_SURROGATE = "an unpaired UTF-16 surrogate (U+D800 to U+DFFF)";

/** ES2024's String.prototype.isWellFormed (Node 20+; the project's TypeScript lib is ES2023). */
function isWellFormed(value: string): boolean {
  return (value as string & { isWellFormed(): boolean }).isWellFormed();
}

function stringProblem(value: string): string | null {
  if (value.includes("\u0000")) return NUL;
  if (!isWellFormed(value)) return LONE_SURROGATE;
  return null;
}

/**
 * Finds what PostgreSQL or the validators cannot take, before anything else reads the value:
 * U+0000 in a string or key and an unpaired UTF-16 surrogate (`"\ud800"` is valid JSON,
 * but a lone surrogate has no UTF-8 form, so PostgreSQL text and jsonb refuse both, which
 * would surface as a 500, for a batch of events as a whole), and nesting deeper than
 * MAX_JSON_DEPTH (recursive code further on would overflow the stack). Iterative, so
 * hostile input cannot overflow this check itself.
 */
export function findUnsafeJson(value: unknown): { field: string; message: string } | null {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === "string") {
      const problem = stringProblem(v);
      if (problem) return { field: path.join("/"), message: `Must not contain ${problem}` };
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (path.length >= MAX_JSON_DEPTH) return { field: path.join("/"), message: `Nested deeper than ${MAX_JSON_DEPTH} levels` };
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: [...path, String(i)] }));
      continue;
    }
    for (const [key, item] of Object.entries(v)) {
      const problem = stringProblem(key);
      // The reply may name the key: JSON.stringify writes a lone surrogate as a `\ud800` escape.
      if (problem) return { field: [...path, key].join("/"), message: `Keys must not contain ${problem}` };
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
