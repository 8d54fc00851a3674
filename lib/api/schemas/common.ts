import { z } from "zod";
import { Dec, STORED_SCALE } from "@/lib/money";
// Human error messages for every schema (installs zod's customError once).
import "./messages";

/**
 * Reusable request pieces. Descriptions and examples go through zod's `.meta()`, which
 * the OpenAPI generator (lib/api/openapi.ts) reads; no global zod extension is needed.
 */

const MAX_INTEGER_DIGITS = 26; // NUMERIC(38,12)
const LIMIT = new Dec(10).pow(MAX_INTEGER_DIGITS);
/** Decimals with at most 15 significant digits survive a trip through a double. */
const DOUBLE_SAFE_DIGITS = 15;
/** JSON-number grammar, also for strings ("12.50", "1e-12" as Prisma's Decimal prints). */
const DECIMAL_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

const AMOUNT_MESSAGE = 'Must be a decimal number, e.g. 12.5 or "12.50"';

function toAmount(value: number | string, ctx: z.RefinementCtx): Dec | typeof z.NEVER {
  const fail = (message: string) => {
    ctx.addIssue({ code: "custom", message, input: value });
    return z.NEVER;
  };
  // A JSON number is already a double; its shortest round-trip text is what the client
  // wrote as long as that had <= 15 significant digits (or is a safe integer). Beyond
  // that the double may differ from the text sent, so the client must send a string.
  const text = typeof value === "number" ? String(value) : value;
  if (text.length > 64 || !DECIMAL_TEXT.test(text)) return fail(AMOUNT_MESSAGE);
  const amount = new Dec(text);
  if (!amount.isFinite() || amount.abs().gte(LIMIT)) return fail(`Must have at most ${MAX_INTEGER_DIGITS} integer digits`);
  if (amount.decimalPlaces() > STORED_SCALE) return fail(`Must have at most ${STORED_SCALE} decimal places`);
  if (typeof value === "number" && !Number.isSafeInteger(value) && amount.sd() > DOUBLE_SAFE_DIGITS) {
    return fail(`Send amounts with more than ${DOUBLE_SAFE_DIGITS} significant digits as a decimal string`);
  }
  return amount;
}

/**
 * An exact amount: a JSON number (as in the seed) or a decimal string. Yields a `Dec`
 * (lib/money) so domain code does exact arithmetic and never sees a float: a number is
 * turned into text with `String(n)` and parsed as a decimal, never multiplied or rounded.
 * Refuses NaN/Infinity (and `1e400`, which JSON.parse makes Infinity), more than 12
 * decimal places and more than 26 integer digits.
 */
export const amountSchema = z
  .union([z.number(), z.string()], { error: (issue) => (issue.input === undefined ? "Required" : AMOUNT_MESSAGE) })
  .transform(toAmount)
  .meta({ description: "Exact decimal: a JSON number or a decimal string", example: 14.566678 });

export const positiveAmountSchema = amountSchema
  .refine((amount) => amount.gt(0), "Must be greater than 0")
  .meta({ description: "Exact decimal greater than 0: a JSON number or a decimal string", example: 20 });

export const nonNegativeAmountSchema = amountSchema
  .refine((amount) => amount.gte(0), "Must not be negative")
  .meta({ description: "Exact decimal, 0 or more: a JSON number or a decimal string", example: 0 });

/** `USD`, `TOK`, `CREDIT`: upper case, 2 to 16 characters. */
export const assetCodeSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{1,15}$/, "Must be 2-16 upper-case letters, digits or _, starting with a letter")
  .meta({ description: "Asset code", example: "USD" });

/**
 * ISO 8601 date-time with a time zone (`Z` or `+02:00`) → Date. zod's format check
 * already refuses days that do not exist (2023-02-29, 2024-04-31) and local times.
 */
export const isoDateTimeSchema = z.iso
  .datetime({ offset: true, error: "Must be an ISO 8601 date-time with time zone, e.g. 2025-01-31T12:00:00Z" })
  .transform((text, ctx) => {
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: "Must be a real date-time", input: text });
      return z.NEVER;
    }
    return date;
  })
  .meta({ description: "ISO 8601 date-time with time zone", example: "2025-01-31T12:00:00Z" });

const MAX_METADATA_KEYS = 50;

/** Flat key-value pairs the platform stores with an object; no nesting. */
export const metadataSchema = z
  .record(
    z.string().min(1).max(40, "Keys must be at most 40 characters"),
    z.union([z.string().max(500, "Values must be at most 500 characters"), z.number(), z.boolean()], {
      error: "Values must be a string, number or boolean",
    }),
  )
  .refine((m) => Object.keys(m).length <= MAX_METADATA_KEYS, `At most ${MAX_METADATA_KEYS} keys`)
  .meta({ description: "Flat string, number or boolean values", example: { plan: "pro" } });

/** An id made by lib/ids.ts `newId(prefix)`, e.g. `idSchema("cust")` for `cust_…`. */
export function idSchema(prefix: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-z]{1,64}$`), `Must be a ${prefix}_ id`)
    .meta({ description: `${prefix}_ id`, example: `${prefix}_473cr1y0ghbyc3m1yfbwvn3nxx` });
}

export const nameSchema = z.string().trim().min(1).max(200);
export const descriptionSchema = z.string().max(1000);
export const emailSchema = z.email().max(254);
export const externalIdSchema = z.string().min(1).max(255).meta({ description: "Your own id", example: "18991" });

/**
 * A field Credyt documents that Drawdown does not act on yet: refused with a 422 that says
 * so (naming the field), never accepted and thrown away.
 */
export function notSupportedYet(what: string) {
  const message = `Not supported yet: ${what}`;
  return z
    .unknown()
    .refine((v) => v === undefined, { message })
    .optional()
    .meta({ description: message });
}
