/**
 * `npm run openapi:lint`: the served OpenAPI document through Redocly's lint with its
 * `recommended-strict` rules (every warning an error; redocly.yaml). Exit code 1 on any
 * finding. Part of `npm test` through scripts/openapi-lint.test.ts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { drawdownOpenApi } from "@/lib/api/openapi-document";

const dir = mkdtempSync(path.join(tmpdir(), "drawdown-openapi-"));
const file = path.join(dir, "openapi.json");
try {
  // `-- <file>`: lint that document instead (the test shows the rules catch a bad one).
  const document = process.argv[2] ? JSON.parse(readFileSync(process.argv[2], "utf8")) : drawdownOpenApi();
  writeFileSync(file, JSON.stringify(document, null, 2));
  const result = spawnSync(path.join("node_modules", ".bin", "redocly"), ["lint", file, "--config", "redocly.yaml", "--format", "stylish"], {
    stdio: "inherit",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
