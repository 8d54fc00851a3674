import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createOperator } from "@/lib/console/operators";
import { consoleCookieNames, createOperatorSession } from "@/lib/console/operator-sessions";
import { expect, test, uniqueEmail, type PlatformApi } from "./fixtures/test";

/**
 * The console's other sections (Overview, Events, Catalog, Developers, Settings) as an
 * owner whose session is made in-process (the magic-link sign-in has its own journey in
 * console.spec.ts): rotate an API key and see the old one refused, redeliver a failed
 * webhook, switch to live mode and see no test data. Every page passes axe-core's default
 * rules. `DOCS_SCREENSHOTS=1` rewrites docs/screenshots/console-*.png.
 */

async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

async function docsScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.DOCS_SCREENSHOTS !== "1") return;
  // A key or signing secret shown once is masked: even a throwaway one does not belong in the docs.
  await page.screenshot({
    path: path.join(import.meta.dirname, "..", "docs", "screenshots", `${name}.png`),
    fullPage: true,
    mask: [page.getByTestId("secret-once")],
    maskColor: "#d4d4d8",
  });
}

async function signIn(page: Page, platformId: string, baseURL: string): Promise<void> {
  const operator = await createOperator(platformId, { email: uniqueEmail("owner"), role: "owner" });
  const { token } = await createOperatorSession(operator.id);
  const names = consoleCookieNames(baseURL.startsWith("https://"));
  await page.context().addCookies([{ name: names.session, value: token, url: baseURL }]);
}

/** A webhook receiver on this machine answering `status` (changeable). */
async function receiver(): Promise<{ url: string; hits: string[]; answer: (status: number) => void; close: () => Promise<void> }> {
  const hits: string[] = [];
  let status = 500;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      hits.push(body);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    hits,
    answer: (s) => (status = s),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function seedCatalog(acme: PlatformApi): Promise<{ customerId: string; productId: string }> {
  const product = await acme.call<{ id: string }>(
    "POST",
    "/products",
    {
      name: "Image API",
      code: "images",
      publish: true,
      prices: [
        {
          name: "Generated image",
          type: "usage_based",
          billing_model: { type: "real_time" },
          usage_calculation: { event_type: "image_generated", usage_type: "unit" },
          pricing: [{ asset: "USD", values: [{ unit_price: 0.25 }] }],
        },
      ],
    },
    201,
  );
  const customer = await acme.createCustomer({ name: "Ada", email: uniqueEmail("ada"), subscriptions: [{ products: [{ code: "images", version: "default" }] }] });
  await acme.credit(customer.id, 1);
  const now = Date.now();
  await acme.call("POST", "/events", {
    customer_id: customer.id,
    events: [
      ...[0, 1, 2].map((i) => ({ id: `img-${i}`, event_type: "image_generated", occurred_at: new Date(now - i * 60_000).toISOString() })),
      { id: "unpriced", event_type: "video_generated", occurred_at: new Date(now).toISOString() },
      ...[3, 4, 5, 6, 7].map((i) => ({ id: `img-${i}`, event_type: "image_generated", occurred_at: new Date(now).toISOString() })),
    ],
  });
  return { customerId: customer.id, productId: product.id };
}

test("overview, events, catalog, developers and settings: rotate a key, redeliver a webhook, live mode shows no test data", async ({ page, platform, baseURL, sql }) => {
  const acme = await platform("Acme Sections");
  const hooks = await receiver();
  try {
    const endpoint = await acme.call<{ id: string }>("POST", "/webhooks", { url: hooks.url, topics: ["event.refused"] }, 201);
    const { customerId, productId } = await seedCatalog(acme);
    await page.goto("/console/sign-in");
    await expectAccessible(page);
    await docsScreenshot(page, "console-sign-in");
    await signIn(page, acme.platformId, baseURL!);

    // Overview: the refused and unbilled events of the seed.
    await page.goto("/console");
    await expect(page).toHaveURL(/\/console\/overview$/);
    await expect(page.getByTestId("overview-customers")).toHaveText("1");
    await expect(page.getByTestId("overview-unbilled")).toHaveText("1");
    await expect(page.getByTestId("overview-refused")).not.toHaveText("0");
    await expectAccessible(page);
    await docsScreenshot(page, "console-overview");

    // Customers: balances and this month's revenue in the list; the customer page with an open hold.
    await acme.credit(customerId, 5);
    await acme.call("POST", `/customers/${customerId}/wallet/holds`, { id: "render-1", amount: 0.75, asset: "USD", subject: "render_8812" }, 201);
    await page.getByRole("link", { name: "Customers", exact: true }).click();
    const customerRow = page.getByTestId(`customer-row-${customerId}`);
    await expect(customerRow).toContainText("Ada");
    // Available as the API answers it: 1 + 5 credited, 1 charged, 0.75 held.
    await expect(customerRow.getByTestId("customer-balances")).toContainText("4.25 USD");
    await expectAccessible(page);
    await docsScreenshot(page, "console-customers");
    await customerRow.getByRole("link").first().click();
    await expect(page).toHaveURL(new RegExp(`/console/customers/${customerId}$`));
    // 1 + 5 credited, 4 images at 0.25 billed, 0.75 held: 4.25 available.
    await expect(page.getByTestId("account-default:USD").getByTestId("account-available")).toHaveText("4.25");
    await expect(page.getByTestId("hold-row")).toHaveCount(1);
    await expect(page.getByTestId("hold-row")).toContainText("0.75");
    await expectAccessible(page);
    await docsScreenshot(page, "console-customer");

    // Team and audit log.
    await page.getByRole("link", { name: "Team", exact: true }).click();
    await expect(page.getByTestId("operator-row")).toHaveCount(1);
    await expectAccessible(page);
    await docsScreenshot(page, "console-team");
    await page.getByRole("link", { name: "Audit log", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    await expectAccessible(page);

    // Events: filter the refused ones, with why.
    await page.getByRole("link", { name: "Events", exact: true }).click();
    await page.getByLabel("Status").selectOption("refused");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/status=refused/);
    await expect(page.getByTestId("event-row").first()).toContainText("insufficient_funds");
    await expect(page.getByTestId("event-row").filter({ hasText: "video_generated" })).toHaveCount(0);
    await expectAccessible(page);
    await page.goto("/console/events");
    await docsScreenshot(page, "console-events");

    // Catalog: the product's prices as a table, and a simulation.
    await page.getByRole("link", { name: "Catalog" }).click();
    await page.getByRole("link", { name: "Image API" }).click();
    await expect(page).toHaveURL(new RegExp(`/console/catalog/${productId}$`));
    await expect(page.getByRole("table", { name: "Prices of version 1" })).toContainText("0.25 per event");
    await page.getByRole("button", { name: "Simulate" }).click();
    await expect(page.getByTestId("simulation-result")).toContainText("billed");
    await expect(page.getByTestId("simulation-result")).toContainText("0.25 USD");
    await expectAccessible(page);
    await docsScreenshot(page, "console-catalog");

    // Developers: a new key is shown once and works; the old one, revoked, is refused.
    page.on("dialog", (dialog) => void dialog.accept());
    await page.getByRole("link", { name: "Developers" }).click();
    await page.getByLabel("Name (what the key is for)").fill("rotated server key");
    await page.getByRole("button", { name: "Create API key" }).click();
    const newKey = (await page.getByTestId("secret-once").textContent())!.trim();
    expect(newKey).toMatch(/^dd_test_/);
    const oldPrefix = acme.apiKey.slice(0, "dd_test_".length + 4);
    const oldRow = page.getByRole("row").filter({ hasText: oldPrefix });
    await oldRow.getByRole("button", { name: "Revoke" }).click();
    await expect(oldRow).toContainText("revoked");
    const asOld = await page.request.get("/api/v1/customers", { headers: { Authorization: `Bearer ${acme.apiKey}` } });
    expect(asOld.status()).toBe(401);
    const asNew = await page.request.get("/api/v1/customers", { headers: { Authorization: `Bearer ${newKey}` } });
    expect(asNew.status()).toBe(200);
    await expectAccessible(page);
    await docsScreenshot(page, "console-developers");

    // Redeliver: the receiver refused the first attempt; the delivery is given up (as after
    // its last attempt, hours later: set in the database), then redelivered from the console.
    await expect.poll(() => hooks.hits.length, { timeout: 30_000 }).toBeGreaterThan(0);
    const [delivery] = await sql<{ id: string }>(`SELECT id FROM webhook_deliveries WHERE endpoint_id = $1`, [endpoint.id]);
    await expect.poll(async () => (await sql(`SELECT 1 FROM webhook_deliveries WHERE id = $1 AND attempts > 0`, [delivery!.id])).length).toBe(1);
    await sql(`UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE id = $1`, [delivery!.id]);
    hooks.answer(200);
    await page.getByRole("link", { name: hooks.url }).click();
    const row = page.getByTestId(`delivery-${delivery!.id}`);
    await expect(row).toContainText("failed");
    await expectAccessible(page);
    const hitsBefore = hooks.hits.length;
    await row.getByRole("button", { name: "Redeliver" }).click();
    await expect.poll(() => hooks.hits.length, { timeout: 30_000 }).toBeGreaterThan(hitsBefore);
    await expect.poll(async () => (await sql<{ status: string }>(`SELECT status FROM webhook_deliveries WHERE id = $1`, [delivery!.id]))[0]!.status).toBe("delivered");
    await page.reload();
    await expect(page.getByTestId(`delivery-${delivery!.id}`)).toContainText("delivered");
    await docsScreenshot(page, "console-webhook");

    // Settings
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByLabel("Brand colour (#rrggbb)").fill("teal");
    await page.getByRole("button", { name: "Save branding" }).click();
    await expect(page.locator("#brand-color-error")).toHaveText("A colour as #rrggbb, e.g. #4f46e5");
    await page.getByLabel("Brand colour (#rrggbb)").fill("#0d9488");
    await page.getByRole("button", { name: "Save branding" }).click();
    await expect(page.getByText("Saved.")).toBeVisible();
    expect((await sql<{ brand_color: string }>(`SELECT brand_color FROM platforms WHERE id = $1`, [acme.platformId]))[0]!.brand_color).toBe("#0d9488");
    await expectAccessible(page);
    // docs/screenshots/console-settings.png is console-settings.spec.ts's (every setting filled in).
    await page.getByRole("link", { name: "Audit log", exact: true }).click();
    await expect(page.getByTestId("audit-row").first()).toContainText("brand");
    await docsScreenshot(page, "console-audit");

    // Live mode: none of the test data.
    // The switch is controlled by the server's mode (it flips when the page refreshes): click, then wait for it.
    await page.getByRole("switch", { name: "Live mode" }).click();
    await expect(page.getByTestId("console-mode")).toHaveText("Live mode");
    await page.goto("/console/developers");
    await expect(page.getByText("No API keys in live mode.")).toBeVisible();
    await expect(page.getByText("No webhook endpoints in live mode.")).toBeVisible();
    await page.goto("/console/events");
    await expect(page.getByText("No events match.")).toBeVisible();
    await page.goto("/console/catalog");
    await expect(page.getByRole("link", { name: "Image API" })).toHaveCount(0);
    await page.goto(`/console/catalog/${productId}`);
    await expect(page.getByRole("heading", { name: "Image API" })).toHaveCount(0);
    await page.goto("/console/overview");
    await expect(page.getByTestId("overview-customers")).toHaveText("0");
    await expectAccessible(page);
  } finally {
    await hooks.close();
  }
});
