import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { drawdownOpenApi } from "@/lib/api/openapi-document";

const run = promisify(execFile);

async function lint(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", "scripts/openapi-lint.ts", ...args], { env: { ...process.env, NO_COLOR: "1" } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe("npm run openapi:lint", () => {
  it("passes the served document with Redocly's recommended rules, warnings counted as errors", async () => {
    const { code, output } = await lint();
    expect(output).toContain("Your API description is valid");
    expect(code).toBe(0);
  }, 60_000);

  it("fails a document whose operation has no operationId", async () => {
    const doc = structuredClone(drawdownOpenApi()) as unknown as { paths: Record<string, Record<string, { operationId?: string }>> };
    delete doc.paths["/customers"]!.post!.operationId;
    const file = path.join(mkdtempSync(path.join(tmpdir(), "openapi-lint-test-")), "bad.json");
    writeFileSync(file, JSON.stringify(doc));
    const { code, output } = await lint(file);
    expect(output).toContain("operation-operationId");
    expect(code).toBe(1);
  }, 60_000);
});
