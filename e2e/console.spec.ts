import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createOperatorSession } from "@/lib/console/operator-sessions";
import { createOperator } from "@/lib/console/operators";
import { expect, test, uniqueEmail } from "./fixtures/test";

/**
 * The operator console: an owner made like `platform:create --owner-email` signs in by
 * magic link (the SMTP catcher), finds a customer, adjusts the balance through the
 * confirmation step and sees the ledger row and the audit event, then switches to live
 * mode and sees no test data. Every page passes axe-core's default rules.
 */

async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("operator signs in by magic link, finds a customer, adjusts the balance, sees the ledger row and the audit log", async ({
  page,
  platform,
  mailbox,
  saveScreenshot,
}) => {
  const acme = await platform("Acme Console");
  const email = uniqueEmail("owner");
  await createOperator(acme.platformId, { email, role: "owner" });
  const customer = await acme.createCustomer({ name: "Ada Console", email: uniqueEmail("ada"), external_id: `ada-${Date.now()}` });
  await acme.credit(customer.id, 20);

  // Signed out, the console is the sign-in page.
  await page.goto("/console/customers");
  await expect(page).toHaveURL(/\/console\/sign-in$/);
  await expect(page.getByRole("heading", { name: "Sign in to the console" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByTestId("console-check-email")).toBeVisible();

  const message = await mailbox.waitFor(email);
  expect(message.subject).toBe("Sign in to the Acme Console console");
  const link = /https?:\/\/\S+\/console\/sign-in\/confirm\?token=\S+/.exec(message.text)?.[0];
  expect(link, message.text).toBeTruthy();
  await page.goto(link!);
  await expect(page.getByRole("heading", { name: "Confirm sign-in" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Sign in to the console" }).click();
  await expect(page.getByTestId("console-platform-name")).toHaveText("Acme Console");
  await expect(page.getByTestId("console-mode")).toHaveText("Test mode");
  // The console session is no portal session.
  expect((await page.request.get("/api/portal/overview")).status()).toBe(401);

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Customers" }).click();
  await page.getByLabel("Search customers").fill("ada con");
  await page.getByRole("button", { name: "Search" }).click();
  await expectAccessible(page);
  await saveScreenshot(page, "console-customers");
  await page.getByRole("link", { name: "Ada Console" }).click();
  await expect(page.getByRole("heading", { name: "Ada Console" })).toBeVisible();
  await expect(page.getByTestId("account-default:USD").getByTestId("account-available")).toHaveText("20");
  await expectAccessible(page);

  await page.getByLabel("Amount (negative to debit)").fill("5.25");
  await page.getByLabel("Reason").selectOption("gift");
  await page.getByLabel("Why (kept on the transaction and in the audit log)").fill("Outage goodwill");
  await page.getByRole("button", { name: "Review adjustment" }).click();
  await expect(page.getByTestId("adjust-preview")).toHaveText("default:USD: 20 → 25.25");
  await page.getByRole("button", { name: "Confirm adjustment" }).click();
  await expect(page.getByTestId("account-default:USD").getByTestId("account-available")).toHaveText("25.25");
  await expect(page.getByTestId("ledger-row").filter({ hasText: "Outage goodwill" })).toContainText("+5.25");
  await saveScreenshot(page, "console-customer");

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByTestId("audit-row").first()).toContainText("wallet.adjusted");
  await expect(page.getByTestId("audit-row").first()).toContainText(email);
  await expectAccessible(page);

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Team" }).click();
  await expect(page.getByTestId("operator-row")).toContainText(email);
  await expectAccessible(page);

  // Live mode shows no test data.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Customers" }).click();
  await expect(page.getByRole("link", { name: "Ada Console" })).toBeVisible();
  // The switch follows the server: it flips once the mode cookie is set and the page re-renders.
  await page.getByRole("switch", { name: "Live mode" }).click();
  await expect(page.getByTestId("console-mode")).toHaveText("Live mode");
  await expect(page.getByText("No customers found.")).toBeVisible();
  await page.goto(`/console/customers/${customer.id}`);
  await expect(page.getByRole("heading", { name: "Ada Console" })).toHaveCount(0);

  await page.goto("/console/customers");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/console\/sign-in$/);
  await page.goto("/console/customers");
  await expect(page).toHaveURL(/\/console\/sign-in$/);
});

test("a member refunds part of a top-up paid in the emulator; Stripe's webhook takes the credit back", async ({ page, platform, saveScreenshot }) => {
  const acme = await platform("Acme Refunds");
  const customer = await acme.createCustomer({ name: "Rita Refund", email: uniqueEmail("rita") });
  const topUp = await acme.call<{ id: string; redirect_url: string }>(
    "POST",
    "/top-ups",
    { customer_id: customer.id, amount: 20, currency: "USD", destination: { account_name: "default", asset: "USD" } },
    201,
  );
  // The customer pays on the emulator's Checkout page.
  await page.goto(topUp.redirect_url);
  await expect(page).toHaveURL(new RegExp(`^${process.env.E2E_STRIPE_EMULATOR_URL}/checkout/`));
  await page.getByRole("button", { name: "Pay", exact: true }).click();
  await expect(page.getByTestId("top-up-heading")).toHaveText("Payment received");

  // A member's console session (the sign-in itself is the journey above).
  const member = await createOperator(acme.platformId, { email: uniqueEmail("member"), role: "member" });
  const { token } = await createOperatorSession(member.id);
  await page.goto("/console/sign-in");
  const host = new URL(page.url()).hostname;
  await page.context().addCookies([{ name: "drawdown-console-session", value: token, domain: host, path: "/", httpOnly: true, sameSite: "Lax" }]);

  await page.goto(`/console/customers/${customer.id}`);
  const balance = page.getByTestId("account-default:USD").getByTestId("account-available");
  await expect(balance).toHaveText("20");
  await page.getByRole("button", { name: "Refund…" }).click();
  await page.getByLabel("Refund (USD, at most 20)").fill("5");
  await page.getByRole("button", { name: "Confirm refund of 5 USD" }).click();
  await expect(page.getByText("Refund sent to Stripe")).toBeVisible();
  // The balance follows Stripe's charge.refunded webhook; the page shows it once it arrived.
  await expect(async () => {
    await page.reload();
    await expect(balance).toHaveText("15", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole("table", { name: "Top-ups" }).getByRole("row").nth(1)).toContainText("5");
  await saveScreenshot(page, "console-refund");

  await page.goto("/console/audit");
  await expect(page.getByTestId("audit-row").first()).toContainText("top_up.refunded");
});
