import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, prisma } from "@/lib/db";
import { WEBHOOK_TOPICS } from "@/lib/webhooks/topics";
import { overrideWebhookDestinationPolicy, type ResolvedAddress } from "@/lib/webhooks/webhook-destination-policy";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";

/**
 * POST/GET/DELETE /api/v1/webhooks over real HTTP: shapes, validation, the secret shown
 * once, and tenancy (platform and mode). Deliveries are covered in lib/webhooks.
 */

let server: TestApiServer;
let platform: TestPlatform;
let api: ReturnType<typeof apiClient>;
let liveApi: ReturnType<typeof apiClient>;
let otherApi: ReturnType<typeof apiClient>;
let anonymous: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startTestApiServer();
  platform = await createTestPlatform("Webhooks API");
  api = apiClient(server.url, platform.apiKey);
  liveApi = apiClient(server.url, (await createApiKey(platform.platformId, true)).key);
  otherApi = apiClient(server.url, (await createTestPlatform("Someone else")).apiKey);
  anonymous = apiClient(server.url, "");
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

const url = "https://glitch.ai/webhooks/drawdown";

describe("POST /webhooks", () => {
  it("creates an endpoint for every topic by default and shows the secret once", async () => {
    const res = await api("POST", "/webhooks", { url });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^whe_[0-9a-z]+$/),
      url,
      description: null,
      topics: ["*"],
      connect: false,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
      created_at: expect.any(String),
    });
    // stored so that deliveries can be signed with it
    const row = await prisma().webhookEndpoint.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row).toMatchObject({ secret: res.body.secret, platformId: platform.platformId, liveMode: false });

    const one = await api("GET", `/webhooks/${res.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ id: res.body.id, url, description: null, topics: ["*"], connect: false, created_at: res.body.created_at, deliveries: [] });
    expect(JSON.stringify(one.body)).not.toContain(res.body.secret);
  });

  it("takes Credyt's body as written: connect stored and answered, subscription.activated a topic", async () => {
    const res = await api("POST", "/webhooks", { url, topics: ["subscription.activated"], connect: true });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ topics: ["subscription.activated"], connect: true });
    expect((await api("GET", `/webhooks/${res.body.id}`)).body.connect).toBe(true);
    const typo = await api("POST", "/webhooks", { url, connect: "yes" });
    expect(typo.status).toBe(422);
    expect(typo.body.errors[0].field).toBe("connect");
  });

  it("keeps the topics asked for, once each; `*` among them means every topic", async () => {
    const some = await api("POST", "/webhooks", {
      url: "http://localhost:4000/hook",
      topics: ["event.refused", "top_up.succeeded", "event.refused"],
      description: "billing alerts",
    });
    expect(some.status).toBe(201);
    expect(some.body).toMatchObject({ topics: ["event.refused", "top_up.succeeded"], description: "billing alerts" });
    const every = await api("POST", "/webhooks", { url, topics: [...WEBHOOK_TOPICS, "*"] });
    expect(every.body.topics).toEqual(["*"]);
    expect(every.body.secret).not.toBe(some.body.secret);
  });

  it.each([
    ["no url", {}, "url"],
    ["a relative url", { url: "/hooks" }, "url"],
    ["an ftp url", { url: "ftp://glitch.ai/hook" }, "url"],
    ["a javascript: url", { url: "javascript:alert(1)" }, "url"],
    ["a url over 2000 characters", { url: `https://glitch.ai/${"a".repeat(2000)}` }, "url"],
    ["an unknown topic", { url, topics: ["top_up.refunded"] }, "topics/0"],
    ["no topics", { url, topics: [] }, "topics"],
    ["topics as a string", { url, topics: "event.refused" }, "topics"],
    ["a misspelt field", { url, events: ["event.refused"] }, "events"],
    ["a description over 1000 characters", { url, description: "x".repeat(1001) }, "description"],
  ])("answers 422 for %s and creates nothing", async (_, body, field) => {
    const before = await prisma().webhookEndpoint.count({ where: { platformId: platform.platformId } });
    const res = await api("POST", "/webhooks", body);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await prisma().webhookEndpoint.count({ where: { platformId: platform.platformId } })).toBe(before);
  });

  it("answers 400 for malformed JSON and 401 without a key", async () => {
    expect((await api("POST", "/webhooks", undefined, { raw: '{"url": ' })).status).toBe(400);
    const res = await anonymous("POST", "/webhooks", { url });
    expect(res.status).toBe(401);
  });
});

describe("POST /webhooks: only public destinations (SSRF)", () => {
  // The suite allows private networks for its loopback receivers; these run as production does.
  let resolved: Record<string, string[]> = {};
  beforeEach(() => {
    resolved = {};
    overrideWebhookDestinationPolicy({
      allowPrivateNetworks: false,
      resolve: async (host): Promise<ResolvedAddress[]> => (resolved[host] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
    });
  });
  afterEach(() => overrideWebhookDestinationPolicy(undefined));

  async function expectRefused(body: Record<string, unknown>, message: RegExp) {
    const mine = { where: { platformId: platform.platformId } };
    const before = await prisma().webhookEndpoint.count(mine);
    const res = await api("POST", "/webhooks", body);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({ type: "https://drawdown.dev/problems/validation_error", detail: expect.stringMatching(/^This webhook URL is not allowed\. Must /) });
    expect(res.body.errors).toEqual([{ field: "url", message: expect.stringMatching(message) }]);
    expect(await prisma().webhookEndpoint.count(mine)).toBe(before);
  }

  it.each([
    ["http://127.0.0.1:54329/", /127\.0\.0\.1 is a loopback address/],
    ["http://169.254.169.254/latest/meta-data/", /cloud metadata address/],
    ["http://metadata.google.internal/computeMetadata/v1/", /cloud metadata service/],
    ["http://[::1]/", /loopback/],
    ["http://[::ffff:127.0.0.1]/", /loopback/],
    ["http://[::ffff:7f00:1]/", /loopback/],
    ["http://[64:ff9b::10.0.0.1]/", /NAT64 form of 10\.0\.0\.1/],
    ["http://[fd00:ec2::254]/", /cloud metadata address/],
    ["http://[fe80::1]/", /link-local/],
    ["http://10.0.0.7/", /private \(RFC 1918\)/],
    ["http://172.16.0.1/", /private \(RFC 1918\)/],
    ["http://192.168.1.1/", /private \(RFC 1918\)/],
    ["http://100.64.0.1/", /carrier-grade NAT/],
    ["http://0.0.0.0/", /unspecified/],
    ["http://224.0.0.1/", /multicast/],
    ["http://2130706433/", /127\.0\.0\.1 is a loopback address/],
    ["http://0x7f.1/", /127\.0\.0\.1/],
    ["http://017700000001/", /127\.0\.0\.1/],
    ["http://127.1/", /127\.0\.0\.1/],
    ["http://postgres/", /postgres only resolves inside a private network/],
    ["http://localhost:4000/hook", /public host name/],
    ["http://billing.internal/", /public host name/],
    ["http://printer.local/", /public host name/],
  ])("answers 422 for %s and creates nothing", async (hostile, message) => {
    await expectRefused({ url: hostile }, message);
  });

  it("answers 422 for a public-looking name that resolves to a private address now", async () => {
    resolved["hooks.rebind.example"] = ["93.184.215.14", "10.0.0.1"];
    await expectRefused({ url: "https://hooks.rebind.example/drawdown" }, /hooks\.rebind\.example resolves to a non-public address/);
  });

  it("answers 422 for http when the app itself is served over https", async () => {
    overrideWebhookDestinationPolicy({ allowHttp: false, allowPrivateNetworks: false });
    await expectRefused({ url: "http://hooks.example.com/drawdown" }, /^Must be an https URL$/);
  });

  it("accepts public destinations", async () => {
    resolved["hooks.example.com"] = ["93.184.215.14"];
    for (const ok of ["https://hooks.example.com/drawdown", "https://8.8.8.8/hook", "https://[2606:4700:4700::1111]/hook", "https://not-resolving.example.org/hook"]) {
      const res = await api("POST", "/webhooks", { url: ok });
      expect(res.status).toBe(201);
      expect(res.body.url).toBe(ok);
    }
  });
});

describe("GET /webhooks", () => {
  it("lists the tenant's endpoints newest first, paginated, without secrets", async () => {
    const mine = await apiClient(server.url, (await createTestPlatform("Lister")).apiKey);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await mine("POST", "/webhooks", { url: `${url}/${i}` })).body.id);
    const page = await mine("GET", "/webhooks?limit=2");
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total_count: 3, limit: 2, offset: 0 });
    expect(page.body.items.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);
    expect(page.body.items[0]).toEqual({ id: ids[2], url: `${url}/2`, description: null, topics: ["*"], connect: false, created_at: expect.any(String) });
    const rest = await mine("GET", "/webhooks?limit=2&offset=2");
    expect(rest.body.items.map((e: { id: string }) => e.id)).toEqual([ids[0]]);
    expect((await mine("GET", "/webhooks?limit=0")).status).toBe(422);
  });
});

describe("tenancy", () => {
  it("another platform's or the other mode's endpoint is a 404, and never listed", async () => {
    const created = await api("POST", "/webhooks", { url });
    const id = created.body.id as string;
    for (const client of [otherApi, liveApi]) {
      expect((await client("GET", `/webhooks/${id}`)).status).toBe(404);
      expect((await client("DELETE", `/webhooks/${id}`)).status).toBe(404);
      const listed = await client("GET", "/webhooks?limit=100");
      expect(listed.body.items.map((e: { id: string }) => e.id)).not.toContain(id);
    }
    expect((await api("GET", `/webhooks/${id}`)).status).toBe(200);
  });

  it("a live-mode key registers live-mode endpoints", async () => {
    const live = await liveApi("POST", "/webhooks", { url });
    expect(live.status).toBe(201);
    expect((await prisma().webhookEndpoint.findUniqueOrThrow({ where: { id: live.body.id } })).liveMode).toBe(true);
    expect((await api("GET", `/webhooks/${live.body.id}`)).status).toBe(404);
  });

  it("an unknown or malformed id is a 404", async () => {
    expect((await api("GET", "/webhooks/whe_doesnotexist")).status).toBe(404);
    expect((await api("GET", "/webhooks/cust_123")).status).toBe(404);
  });
});

describe("DELETE /webhooks/{id}", () => {
  it("deletes the endpoint; afterwards it is a 404", async () => {
    const created = await api("POST", "/webhooks", { url });
    const res = await api("DELETE", `/webhooks/${created.body.id}`);
    expect(res).toMatchObject({ status: 200, body: { id: created.body.id, deleted: true } });
    expect((await api("GET", `/webhooks/${created.body.id}`)).status).toBe(404);
    expect((await api("DELETE", `/webhooks/${created.body.id}`)).status).toBe(404);
  });
});
