import { describe, expect, it } from "vitest";
import { camelKey, snakeKey, toCamelCase, toSnakeCase } from "../src/core/casing";

describe("casing", () => {
  it("maps keys deep through objects and arrays, both ways", () => {
    const camel = {
      customerId: "cust_1",
      destination: { accountName: "default", exchangeRate: 1 },
      events: [{ eventType: "x", occurredAt: "2024-07-29T15:51:28.071Z" }],
      fees: [{ accountId: "default:USD", balanceAfter: 1 }],
    };
    const snake = {
      customer_id: "cust_1",
      destination: { account_name: "default", exchange_rate: 1 },
      events: [{ event_type: "x", occurred_at: "2024-07-29T15:51:28.071Z" }],
      fees: [{ account_id: "default:USD", balance_after: 1 }],
    };
    expect(toSnakeCase(camel)).toEqual(snake);
    expect(toCamelCase(snake)).toEqual(camel);
    expect(toCamelCase({ items: [{ created_at: "t" }], total_count: 1, limit: 20, offset: 0 })).toEqual({
      items: [{ createdAt: "t" }],
      totalCount: 1,
      limit: 20,
      offset: 0,
    });
  });

  it("passes data, metadata and dimensions through untouched, in both directions", () => {
    const own = { inputTokens: 1, output_tokens: 2, nested: { some_key: [{ deepKey: 1 }] } };
    expect(toSnakeCase({ eventType: "e", data: own, metadata: own })).toEqual({ event_type: "e", data: own, metadata: own });
    expect(toCamelCase({ event_type: "e", data: own, metadata: own })).toEqual({ eventType: "e", data: own, metadata: own });
    expect(toSnakeCase({ pricing: [{ values: [{ dimensions: { modelName: "x" }, volumeRate: 1 }] }] })).toEqual({
      pricing: [{ values: [{ dimensions: { modelName: "x" }, volume_rate: 1 }] }],
    });
  });

  it("leaves values, nulls and non-plain objects alone and drops undefined fields", () => {
    expect(toSnakeCase({ volumeField: "input_tokens", description: null, subject: undefined })).toEqual({
      volume_field: "input_tokens",
      description: null,
    });
    expect(toCamelCase(["a_b", 1, null])).toEqual(["a_b", 1, null]);
    expect(snakeKey("lowBalanceThreshold")).toBe("low_balance_threshold");
    expect(camelKey("low_balance_threshold")).toBe("lowBalanceThreshold");
    expect(camelKey("top_up_id")).toBe("topUpId");
  });
});
