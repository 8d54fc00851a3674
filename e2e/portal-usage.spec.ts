import { expect, test, uniqueEmail } from "./fixtures/test";

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

  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Usage" }).click();
  const usage = page.getByRole("table", { name: "Usage history" });
  const rows = usage.getByRole("row");
  await expect(rows).toHaveCount(4);
  // Newest first, with subject, product and fee.
  await expect(rows.nth(1)).toContainText("mountain");
  await expect(rows.nth(3)).toContainText("sunset");
  await expect(rows.nth(1)).toContainText("Image API");
  await expect(rows.nth(1)).toContainText("$0.25");
  await expect(rows.nth(1)).toContainText("USD");

  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByTestId("balance-default:USD")).toHaveText("$9.25");
  await expect(page.getByTestId("spend-month-USD")).toHaveText("$0.75");
  await saveScreenshot(page, "portal-usage");

  // A custom asset is paid in its rate's currency; the portal shows what the payment buys.
  await acme.call("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0, rates: [{ source: "USD", rate: 0.05 }] }, 201);
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Top up" }).click();
  await page.getByLabel("Account").selectOption("default:CREDIT");
  await page.getByRole("button", { name: "$20.00", exact: true }).click();
  await expect(page.getByTestId("top-up-summary")).toContainText("You pay $20.00");
  await expect(page.getByTestId("top-up-summary")).toContainText("You get 400 CREDIT in default:CREDIT");
  await page.getByLabel("Custom amount").fill("7.5");
  await expect(page.getByTestId("top-up-summary")).toContainText("You get 150 CREDIT in default:CREDIT");
});
