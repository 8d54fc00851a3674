import { z } from "zod";
import type * as core from "zod/v4/core";

/**
 * Error messages for people, installed once for every zod schema of the process: "Required"
 * rather than "Invalid input: expected string, received undefined", "Must be one of: unit,
 * volume" rather than `Invalid option: expected one of "unit"|"volume"`. A schema's own
 * message (`.min(1, "…")`, `{ error: "…" }`) still wins; anything not mapped here keeps
 * zod's wording. The field itself is named by `errors[].field` (lib/api/problem.ts).
 */
const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a JSON object",
  array: "a JSON array",
  date: "a date",
  bigint: "a whole number",
};

const FORMATS: Record<string, string> = {
  url: "Must be a valid URL",
  email: "Must be a valid email address",
  datetime: "Must be an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z",
  date: "Must be a date, e.g. 2025-01-31",
  uuid: "Must be a UUID",
  regex: "Has an invalid format",
};

type Issue = core.$ZodRawIssue;

function plural(n: number | bigint, one: string): string {
  return `${n} ${one}${Number(n) === 1 ? "" : "s"}`;
}

export function humanMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "Required";
      if (issue.input === null) return `Must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, not null`;
      return `Must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return issue.values.length === 1
        ? `Must be ${JSON.stringify(issue.values[0])}`
        : `Must be one of: ${issue.values.map((v: unknown) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ")}`;
    case "invalid_format":
      return FORMATS[issue.format] ?? `Must be a valid ${issue.format}`;
    case "too_small": {
      const min = issue.minimum;
      if (issue.origin === "string") return Number(min) <= 1 ? "Must not be empty" : `Must be at least ${plural(min, "character")}`;
      if (issue.origin === "array" || issue.origin === "set") return `Must have at least ${plural(min, "item")}`;
      return issue.inclusive ? `Must be at least ${min}` : `Must be greater than ${min}`;
    }
    case "too_big": {
      const max = issue.maximum;
      if (issue.origin === "string") return `Must be at most ${plural(max, "character")}`;
      if (issue.origin === "array" || issue.origin === "set") return `Must have at most ${plural(max, "item")}`;
      return issue.inclusive ? `Must be at most ${max}` : `Must be less than ${max}`;
    }
    case "not_multiple_of":
      return `Must be a multiple of ${issue.divisor}`;
    case "unrecognized_keys":
      return "Unknown field";
    case "invalid_union":
      return "Does not match any accepted form";
    default:
      return undefined;
  }
}

z.config({ customError: humanMessage });
