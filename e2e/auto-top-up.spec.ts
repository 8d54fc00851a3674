import type { Page } from "@playwright/test";
import { expect, test, uniqueEmail, type PlatformApi } from "./fixtures/test";

/**
 * Auto top-up (issue 14) in a real browser: the customer saves a test card on the Stripe
 * emulator's setup page, turns auto top-up on at $5 for $20 with a $100 cap, and usage the
 * platform sends through the API drains the wallet below $5. The job worker (started by the
 * production server: instrumentation.ts) pays off-session with the saved card; the portal
 * shows the refilled balance and the automatic top-up. A declining card shows the failure
 * notice instead. Nothing sleeps: every step waits on what the page shows (the overview and
 * the auto top-up form refresh themselves).
 */

const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name }).click();

async function customerWithUsage(platform: (name: string) => Promise<PlatformApi>, name: string) {
  const api = await platform("Render Farm");
  await api.call(
    "POST",
    "/products",
    {
      name: "Renders",
      code: "renders",
      publish: true,
      prices: [
        {
          name: "Render",
          type: "usage_based",
          billing_model: { type: "real_time" },
          usage_calculation: { event_type: "render", usage_type: "unit" },
          pricing: [{ asset: "USD", values: [{ unit_price: 1 }] }],
        },
      ],
    },
    201,
  );
  const customer = await api.createCustomer({
    name,
    email: uniqueEmail(name.toLowerCase()),
    subscriptions: [{ products: [{ code: "renders", version: "default" }] }],
  });
  await api.credit(customer.id, 10);
  return { api, customer };
}

/** `count` renders at $1 each, sent as the platform sends usage. */
async function render(api: PlatformApi, customerId: string, count: number, batch: string) {
  const result = await api.call<{ results: { status: string }[] }>("POST", "/events", {
    customer_id: customerId,
    events: Array.from({ length: count }, (_, i) => ({
      id: `render-${batch}-${i}`,
      event_type: "render",
      occurred_at: new Date(Date.now() - 1000).toISOString(),
      subject: `frame ${i}`,
    })),
  });
  expect(result.results.map((r) => r.status)).toEqual(Array.from({ length: count }, () => "billed"));
}

/** "Add a card" → the emulator's setup page → the card form → back on the Top up page. */
async function saveCard(page: Page, number: string) {
  await nav(page, "Top up");
  await page.getByRole("button", { name: "Add a card" }).click();
  await expect(page).toHaveURL(new RegExp(`^${process.env.E2E_STRIPE_EMULATOR_URL}/checkout/`));
  await page.getByLabel(/card number/i).fill(number);
  await page.getByLabel(/expir|MM ?\/ ?YY/i).fill("12 / 34");
  await page.getByLabel(/cvc/i).fill("123");
  await page.getByRole("button", { name: /save/i }).click();
  await expect(page).toHaveURL(/\/portal\/top-up\?card=saved$/);
  await expect(page.getByRole("status").filter({ hasText: "Your card is saved" })).toBeVisible();
  await expect(page.getByTestId("saved-card")).toContainText(`•••• ${number.slice(-4)}`);
}

async function turnOnAutoTopUp(page: Page) {
  const form = page.getByRole("form", { name: /Auto top-up for/ });
  await expect(form.getByLabel("Turn on auto top-up")).toBeChecked();
  await form.getByLabel("When the balance falls below (USD)").fill("5");
  await form.getByLabel("Top up by (USD)").fill("20");
  await form.getByLabel("Monthly cap (USD)").fill("100");
  await form.getByRole("button", { name: "Save auto top-up" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved: auto top-up is on.");
}

test("auto top-up refills the wallet from a saved card when usage drains it below the threshold", async ({ page, platform, saveScreenshot }) => {
  const { api, customer } = await customerWithUsage(platform, "Ravi");
  await page.goto((await api.portalSession(customer.id)).redirect_url);
  await expect(page.getByTestId("balance-default:USD")).toHaveText("$10.00");

  await saveCard(page, "4242424242424242");
  // A bad value is a field error from the same rules as the API, and saves nothing.
  const form = page.getByRole("form", { name: /Auto top-up for/ });
  await form.getByLabel("Monthly cap (USD)").fill("10");
  await form.getByRole("button", { name: "Save auto top-up" }).click();
  await expect(form.getByTestId("field-error")).toHaveText("Must be at least the amount of one top-up");
  await turnOnAutoTopUp(page);
  await saveScreenshot(page, "auto-top-up-settings");

  // $10 − 6 renders = $4: below $5, so one $20 auto top-up → $24.
  await render(api, customer.id, 6, customer.id);
  await nav(page, "Overview");
  await expect(page.getByTestId("balance-default:USD")).toHaveText("$24.00", { timeout: 45_000 });

  await nav(page, "Top-ups & credits");
  const history = page.getByRole("table", { name: "Top-up history" });
  await expect(history.getByRole("row")).toHaveCount(2);
  await expect(history.getByRole("row").nth(1)).toContainText("$20.00");
  await expect(history.getByRole("row").nth(1)).toContainText("Paid");
  await expect(history.getByRole("row").nth(1)).toContainText("Automatic");
  await saveScreenshot(page, "auto-top-up-history");

  // The cap's running total.
  await nav(page, "Top up");
  await expect(page.getByTestId("auto-top-up-spent")).toHaveText("Spent this month: $20.00 of $100.00.");
});

test("a declining saved card shows the failure notice with a one-click top-up", async ({ page, platform, saveScreenshot }) => {
  const { api, customer } = await customerWithUsage(platform, "Dana");
  await page.goto((await api.portalSession(customer.id)).redirect_url);

  await saveCard(page, "4000000000000002");
  await turnOnAutoTopUp(page);
  await render(api, customer.id, 6, customer.id);

  const notice = page.getByTestId("auto-top-up-failure");
  await expect(notice).toContainText("Auto top-up failed", { timeout: 45_000 });
  await expect(notice).toContainText("declined");
  await expect(notice.getByRole("button", { name: "Top up $20.00 now" })).toBeVisible();
  await nav(page, "Overview");
  await expect(page.getByTestId("balance-default:USD")).toHaveText("$4.00");
  // The overview says so too, for a customer who never opens the Top up page.
  await expect(page.getByTestId("auto-top-up-failure")).toContainText("Auto top-up failed");
  await nav(page, "Top up");
  await page.getByTestId("auto-top-up-failure").getByRole("button", { name: "Top up $20.00 now" }).click();
  await expect(page).toHaveURL(new RegExp(`^${process.env.E2E_STRIPE_EMULATOR_URL}/checkout/`));
  await saveScreenshot(page, "auto-top-up-declined");
});

test("another customer's card can be neither used, made default nor removed", async ({ page, platform }) => {
  const { api, customer: bob } = await customerWithUsage(platform, "Bob");
  const alice = await api.createCustomer({ name: "Alice", email: uniqueEmail("alice") });

  await page.goto((await api.portalSession(bob.id)).redirect_url);
  await saveCard(page, "4242424242424242");
  const [bobsCard] = ((await (await page.request.get("/api/portal/cards")).json()) as { items: { id: string }[] }).items;
  expect(bobsCard?.id).toMatch(/^pm_/);

  // Alice signs in in the same browser: her session replaces Bob's.
  await page.goto((await api.portalSession(alice.id)).redirect_url);
  await expect(page).toHaveURL(/\/portal$/);
  expect(((await (await page.request.get("/api/portal/cards")).json()) as { items: unknown[] }).items).toEqual([]);
  expect((await page.request.post(`/api/portal/cards/${bobsCard!.id}/default`, { data: {} })).status()).toBe(404);
  expect((await page.request.delete(`/api/portal/cards/${bobsCard!.id}`)).status()).toBe(404);
  const enable = await page.request.put("/api/portal/auto-top-ups/default:USD", {
    data: { enabled: true, threshold: 5, amount: 20, monthly_cap: 100, payment_method_id: bobsCard!.id },
  });
  expect(enable.status()).toBe(422);
  expect(((await enable.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(["payment_method_id"]);
  const settings = (await (await page.request.get("/api/portal/auto-top-ups")).json()) as { items: { configured: boolean }[] };
  expect(settings.items.map((s) => s.configured)).toEqual([false]);

  // Bob's card is still his.
  await page.goto((await api.portalSession(bob.id)).redirect_url);
  await nav(page, "Top up");
  await expect(page.getByTestId("saved-card")).toContainText("•••• 4242");
});
