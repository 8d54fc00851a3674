import { describe, expect, it } from "vitest";
import { accountLabel, displayMoney, exactMoney, formatDateTime, formatMoney, formatNumber, usageStatus } from "./format";

const usd = { code: "USD", name: "US Dollar", symbol: "$", precision: 2, is_fiat: true };
const credit = { code: "CREDIT", name: "Credits", symbol: null, precision: 0, is_fiat: false };
const tok = { code: "TOK", name: "Tokens", symbol: "⚡", precision: 3, is_fiat: false };

describe("portal formatting", () => {
  it("shows at least the asset's precision, and the digits an amount has past it", () => {
    expect(formatMoney("5", usd)).toBe("$5.00");
    expect(formatMoney("0.125", usd)).toBe("$0.125");
    expect(formatMoney("12345678901234567890.5", usd)).toBe("$12,345,678,901,234,567,890.50");
    // A fee of a fraction of a cent, and the balance it lowered: neither reads as unchanged.
    expect(formatMoney("0.0029", usd)).toBe("$0.0029");
    expect(formatMoney("24.9971", usd)).toBe("$24.9971");
    expect(formatMoney("24.99705875", usd)).toBe("$24.997059");
  });

  it("rounds half-even past four extra decimals and keeps the exact value for a tooltip", () => {
    expect(displayMoney("14.566678", usd)).toEqual({ text: "$14.566678", exact: null });
    expect(displayMoney("0.00000025", usd)).toEqual({ text: "< $0.000001", exact: "$0.00000025" });
    expect(displayMoney("0.0000005", usd)).toEqual({ text: "< $0.000001", exact: "$0.0000005" });
    expect(displayMoney("0.0000015", usd)).toEqual({ text: "$0.000002", exact: "$0.0000015" });
    expect(displayMoney("0.0029", usd)).toEqual({ text: "$0.0029", exact: null });
    expect(exactMoney("0.000000000001", usd)).toBe("$0.000000000001");
  });

  it("never shows a non-zero amount as zero", () => {
    expect(formatMoney("0.000000000001", usd)).toBe("< $0.000001");
    expect(formatMoney("-0.000000000001", usd)).toBe("> -$0.000001");
    expect(formatMoney("0.0000000001", credit)).toBe("< 0.0001 CREDIT");
    expect(formatMoney("0", usd)).toBe("$0.00");
  });

  it("signs negatives (overdraft) and never shows -0", () => {
    expect(formatMoney("-5", usd)).toBe("-$5.00");
    expect(formatMoney("-0.001", usd)).toBe("-$0.001");
    expect(formatMoney("-0", usd)).toBe("$0.00");
    expect(formatNumber("-1234.5", 1)).toBe("-1,234.5");
  });

  it("names accounts by their asset, not by their API id", () => {
    expect(accountLabel("default:USD", usd)).toBe("US Dollar balance");
    expect(accountLabel("team:CREDIT", credit)).toBe("team · Credits");
    expect(accountLabel("a:b:TOK", tok)).toBe("a:b · Tokens");
  });

  it("explains statuses and reasons in sentences", () => {
    expect(usageStatus("unbilled", "no_matching_price")).toEqual({
      label: "Not billed",
      explanation: "No price in your plan applies to this usage, so it was not charged.",
    });
    expect(usageStatus("refused", "insufficient_funds").explanation).toBe("Your balance was too low to pay for this usage.");
    expect(usageStatus("billed", null)).toEqual({ label: "Billed", explanation: null });
    expect(usageStatus("unbilled", "some_new_reason").explanation).toBe("Some new reason.");
  });

  it("puts custom assets' symbol or code after the amount", () => {
    expect(formatMoney("400", credit)).toBe("400 CREDIT");
    expect(formatMoney("1500.25", tok)).toBe("1,500.250 ⚡");
    expect(formatMoney("1500.2501", tok)).toBe("1,500.2501 ⚡");
  });

  it("shows times in UTC", () => {
    expect(formatDateTime("2026-03-31T23:30:00Z")).toBe("Mar 31, 2026, 11:30 PM UTC");
  });
});
