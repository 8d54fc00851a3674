import { expect, test, uniqueEmail } from "./fixtures/test";

/**
 * Journey (c): a customer who comes on their own signs in by magic link. The emailed
 * link opens a confirmation page (prefetching it, as mail scanners do, uses nothing up);
 * its button signs in and lands on the overview. The link works once.
 */
test("magic-link sign-in through the email, confirmed on the page", async ({ page, platform, mailbox, sql, saveScreenshot }) => {
  const nimbus = await platform("Nimbus Notes", "#2563eb");
  const email = uniqueEmail("grace");
  await nimbus.createCustomer({ name: "Grace", email });
  const stranger = uniqueEmail("stranger");

  // An address that is no customer of this platform gets the same answer and no email.
  await page.goto(`/sign-in?platform=${nimbus.platformId}&mode=test`);
  await page.getByLabel("Email address").fill(stranger);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  expect(await sql("SELECT 1 FROM verification_tokens WHERE identifier LIKE $1", [`%:${stranger}`])).toHaveLength(0);

  await page.goto(`/sign-in?platform=${nimbus.platformId}&mode=test`);
  await expect(page.getByText("Nimbus Notes")).toBeVisible();
  await page.getByLabel("Email address").fill(email.toUpperCase());
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();

  const message = await mailbox.waitFor(email);
  expect(message.subject).toBe("Sign in to Nimbus Notes billing");
  const link = /https?:\/\/\S+\/sign-in\/confirm\?\S+/.exec(message.text)?.[0];
  expect(link, message.text).toBeTruthy();
  expect(await mailbox.list(stranger)).toHaveLength(0);

  // A mail scanner fetching the link changes nothing.
  const prefetch = await page.request.get(link!);
  expect(prefetch.status()).toBe(200);

  await page.goto(link!);
  await expect(page.getByRole("heading", { name: "Confirm sign-in" })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("platform-name")).toHaveText("Nimbus Notes");
  await saveScreenshot(page, "magic-link-sign-in");

  // Sign-out ends the database session.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You are signed out.")).toBeVisible();
  expect((await page.request.get("/api/portal/overview")).status()).toBe(401);

  // The link was single use.
  await page.goto(link!);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "This sign-in link no longer works" })).toBeVisible();
  await page.goto("/portal");
  await expect(page).toHaveURL(/\/sign-in/);
});
