import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { arrayLiteral, unnestColumns } from "./unnest-columns";

// What PostgreSQL reads from arrayLiteral's text must be exactly the values, for anything a
// row can hold: the flush sends every column of every row this way.
describe("arrayLiteral against PostgreSQL", () => {
  it("reads back every text array exactly: quotes, backslashes, braces, commas, NULL as a word, empty strings, unicode", async () => {
    const text = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 12 }),
      fc.constantFrom("NULL", "null", "", " ", "{}", "a,b", '"', "\\", '\\"', "{\"x\":1}", "é\u0000".slice(0, 1), "\t\n"),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { maxLength: 20 }), async (values) => {
        const { rows } = await pool().query<{ v: (string | null)[] }>("SELECT $1::text[] AS v", [arrayLiteral(values)]);
        expect(rows[0]!.v).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it("reads dates, booleans, numbers and JSON as node-postgres would send them", async () => {
    const dates = [new Date("2026-11-30T23:37:49.123Z"), new Date("0000-06-01T01:02:03.004Z"), new Date("-000050-01-01T00:00:00Z"), new Date("+010000-12-31T23:59:59.999Z"), null];
    dates.push(dates[0]!, dates[1]!); // the same Date objects again (formatted once per run of them)
    const { rows } = await pool().query<{ ours: string[]; theirs: string[] }>(
      "SELECT (SELECT array_agg(extract(epoch FROM t)::text) FROM unnest($1::timestamptz[]) t) AS ours, (SELECT array_agg(extract(epoch FROM t)::text) FROM unnest($2::timestamptz[]) t) AS theirs",
      [arrayLiteral(dates), dates],
    );
    expect(rows[0]!.ours).toEqual(rows[0]!.theirs);
    expect(rows[0]!.ours[0]).toBe((dates[0]!.getTime() / 1000).toFixed(6));

    const json = [{ a: 'x"y\\z', b: [1, 2], c: null }, "[]", null];
    const other = await pool().query(
      "SELECT $1::boolean[] AS b, $2::numeric[]::text[] AS n, $3::jsonb[] AS j",
      [arrayLiteral([true, false, null]), arrayLiteral(["-0.001", 12, null]), arrayLiteral([JSON.stringify(json[0]), json[1], json[2]])],
    );
    expect(other.rows[0]).toEqual({ b: [true, false, null], n: ["-0.001", "12", null], j: [json[0], [], null] });
  });

  it("reads rows with jsonb columns (one JSON document each) back in row order, SQL NULL for null, beside array columns", async () => {
    const spec = unnestColumns<{ id: string; doc: unknown; meta: unknown; at: Date }>({
      id: ["text", (r) => r.id],
      doc: ["jsonb", (r) => r.doc],
      at: ["timestamptz", (r) => r.at],
      meta: ["jsonb", (r) => r.meta],
    });
    const at = new Date("2026-11-30T12:00:00.000Z");
    const rows = Array.from({ length: 300 }, (_, i) => ({
      id: `r${i}`,
      doc: i % 7 === 0 ? null : { n: i, text: `q"uo\\te ${i}`, list: [i, "x"], nested: { ok: i % 2 === 0 } },
      meta: i % 5 === 0 ? [] : { event_id: `e${i}` },
      at,
    }));
    expect(spec.sql(1)).toContain("WITH ORDINALITY");
    const { rows: back } = await pool().query<{ id: string; doc: unknown; meta: unknown; at: Date }>(
      `SELECT id, doc, meta, at FROM ${spec.sql(1)}`,
      spec.encode(spec.values(rows, undefined)),
    );
    expect(back).toEqual(rows);
  });
});
