import { randomBytes } from "node:crypto";

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

/** A random id with a type prefix, e.g. `cust_473cr1y0ghbyc3m1yfbwvn3nxx` (26 chars, 130 bits). */
export function newId(prefix: string): string {
  const bytes = randomBytes(26);
  let out = "";
  for (const b of bytes) out += alphabet[b & 31];
  return `${prefix}_${out}`;
}
