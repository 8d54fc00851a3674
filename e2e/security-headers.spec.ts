import http from "node:http";
import type { AddressInfo } from "node:net";
import type { APIResponse, Page, Response } from "@playwright/test";
import { expect, test, uniqueEmail } from "./fixtures/test";

/**
 * The portal under its Content-Security-Policy: every page of a customer's visit (magic-link
 * sign-in, overview, usage, a top-up through the emulated Checkout, the API reference)
 * works with no policy violation reported, and every answer carries the security headers
 * (lib/http/security-headers.ts). Another origin cannot frame the signed-in top-up page.
 */

/** Everything the browser reports as a CSP violation: console lines and `securitypolicyviolation` events. */
async function watchPolicyViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => violations.push(`page error: ${error.message}`));
  await page.exposeFunction("reportPolicyViolation", (violation: string) => violations.push(`event: ${violation}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { reportPolicyViolation: (v: string) => void }).reportPolicyViolation;
      report(`${event.effectiveDirective} blocked ${event.blockedURI} on ${event.documentURI} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return violations;
}

function policyOf(response: Response | APIResponse): Map<string, string> {
  const header = response.headers()["content-security-policy"] ?? "";
  return new Map(header.split(";").map((d) => d.trim()).filter(Boolean).map((d) => [d.split(" ")[0]!, d.slice(d.indexOf(" ") + 1)]));
}

function expectPageHeaders(response: Response | APIResponse, referrerPolicy = "strict-origin-when-cross-origin"): string {
  const headers = response.headers();
  const policy = policyOf(response);
  const scripts = policy.get("script-src") ?? "";
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scripts)?.[1];
  expect(nonce, headers["content-security-policy"]).toBeTruthy();
  expect(scripts).toContain("'strict-dynamic'");
  expect(scripts).not.toContain("unsafe-inline");
  expect(scripts).not.toContain("unsafe-eval");
  expect(policy.get("frame-ancestors")).toBe("'none'");
  expect(policy.get("object-src")).toBe("'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe(referrerPolicy);
  return nonce!;
}

test("the portal works under its CSP: sign-in, overview, usage, top-up, docs", async ({ page, platform, mailbox, saveScreenshot }) => {
  const violations = await watchPolicyViolations(page);
  const acme = await platform("Acme Vision", "#b45309");
  await acme.call("POST", "/products", {
    name: "Vision API",
    code: "vision",
    publish: true,
    prices: [
      {
        name: "Labelled image",
        type: "usage_based",
        billing_model: { type: "real_time" },
        usage_calculation: { event_type: "image_labelled", usage_type: "unit" },
        pricing: [{ asset: "USD", values: [{ unit_price: 0.5 }] }],
      },
    ],
  }, 201);
  const email = uniqueEmail("csp");
  const customer = await acme.createCustomer({ name: "Cy", email, subscriptions: [{ products: [{ code: "vision", version: "default" }] }] });
  await acme.credit(customer.id, 10);

  // Magic-link sign-in: the form, then the emailed confirmation page and its form post.
  const signIn = await page.goto(`/sign-in?platform=${acme.platformId}&mode=test`);
  expectPageHeaders(signIn!);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const link = /https?:\/\/\S+\/sign-in\/confirm\?\S+/.exec((await mailbox.waitFor(email)).text)![0];
  const confirm = await page.goto(link);
  // The link carries the token: the page must not pass it on as a Referer.
  expectPageHeaders(confirm!, "no-referrer");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByTestId("balance-default:USD")).toHaveText("$10.00");

  // Usage sent through the API, seen on the usage page.
  await acme.call("POST", "/events", {
    customer_id: customer.id,
    events: [{ id: `evt-${customer.id}`, event_type: "image_labelled", occurred_at: new Date().toISOString(), subject: "a lighthouse" }],
  });
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Usage" }).click();
  await expect(page.getByRole("table", { name: "Usage history" }).getByRole("row").nth(1)).toContainText("a lighthouse");

  // The top-up page: its own nonce, on every script Next.js rendered into it.
  const topUp = await page.goto("/portal/top-up");
  const nonce = expectPageHeaders(topUp!);
  const scriptNonces = await page.locator("script").evaluateAll((scripts) => scripts.map((s) => (s as HTMLScriptElement).nonce));
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([nonce]));
  expect(expectPageHeaders((await page.reload())!)).not.toBe(nonce);

  // Pay on the emulated Checkout and come back.
  await page.getByRole("button", { name: "$20.00", exact: true }).click();
  await page.getByRole("button", { name: "Pay $20.00" }).click();
  await expect(page).toHaveURL(new RegExp(`^${process.env.E2E_STRIPE_EMULATOR_URL}/checkout/`));
  await page.getByRole("button", { name: "Pay", exact: true }).click();
  await expect(page).toHaveURL(/\/portal\/top-ups\/top_[0-9a-z]+\/success$/);
  await expect(page.getByTestId("new-balance")).toHaveText("$29.50");
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByTestId("balance-default:USD")).toHaveText("$29.50");

  // The API reference renders under the same policy.
  const docs = await page.goto("/docs");
  expectPageHeaders(docs!);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await saveScreenshot(page, "csp-docs");

  expect(violations).toEqual([]);
  // The watch itself works: markup injected the way an XSS would is refused and reported.
  await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", `<img src="data:," onerror="document.title = 'pwned'">`));
  await expect.poll(() => violations.join("\n")).toContain("event: script-src-attr blocked inline");
  expect(await page.title()).not.toBe("pwned");
});

test("every answer carries nosniff and no-framing; token URLs send no Referer", async ({ page, platform }) => {
  const acme = await platform("Acme Headers");

  // The API served by server/main.ts without Next.js.
  const api = await page.request.get("/api/v1/customers", { headers: { Authorization: `Bearer ${acme.apiKey}` } });
  expect(api.status()).toBe(200);
  expect(api.headers()).toMatchObject({ "x-content-type-options": "nosniff", "x-frame-options": "DENY", "cache-control": "no-store" });
  const problem = await page.request.get("/api/v1/customers");
  expect(problem.status()).toBe(401);
  expect(problem.headers()).toMatchObject({ "x-content-type-options": "nosniff", "x-frame-options": "DENY" });
  // No Content-Security-Policy work on the API's path (proxy.ts does not run there).
  expect(api.headers()["content-security-policy"]).toBeUndefined();

  // A static asset and a portal route handler, served by Next.js.
  await page.goto("/docs");
  const asset = await page.locator("script[src*='/_next/static/']").first().getAttribute("src");
  const assetAnswer = await page.request.get(asset!);
  expect(assetAnswer.status()).toBe(200);
  expect(assetAnswer.headers()["x-content-type-options"]).toBe("nosniff");
  const portalApi = await page.request.get("/api/portal/overview");
  expect(portalApi.headers()).toMatchObject({ "x-content-type-options": "nosniff", "x-frame-options": "DENY" });

  // Redirect links with tokens: no Referer to wherever they lead.
  for (const url of ["/api/sign-in?token=not-a-real-token", "/api/auth/callback/email?token=x&email=y", "/sign-in/link-expired?token=x"]) {
    const answer = await page.request.get(url, { maxRedirects: 0 });
    expect(answer.headers()["referrer-policy"], url).toBe("no-referrer");
    expect(answer.headers()["x-content-type-options"], url).toBe("nosniff");
  }
  expect((await page.request.get("/sign-in/link-expired", { maxRedirects: 0 })).headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
});

test("a page on another origin cannot frame the signed-in top-up page", async ({ page, platform }) => {
  const acme = await platform("Acme Frames");
  const customer = await acme.createCustomer({ name: "Fay", email: uniqueEmail("fay") });
  await page.goto((await acme.portalSession(customer.id)).redirect_url);
  await expect(page).toHaveURL(/\/portal$/);

  // Same host, another port: same site, so the session cookie would go along.
  const appTopUp = new URL("/portal/top-up", process.env.E2E_BASE_URL).toString();
  const framer = http.createServer((_req, res) =>
    res.writeHead(200, { "Content-Type": "text/html" }).end(`<h1>Win a prize</h1><iframe name="victim" src="${appTopUp}" width="800" height="600"></iframe>`),
  );
  await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
  try {
    const refused = page.waitForEvent("console", (message) => /frame-ancestors/.test(message.text()));
    await page.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`);
    // Chromium: "Framing '…' violates … "frame-ancestors 'none'". The request has been blocked."
    expect((await refused).text()).toMatch(/frame-ancestors 'none'.*blocked/s);
    const victim = page.frame({ name: "victim" })!;
    await expect.poll(() => victim.url()).toMatch(/^chrome-error:/);
    await expect(victim.getByRole("heading", { name: "Top up" })).toHaveCount(0);
  } finally {
    await new Promise<void>((resolve) => framer.close(() => resolve()));
  }
});
