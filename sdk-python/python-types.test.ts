import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

/**
 * The Python SDK type-checks in pyright's strict mode for Python 3.9 (settings in
 * sdk-python/pyproject.toml). Pyright comes from the npm registry (a devDependency), so
 * nothing is needed from PyPI.
 */
describe("sdk-python types", () => {
  it("are clean under pyright --strict for Python 3.9", async () => {
    const { stdout } = await run("npx", ["pyright", "-p", "sdk-python", "--outputjson"], { maxBuffer: 16 * 1024 * 1024 }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    const report = JSON.parse(stdout) as { summary: { errorCount: number; warningCount: number; filesAnalyzed: number }; generalDiagnostics: { file: string; message: string; range: { start: { line: number } } }[] };
    const problems = report.generalDiagnostics.map((d) => `${d.file}:${d.range.start.line + 1} ${d.message}`);
    expect(problems).toEqual([]);
    expect(report.summary.errorCount).toBe(0);
    expect(report.summary.filesAnalyzed).toBeGreaterThan(10);
  }, 120_000);
});
