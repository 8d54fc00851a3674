import { invalidParam, missingParam, unknownParam } from "./errors";

/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` (POST body) or a query
 * string (GET), with nested keys in brackets (`metadata[top_up_id]=…`,
 * `line_items[0][price_data][unit_amount]=2000`, `expand[]=payment_intent`). Parsed into
 * plain objects; an object whose keys are exactly 0..n-1 becomes an array.
 */
export type Param = string | Params | Param[];
export interface Params {
  [key: string]: Param;
}

const forbiddenKeys = new Set(["__proto__", "constructor", "prototype"]);

export function parseParams(encoded: string): Params {
  const root: Params = {};
  for (const [rawKey, value] of new URLSearchParams(encoded)) {
    const path = splitKey(rawKey);
    let node: Params = root;
    path.forEach((segment, i) => {
      const key = segment === "" ? String(Object.keys(node).length) : segment;
      if (forbiddenKeys.has(key)) throw invalidParam(rawKey, `Invalid parameter name: ${rawKey}`);
      if (i === path.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      if (next === undefined || typeof next === "string" || Array.isArray(next)) node[key] = {};
      node = node[key] as Params;
    });
  }
  return arraysFromIndexedObjects(root) as Params;
}

/** `a[b][0]` → `["a", "b", "0"]`; `a[]` → `["a", ""]`. */
function splitKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open <= 0 || !key.endsWith("]")) return [key];
  return [key.slice(0, open), ...key.slice(open + 1, -1).split("][")];
}

function arraysFromIndexedObjects(value: Param): Param {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted: Params = {};
  for (const k of keys) converted[k] = arraysFromIndexedObjects(value[k] as Param);
  const isList = keys.length > 0 && keys.every((k, i) => k === String(i));
  return isList ? keys.map((k) => converted[k] as Param) : converted;
}

/** Rejects parameters the emulator does not know, like Stripe's `parameter_unknown`. */
export function assertKnownParams(params: Params, known: readonly string[], prefix = ""): void {
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) throw unknownParam(prefix ? `${prefix}[${key}]` : key);
  }
}

export function optionalString(params: Params, key: string, path = key): string | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidParam(path, `Invalid string: ${path} must be a string`);
  return value === "" ? undefined : value;
}

export function requiredString(params: Params, key: string, path = key): string {
  const value = optionalString(params, key, path);
  if (value === undefined) throw missingParam(path);
  return value;
}

export function optionalInteger(params: Params, key: string, path = key): number | undefined {
  const value = optionalString(params, key, path);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw invalidParam(path, `Invalid integer: ${value}`, "parameter_invalid_integer");
  }
  return Number(value);
}

export function requiredInteger(params: Params, key: string, path = key): number {
  const value = optionalInteger(params, key, path);
  if (value === undefined) throw missingParam(path);
  return value;
}

export function optionalObject(params: Params, key: string, path = key): Params | undefined {
  const value = params[key];
  if (value === undefined || value === "") return undefined;
  if (typeof value === "string" || Array.isArray(value)) throw invalidParam(path, `Invalid object: ${path}`);
  return value;
}

export function optionalList(params: Params, key: string, path = key): Param[] | undefined {
  const value = params[key];
  if (value === undefined || value === "") return undefined;
  if (!Array.isArray(value)) throw invalidParam(path, `Invalid array: ${path}`);
  return value;
}

/**
 * Stripe's metadata rules: at most 50 keys, keys up to 40 characters, string values up to
 * 500 characters; an empty value unsets the key (so it is dropped here).
 */
export function optionalMetadata(params: Params, key: string, path = key): Record<string, string> {
  const raw = optionalObject(params, key, path);
  const metadata: Record<string, string> = {};
  if (!raw) return metadata;
  const entries = Object.entries(raw);
  if (entries.length > 50) throw invalidParam(path, "Metadata can have at most 50 keys.");
  for (const [k, v] of entries) {
    if (typeof v !== "string") throw invalidParam(`${path}[${k}]`, `Invalid string: ${path}[${k}]`);
    if (k.length > 40) throw invalidParam(`${path}[${k}]`, "Metadata keys can be at most 40 characters long.");
    if (v.length > 500) throw invalidParam(`${path}[${k}]`, "Metadata values can be at most 500 characters long.");
    if (v !== "") metadata[k] = v;
  }
  return metadata;
}

/** `expand[]` / `expand[0]` paths such as `payment_intent` or `payment_intent.latest_charge`. */
export function expandPaths(params: Params): string[] {
  const list = optionalList(params, "expand") ?? [];
  return list.map((item, i) => {
    if (typeof item !== "string") throw invalidParam(`expand[${i}]`, "Invalid expand path");
    return item;
  });
}
