import { afterAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/billing-portal/sessions/route";
import { findPortalSession } from "./portal-sessions";
import { closeDb } from "@/lib/db";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import { signInWithRedirectToken } from "./redirect-sign-in";

afterAll(closeDb);

function post(key: string | null, body: unknown): Promise<Response> {
  return POST(
    new Request("http://localhost/api/v1/billing-portal/sessions", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    }),
  );
}

function tokenOf(redirectUrl: string): string {
  return new URL(redirectUrl).searchParams.get("token")!;
}

describe("POST /billing-portal/sessions", () => {
  it("answers a single-use, 10-minute sign-in link", async () => {
    const p = await createTestPlatform();
    const c = await createTestCustomer(p.platformId);
    const res = await post(p.apiKey, { customer_id: c.customerId, return_url: "https://glitch.ai/account" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { redirect_url: string; expires_at: string };
    expect(Object.keys(body).sort()).toEqual(["expires_at", "redirect_url"]);
    expect(body.redirect_url).toMatch(/^http:\/\/localhost:3000\/api\/sign-in\?token=/);
    const ttl = new Date(body.expires_at).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(9 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(10 * 60 * 1000 + 5000);

    const first = await signInWithRedirectToken(tokenOf(body.redirect_url));
    expect(first).toMatchObject({ signedIn: true, location: "http://localhost:3000/portal" });
    const session = await findPortalSession(first.signedIn ? first.sessionToken : "");
    expect(session).toMatchObject({ customerId: c.customerId, platformId: p.platformId, returnUrl: "https://glitch.ai/account" });

    const again = await signInWithRedirectToken(tokenOf(body.redirect_url));
    expect(again).toEqual({ signedIn: false, location: "http://localhost:3000/sign-in/link-expired" });
  });

  it("sends a used link to failure_url and replaces the browser's previous session", async () => {
    const p = await createTestPlatform();
    const a = await createTestCustomer(p.platformId);
    const b = await createTestCustomer(p.platformId);
    const linkA = (await (await post(p.apiKey, { customer_id: a.customerId })).json()) as { redirect_url: string };
    const linkB = (await (await post(p.apiKey, { customer_id: b.customerId, failure_url: "https://glitch.ai/failed" })).json()) as {
      redirect_url: string;
    };
    const signedA = await signInWithRedirectToken(tokenOf(linkA.redirect_url));
    if (!signedA.signedIn) throw new Error("A did not sign in");
    const signedB = await signInWithRedirectToken(tokenOf(linkB.redirect_url), signedA.sessionToken);
    expect(signedB.signedIn).toBe(true);
    expect(await findPortalSession(signedA.sessionToken)).toBeNull();
    expect(await signInWithRedirectToken(tokenOf(linkB.redirect_url))).toEqual({ signedIn: false, location: "https://glitch.ai/failed" });
  });

  it("answers 404 for another platform's customer and 401 without a key", async () => {
    const p = await createTestPlatform();
    const other = await createTestPlatform();
    const c = await createTestCustomer(other.platformId);
    expect((await post(p.apiKey, { customer_id: c.customerId })).status).toBe(404);
    expect((await post(null, { customer_id: c.customerId })).status).toBe(401);
  });

  it("refuses non-http return urls", async () => {
    const p = await createTestPlatform();
    const c = await createTestCustomer(p.platformId);
    const res = await post(p.apiKey, { customer_id: c.customerId, return_url: "javascript:alert(1)" });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toEqual(["return_url"]);
  });
});
