import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import { consumeRedirectToken, createRedirectToken, failureUrlOfRedirectToken, hashRedirectToken } from "./redirect-tokens";

async function customer() {
  const platform = await createTestPlatform();
  return createTestCustomer(platform.platformId);
}

describe("redirect tokens", () => {
  it("stores only the hash and signs in once", async () => {
    const { customerId } = await customer();
    const made = await createRedirectToken({ customerId, target: "/portal", returnUrl: "https://p.example/back" });
    expect(made.url).toMatch(/\/api\/sign-in\?token=[A-Za-z0-9_-]{43}$/);
    expect(made.expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60 * 1000);
    expect(made.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(10 * 60 * 1000 + 5000);

    const { rows } = await pool().query("SELECT token_hash FROM redirect_tokens WHERE customer_id = $1", [customerId]);
    expect(rows).toEqual([{ token_hash: hashRedirectToken(made.token) }]);

    const first = await consumeRedirectToken(made.token);
    expect(first).toEqual({ customerId, target: "/portal", returnUrl: "https://p.example/back", failureUrl: null });
    expect(await consumeRedirectToken(made.token)).toBeNull();
  });

  it("lets exactly one of many concurrent consumers win", async () => {
    const { customerId } = await customer();
    const made = await createRedirectToken({ customerId, target: "/portal" });
    const results = await Promise.all(Array.from({ length: 8 }, () => consumeRedirectToken(made.token)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it("refuses an expired token and still knows its failure url", async () => {
    const { customerId } = await customer();
    const made = await createRedirectToken({ customerId, target: "/portal", failureUrl: "https://p.example/failed" });
    await pool().query("UPDATE redirect_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [
      hashRedirectToken(made.token),
    ]);
    expect(await consumeRedirectToken(made.token)).toBeNull();
    expect(await failureUrlOfRedirectToken(made.token)).toBe("https://p.example/failed");
  });

  it("refuses malformed and unknown tokens", async () => {
    expect(await consumeRedirectToken("nope")).toBeNull();
    expect(await consumeRedirectToken("A".repeat(43))).toBeNull();
  });
});
