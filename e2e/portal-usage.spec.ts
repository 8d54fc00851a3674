import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test, uniqueEmail } from "./fixtures/test";

/**
 * The screenshots README and docs show (docs/screenshots/). They change on every run (a
 * fresh customer, the time), so a run rewrites them only when asked:
 * `DOCS_SCREENSHOTS=1 npx playwright test e2e/portal-usage.spec.ts`.
 */
async function docsScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.DOCS_SCREENSHOTS !== "1") return;
  await page.screenshot({ path: path.join(import.meta.dirname, "..", "docs", "screenshots", `${name}.png`), fullPage: true });
}

/**
 * Journey (b): usage the platform sends through the API shows in the customer's usage
 * history and lowers the balance on the overview.
 */
test("usage sent through the API appears in the portal and lowers the balance", async ({ page, platform, saveScreenshot }) => {
  const acme = await platform("Acme API", "#7c3aed");
  await acme.call("POST", "/products", {
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
      {
        // A fraction of a cent: shown as $0.0029, never as $0.00.
        name: "Thumbnail",
        type: "usage_based",
        billing_model: { type: "real_time" },
        usage_calculation: { event_type: "thumbnail_generated", usage_type: "unit" },
        pricing: [{ asset: "USD", values: [{ unit_price: 0.0029 }] }],
      },
    ],
  }, 201);
  const customer = await acme.createCustomer({
    name: "Ada",
    email: uniqueEmail("ada"),
    subscriptions: [{ products: [{ code: "images", version: "default" }] }],
  });
  await acme.credit(customer.id, 10);

  const session = await acme.portalSession(customer.id);
  await page.goto(session.redirect_url);
  await expect(page.getByTestId("balance-default:USD")).toHaveText("$10.00");
  await expect(page.getByTestId("spend-month-USD")).toHaveText("$0.00");

  const now = Date.now();
  const results = await acme.call<{ results: { status: string }[] }>("POST", "/events", {
    customer_id: customer.id,
    events: ["sunset", "harbour", "mountain"].map((subject, i) => ({
      id: `evt-${customer.id}-${i}`,
      event_type: "image_generated",
      occurred_at: new Date(now - (3 - i) * 60_000).toISOString(),
      subject,
      description: `A picture of a ${subject}`,
    })),
  });
  expect(results.results.map((r) => r.status)).toEqual(["billed", "billed", "billed"]);
  const more = await acme.call<{ results: { status: string; reason?: string }[] }>("POST", "/events", {
    customer_id: customer.id,
    events: [
      { id: `evt-${customer.id}-video`, event_type: "video_generated", occurred_at: new Date(now - 30_000).toISOString(), subject: "trailer" },
      { id: `evt-${customer.id}-thumb`, event_type: "thumbnail_generated", occurred_at: new Date(now - 10_000).toISOString(), subject: "sunset" },
    ],
  });
  expect(more.results.map((r) => [r.status, r.reason ?? null])).toEqual([["unbilled", "no_matching_price"], ["billed", null]]);

  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Usage" }).click();
  const usage = page.getByRole("table", { name: "Usage history" });
  const rows = usage.getByRole("row");
  await expect(rows).toHaveCount(6);
  // Newest first, with subject, product and fee; every fee with the precision it has.
  const cells = (row: number) => rows.nth(row).getByRole("cell");
  const rowOf = (text: string) => rows.filter({ hasText: text }).getByRole("cell");
  const thumbnail = rowOf("Thumbnail");
  await expect(thumbnail.nth(1)).toHaveText("sunset");
  await expect(thumbnail.nth(2)).toHaveText("Image API · Thumbnail");
  await expect(thumbnail.nth(3)).toHaveText("$0.0029 USD");
  await expect(thumbnail.nth(4)).toHaveText("Billed");
  // An event no price applies to: its type read aloud, the reason in a sentence.
  const video = rowOf("trailer");
  await expect(video.nth(2)).toHaveText("Video generated");
  await expect(video.nth(3)).toHaveText("—");
  await expect(video.nth(4)).toContainText("Not billed");
  await expect(video.nth(4)).toContainText("No price in your plan applies to this usage, so it was not charged.");
  await expect(usage).not.toContainText("no_matching_price");
  await expect(usage).not.toContainText("video_generated");
  await expect(rows.nth(3)).toContainText("mountain");
  await expect(rows.nth(5)).toContainText("sunset");
  await expect(cells(3).nth(2)).toHaveText("Image API · Generated image");
  await expect(cells(3).nth(3)).toHaveText("$0.25 USD");
  await docsScreenshot(page, "portal-usage");

  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Overview" }).click();
  // The account by its asset's name; the balance and spend to the fraction of a cent the
  // thumbnail cost; the chart's peak label agrees with its full-height bar.
  await expect(page.getByRole("heading", { name: "US Dollar balance" })).toBeVisible();
  await expect(page.getByText("default:USD")).toHaveCount(0);
  await expect(page.getByTestId("balance-default:USD")).toHaveText("$9.2471");
  await expect(page.getByTestId("spend-month-USD")).toHaveText("$0.7529");
  await expect(page.getByTestId("spend-peak-USD")).toHaveText("$0.7529");
  await saveScreenshot(page, "portal-usage");
  await docsScreenshot(page, "portal-overview");

  // The top-up page's credits table: what is left after the thumbnail, not "$10.00".
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Top-ups & credits" }).click();
  await expect(page.getByRole("table", { name: "Credit grants" }).getByRole("row").nth(1).getByRole("cell").nth(3)).toHaveText("$9.2471");

  // Browsers ask for /favicon.ico on every page, whatever the page links.
  const favicon = await page.request.get("/favicon.ico");
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["content-type"]).toContain("image/");

  // A custom asset is paid in its rate's currency; the portal shows what the payment buys.
  await acme.call("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0, rates: [{ source: "USD", rate: 0.05 }] }, 201);
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Top up" }).click();
  await page.getByLabel("Account").selectOption("default:CREDIT");
  await page.getByRole("button", { name: "$20.00", exact: true }).click();
  await expect(page.getByTestId("top-up-summary")).toContainText("You pay $20.00");
  await expect(page.getByTestId("top-up-summary")).toContainText("You get 400 CREDIT in your Credits balance");
  await page.getByLabel("Custom amount").fill("7.5");
  await expect(page.getByTestId("top-up-summary")).toContainText("You get 150 CREDIT in your Credits balance");
});
