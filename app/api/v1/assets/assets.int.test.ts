import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";

let server: TestApiServer;
let api: ReturnType<typeof apiClient>;
let otherApi: ReturnType<typeof apiClient>;
let anonymous: ReturnType<typeof apiClient>;

const tok = { code: "TOK", name: "Tokens", precision: 0, symbol: "T", label: "tokens", rates: [{ source: "USD", rate: 0.05 }] };

beforeAll(async () => {
  server = await startTestApiServer();
  api = apiClient(server.url, (await createTestPlatform("Assets API")).apiKey);
  otherApi = apiClient(server.url, (await createTestPlatform("Someone else")).apiKey);
  anonymous = apiClient(server.url, "");
  const created = await api("POST", "/assets", tok);
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

describe("POST /assets", () => {
  it("creates a custom asset and answers its shape", async () => {
    const res = await api("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 2, rates: [{ source: "EUR", rate: "0.000000000001" }] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      code: "CREDIT",
      name: "Credits",
      precision: 2,
      symbol: null,
      label: null,
      rates: [{ source: "EUR", rate: 1e-12 }],
      is_fiat: false,
      created_at: expect.any(String),
    });
  });

  it("answers 409 for an existing code, including built-in currencies", async () => {
    expect((await api("POST", "/assets", tok)).status).toBe(409);
    expect((await api("POST", "/assets", { ...tok, code: "USD" })).status).toBe(409);
    expect((await otherApi("POST", "/assets", tok)).status).toBe(201); // codes are per platform
  });

  it.each([
    ["precision 13", { ...tok, code: "P13", precision: 13 }, "precision"],
    ["a lower-case code", { ...tok, code: "tok2" }, "code"],
    ["a non-fiat rate source", { ...tok, code: "BAD", rates: [{ source: "TOK", rate: 1 }] }, "rates/0/source"],
    ["a zero rate", { ...tok, code: "BAD", rates: [{ source: "USD", rate: 0 }] }, "rates/0/rate"],
    ["a duplicate source", { ...tok, code: "BAD", rates: [{ source: "USD", rate: 1 }, { source: "USD", rate: 2 }] }, "rates/1/source"],
    ["an unknown field", { ...tok, code: "BAD", colour: "red" }, "colour"],
  ])("answers 422 for %s", async (_, body, field) => {
    const res = await api("POST", "/assets", body);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it("answers 401 without a key", async () => {
    expect((await anonymous("POST", "/assets", tok)).status).toBe(401);
  });
});

describe("GET /assets and /assets/{code}", () => {
  it("lists the platform's custom assets in the list envelope", async () => {
    const res = await api("GET", "/assets?limit=1");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total_count: 2, limit: 1, offset: 0 });
    expect(res.body.items.map((a: { code: string }) => a.code)).toEqual(["TOK"]);
    expect((await api("GET", "/assets?limit=0")).status).toBe(422);
    expect((await anonymous("GET", "/assets")).status).toBe(401);
  });

  it("gets a custom asset, and built-in currencies for everyone", async () => {
    const res = await api("GET", "/assets/TOK");
    expect(res.body).toMatchObject({ code: "TOK", precision: 0, label: "tokens", rates: [{ source: "USD", rate: 0.05 }] });
    const usd = await otherApi("GET", "/assets/USD");
    expect(usd.body).toMatchObject({ code: "USD", precision: 2, is_fiat: true, rates: [{ source: "USD", rate: 1 }], created_at: null });
  });

  it("answers 404 for another platform's asset and for unknown codes", async () => {
    const someoneElse = apiClient(server.url, (await createTestPlatform("Third")).apiKey);
    expect((await someoneElse("GET", "/assets/TOK")).status).toBe(404);
    expect((await api("GET", "/assets/NOPE")).status).toBe(404);
    expect((await api("GET", "/assets/tok")).status).toBe(404);
  });
});

describe("POST /assets/{code}/quote", () => {
  it("converts a fiat amount into units and units into the amount to pay", async () => {
    const units = await api("POST", "/assets/TOK/quote", { source: "USD", amount: 10 });
    expect(units.status).toBe(200);
    expect(units.body).toEqual({ asset: "TOK", source: "USD", rate: 0.05, amount: 10, units: 200 });
    // `currency`, the top-up body's word, is an alias of `source`
    expect((await api("POST", "/assets/TOK/quote", { currency: "USD", amount: 10 })).body).toEqual(units.body);
    const pay = await api("POST", "/assets/TOK/quote", { source: "USD", units: 201 });
    expect(pay.body).toEqual({ asset: "TOK", source: "USD", rate: 0.05, amount: 10.05, units: 201 });
    const fiat = await api("POST", "/assets/USD/quote", { source: "USD", amount: "12.34" });
    expect(fiat.body).toMatchObject({ amount: 12.34, units: 12.34 });
  });

  it("answers 422 for a source without a rate, too many decimals, or both amount and units", async () => {
    expect((await api("POST", "/assets/TOK/quote", { source: "EUR", amount: 10 })).status).toBe(422);
    expect((await api("POST", "/assets/TOK/quote", { source: "USD", amount: 10.001 })).status).toBe(422);
    expect((await api("POST", "/assets/TOK/quote", { source: "USD", units: 1.5 })).status).toBe(422);
    expect((await api("POST", "/assets/TOK/quote", { source: "USD", amount: 1, units: 20 })).status).toBe(422);
    expect((await api("POST", "/assets/TOK/quote", { source: "USD" })).status).toBe(422);
  });

  it("answers 404 for another platform's asset and 401 without a key", async () => {
    const someoneElse = apiClient(server.url, (await createTestPlatform("Fourth")).apiKey);
    expect((await someoneElse("POST", "/assets/TOK/quote", { source: "USD", amount: 10 })).status).toBe(404);
    expect((await anonymous("POST", "/assets/TOK/quote", { source: "USD", amount: 10 })).status).toBe(401);
  });
});
