/** Exact sum of two decimal strings ("12.5" + "-0.25" = "12.25"), for the adjustment's preview; null if either is not a decimal. */
export function addDecimalText(a: string, b: string): string | null {
  const pattern = /^[-+]?\d+(\.\d+)?$/;
  if (!pattern.test(a.trim()) || !pattern.test(b.trim())) return null;
  const places = Math.max(decimals(a), decimals(b));
  const sum = scaled(a, places) + scaled(b, places);
  const negative = sum < 0n;
  const digits = (negative ? -sum : sum).toString().padStart(places + 1, "0");
  const whole = digits.slice(0, digits.length - places);
  const fraction = places ? digits.slice(digits.length - places).replace(/0+$/, "") : "";
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

function decimals(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.trim().length - dot - 1;
}

function scaled(text: string, places: number): bigint {
  const t = text.trim();
  const negative = t.startsWith("-");
  const [whole, fraction = ""] = t.replace(/^[-+]/, "").split(".");
  const value = BigInt(`${whole}${fraction.padEnd(places, "0")}`);
  return negative ? -value : value;
}
