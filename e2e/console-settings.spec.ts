import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createOperator } from "@/lib/console/operators";
import { consoleCookieNames, createOperatorSession } from "@/lib/console/operator-sessions";
import { expect, test, uniqueEmail } from "./fixtures/test";

/**
 * The console's Settings as an owner (session made in-process; console.spec.ts has the
 * magic-link journey): a logo URL (the API's field error first) that the customer's portal
 * then shows in its header, the mode's default low-balance threshold, and the auto top-up
 * suggestions the portal's form starts from. axe-core on both pages. `DOCS_SCREENSHOTS=1`
 * rewrites docs/screenshots/console-settings.png.
 */

async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("an owner sets the portal's logo, the default low-balance threshold and auto top-up suggestions; the portal shows them", async ({ page, platform, baseURL: base, sql }) => {
  const baseURL = base!;
  const acme = await platform("Acme Logo");
  const operator = await createOperator(acme.platformId, { email: uniqueEmail("owner"), role: "owner" });
  const { token } = await createOperatorSession(operator.id);
  await page.context().addCookies([{ name: consoleCookieNames(baseURL.startsWith("https://")).session, value: token, url: baseURL }]);
  const customer = await acme.createCustomer({ name: "Lena", email: uniqueEmail("lena") });
  await acme.credit(customer.id, 10);

  await page.goto("/console/settings");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();

  // Logo: plain http elsewhere than localhost is refused beside the field, then the app's own icon is saved.
  const logo = `${new URL(baseURL).origin}/icon.svg`;
  await page.getByLabel(/^Logo URL/).fill("http://cdn.example.com/logo.png");
  await page.getByRole("button", { name: "Save branding" }).click();
  await expect(page.locator("#logo-url-error")).toHaveText("An absolute https:// URL of an image, e.g. https://example.com/logo.svg");
  await page.getByLabel(/^Logo URL/).fill(logo);
  await page.getByRole("button", { name: "Save branding" }).click();
  await expect(page.getByRole("form", { name: "Branding" }).getByRole("status")).toHaveText("Saved.");

  // The mode's default low-balance threshold, with the API's rule.
  const lowBalance = page.getByRole("form", { name: "Default low-balance threshold" });
  await lowBalance.getByRole("textbox").fill("-1");
  await lowBalance.getByRole("button", { name: "Save threshold" }).click();
  await expect(page.locator("#default-low-balance-error")).toHaveText("Must not be negative");
  await lowBalance.getByRole("textbox").fill("2.5");
  await lowBalance.getByRole("button", { name: "Save threshold" }).click();
  await expect(lowBalance.getByRole("status")).toHaveText("Saved.");

  // Auto top-up suggestions: a cap under the amount is refused.
  const autoTopUp = page.getByRole("form", { name: "Auto top-up defaults" });
  await autoTopUp.getByLabel("When the balance falls below").fill("3");
  await autoTopUp.getByLabel("Top up by").fill("30");
  await autoTopUp.getByLabel("Monthly cap").fill("20");
  await autoTopUp.getByRole("button", { name: "Save auto top-up defaults" }).click();
  await expect(page.locator("#auto-top-up-cap-error")).toHaveText("Must be at least the amount of one top-up");
  await autoTopUp.getByLabel("Monthly cap").fill("90");
  await autoTopUp.getByRole("button", { name: "Save auto top-up defaults" }).click();
  await expect(autoTopUp.getByRole("status")).toHaveText("Saved.");

  const [row] = await sql<{ logo_url: string; threshold: string; cap: string }>(
    `SELECT logo_url, test_default_low_balance_threshold::text AS threshold, auto_top_up_default_monthly_cap::text AS cap FROM platforms WHERE id = $1`,
    [acme.platformId],
  );
  expect(row).toEqual({ logo_url: logo, threshold: "2.500000000000", cap: "90.000000000000" });
  await page.reload();
  await expect(page.getByLabel(/^Logo URL/)).toHaveValue(logo);
  await expectAccessible(page);
  if (process.env.DOCS_SCREENSHOTS === "1") {
    await page.screenshot({ path: path.join(import.meta.dirname, "..", "docs", "screenshots", "console-settings.png"), fullPage: true });
  }

  // The customer's portal: the logo beside the name (loaded by the browser), and the suggestions.
  await page.goto((await acme.portalSession(customer.id)).redirect_url);
  const img = page.getByTestId("platform-logo");
  await expect(img).toHaveAttribute("src", logo);
  await expect(img).toHaveAttribute("alt", "Acme Logo logo");
  await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Top up", exact: true }).click();
  const form = page.getByRole("form", { name: /Auto top-up for/ });
  await expect(form.getByLabel("When the balance falls below (USD)")).toHaveValue("3");
  await expect(form.getByLabel("Top up by (USD)")).toHaveValue("30");
  await expect(form.getByLabel("Monthly cap (USD)")).toHaveValue("90");
  await expectAccessible(page);
});
