import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, strictTransportSecurity } from "./security-headers";

function directives(policy: string): Map<string, string> {
  return new Map(policy.split("; ").map((d) => [d.split(" ")[0]!, d.slice(d.indexOf(" ") + 1)]));
}

describe("contentSecurityPolicy", () => {
  const production = { nonce: "bm9uY2U=", development: false, appUrl: "https://billing.example", checkoutUrl: "https://checkout.stripe.com" };

  it("allows scripts only by nonce and what they load, never inline", () => {
    const d = directives(contentSecurityPolicy(production));
    expect(d.get("script-src")).toBe("'self' 'nonce-bm9uY2U=' 'strict-dynamic'");
    expect(d.get("style-src")).toBe("'self' 'nonce-bm9uY2U='");
    expect(d.get("object-src")).toBe("'none'");
    expect(d.get("base-uri")).toBe("'none'");
  });

  it("lets no one frame a page, and forms post to the app and Checkout only", () => {
    const d = directives(contentSecurityPolicy(production));
    expect(d.get("frame-ancestors")).toBe("'none'");
    expect(d.get("form-action")).toBe("'self' https://billing.example https://checkout.stripe.com");
    expect(d.has("upgrade-insecure-requests")).toBe(true);
  });

  it("names the emulator's origin in development and tests, and upgrades nothing over http", () => {
    const d = directives(contentSecurityPolicy({ ...production, appUrl: "http://127.0.0.1:3000", checkoutUrl: "http://127.0.0.1:12111/" }));
    expect(d.get("form-action")).toBe("'self' http://127.0.0.1:3000 http://127.0.0.1:12111");
    expect(d.has("upgrade-insecure-requests")).toBe(false);
  });

  it("loads images from the app and any https origin (the platform's logo), fonts from the app only", () => {
    const d = directives(contentSecurityPolicy(production));
    expect(d.get("img-src")).toBe("'self' data: blob: https:");
    expect(d.get("font-src")).toBe("'self'");
  });

  it("adds only what next dev needs in development", () => {
    const d = directives(contentSecurityPolicy({ ...production, development: true }));
    expect(d.get("script-src")).toBe("'self' 'nonce-bm9uY2U=' 'strict-dynamic' 'unsafe-eval'");
    expect(d.get("style-src")).toBe("'self' 'unsafe-inline'");
  });
});

describe("strictTransportSecurity", () => {
  it("is sent only for an https APP_URL", () => {
    expect(strictTransportSecurity("https://billing.example")).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(strictTransportSecurity("http://localhost:3000")).toBeNull();
  });
});

describe("newNonce", () => {
  it("is 128 random bits, base64, new every time", () => {
    const a = newNonce();
    expect(atob(a)).toHaveLength(16);
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(a);
  });
});
