/**
 * Built-in fiat currencies. Their precision is the ISO 4217 minor unit: what an API
 * request may send (an adjustment of 10.005 USD is rejected) and what the portal shows.
 * Balances and fees are stored with 12 decimal places regardless (PRODUCT.md).
 */
export interface FiatCurrency {
  code: string;
  name: string;
  precision: number;
  symbol: string;
}

const list: FiatCurrency[] = [
  { code: "USD", name: "US Dollar", precision: 2, symbol: "$" },
  { code: "EUR", name: "Euro", precision: 2, symbol: "€" },
  { code: "GBP", name: "British Pound", precision: 2, symbol: "£" },
  { code: "CAD", name: "Canadian Dollar", precision: 2, symbol: "CA$" },
  { code: "AUD", name: "Australian Dollar", precision: 2, symbol: "A$" },
  { code: "CHF", name: "Swiss Franc", precision: 2, symbol: "CHF" },
  { code: "SEK", name: "Swedish Krona", precision: 2, symbol: "kr" },
  { code: "NOK", name: "Norwegian Krone", precision: 2, symbol: "kr" },
  { code: "DKK", name: "Danish Krone", precision: 2, symbol: "kr" },
  { code: "PLN", name: "Polish Zloty", precision: 2, symbol: "zł" },
  { code: "INR", name: "Indian Rupee", precision: 2, symbol: "₹" },
  { code: "BRL", name: "Brazilian Real", precision: 2, symbol: "R$" },
  { code: "MXN", name: "Mexican Peso", precision: 2, symbol: "MX$" },
  { code: "SGD", name: "Singapore Dollar", precision: 2, symbol: "S$" },
  { code: "JPY", name: "Japanese Yen", precision: 0, symbol: "¥" },
  { code: "KRW", name: "South Korean Won", precision: 0, symbol: "₩" },
];

export const fiatCurrencies: ReadonlyMap<string, FiatCurrency> = new Map(list.map((c) => [c.code, c]));

export function isFiat(code: string): boolean {
  return fiatCurrencies.has(code);
}
