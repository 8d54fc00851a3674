import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createOperator } from "@/lib/console/operators";
import { consoleCookieNames, createOperatorSession } from "@/lib/console/operator-sessions";
import { expect, test, uniqueEmail } from "./fixtures/test";

/**
 * Developers → Request log, against the production server: API calls made with the
 * platform's key show up on their own (the log is written within a second and the newest
 * page re-renders every few seconds), with their status and problem code; the status
 * filter narrows them; query strings are not shown; live mode shows none of them; a
 * read-only operator may read it. Passes axe-core's default rules.
 * `DOCS_SCREENSHOTS=1` rewrites docs/screenshots/console-request-log.png.
 */

async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("the request log shows the platform's API calls with their status, filtered, and none in live mode", async ({ page, platform, baseURL }) => {
  const acme = await platform("Acme Requests");
  const headers = { Authorization: `Bearer ${acme.apiKey}` };
  expect((await page.request.get("/api/v1/customers?email=ada%40private.example", { headers })).status()).toBe(200);
  expect((await page.request.get("/api/v1/customers/cust_missing1", { headers })).status()).toBe(404);
  expect((await page.request.post("/api/v1/customers", { headers, data: { name: 7 } })).status()).toBe(422);

  const operator = await createOperator(acme.platformId, { email: uniqueEmail("reader"), role: "read_only" });
  const { token } = await createOperatorSession(operator.id);
  await page.context().addCookies([{ name: consoleCookieNames(baseURL!.startsWith("https://")).session, value: token, url: baseURL! }]);

  await page.goto("/console/developers");
  await page.getByRole("link", { name: "Request log: recent API calls →" }).click();
  await expect(page).toHaveURL(/\/console\/developers\/requests$/);
  const rows = page.getByTestId("api-request-row");
  const missing = rows.filter({ hasText: "/api/v1/customers/cust_missing1" });
  await expect(missing).toContainText("404");
  await expect(missing).toContainText("not_found");
  await expect(missing).toContainText(acme.apiKey.slice(0, "dd_test_".length + 4));
  await expect(rows.filter({ hasText: "validation_error" })).toContainText("POST");
  await expect(rows).toHaveCount(3);
  await expect(page.getByText("private.example")).toHaveCount(0);
  await expectAccessible(page);
  if (process.env.DOCS_SCREENSHOTS === "1") {
    await page.screenshot({ path: path.join(import.meta.dirname, "..", "docs", "screenshots", "console-request-log.png"), fullPage: true });
  }

  await page.getByLabel("Status").selectOption("4xx");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/status=4xx/);
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "200" })).toHaveCount(0);

  // Live mode: none of the test key's calls.
  await page.getByRole("switch", { name: "Live mode" }).click();
  await expect(page.getByTestId("console-mode")).toHaveText("Live mode");
  await page.goto("/console/developers/requests");
  await expect(page.getByText("No API requests match.")).toBeVisible();
  await expectAccessible(page);
});
