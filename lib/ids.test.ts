import { describe, expect, it } from "vitest";
import { newId } from "./ids";

describe("newId", () => {
  it("is the prefix and 26 Crockford base32 characters", () => {
    expect(newId("cust")).toMatch(/^cust_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it("never repeats, across many refills of its random pool", () => {
    const ids = Array.from({ length: 20_000 }, () => newId("x"));
    expect(new Set(ids).size).toBe(ids.length);
    // Each character position takes all 32 values: the bytes are used, not a constant.
    const firstChars = new Set(ids.map((id) => id[2]));
    expect(firstChars.size).toBe(32);
  });
});
