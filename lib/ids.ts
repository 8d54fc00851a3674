import { randomFillSync } from "node:crypto";

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case
const ID_CHARS = 26;

/**
 * Random bytes are drawn from the CSPRNG 4 KiB at a time and used once each: one
 * `randomBytes(26)` call per id cost a twentieth of the usage-event path's CPU.
 */
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** A random id with a type prefix, e.g. `cust_473cr1y0ghbyc3m1yfbwvn3nxx` (26 chars, 130 bits). */
export function newId(prefix: string): string {
  if (offset + ID_CHARS > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  let out = "";
  for (let i = offset; i < offset + ID_CHARS; i++) out += alphabet[pool[i]! & 31];
  offset += ID_CHARS;
  return `${prefix}_${out}`;
}
