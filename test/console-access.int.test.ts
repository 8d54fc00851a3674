import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { newId } from "@/lib/ids";
import { createOperator } from "@/lib/console/operators";
import { admitOperator, createOperatorSession } from "@/lib/console/operator-sessions";
import { findPortalSession } from "@/lib/portal-access/portal-sessions";
import { signInWithRedirectToken } from "@/lib/portal-access/redirect-sign-in";
import { createBillingPortalSession } from "@/lib/portal-access/create-billing-portal-session";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import { startTestApiServer, type TestApiServer } from "@/test/api-server";

/**
 * The console's JSON routes (app/api/console) over real HTTP: every route refuses a
 * request without a console session (401), another platform's operator gets 404 for the
 * first platform's objects, a read-only operator gets 403 on every write, and writes leave
 * nothing behind when refused. The list below must name every route file (checked), so a
 * new console route cannot skip the walk.
 */

let server: TestApiServer;
beforeAll(async () => {
  server = await startTestApiServer();
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

const SESSION = "drawdown-console-session";
const MODE = "drawdown-console-mode";

async function call(method: string, url: string, init: { session?: string; mode?: "live" | "test"; body?: unknown; origin?: string } = {}) {
  const cookies = [init.session ? `${SESSION}=${init.session}` : null, init.mode ? `${MODE}=${init.mode}` : null].filter(Boolean).join("; ");
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: {
      ...(cookies ? { cookie: cookies } : {}),
      ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(init.origin ? { origin: init.origin } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function operatorSession(platformId: string, role: "owner" | "member" | "read_only"): Promise<string> {
  const operator = await createOperator(platformId, { email: `${newId("op")}@ops.example`, role });
  return (await createOperatorSession(operator.id)).token;
}

interface Ids {
  customer: string;
  apiKey: string;
  webhook: string;
  delivery: string;
  topUp: string;
  product: string;
  operator: string;
}

async function platformWithObjects(): Promise<{ platformId: string; ids: Ids }> {
  const p = await createTestPlatform("Console Co");
  const c = await createTestCustomer(p.platformId, { name: "Ada Lovelace", externalId: `ext_${newId("x")}` });
  const webhook = await prisma().webhookEndpoint.create({
    data: { id: newId("whe"), platformId: p.platformId, liveMode: false, url: "https://hooks.example.com/in", secret: "whsec_test", topics: ["*"] },
  });
  const event = await prisma().webhookEvent.create({
    data: { id: newId("whev"), platformId: p.platformId, liveMode: false, customerId: c.customerId, type: "wallet.balance_low", data: {}, createdAt: new Date() },
  });
  const delivery = await prisma().webhookDelivery.create({
    data: { id: newId("whd"), endpointId: webhook.id, eventId: event.id, type: event.type, status: "failed", attempts: 10 },
  });
  // A paid top-up as settlement leaves it (no Stripe call is reached: every refusal comes first).
  const topUp = await prisma().topUp.create({
    data: {
      id: newId("top"), customerId: c.customerId, platformId: p.platformId, liveMode: false, status: "succeeded", amount: 10, currency: "usd",
      accountName: "default", asset: "USD", exchangeRate: 1, creditAmount: 10, paymentIntentId: `pi_${newId("x")}`, expiresAt: new Date(),
    },
  });
  const product = await fetch(`${server.url}/api/v1/products`, {
    method: "POST",
    headers: { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(productBody),
  });
  expect(product.status).toBe(201);
  return {
    platformId: p.platformId,
    ids: {
      customer: c.customerId, apiKey: p.apiKeyId, webhook: webhook.id, delivery: delivery.id, topUp: topUp.id,
      product: ((await product.json()) as { id: string }).id,
      operator: (await createOperator(p.platformId, { email: `${newId("team")}@ops.example`, role: "member" })).id,
    },
  };
}

const productBody = {
  name: "Chat", code: "chat", publish: true,
  prices: [{
    name: "Input tokens", type: "usage_based", billing_model: { type: "real_time" },
    usage_calculation: { event_type: "message_completed", usage_type: "volume", volume_field: "input_tokens" },
    pricing: [{ asset: "USD", values: [{ volume_rate: 1.25, package_size: 1000000 }] }],
  }],
};

/** Every console route that needs a session: method, path, the least role, a valid body. */
const routes: { method: string; path: (ids: Ids) => string; file: string; least: "read_only" | "member" | "owner"; body?: unknown }[] = [
  { method: "GET", file: "customers/[id]", path: (i) => `/api/console/customers/${i.customer}`, least: "read_only" },
  {
    method: "POST",
    file: "customers/[id]/adjustments",
    path: (i) => `/api/console/customers/${i.customer}/adjustments`,
    least: "member",
    body: { account_name: "default", asset: "USD", amount: 10, reason: "gift", description: "goodwill" },
  },
  {
    method: "PATCH",
    file: "customers/[id]/accounts/[account_id]",
    path: (i) => `/api/console/customers/${i.customer}/accounts/default:USD`,
    least: "member",
    body: { overdraft_limit: 5 },
  },
  { method: "POST", file: "customers/[id]/portal-session", path: (i) => `/api/console/customers/${i.customer}/portal-session`, least: "member" },
  { method: "POST", file: "mode", path: () => "/api/console/mode", least: "read_only", body: { live: false } },
  // The request log, filtered by the platform's key: another platform's operator names a key not theirs (404).
  { method: "GET", file: "api-requests", path: (i) => `/api/console/api-requests?api_key=${i.apiKey}&status=2xx`, least: "read_only" },
  { method: "POST", file: "api-keys", path: () => "/api/console/api-keys", least: "member", body: { name: "ci" } },
  { method: "POST", file: "api-keys/[id]/revoke", path: (i) => `/api/console/api-keys/${i.apiKey}/revoke`, least: "member" },
  {
    method: "POST",
    file: "webhooks",
    path: () => "/api/console/webhooks",
    least: "member",
    body: { url: "https://hooks.example.com/new", topics: ["*"] },
  },
  { method: "POST", file: "webhooks/[id]/rotate-secret", path: (i) => `/api/console/webhooks/${i.webhook}/rotate-secret`, least: "member" },
  {
    method: "POST",
    file: "webhook-deliveries/[id]/redeliver",
    path: (i) => `/api/console/webhook-deliveries/${i.delivery}/redeliver`,
    least: "member",
  },
  { method: "POST", file: "top-ups/[id]/refund", path: (i) => `/api/console/top-ups/${i.topUp}/refund`, least: "member", body: { amount: 1 } },
  { method: "PATCH", file: "products/[id]/[version]", path: (i) => `/api/console/products/${i.product}/1`, least: "member", body: { is_default: true } },
  {
    method: "POST",
    file: "products/[id]/[version]/simulate-usage",
    path: (i) => `/api/console/products/${i.product}/1/simulate-usage`,
    least: "read_only",
    body: { events: [{ event_type: "message_completed", data: { input_tokens: 1000 } }] },
  },
  { method: "POST", file: "operators", path: () => "/api/console/operators", least: "owner", body: { email: "new@ops.example", role: "member" } },
  { method: "POST", file: "operators/[id]/remove", path: (i) => `/api/console/operators/${i.operator}/remove`, least: "owner" },
  { method: "PATCH", file: "settings/branding", path: () => "/api/console/settings/branding", least: "owner", body: { name: "Renamed Co" } },
  {
    method: "PATCH",
    file: "settings/overdraft",
    path: () => "/api/console/settings/overdraft",
    least: "owner",
    body: { settings: { default_overdraft_limit: 3 } },
  },
  {
    method: "PATCH",
    file: "settings/low-balance",
    path: () => "/api/console/settings/low-balance",
    least: "owner",
    body: { settings: { default_low_balance_threshold: 3 } },
  },
  {
    method: "PATCH",
    file: "settings/auto-top-up",
    path: () => "/api/console/settings/auto-top-up",
    least: "owner",
    body: { threshold: 5, amount: 20, monthly_cap: 100 },
  },
];
/** The sign-in routes, reachable without a session by design. */
const publicRoutes = ["sign-in", "sign-in/confirm", "sign-out"];

/** Routes whose path names no object of the platform: another platform's operator acts on their own. */
const unscoped = new Set(["mode", "api-keys", "webhooks", "operators", "settings/branding", "settings/overdraft", "settings/low-balance", "settings/auto-top-up"]);

function routeFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return routeFiles(full, prefix ? `${prefix}/${entry}` : entry);
    return entry === "route.ts" ? [prefix] : [];
  });
}

describe("console routes", () => {
  it("the walk below names every route file under app/api/console", () => {
    const files = routeFiles(path.join(process.cwd(), "app/api/console")).sort();
    expect(files).toEqual([...routes.map((r) => r.file), ...publicRoutes].sort());
  });

  it("answer 401 without a console session, and with a portal session's token", async () => {
    const { platformId, ids } = await platformWithObjects();
    const link = await createBillingPortalSession({ platformId, liveMode: false }, { customer_id: ids.customer });
    const signedIn = await signInWithRedirectToken(new URL(link.url).searchParams.get("token")!);
    const portalToken = signedIn.signedIn ? signedIn.sessionToken : "";
    expect(await findPortalSession(portalToken)).not.toBeNull();
    for (const route of routes) {
      expect((await call(route.method, route.path(ids), { body: route.body })).status, `${route.method} ${route.file}`).toBe(401);
      const asPortal = await call(route.method, route.path(ids), { session: portalToken, body: route.body });
      expect(asPortal.status, `${route.method} ${route.file} with a portal session`).toBe(401);
    }
  });

  it("answer 404 to another platform's operator for the first platform's objects, and change nothing", async () => {
    const { ids } = await platformWithObjects();
    const other = await platformWithObjects();
    const stranger = await operatorSession(other.platformId, "owner");
    for (const route of routes.filter((r) => !unscoped.has(r.file))) {
      const answer = await call(route.method, route.path(ids), { session: stranger, body: route.body });
      expect(answer.status, `${route.method} ${route.file}: ${JSON.stringify(answer.body)}`).toBe(404);
    }
    expect(await prisma().ledgerTransaction.count({ where: { customerId: ids.customer } })).toBe(0);
    expect(await prisma().apiKey.findUniqueOrThrow({ where: { id: ids.apiKey } })).toMatchObject({ revokedAt: null });
  });

  it("answer 403 to a read-only operator on every write, and change nothing", async () => {
    const { platformId, ids } = await platformWithObjects();
    const readOnly = await operatorSession(platformId, "read_only");
    for (const route of routes) {
      const answer = await call(route.method, route.path(ids), { session: readOnly, body: route.body });
      expect(answer.status, `${route.method} ${route.file}`).toBe(route.least === "read_only" ? 200 : 403);
    }
    expect(await prisma().ledgerTransaction.count({ where: { customerId: ids.customer } })).toBe(0);
    expect(await prisma().auditEvent.count({ where: { platformId } })).toBe(0);
  });

  it("answer 403 to a member on owners' writes", async () => {
    const { platformId, ids } = await platformWithObjects();
    const member = await operatorSession(platformId, "member");
    for (const route of routes.filter((r) => r.least === "owner")) {
      expect((await call(route.method, route.path(ids), { session: member, body: route.body })).status, route.file).toBe(403);
    }
    expect(await prisma().platform.findUniqueOrThrow({ where: { id: platformId } })).toMatchObject({ name: "Console Co" });
  });

  it("refuse a write from another origin (403)", async () => {
    const { platformId, ids } = await platformWithObjects();
    const member = await operatorSession(platformId, "member");
    const route = routes[1]!;
    const answer = await call(route.method, route.path(ids), { session: member, body: route.body, origin: "https://evil.example" });
    expect(answer.status).toBe(403);
  });
});

describe("console customer actions", () => {
  it("adjusts a balance through createAdjustment, records the audit event, and shows the ledger row", async () => {
    const { platformId, ids } = await platformWithObjects();
    const member = await operatorSession(platformId, "member");
    const url = `/api/console/customers/${ids.customer}/adjustments`;
    const body = { account_name: "default", asset: "USD", amount: "12.5", reason: "gift", description: "Sorry for the outage", transaction_id: "console_t1" };
    expect((await call("POST", url, { session: member, body })).status).toBe(201);
    // A double submit of the same form adjusts once.
    expect((await call("POST", url, { session: member, body })).status).toBe(201);

    const overview = await call("GET", `/api/console/customers/${ids.customer}`, { session: member });
    expect(overview.status).toBe(200);
    expect(overview.body.accounts).toEqual([expect.objectContaining({ id: "default:USD", available: "12.5" })]);
    expect(overview.body.transactions).toHaveLength(1);
    expect(overview.body.transactions[0]).toMatchObject({ description: "Sorry for the outage" });

    const audit = await prisma().auditEvent.findMany({ where: { platformId } });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ action: "wallet.adjusted", targetId: ids.customer, liveMode: false, detail: expect.objectContaining({ amount: "12.5", reason: "gift" }) });
  });

  it("answers the API's field errors (422) and writes nothing for a bad adjustment", async () => {
    const { platformId, ids } = await platformWithObjects();
    const member = await operatorSession(platformId, "member");
    const url = `/api/console/customers/${ids.customer}/adjustments`;
    const missingReason = await call("POST", url, { session: member, body: { account_name: "default", asset: "USD", amount: 5, reason: "gift", description: "  " } });
    expect(missingReason.status).toBe(422);
    expect(missingReason.body.errors).toEqual([expect.objectContaining({ field: "description" })]);
    const wrongSign = await call("POST", url, { session: member, body: { account_name: "default", asset: "USD", amount: -5, reason: "gift", description: "x" } });
    expect(wrongSign.status).toBe(422);
    expect(wrongSign.body.errors).toEqual([expect.objectContaining({ field: "amount" })]);
    const badAmount = await call("POST", url, { session: member, body: { account_name: "default", asset: "USD", amount: "ten", reason: "gift", description: "x" } });
    expect(badAmount.status).toBe(422);
    expect(await prisma().ledgerTransaction.count({ where: { customerId: ids.customer } })).toBe(0);
    expect(await prisma().auditEvent.count({ where: { platformId } })).toBe(0);
  });

  it("sets the overdraft limit through updateAccount and opens the portal as the customer", async () => {
    const { platformId, ids } = await platformWithObjects();
    const member = await operatorSession(platformId, "member");
    const patched = await call("PATCH", `/api/console/customers/${ids.customer}/accounts/default:USD`, { session: member, body: { overdraft_limit: "7.5" } });
    expect(patched).toMatchObject({ status: 200, body: { id: "default:USD", overdraft_limit: "7.5" } });
    const negative = await call("PATCH", `/api/console/customers/${ids.customer}/accounts/default:USD`, { session: member, body: { overdraft_limit: -1 } });
    expect(negative.status).toBe(422);

    const portal = await call("POST", `/api/console/customers/${ids.customer}/portal-session`, { session: member });
    expect(portal.status).toBe(201);
    const signedIn = await signInWithRedirectToken(new URL(portal.body.url).searchParams.get("token")!);
    expect(signedIn.signedIn).toBe(true);
    // The portal session it made is the customer's, and is no console session.
    const portalToken = signedIn.signedIn ? signedIn.sessionToken : "";
    expect(await admitOperator({ session: portalToken }, "read_only")).toEqual({ kind: "unauthenticated" });

    const actions = (await prisma().auditEvent.findMany({ where: { platformId }, orderBy: { createdAt: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["wallet.overdraft_limit_set", "portal.opened_as_customer"]);
  });

  it("shows only the mode's data: in live mode a test customer is a 404", async () => {
    const { platformId, ids } = await platformWithObjects();
    const owner = await operatorSession(platformId, "owner");
    expect((await call("GET", `/api/console/customers/${ids.customer}`, { session: owner, mode: "test" })).status).toBe(200);
    expect((await call("GET", `/api/console/customers/${ids.customer}`, { session: owner, mode: "live" })).status).toBe(404);
    const switched = await call("POST", "/api/console/mode", { session: owner, body: { live: true } });
    expect(switched.headers.get("set-cookie")).toMatch(/^drawdown-console-mode=live; Path=\/; HttpOnly; SameSite=Lax/);
  });
});

describe("console team", () => {
  it("owners invite operators (who get a sign-in link) and remove them (their sessions end); never the last owner", async () => {
    const { platformId } = await platformWithObjects();
    const owner = await createOperator(platformId, { email: `${newId("own")}@ops.example`, role: "owner" });
    const ownerSession = (await createOperatorSession(owner.id)).token;
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const email = `${newId("inv")}@ops.example`;
    let invited: { status: number; body: { id: string; role: string } };
    try {
      invited = await call("POST", "/api/console/operators", { session: ownerSession, body: { email, role: "read_only" } });
      await vi.waitFor(() => expect(info.mock.calls.some((c) => String(c[0]).includes(email))).toBe(true));
    } finally {
      info.mockRestore();
    }
    expect(invited).toMatchObject({ status: 201, body: { role: "read_only" } });
    expect((await call("POST", "/api/console/operators", { session: ownerSession, body: { email, role: "member" } })).status).toBe(409);
    expect((await call("POST", "/api/console/operators", { session: ownerSession, body: { email: "x", role: "boss" } })).body.errors).toHaveLength(2);

    const invitedSession = (await createOperatorSession(invited.body.id)).token;
    expect((await call("POST", "/api/console/mode", { session: invitedSession, body: { live: false } })).status).toBe(200);
    expect((await call("POST", `/api/console/operators/${invited.body.id}/remove`, { session: ownerSession })).status).toBe(200);
    expect((await call("POST", "/api/console/mode", { session: invitedSession, body: { live: false } })).status).toBe(401);

    expect((await call("POST", `/api/console/operators/${owner.id}/remove`, { session: ownerSession })).status).toBe(409);
    const actions = (await prisma().auditEvent.findMany({ where: { platformId }, orderBy: { createdAt: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["operator.invited", "operator.removed"]);
  });
});

describe("console sign-in by magic link", () => {
  it("emails a single-use link to an operator; confirming it sets the console cookie; nothing for strangers", async () => {
    const { platformId, ids } = await platformWithObjects();
    const email = `${newId("owner")}@ops.example`;
    await createOperator(platformId, { email, role: "owner" });
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    let line = "";
    try {
      expect((await call("POST", "/api/console/sign-in", { body: { email: email.toUpperCase() } })).status).toBe(202);
      expect((await call("POST", "/api/console/sign-in", { body: { email: "nobody@ops.example" } })).status).toBe(202);
      await vi.waitFor(() => expect(info.mock.calls.some((c) => String(c[0]).includes(email))).toBe(true));
      expect(info.mock.calls.some((c) => String(c[0]).includes("nobody@ops.example"))).toBe(false);
    } finally {
      line = String(info.mock.calls.find((c) => String(c[0]).includes(email))?.[0]);
      info.mockRestore();
    }
    const link = new URL(line.slice(line.indexOf("http")));
    expect(link.pathname).toBe("/console/sign-in/confirm");
    const token = link.searchParams.get("token")!;

    const confirmed = await call("POST", "/api/console/sign-in/confirm", { body: { token } });
    expect(confirmed.status).toBe(200);
    const cookie = confirmed.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^drawdown-console-session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200$/);
    const session = decodeURIComponent(cookie.split(";")[0]!.split("=")[1]!);
    expect((await call("GET", `/api/console/customers/${ids.customer}`, { session })).status).toBe(200);
    // The console session is no portal session.
    expect(await findPortalSession(session)).toBeNull();

    // Single use.
    expect((await call("POST", "/api/console/sign-in/confirm", { body: { token } })).status).toBe(400);
    expect((await call("POST", "/api/console/sign-in", { body: { email: "not an email" } })).status).toBe(422);

    // Signing out ends the session.
    await call("POST", "/api/console/sign-out", { session });
    expect((await call("GET", `/api/console/customers/${ids.customer}`, { session })).status).toBe(401);
  });

  it("refuses an expired sign-in token", async () => {
    const { platformId } = await platformWithObjects();
    const operator = await createOperator(platformId, { email: `${newId("late")}@ops.example`, role: "member" });
    const { hashConsoleToken } = await import("@/lib/console/operator-sessions");
    await prisma().operatorSignInToken.create({ data: { tokenHash: hashConsoleToken("expired-token"), operatorId: operator.id, expiresAt: new Date(Date.now() - 1000) } });
    expect((await call("POST", "/api/console/sign-in/confirm", { body: { token: "expired-token" } })).status).toBe(400);
    expect(await prisma().operatorSession.count({ where: { operatorId: operator.id } })).toBe(0);
  });
});
