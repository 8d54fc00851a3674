import { describe, expect, it } from "vitest";
import { formatDateTime, formatMoney, formatNumber } from "./format";

const usd = { code: "USD", name: "US Dollar", symbol: "$", precision: 2, is_fiat: true };
const credit = { code: "CREDIT", name: "Credits", symbol: null, precision: 0, is_fiat: false };
const tok = { code: "TOK", name: "Tokens", symbol: "⚡", precision: 3, is_fiat: false };

describe("portal formatting", () => {
  it("rounds half-even to the asset's precision, exactly", () => {
    expect(formatMoney("14.566678", usd)).toBe("$14.57");
    expect(formatMoney("0.125", usd)).toBe("$0.12");
    expect(formatMoney("0.135", usd)).toBe("$0.14");
    expect(formatMoney("0.000000000001", usd)).toBe("$0.00");
    expect(formatMoney("12345678901234567890.5", usd)).toBe("$12,345,678,901,234,567,890.50");
  });

  it("signs negatives (overdraft) and never shows -0", () => {
    expect(formatMoney("-5", usd)).toBe("-$5.00");
    expect(formatMoney("-0.001", usd)).toBe("$0.00");
    expect(formatNumber("-1234.5", 1)).toBe("-1,234.5");
  });

  it("puts custom assets' symbol or code after the amount", () => {
    expect(formatMoney("400", credit)).toBe("400 CREDIT");
    expect(formatMoney("1500.25", tok)).toBe("1,500.250 ⚡");
  });

  it("shows times in UTC", () => {
    expect(formatDateTime("2026-03-31T23:30:00Z")).toBe("Mar 31, 2026, 11:30 PM UTC");
  });
});
