import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED_TYPES_PATH, generateSdkTypes } from "@/scripts/sdk/generate-types";

/**
 * The drift check: sdk/src/generated/openapi.ts must be exactly what the API's current
 * OpenAPI document generates. When the API changes, run `npm run sdk:generate` and fix
 * whatever in the SDK no longer compiles.
 */
describe("sdk/src/generated/openapi.ts", () => {
  it("matches the API's OpenAPI document", async () => {
    const [committed, fresh] = await Promise.all([readFile(GENERATED_TYPES_PATH, "utf8"), generateSdkTypes()]);
    const where = path.relative(process.cwd(), GENERATED_TYPES_PATH);
    if (committed !== fresh) {
      const committedLines = committed.split("\n");
      const freshLines = fresh.split("\n");
      const line = freshLines.findIndex((l, i) => l !== committedLines[i]);
      expect.fail(
        `${where} is out of date with the API's OpenAPI document (first difference at line ${line + 1}: ` +
          `committed ${JSON.stringify(committedLines[line])}, generated ${JSON.stringify(freshLines[line])}). ` +
          "Run `npm run sdk:generate` and make the SDK compile against the new types.",
      );
    }
    expect(committed).toContain("Do not edit.");
  });
});
