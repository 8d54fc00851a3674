/**
 * Multi-row writes as `unnest` over one array parameter per column, declared once per
 * row type: a column is one line (name, PostgreSQL type, how to read it off a row), and
 * the parameter numbers follow from the order of declaration instead of being counted by
 * hand. The text depends only on the columns and the first parameter's number, so it can
 * be built once and reused as a named prepared statement, which must keep its text.
 */

/** PostgreSQL element type of a column's array parameter. */
export type ColumnType = "text" | "numeric" | "timestamptz" | "jsonb";

/** [type, read]: `read` maps a row (and the write's context) to the column's value. */
export type Column<T, Ctx> = readonly [type: ColumnType, read: (row: T, ctx: Ctx) => unknown];

export interface UnnestColumns<T, Ctx> {
  /** How many parameters the columns take (one array each). */
  readonly width: number;
  /** The columns' names, in declaration (parameter) order. */
  readonly names: readonly string[];
  /** `unnest($first::type[], …) AS v(name, …)` */
  sql(firstParam: number): string;
  /** The parameters for `rows`: one array per column, in declaration order. */
  values(rows: readonly T[], ctx: Ctx): unknown[][];
}

export function unnestColumns<T, Ctx = undefined>(columns: Record<string, Column<T, Ctx>>): UnnestColumns<T, Ctx> {
  const names = Object.keys(columns);
  const specs = names.map((n) => columns[n]!);
  return {
    width: names.length,
    names,
    sql: (firstParam) => `unnest(${specs.map(([type], i) => `$${firstParam + i}::${type}[]`).join(", ")}) AS v(${names.join(", ")})`,
    values: (rows, ctx) => specs.map(([, read]) => rows.map((row) => read(row, ctx))),
  };
}

/**
 * The `sql` of consecutive column sets whose parameters start at `firstParam`, each set's
 * parameter per column name (`$n`, to name an array again elsewhere in the statement), and
 * the number of the next free parameter.
 */
export function layOut(
  firstParam: number,
  sets: readonly UnnestColumns<never, never>[],
): { sql: string[]; params: Record<string, string>[]; nextParam: number } {
  let next = firstParam;
  const params: Record<string, string>[] = [];
  const sql = sets.map((s) => {
    const text = s.sql(next);
    const first = next;
    params.push(Object.fromEntries(s.names.map((name, i) => [name, `$${first + i}`])));
    next += s.width;
    return text;
  });
  return { sql, params, nextParam: next };
}
