import type { OpenApiDocument } from "./openapi";

/**
 * The OpenAPI document flattened for the /docs page: endpoints grouped by tag, each
 * schema as rows of dotted field paths (`prices[].pricing[].asset`). Pure, no React.
 */
export interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

export interface ResponseView {
  status: string;
  description: string;
  fields: FieldRow[];
}

export interface EndpointView {
  method: string;
  path: string;
  summary: string;
  description?: string;
  authenticated: boolean;
  parameters: (FieldRow & { in: string })[];
  body: FieldRow[];
  responses: ResponseView[];
}

export interface TagView {
  tag: string;
  endpoints: EndpointView[];
}

type Json = Record<string, unknown>;
const MAX_DEPTH = 12;
const methods = ["get", "post", "put", "patch", "delete"] as const;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function resolve(schema: unknown, doc: OpenApiDocument): Json {
  if (!isObject(schema)) return {};
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  const name = ref.replace("#/components/schemas/", "");
  return { ...resolve(doc.components?.schemas?.[name], doc), title: name };
}

/** "string", "integer | null", "Customer[]", "\"unit\" | \"volume\"", "string (date-time)". */
export function typeLabel(raw: unknown, doc: OpenApiDocument): string {
  const schema = resolve(raw, doc);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if ("const" in schema) return JSON.stringify(schema.const);
  const variants = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(variants)) return [...new Set(variants.map((v) => typeLabel(v, doc)))].join(" | ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const label = types
    .map((t) => (t === "array" ? `${typeLabel(schema.items, doc)}[]` : String(t)))
    .join(" | ");
  const base = label || (typeof schema.title === "string" ? schema.title : "any");
  return typeof schema.format === "string" ? `${base} (${schema.format})` : base;
}

/** Rows for every property, depth first; objects inside arrays continue as `name[].child`. */
export function fieldRows(raw: unknown, doc: OpenApiDocument, prefix = "", depth = 0): FieldRow[] {
  if (depth > MAX_DEPTH) return [];
  const schema = resolve(raw, doc);
  const variants = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(variants)) return mergeVariants(variants.map((v) => fieldRows(v, doc, prefix, depth + 1)));
  if (schema.type === "array") return fieldRows(schema.items, doc, prefix ? `${prefix}[]` : "[]", depth + 1);
  if (!isObject(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(schema.properties).flatMap(([key, child]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    const resolved = resolve(child, doc);
    const row: FieldRow = {
      name,
      type: typeLabel(child, doc),
      required: required.has(key),
      description: typeof resolved.description === "string" ? resolved.description : undefined,
    };
    return [row, ...fieldRows(child, doc, name, depth + 1)];
  });
}

/** Fields of a union (e.g. usage_based | fixed prices): one row per name, types joined. */
function mergeVariants(variants: FieldRow[][]): FieldRow[] {
  const byName = new Map<string, FieldRow & { seen: number }>();
  for (const rows of variants) {
    for (const row of rows) {
      const known = byName.get(row.name);
      if (!known) {
        byName.set(row.name, { ...row, seen: 1 });
        continue;
      }
      known.seen += 1;
      if (!known.type.split(" | ").includes(row.type)) known.type = `${known.type} | ${row.type}`;
      known.required &&= row.required;
      known.description ??= row.description;
    }
  }
  // Required only when every variant requires it.
  return [...byName.values()].map(({ seen, ...row }) => ({ ...row, required: row.required && seen === variants.length }));
}

function jsonSchemaOf(content: unknown): unknown {
  if (!isObject(content)) return undefined;
  const media = content["application/json"] ?? content["application/problem+json"];
  return isObject(media) ? media.schema : undefined;
}

function endpointView(method: string, path: string, op: Json, doc: OpenApiDocument): EndpointView {
  const parameters = (Array.isArray(op.parameters) ? op.parameters : []).filter(isObject).map((p) => ({
    name: String(p.name),
    in: String(p.in),
    type: typeLabel(p.schema, doc),
    required: p.required === true,
    description: typeof p.description === "string" ? p.description : undefined,
  }));
  const requestBody = isObject(op.requestBody) ? op.requestBody : {};
  const responses = Object.entries(isObject(op.responses) ? op.responses : {}).map(([status, r]) => {
    const response = isObject(r) ? r : {};
    // Error bodies are all the same Problem shape; list its fields once, not per status.
    const fields = status.startsWith("2") ? fieldRows(jsonSchemaOf(response.content), doc) : [];
    return { status, description: String(response.description ?? ""), fields };
  });
  return {
    method: method.toUpperCase(),
    path,
    summary: String(op.summary ?? ""),
    description: typeof op.description === "string" ? op.description : undefined,
    authenticated: !(Array.isArray(op.security) && op.security.length === 0),
    parameters,
    body: fieldRows(jsonSchemaOf(requestBody.content), doc),
    responses,
  };
}

export function apiReference(doc: OpenApiDocument): TagView[] {
  const tags = new Map<string, EndpointView[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of methods) {
      const op = (item as Json)[method];
      if (!isObject(op)) continue;
      const tag = Array.isArray(op.tags) && typeof op.tags[0] === "string" ? op.tags[0] : "Other";
      if (!tags.has(tag)) tags.set(tag, []);
      tags.get(tag)!.push(endpointView(method, path, op, doc));
    }
  }
  return [...tags].map(([tag, endpoints]) => ({ tag, endpoints }));
}
