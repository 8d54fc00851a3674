import { expect, test, uniqueEmail } from "./fixtures/test";

/**
 * Journey (a): a platform opens a portal session through the API; the customer's browser
 * follows redirect_url, sees the balance, tops up $20 on (emulated) Stripe Checkout and
 * sees the new balance and the top-up in the history.
 */
test("a customer tops up $20 through the portal and sees the new balance", async ({ page, platform, saveScreenshot }) => {
  const glitch = await platform("Glitch AI", "#0f766e");
  const customer = await glitch.createCustomer({ name: "Walter", email: uniqueEmail("walter"), external_id: "18991" });
  await glitch.credit(customer.id, 5);
  const session = await glitch.portalSession(customer.id, { return_url: "https://glitch.example/account" });
  expect(new URL(session.redirect_url).pathname).toBe("/api/sign-in");

  await page.goto(session.redirect_url);
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByTestId("platform-name")).toHaveText("Glitch AI");
  await expect(page.getByTestId("balance-default:USD")).toHaveText("$5.00");
  await expect(page.getByTestId("return-link")).toHaveAttribute("href", "https://glitch.example/account");
  // The platform's API key never reaches the browser.
  expect(await page.content()).not.toContain(glitch.apiKey);

  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Top up" }).click();
  await expect(page.getByRole("heading", { name: "Top up" })).toBeVisible();
  await page.getByRole("button", { name: "$20.00", exact: true }).click();
  await expect(page.getByTestId("top-up-summary")).toContainText("You pay $20.00");
  await expect(page.getByTestId("top-up-summary")).toContainText("You get $20.00 in your US Dollar balance");
  await page.getByRole("button", { name: "Pay $20.00" }).click();

  // Stripe Checkout (the emulator's hosted page).
  await expect(page).toHaveURL(new RegExp(`^${process.env.E2E_STRIPE_EMULATOR_URL}/checkout/`));
  await page.getByRole("button", { name: "Pay", exact: true }).click();

  // Back on the portal: the page waits for the webhook, then shows the new balance.
  await expect(page).toHaveURL(/\/portal\/top-ups\/top_[0-9a-z]+\/success$/);
  await expect(page.getByTestId("top-up-heading")).toHaveText("Payment received");
  await expect(page.getByTestId("new-balance")).toHaveText("$25.00");

  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Top-ups & credits" }).click();
  const history = page.getByRole("table", { name: "Top-up history" });
  await expect(history.getByRole("row").nth(1)).toContainText("$20.00");
  await expect(history.getByRole("row").nth(1)).toContainText("Paid");
  const credits = page.getByRole("table", { name: "Credit grants" });
  await expect(credits.getByRole("row")).toHaveCount(3);
  // The paid credit expires in a year (the default for paid grants).
  const nextYear = String(new Date().getUTCFullYear() + 1);
  await expect(credits.getByRole("row").filter({ hasText: "Paid" })).toContainText(nextYear);

  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByTestId("balance-default:USD")).toHaveText("$25.00");
  await saveScreenshot(page, "portal-top-up");

  // On a phone: nothing wider than the screen; tables scroll inside their card.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ["/portal", "/portal/top-ups", "/portal/top-up"]) {
    await page.goto(path);
    await expect(page.getByRole("navigation", { name: "Portal" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), path).toBeLessThanOrEqual(0);
  }
  await saveScreenshot(page, "portal-top-up-phone");
});

test("a declined payment adds nothing and says so", async ({ page, platform, saveScreenshot }) => {
  const glitch = await platform("Glitch AI");
  const customer = await glitch.createCustomer({ name: "Dora", email: uniqueEmail("dora") });
  await glitch.credit(customer.id, 5);
  await page.goto((await glitch.portalSession(customer.id)).redirect_url);

  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Top up" }).click();
  await page.getByLabel("Custom amount").fill("12.50");
  await page.getByRole("button", { name: "Pay $12.50" }).click();
  await expect(page).toHaveURL(new RegExp(`^${process.env.E2E_STRIPE_EMULATOR_URL}/checkout/`));
  await page.getByRole("button", { name: "Decline" }).click();

  await expect(page).toHaveURL(/\/portal\/top-ups\/top_[0-9a-z]+\/failure$/);
  await expect(page.getByTestId("top-up-heading")).toHaveText("Payment failed");
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Top-ups & credits" }).click();
  await expect(page.getByRole("table", { name: "Top-up history" }).getByRole("row").nth(1)).toContainText("Failed");
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByTestId("balance-default:USD")).toHaveText("$5.00");
  await saveScreenshot(page, "portal-top-up-declined");
});
