import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, uniqueEmail } from "./fixtures/test";

/** A stand-in for the platform's own site, on another origin than the app. */
async function platformSite(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/html" }).end("<h1>Acme: link failed</h1>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Journey (d): portal links are single use and short-lived; a session sees only its own
 * customer: another customer's ids answer 404, by page URL and by route handler.
 */
test.describe("portal access", () => {
  test("a used or expired portal link does not sign in", async ({ browser, page, platform, sql, saveScreenshot }) => {
    const acme = await platform("Acme");
    const customer = await acme.createCustomer({ name: "Lin", email: uniqueEmail("lin") });

    const used = await acme.portalSession(customer.id);
    await page.goto(used.redirect_url);
    await expect(page).toHaveURL(/\/portal$/);

    // Replayed in another browser: no session, an explanation instead.
    const other = await browser.newContext();
    const replay = await other.newPage();
    await replay.goto(used.redirect_url);
    await expect(replay).toHaveURL(/\/sign-in\/link-expired$/);
    await expect(replay.getByRole("heading", { name: "This link has expired" })).toBeVisible();
    const overview = await replay.request.get("/api/portal/overview");
    expect(overview.status()).toBe(401);

    // Expired (ten minutes passed): goes to the platform's failure_url when it gave one.
    const site = await platformSite();
    const expiring = await acme.portalSession(customer.id, { failure_url: `${site.url}/portal-failed` });
    const token = new URL(expiring.redirect_url).searchParams.get("token")!;
    const hashed = await sql<{ n: string }>(
      "UPDATE redirect_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex') RETURNING 1 AS n",
      [token],
    );
    expect(hashed).toHaveLength(1);
    await replay.goto(expiring.redirect_url);
    await expect(replay).toHaveURL(`${site.url}/portal-failed`);
    await expect(replay.getByRole("heading", { name: "Acme: link failed" })).toBeVisible();
    expect((await replay.request.get("/api/portal/overview")).status()).toBe(401);

    await replay.goto("/portal");
    await expect(replay).toHaveURL(/\/sign-in$/);
    await saveScreenshot(replay, "portal-link-refused");
    await other.close();
    await site.close();
  });

  test("customer A cannot load customer B's data", async ({ page, platform, saveScreenshot }) => {
    const acme = await platform("Acme");
    const a = await acme.createCustomer({ name: "Alice", email: uniqueEmail("alice") });
    const b = await acme.createCustomer({ name: "Bob", email: uniqueEmail("bob") });
    await acme.credit(a.id, 3);
    await acme.credit(b.id, 7);
    const topUpOfB = await acme.call<{ id: string }>(
      "POST",
      "/top-ups",
      { customer_id: b.id, amount: 20, currency: "USD", destination: { account_name: "default", asset: "USD" } },
      201,
    );
    // And a customer of another platform.
    const rival = await platform("Rival");
    const c = await rival.createCustomer({ name: "Carol", email: uniqueEmail("carol") });
    const topUpOfC = await rival.call<{ id: string }>(
      "POST",
      "/top-ups",
      { customer_id: c.id, amount: 10, currency: "USD", destination: { account_name: "default", asset: "USD" } },
      201,
    );

    await page.goto((await acme.portalSession(a.id)).redirect_url);
    await expect(page.getByTestId("balance-default:USD")).toHaveText("$3.00");

    for (const id of [topUpOfB.id, topUpOfC.id]) {
      const api = await page.request.get(`/api/portal/top-ups/${id}`);
      expect(api.status()).toBe(404);
      const response = await page.goto(`/portal/top-ups/${id}/success`);
      expect(response?.status()).toBe(404);
    }
    // The route handlers answer only for the session's customer, whatever the query says.
    const overview = (await (await page.request.get(`/api/portal/overview?customer_id=${b.id}`)).json()) as {
      accounts: { available: string }[];
    };
    expect(overview.accounts.map((x) => x.available)).toEqual(["3"]);
    // A list refuses a parameter it does not take (400 naming it) rather than ignore it.
    const asB = await page.request.get(`/api/portal/top-ups?customer_id=${b.id}`);
    expect(asB.status()).toBe(400);
    expect(((await asB.json()) as { errors: { field: string }[] }).errors).toEqual([{ field: "customer_id", message: "Unknown query parameter" }]);
    const topUps = (await (await page.request.get(`/api/portal/top-ups`)).json()) as { total_count: number };
    expect(topUps.total_count).toBe(0);

    await page.goto(`/portal/top-ups/${topUpOfB.id}/failure`);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await saveScreenshot(page, "portal-other-customer-404");
  });
});
