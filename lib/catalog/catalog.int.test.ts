import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProductBody } from "@/lib/api/schemas/catalog";
import { closeDb, prisma } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { dec, formatAmount } from "@/lib/money";
import { computeFees } from "@/lib/pricing";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import {
  createAsset,
  createProduct,
  createProductVersion,
  getAssetOrThrow,
  getProductOrThrow,
  listAssets,
  listProducts,
  quoteAsset,
  resolveAsset,
  simulateUsage,
  subscribeCustomer,
  subscribedPrices,
  updateProductVersion,
  type PriceInput,
} from "./index";
import type { Tenant } from "@/lib/tenant";

/** PRODUCT.md's POST /products example, verbatim. */
const productMdExample = {
  name: "Chat", code: "chat", publish: true,
  prices: [
    { name: "Input tokens", type: "usage_based", billing_model: { type: "real_time" },
      usage_calculation: { event_type: "message_completed", usage_type: "volume",
                           volume_field: "input_tokens", billable_dimensions: ["model"] },
      pricing: [ { asset: "USD", values: [
          { dimensions: { model: "gpt-4-1" }, volume_rate: 1.25, package_size: 1000000 },
          { dimensions: { model: "*" },       volume_rate: 2.50, package_size: 1000000 } ] } ] },
    { name: "Requests", type: "usage_based", billing_model: { type: "real_time" },
      usage_calculation: { event_type: "api_call", usage_type: "unit" },
      pricing: [ { asset: "CREDIT", values: [ { unit_price: 1 } ] } ] } ] };

const unitPrice = (amount: string, asset = "USD", name = "Requests"): PriceInput => ({
  name,
  type: "usage_based",
  billing_model: { type: "real_time" },
  usage_calculation: { event_type: "api_call", usage_type: "unit" },
  pricing: [{ asset, values: [{ unit_price: dec(amount) }] }],
});

let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  tenant = await createTestPlatform("Catalog tests");
  other = await createTestPlatform("Another platform");
  await createAsset(tenant, { code: "CREDIT", name: "Credits", precision: 2, rates: [{ source: "USD", rate: dec("0.01") }] });
});
afterAll(closeDb);

describe("assets", () => {
  it("creates, gets, lists and refuses a duplicate with 409", async () => {
    const created = await createAsset(tenant, { code: "TOK", name: "Tokens", precision: 0, symbol: "T", label: "tokens", rates: [{ source: "USD", rate: dec("0.05") }] });
    expect(created).toMatchObject({ code: "TOK", precision: 0, isFiat: false });
    expect(formatAmount(created.rates[0]!.rate)).toBe("0.05");
    await expect(createAsset(tenant, { code: "TOK", name: "Again", precision: 0 })).rejects.toBeInstanceOf(ConflictError);
    await expect(createAsset(tenant, { code: "USD", name: "Mine", precision: 2 })).rejects.toBeInstanceOf(ConflictError);
    const listed = await listAssets(tenant, { limit: 100, offset: 0 });
    expect(listed.items.map((a) => a.code)).toEqual(["CREDIT", "TOK"]);
    expect(listed.total).toBe(2);
    expect((await getAssetOrThrow(tenant, "TOK")).label).toBe("tokens");
  });

  it("resolves built-in fiat currencies with their precision and rate 1 to themselves", async () => {
    const usd = await resolveAsset(tenant, "USD");
    expect(usd).toMatchObject({ code: "USD", precision: 2, isFiat: true });
    expect(usd.rates.map((r) => [r.source, formatAmount(r.rate)])).toEqual([["USD", "1"]]);
    expect((await resolveAsset(tenant, "JPY")).precision).toBe(0);
    await expect(resolveAsset(tenant, "NOPE")).rejects.toBeInstanceOf(ValidationError);
  });

  it("keeps assets of another platform out of sight (404)", async () => {
    await expect(getAssetOrThrow(other, "CREDIT")).rejects.toBeInstanceOf(NotFoundError);
    await expect(resolveAsset(other, "CREDIT")).rejects.toBeInstanceOf(ValidationError);
    expect((await listAssets(other, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it("refuses rates from a non-fiat source and duplicate sources", async () => {
    await expect(createAsset(tenant, { code: "BAD", name: "Bad", precision: 0, rates: [{ source: "TOK", rate: dec(1) }] })).rejects.toBeInstanceOf(ValidationError);
    await expect(
      createAsset(tenant, { code: "BAD", name: "Bad", precision: 0, rates: [{ source: "USD", rate: dec(1) }, { source: "USD", rate: dec(2) }] }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it("quotes both ways with exact decimals", async () => {
    const q = await quoteAsset(tenant, "CREDIT", { source: "USD", amount: dec(10) });
    expect(formatAmount(q.units)).toBe("1000");
    const back = await quoteAsset(tenant, "CREDIT", { source: "USD", units: dec("1234.56") });
    expect([formatAmount(back.amount), formatAmount(back.units)]).toEqual(["12.35", "1235"]); // rounded up to whole cents
    await createAsset(tenant, { code: "THIRD", name: "Thirds", precision: 12, rates: [{ source: "EUR", rate: dec(3) }] });
    const thirds = await quoteAsset(tenant, "THIRD", { source: "EUR", amount: dec(1) });
    expect(formatAmount(thirds.units)).toBe("0.333333333333");
    await expect(quoteAsset(tenant, "CREDIT", { source: "EUR", amount: dec(1) })).rejects.toBeInstanceOf(ValidationError);
    await expect(quoteAsset(tenant, "CREDIT", { source: "USD", amount: dec("1.001") })).rejects.toBeInstanceOf(ValidationError);
    await expect(quoteAsset(other, "CREDIT", { source: "USD", amount: dec(1) })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("products", () => {
  it("creates the PRODUCT.md example as published version 1, the default", async () => {
    const body = createProductBody.parse(productMdExample);
    const product = await createProduct(tenant, body);
    expect(product.id).toMatch(/^prp_/);
    expect(product).toMatchObject({ code: "chat", name: "Chat", defaultVersion: 1 });
    expect(product.current).toMatchObject({ version: 1, status: "published", isDefault: true });
    const stored = await prisma().productVersion.findUniqueOrThrow({ where: { productId_version: { productId: product.id, version: 1 } } });
    // amounts are stored as exact decimal text, never floats
    expect(JSON.stringify(stored.prices)).toContain('"volume_rate":"2.5"');
    await expect(createProduct(tenant, body)).rejects.toBeInstanceOf(ConflictError);
    expect(await createProduct(other, { ...body, prices: [unitPrice("1")] })).toMatchObject({ code: "chat" }); // codes are per platform
  });

  it("refuses a price in an unknown asset with 422 naming the field", async () => {
    const err = await createProduct(tenant, { name: "X", code: "x-unknown", prices: [unitPrice("1", "USD", "a"), unitPrice("1", "ZZZ", "b")] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors).toEqual([{ field: "prices/1/pricing/0/asset", message: expect.stringContaining("ZZZ") }]);
    // another platform's asset is unknown too
    await expect(createProduct(other, { name: "X", code: "x", prices: [unitPrice("1", "CREDIT")] })).rejects.toBeInstanceOf(ValidationError);
    expect(await prisma().product.count({ where: { platformId: tenant.platformId, code: "x-unknown" } })).toBe(0);
  });

  it("keeps PRODUCT.md's price rules itself: a caller other than the API cannot store a price the API refuses", async () => {
    const volumeWithoutField: PriceInput = {
      name: "Tokens",
      type: "usage_based",
      billing_model: { type: "real_time" },
      usage_calculation: { event_type: "message_completed", usage_type: "volume" },
      pricing: [
        { asset: "USD", values: [{ unit_price: dec("1") }] },
        { asset: "USD", values: [{ volume_rate: dec("1") }] },
      ],
    };
    const err = await createProduct(tenant, { name: "X", code: "x-rules", prices: [volumeWithoutField, unitPrice("1", "USD", "Tokens")] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors).toEqual([
      { field: "prices/0/usage_calculation/volume_field", message: "Required for usage_type volume" },
      { field: "prices/0/pricing/1/asset", message: "USD is priced twice" },
      { field: "prices/0/pricing/0/values/0/volume_rate", message: "Required for usage_type volume" },
      { field: "prices/0/pricing/0/values/0/unit_price", message: "Not used by usage_type volume" },
      { field: "prices/1/name", message: 'Two prices are named "Tokens"; fees name their price' },
    ]);
    expect(await prisma().product.count({ where: { platformId: tenant.platformId, code: "x-rules" } })).toBe(0);

    const product = await createProduct(tenant, { name: "Rules", code: "x-rules-version", prices: [unitPrice("1")] });
    const dimensionless: PriceInput = {
      name: "Requests",
      type: "usage_based",
      billing_model: { type: "real_time" },
      usage_calculation: { event_type: "api_call", usage_type: "unit" },
      pricing: [{ asset: "USD", values: [{ dimensions: { model: "a" }, unit_price: dec("2") }] }],
    };
    await expect(createProductVersion(tenant, product.id, { prices: [dimensionless] })).rejects.toMatchObject({
      errors: [{ field: "prices/0/pricing/0/values/0/dimensions/model", message: '"model" is not in usage_calculation.billable_dimensions' }],
    });
    expect((await getProductOrThrow(tenant, product.id)).versions).toHaveLength(1);
  });

  it("adds versions, publishes them and switches the default; subscribers follow default or stay pinned", async () => {
    const product = await createProduct(tenant, { name: "API", code: "api", publish: true, prices: [unitPrice("1")] });
    const follower = await createTestCustomer(tenant.platformId);
    const pinned = await createTestCustomer(tenant.platformId);
    await subscribeCustomer(tenant, follower.customerId, [{ code: "api", version: "default" }]);
    await subscribeCustomer(tenant, pinned.customerId, [{ code: "api", version: 1 }]);
    const fee = async (customerId: string) => computeFees(await subscribedPrices(customerId), { event_type: "api_call", data: {} }).map((f) => `${f.productVersion}:${formatAmount(f.amount)}`);
    expect(await fee(follower.customerId)).toEqual(["1:1"]);

    const v2 = await createProductVersion(tenant, product.id, { prices: [unitPrice("2")] });
    expect(v2.current).toMatchObject({ version: 2, status: "draft", isDefault: false });
    expect(v2.defaultVersion).toBe(1);
    await expect(subscribeCustomer(tenant, pinned.customerId, [{ code: "api", version: 2 }])).rejects.toBeInstanceOf(ValidationError);
    await expect(updateProductVersion(tenant, product.id, 2, { isDefault: true })).rejects.toBeInstanceOf(ConflictError);

    const published = await updateProductVersion(tenant, product.id, 2, { publish: true });
    expect(published.current).toMatchObject({ status: "published", isDefault: false }); // publishing alone keeps the default
    expect(await fee(follower.customerId)).toEqual(["1:1"]);

    const switched = await updateProductVersion(tenant, product.id, 2, { isDefault: true });
    expect(switched).toMatchObject({ defaultVersion: 2, current: { isDefault: true } });
    expect(await fee(follower.customerId)).toEqual(["2:2"]); // cache invalidated by the write
    expect(await fee(pinned.customerId)).toEqual(["1:1"]);

    const v3 = await createProductVersion(tenant, product.id, { prices: [unitPrice("3")], publish: true, isDefault: true });
    expect(v3).toMatchObject({ defaultVersion: 3, latestVersion: 3, current: { version: 3, isDefault: true } });
    expect(await fee(follower.customerId)).toEqual(["3:3"]);

    const full = await getProductOrThrow(tenant, product.id);
    expect(full.versions.map((v) => [v.version, v.status, v.isDefault])).toEqual([
      [1, "published", false],
      [2, "published", false],
      [3, "published", true],
    ]);
  });

  it("a draft product has no default: subscribing to it is 422, publishing makes it the default", async () => {
    const draft = await createProduct(tenant, { name: "Draft", code: "draft", prices: [unitPrice("1")] });
    expect(draft).toMatchObject({ defaultVersion: null, current: { status: "draft", isDefault: false } });
    const customer = await createTestCustomer(tenant.platformId);
    await expect(subscribeCustomer(tenant, customer.customerId, [{ code: "draft" }])).rejects.toBeInstanceOf(ValidationError);
    await updateProductVersion(tenant, draft.id, 1, { publish: true });
    expect((await getProductOrThrow(tenant, draft.id)).defaultVersion).toBe(1);
    await subscribeCustomer(tenant, customer.customerId, [{ code: "draft" }]);
    expect((await subscribedPrices(customer.customerId)).map((p) => p.name)).toEqual(["Requests"]);
  });

  it("resolves several subscriptions in one call and only from published versions", async () => {
    const customer = await createTestCustomer(tenant.platformId);
    expect(await subscribedPrices(customer.customerId)).toEqual([]);
    await subscribeCustomer(tenant, customer.customerId, [{ code: "chat" }, { code: "api", version: 1 }]);
    const prices = await subscribedPrices(customer.customerId);
    expect(prices.map((p) => `${p.name}@${p.productVersion}`).sort()).toEqual(["Input tokens@1", "Requests@1", "Requests@1"]);
    const fees = computeFees(prices, { event_type: "message_completed", data: { model: "gpt-4-1", input_tokens: 2353 } });
    expect(fees.map((f) => [f.asset, formatAmount(f.amount)])).toEqual([["USD", "0.00294125"]]);
  });

  it("keeps products and customers of another platform out of sight", async () => {
    const product = await createProduct(tenant, { name: "Mine", code: "mine", publish: true, prices: [unitPrice("1")] });
    await expect(getProductOrThrow(other, product.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(createProductVersion(other, product.id, { prices: [unitPrice("1")] })).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateProductVersion(other, product.id, 1, { isDefault: true })).rejects.toBeInstanceOf(NotFoundError);
    await expect(simulateUsage(other, product.id, 1, [])).rejects.toBeInstanceOf(NotFoundError);
    const theirs = await createTestCustomer(other.platformId);
    await expect(subscribeCustomer(other, theirs.customerId, [{ code: "mine" }])).rejects.toBeInstanceOf(ValidationError);
    await expect(subscribeCustomer(tenant, theirs.customerId, [{ code: "mine" }])).rejects.toBeInstanceOf(NotFoundError);
    expect((await listProducts(other, { limit: 100, offset: 0 })).items.map((p) => p.code)).toEqual(["chat"]);
  });

  it("gives concurrent new versions consecutive numbers", async () => {
    const product = await createProduct(tenant, { name: "Busy", code: "busy", publish: true, prices: [unitPrice("1")] });
    const made = await Promise.all([1, 2, 3, 4, 5].map((n) => createProductVersion(tenant, product.id, { prices: [unitPrice(String(n))] })));
    expect(made.map((v) => v.current.version).sort()).toEqual([2, 3, 4, 5, 6]);
  });

  it("simulates usage on a draft version without charging", async () => {
    const product = await createProduct(tenant, { name: "Sim", code: "sim", prices: createProductBody.parse(productMdExample).prices });
    const results = await simulateUsage(tenant, product.id, 1, [
      { event_type: "message_completed", data: { model: "o3", input_tokens: 400000 } },
      { event_type: "api_call", data: {} },
      { event_type: "other", data: {} },
      { event_type: "message_completed", data: { input_tokens: "many" } },
    ]);
    expect(results.map((r) => [r.status, r.reason, r.fees.map((f) => `${formatAmount(f.amount)} ${f.asset}`)])).toEqual([
      ["billed", undefined, ["1 USD"]],
      ["billed", undefined, ["1 CREDIT"]],
      ["unbilled", "no_matching_price", []],
      ["unbilled", "invalid_volume", []],
    ]);
  });
});
