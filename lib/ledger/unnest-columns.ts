/**
 * Multi-row writes as `unnest` over one array parameter per column, declared once per
 * row type: a column is one line (name, PostgreSQL type, how to read it off a row), and
 * the parameter numbers follow from the order of declaration instead of being counted by
 * hand. The text depends only on the columns and the first parameter's number, so it can
 * be built once and reused as a named prepared statement, which must keep its text.
 */

/** PostgreSQL element type of a column's array parameter. */
export type ColumnType = "text" | "numeric" | "timestamptz" | "jsonb" | "boolean" | "date" | "bigint";

/**
 * [type, read]: `read` maps a row (and the write's context) to the column's value; a jsonb
 * column's value is the JS value itself (an object, an array, or null for SQL NULL).
 */
export type Column<T, Ctx> = readonly [type: ColumnType, read: (row: T, ctx: Ctx) => unknown];

export interface UnnestColumns<T, Ctx> {
  /** How many parameters the columns take (one each). */
  readonly width: number;
  /** The columns' names, in declaration (parameter) order. */
  readonly names: readonly string[];
  /** The rows as a table `v` (unnestSql). */
  sql(firstParam: number): string;
  /** The columns' values for `rows`: one array per column, in declaration order. */
  values(rows: readonly T[], ctx: Ctx): unknown[][];
  /** The parameters for columns (of `values`, possibly concatenated over several calls). */
  encode(columns: readonly (readonly unknown[])[]): string[];
}

export function unnestColumns<T, Ctx = undefined>(columns: Record<string, Column<T, Ctx>>): UnnestColumns<T, Ctx> {
  const names = Object.keys(columns);
  const specs = names.map((n) => columns[n]!);
  const typed = names.map((name, i) => [name, specs[i]![0]] as const);
  const types = specs.map(([type]) => type);
  return {
    width: names.length,
    names,
    sql: (firstParam) => unnestSql(firstParam, typed),
    values: (rows, ctx) => specs.map(([, read]) => rows.map((row) => read(row, ctx))),
    encode: (values) => encodeColumns(types, values),
  };
}

/**
 * Rows sent as one parameter per column, as a table aliased `v` with the columns' names:
 * `unnest($1::text[], $2::numeric[], …) AS v(a, b, …)`. A jsonb column is one JSON
 * document (an array with one element per row) rather than an array of JSON texts: read
 * as `$n::jsonb -> (row - 1)`, it is parsed once per statement instead of once per row
 * after being unescaped from an array literal, which measured about half the cost (in
 * PostgreSQL and in the app). Needs at least one column that is not jsonb.
 */
export function unnestSql(firstParam: number, columns: readonly (readonly [name: string, type: ColumnType])[]): string {
  const param = (i: number) => `$${firstParam + i}`;
  const arrays = columns.flatMap(([name, type], i) => (type === "jsonb" ? [] : [{ name, sql: `${param(i)}::${type}[]` }]));
  if (arrays.length === 0) throw new Error("unnestSql: at least one column must not be jsonb");
  if (arrays.length === columns.length) {
    return `unnest(${arrays.map((a) => a.sql).join(", ")}) AS v(${columns.map(([name]) => name).join(", ")})`;
  }
  const select = columns.map(([name, type], i) =>
    // A JSON null element is SQL NULL (no jsonb column stores a JSON null).
    type === "jsonb" ? `NULLIF(${param(i)}::jsonb -> (u.row_number::int - 1), 'null'::jsonb) AS ${name}` : `u.${name}`,
  );
  return `(SELECT ${select.join(", ")}
             FROM unnest(${arrays.map((a) => a.sql).join(", ")}) WITH ORDINALITY AS u(${arrays.map((a) => a.name).join(", ")}, row_number)) AS v`;
}

/** The parameters of columns of these types, for unnestSql: array literals, and one JSON document per jsonb column. */
export function encodeColumns(types: readonly ColumnType[], columns: readonly (readonly unknown[])[]): string[] {
  return columns.map((values, i) => (types[i] === "jsonb" ? JSON.stringify(values) : arrayLiteral(values)));
}

const ESCAPED = /["\\]/;
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * An array parameter as PostgreSQL's array literal (`{"a","b",NULL}`), the text
 * node-postgres would send for a JS array, built in one pass: every string element quoted
 * (so `NULL`, empty strings, commas and braces stay data) with `"` and `\` escaped,
 * null/undefined as NULL, dates in UTC, booleans as t/f. The flush sends every row's
 * columns this way (thousands of elements per statement).
 */
export function arrayLiteral(values: readonly unknown[]): string {
  let out = "{";
  // A batch's rows share their creation time (one Date): formatted once.
  let lastDate: Date | null = null;
  let lastText = "";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    const v = values[i];
    if (v === null || v === undefined) out += "NULL";
    else if (typeof v === "string") out += quoted(v);
    else if (v instanceof Date) {
      if (v !== lastDate) {
        lastDate = v;
        lastText = `"${timestamp(v)}"`;
      }
      out += lastText;
    } else if (typeof v === "boolean") out += v ? "t" : "f";
    else if (typeof v === "number" || typeof v === "bigint") out += String(v);
    else out += quoted(JSON.stringify(v));
  }
  return `${out}}`;
}

function quoted(s: string): string {
  return ESCAPED.test(s) ? `"${s.replace(/["\\]/g, "\\$&")}"` : `"${s}"`;
}

/** A date as timestamptz text: ISO 8601 in UTC; years outside 1–9999 as PostgreSQL writes them (`0001-… BC`, `10000-…`). */
function timestamp(d: Date): string {
  const year = d.getUTCFullYear();
  if (year >= 1 && year <= 9999) return d.toISOString();
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  return `${pad(year < 1 ? 1 - year : year, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${time}Z${year < 1 ? " BC" : ""}`;
}
