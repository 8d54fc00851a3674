import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { findApiKey } from "@/lib/auth/api-keys";
import { closeDb, prisma } from "@/lib/db";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");

afterAll(closeDb);

function platformCreate(args: string[]) {
  return run(process.execPath, ["--import", "tsx", path.join(root, "scripts/platform-create.ts"), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
    timeout: 60_000,
  });
}

describe("npm run platform:create", () => {
  it("--json prints only the platform id and a working test-mode key", async () => {
    const { stdout } = await platformCreate(["--name", "Acme CLI", "--json"]);
    const printed = JSON.parse(stdout) as Record<string, string>;
    expect(Object.keys(printed).sort()).toEqual(["api_key", "platform_id"]);
    expect(printed.platform_id).toMatch(/^plat_/);
    expect(printed.api_key).toMatch(/^dd_test_/);

    const owner = await findApiKey(printed.api_key!);
    expect(owner).toMatchObject({ platformId: printed.platform_id, liveMode: false });
    const platform = await prisma().platform.findUniqueOrThrow({ where: { id: printed.platform_id! } });
    expect(platform.name).toBe("Acme CLI");
    expect(await prisma().apiKey.count({ where: { platformId: platform.id } })).toBe(1);
  });

  it("--live makes a live-mode key", async () => {
    const { stdout } = await platformCreate(["--name", "Acme Live", "--json", "--live"]);
    const printed = JSON.parse(stdout) as { platform_id: string; api_key: string };
    expect(printed.api_key).toMatch(/^dd_live_/);
    expect(await findApiKey(printed.api_key)).toMatchObject({ platformId: printed.platform_id, liveMode: true });
  });

  it("--owner-email makes the platform's first console operator, an owner", async () => {
    const { stdout, stderr } = await platformCreate(["--name", "Acme Console", "--json", "--owner-email", "Boss@Acme.example"]);
    const printed = JSON.parse(stdout) as { platform_id: string };
    const operators = await prisma().operator.findMany({ where: { platformId: printed.platform_id } });
    expect(operators).toEqual([expect.objectContaining({ email: "boss@acme.example", role: "owner" })]);
    expect(operators[0]!.id).toMatch(/^op_/);
    expect(stderr).toContain("Console owner: boss@acme.example");
    await expect(platformCreate(["--name", "Acme", "--owner-email", "not-an-email"])).rejects.toMatchObject({ code: 2 });
  });

  it("fails with usage when --name is missing", async () => {
    await expect(platformCreate(["--json"])).rejects.toMatchObject({ code: 2 });
  });
});
