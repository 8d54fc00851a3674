import { createHash } from "node:crypto";
import { Dec } from "@/lib/money";

/** Canonical JSON: sorted keys, decimals and dates as text, undefined dropped. */
function canonical(value: unknown): unknown {
  if (value instanceof Dec) return value.toFixed();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

/**
 * Identifies a request so that an idempotency key reused with a different request can be
 * told apart from a replay. Numerically equal amounts hash equally (25 and "25.00").
 */
export function hashRequest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(canonical(value))).digest("hex");
}
