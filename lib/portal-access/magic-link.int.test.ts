import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { PEER_ADDRESS_HEADER } from "@/lib/http/client-address";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import { encodeIdentity, parseIdentity } from "./magic-link-identity";
import { prepareMagicLinkRequest } from "./magic-link-request";
import { portalAdapter } from "./portal-adapter";
import { createPortalSession, findPortalSession } from "./portal-sessions";
import { hashSessionToken } from "./session-cookie";

const adapter = portalAdapter();

describe("magic-link identity", () => {
  it("round-trips and normalizes the address", () => {
    const id = encodeIdentity({ platformId: "plat_abc", liveMode: false, email: "  Ann@Example.COM " });
    expect(id).toBe("plat_abc:test:ann@example.com");
    expect(parseIdentity(id)).toEqual({ platformId: "plat_abc", liveMode: false, email: "ann@example.com" });
    expect(parseIdentity("ann@example.com")).toBeNull();
    expect(parseIdentity("plat_abc:prod:ann@example.com")).toBeNull();
    expect(() => encodeIdentity({ platformId: "plat_abc", liveMode: true, email: "no-at-sign" })).toThrow();
  });
});

describe("portal adapter", () => {
  it("maps an address to exactly one customer of the platform and mode", async () => {
    const a = await createTestPlatform("A");
    const b = await createTestPlatform("B");
    const email = `ann-${Date.now()}@example.test`;
    const inA = await createTestCustomer(a.platformId, { email: email.toUpperCase() });
    await createTestCustomer(b.platformId, { email });
    const idA = encodeIdentity({ platformId: a.platformId, liveMode: false, email });
    expect(await adapter.getUserByEmail!(idA)).toMatchObject({ id: inA.customerId, email: idA });
    // live mode of the same platform: nobody
    expect(await adapter.getUserByEmail!(encodeIdentity({ platformId: a.platformId, liveMode: true, email }))).toBeNull();
    // two customers with one address: ambiguous, nobody
    await createTestCustomer(b.platformId, { email });
    expect(await adapter.getUserByEmail!(encodeIdentity({ platformId: b.platformId, liveMode: false, email }))).toBeNull();
  });

  it("stores verification tokens only for customers and uses them once", async () => {
    const p = await createTestPlatform();
    const c = await createTestCustomer(p.platformId);
    const identifier = encodeIdentity({ platformId: p.platformId, liveMode: false, email: c.email! });
    const expires = new Date(Date.now() + 15 * 60 * 1000);
    await adapter.createVerificationToken!({ identifier, token: `hash-${c.customerId}`, expires });
    const unknown = encodeIdentity({ platformId: p.platformId, liveMode: false, email: "nobody@example.test" });
    expect(await adapter.createVerificationToken!({ identifier: unknown, token: `hash-x-${c.customerId}`, expires })).toBeNull();
    const { rows } = await pool().query("SELECT identifier FROM verification_tokens WHERE identifier = ANY($1)", [[identifier, unknown]]);
    expect(rows).toEqual([{ identifier }]);

    const uses = await Promise.all([1, 2, 3].map(() => adapter.useVerificationToken!({ identifier, token: `hash-${c.customerId}` })));
    expect(uses.filter(Boolean)).toHaveLength(1);
  });

  it("keeps sessions by hash and ends them on delete", async () => {
    const p = await createTestPlatform();
    const c = await createTestCustomer(p.platformId);
    const { sessionToken } = await createPortalSession({ customerId: c.customerId, returnUrl: "https://p.example" });
    const { rows } = await pool().query("SELECT token_hash FROM portal_sessions WHERE customer_id = $1", [c.customerId]);
    expect(rows).toEqual([{ token_hash: hashSessionToken(sessionToken) }]);
    expect(await findPortalSession(sessionToken)).toMatchObject({
      customerId: c.customerId,
      platformId: p.platformId,
      liveMode: false,
      returnUrl: "https://p.example",
    });
    const both = await adapter.getSessionAndUser!(sessionToken);
    expect(both?.user.id).toBe(c.customerId);
    await adapter.deleteSession!(sessionToken);
    expect(await findPortalSession(sessionToken)).toBeNull();
  });

  it("ignores expired sessions", async () => {
    const p = await createTestPlatform();
    const c = await createTestCustomer(p.platformId);
    const { sessionToken } = await createPortalSession({ customerId: c.customerId, expiresAt: new Date(Date.now() - 1000) });
    expect(await findPortalSession(sessionToken)).toBeNull();
  });

  it("refuses to create users", async () => {
    await expect(Promise.resolve().then(() => adapter.createUser!({ email: "x@example.test", emailVerified: null }))).rejects.toThrow();
  });
});

describe("magic-link request", () => {
  // As the production server hands requests on: the socket's address in the peer header.
  const headers = (ip: string, forwardedFor = "10.9.9.9") => new Headers({ [PEER_ADDRESS_HEADER]: ip, "x-forwarded-for": forwardedFor });

  it("rewrites the form into the identifier", async () => {
    const form = new URLSearchParams({ email: "Zed@Example.test", platform: "plat_abc", mode: "test", csrfToken: "t", json: "true" });
    const result = await prepareMagicLinkRequest(form, headers("192.0.2.1"));
    expect("body" in result && Object.fromEntries(result.body)).toEqual({ email: "plat_abc:test:zed@example.test", csrfToken: "t", json: "true" });
  });

  it("refuses a malformed address or platform", async () => {
    for (const form of [
      new URLSearchParams({ email: "nope", platform: "plat_abc", json: "true" }),
      new URLSearchParams({ email: "a@example.test", platform: "evil:x", json: "true" }),
    ]) {
      const result = await prepareMagicLinkRequest(form, headers("192.0.2.2"));
      expect("response" in result && result.response.status).toBe(400);
    }
  });

  it("limits sends per address", async () => {
    const email = `limit-${Date.now()}@example.test`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const form = new URLSearchParams({ email, platform: "plat_abc", mode: "test", json: "true" });
      const result = await prepareMagicLinkRequest(form, headers(`198.51.100.${i}`));
      statuses.push("response" in result ? result.response.status : 200);
      if ("response" in result) {
        expect(result.response.headers.get("retry-after")).toMatch(/^\d+$/);
        expect(((await result.response.json()) as { url: string }).url).toContain("error=RateLimited");
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it("limits sends per IP", async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const form = new URLSearchParams({ email: `ip-${i}-${Date.now()}@example.test`, platform: "plat_abc", json: "true" });
      const result = await prepareMagicLinkRequest(form, headers(ip));
      statuses.push("response" in result ? result.response.status : 200);
    }
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it("charges the peer's budget whatever X-Forwarded-For the client sends", async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const form = new URLSearchParams({ email: `spoof-${i}-${Date.now()}@example.test`, platform: "plat_abc", json: "true" });
      const result = await prepareMagicLinkRequest(form, headers(ip, `198.18.${i}.1`));
      statuses.push("response" in result ? result.response.status : 200);
    }
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});
