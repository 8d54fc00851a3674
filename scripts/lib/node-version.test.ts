import { describe, expect, it } from "vitest";
import { unsupportedNodeReason } from "./node-version";

describe("the supported Node.js versions", () => {
  it("are Prisma 7's: 20.19+, 22.12+, 24+", () => {
    for (const ok of ["20.19.0", "20.20.2", "v22.12.0", "22.20.1", "24.0.0", "25.1.0"]) {
      expect(unsupportedNodeReason(ok)).toBeNull();
    }
  });

  it("are what package.json's engines says, so npm and the start-up check agree", async () => {
    const { readFile } = await import("node:fs/promises");
    const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toBe("^20.19 || ^22.12 || >=24");
  });

  it("refuses the others with a message that says what to install", () => {
    for (const old of ["18.20.4", "20.18.1", "21.7.3", "22.11.0", "23.5.0"]) {
      expect(unsupportedNodeReason(old)).toMatch(/needs Node\.js 20\.19\+, 22\.12\+ or 24\+; this is Node\.js \d/);
    }
  });

  it("is checked first by npm run dev and npm start", async () => {
    const { readFile } = await import("node:fs/promises");
    for (const script of ["scripts/dev.ts", "scripts/start.ts"]) {
      const text = await readFile(new URL(`../../${script}`, import.meta.url), "utf8");
      const check = text.indexOf("requireSupportedNode()");
      expect(check, script).toBeGreaterThan(-1);
      // run-app (Prisma, Next.js) is imported only after the check.
      expect(text.indexOf('await import("./lib/run-app")'), script).toBeGreaterThan(check);
    }
  });
});
