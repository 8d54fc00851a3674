import { describe, expect, it } from "vitest";
import { newId, newSortableId } from "./ids";

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

describe("newSortableId", () => {
  it("has newId's shape, and its first 10 characters are the time in milliseconds", () => {
    const id = newSortableId("ltx", Date.UTC(2026, 11, 1));
    expect(id).toMatch(/^ltx_[0-9a-hjkmnp-tv-z]{26}$/);
    const time = [...id.slice(4, 14)].reduce((n, ch) => n * 32 + "0123456789abcdefghjkmnpqrstvwxyz".indexOf(ch), 0);
    expect(time).toBe(Date.UTC(2026, 11, 1));
  });

  it("sorts later ids after earlier ones, byte for byte, whatever their random part", () => {
    const times = [0, 1, 31, 32, 1_000, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + 1, Date.UTC(9999, 11, 31)];
    const ids = times.flatMap((t) => Array.from({ length: 50 }, () => ({ t, id: newSortableId("ltx", t) })));
    const shuffled = [...ids].sort(() => Math.random() - 0.5);
    const byId = shuffled.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((x) => x.t);
    expect(byId).toEqual([...byId].sort((a, b) => a - b));
    expect(new Set(ids.map((x) => x.id)).size).toBe(ids.length);
  });

  it("never repeats within one millisecond, and its random part uses the whole alphabet", () => {
    const ids = Array.from({ length: 20_000 }, () => newSortableId("x", 1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id[12])).size).toBe(32);
  });
});
