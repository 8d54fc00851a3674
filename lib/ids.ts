import { randomFillSync } from "node:crypto";

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case
const ID_CHARS = 26;
/** Characters of a sortable id's time part: 10 base32 digits (50 bits) of milliseconds reach the year 37,000. */
const TIME_CHARS = 10;

/**
 * Random bytes are drawn from the CSPRNG 4 KiB at a time and used once each: one
 * `randomBytes(26)` call per id cost a twentieth of the usage-event path's CPU.
 */
const pool = Buffer.alloc(4096);
let offset = pool.length;

function randomChars(count: number): string {
  if (offset + count > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  let out = "";
  for (let i = offset; i < offset + count; i++) out += alphabet[pool[i]! & 31];
  offset += count;
  return out;
}

/** A random id with a type prefix, e.g. `cust_473cr1y0ghbyc3m1yfbwvn3nxx` (26 chars, 130 bits). */
export function newId(prefix: string): string {
  return `${prefix}_${randomChars(ID_CHARS)}`;
}

let lastTime = "";
let lastMs = -1;

/**
 * An id of the same shape as newId's whose first 10 characters are the creation time in
 * milliseconds (then 16 random characters, 80 bits), so ids made later sort after ids made
 * earlier (ULID's layout, in newId's alphabet). For the rows written by the thousand a
 * second (ledger transactions, holds): a random key lands its index entry on a random
 * page of an ever larger index, a time-ordered one on the index's last pages, which stay
 * in the CPU's caches (measured in docs/benchmarks.md: a ledger's inserts a fifth cheaper).
 */
export function newSortableId(prefix: string, now = Date.now()): string {
  if (now !== lastMs) {
    let t = now;
    let time = "";
    for (let i = 0; i < TIME_CHARS; i++) {
      time = alphabet[t % 32]! + time;
      t = Math.floor(t / 32);
    }
    lastMs = now;
    lastTime = time;
  }
  return `${prefix}_${lastTime}${randomChars(ID_CHARS - TIME_CHARS)}`;
}
