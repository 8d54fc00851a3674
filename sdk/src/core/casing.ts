/**
 * camelCase (the SDK) ↔ snake_case (the API), deep through objects and arrays. The values
 * of `PASS_THROUGH_KEYS` are the platform's own objects and cross untouched in both
 * directions, so `data: { input_tokens: 2353 }` reaches the pricing engine as written.
 */
export const PASS_THROUGH_KEYS: ReadonlySet<string> = new Set(["data", "metadata", "dimensions"]);

export function snakeKey(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

export function camelKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function rekey(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => rekey(item, rename));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    const name = rename(key);
    out[name] = PASS_THROUGH_KEYS.has(name) ? inner : rekey(inner, rename);
  }
  return out;
}

/** SDK → API: `{ customerId, destination: { accountName } }` → `{ customer_id, destination: { account_name } }`. */
export function toSnakeCase(value: unknown): unknown {
  return rekey(value, snakeKey);
}

/** API → SDK: the reverse of `toSnakeCase`. */
export function toCamelCase(value: unknown): unknown {
  return rekey(value, camelKey);
}
