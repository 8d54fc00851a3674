import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { readWallet } from "@/lib/ledger";
import { Dec } from "@/lib/money";
import { initiateTopUp } from "@/lib/top-ups/initiate-top-up";
import { startStripeHarness, waitFor, type StripeHarness } from "@/lib/top-ups/testing/stripe-harness";
import { createTestCustomer, createTestPlatform, type TestPlatform } from "@/test/factories";
import { newId } from "@/lib/ids";
import { startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createOperator } from "./operators";
import { createOperatorSession } from "./operator-sessions";

/**
 * A console refund: a top-up paid in the Stripe emulator is refunded through the console
 * route (Stripe's refund API); the emulator's charge.refunded webhook reaches the real
 * webhook route, which reverses the credit. The console never writes the ledger itself.
 */

let harness: StripeHarness;
let server: TestApiServer;
let platform: TestPlatform;
let member: string;
let readOnly: string;

beforeAll(async () => {
  harness = await startStripeHarness();
  server = await startTestApiServer();
  platform = await createTestPlatform("Console refunds");
  const op = await createOperator(platform.platformId, { email: `${newId("m")}@ops.example`, role: "member" });
  member = (await createOperatorSession(op.id)).token;
  const ro = await createOperator(platform.platformId, { email: `${newId("r")}@ops.example`, role: "read_only" });
  readOnly = (await createOperatorSession(ro.id)).token;
});
afterAll(async () => {
  await harness?.close();
  await server?.close();
  await closeDb();
});

async function paidTopUp(amount: number): Promise<{ customerId: string; topUpId: string }> {
  const { customerId } = await createTestCustomer(platform.platformId);
  const { topUp } = await initiateTopUp(platform, {
    customer_id: customerId,
    amount: new Dec(amount),
    currency: "USD",
    destination: { account_name: "default", asset: "USD" },
    credit_expires_at: null,
  });
  harness.emulator.pay(topUp.checkoutSessionId!);
  await waitFor(async () => (await prisma().topUp.findUniqueOrThrow({ where: { id: topUp.id } })).status === "succeeded", "the top-up to be paid");
  return { customerId, topUpId: topUp.id };
}

function refund(session: string, topUpId: string, body: unknown) {
  return fetch(`${server.url}/api/console/top-ups/${topUpId}/refund`, {
    method: "POST",
    headers: { cookie: `drawdown-console-session=${session}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function available(customerId: string): Promise<string | undefined> {
  return (await readWallet(customerId)).find((a) => a.id === "default:USD")?.available.toFixed();
}

describe("refunding a top-up from the console", () => {
  it("refunds at Stripe; the charge.refunded webhook reverses the credit; audited; a double submit refunds once and is audited once", async () => {
    const { customerId, topUpId } = await paidTopUp(30);
    expect(await available(customerId)).toBe("30");

    expect((await refund(readOnly, topUpId, { amount: 10 })).status).toBe(403);
    const tooMuch = await refund(member, topUpId, { amount: 31 });
    expect(tooMuch.status).toBe(422);

    // The form sends one key per confirmation: a second submit under it refunds nothing
    // more, even after the first refund's webhook arrived.
    const first = await refund(member, topUpId, { amount: 10, idempotency_key: "confirm-1" });
    expect(first.status).toBe(202);
    await waitFor(async () => (await prisma().topUp.findUniqueOrThrow({ where: { id: topUpId } })).refundedAmount.eq(10), "the first refund to be applied");
    const again = await refund(member, topUpId, { amount: 10, idempotency_key: "confirm-1" });
    expect(again.status).toBe(202);
    expect(((await again.json()) as { refund_id: string }).refund_id).toBe(((await first.json()) as { refund_id: string }).refund_id);

    await waitFor(async () => (await prisma().topUp.findUniqueOrThrow({ where: { id: topUpId } })).refundedAmount.eq(10), "the refund to be applied");
    expect(await available(customerId)).toBe("20");
    await harness.emulator.webhooksIdle();
    expect((await prisma().topUp.findUniqueOrThrow({ where: { id: topUpId } })).refundedAmount.toFixed()).toBe("10");

    // The rest, by default.
    expect((await refund(member, topUpId, {})).status).toBe(202);
    await waitFor(async () => (await prisma().topUp.findUniqueOrThrow({ where: { id: topUpId } })).refundedAmount.eq(30), "the second refund");
    expect(await available(customerId)).toBe("0");

    const audit = await prisma().auditEvent.findMany({ where: { platformId: platform.platformId, action: "top_up.refunded" } });
    // The double submit of 10 is one audit row, as it is one refund.
    expect(audit.map((a) => (a.detail as { amount: string }).amount).sort()).toEqual(["10", "20"]);
  });

  it("refuses an unpaid top-up (409) and another platform's (404)", async () => {
    const { customerId } = await createTestCustomer(platform.platformId);
    const { topUp } = await initiateTopUp(platform, {
      customer_id: customerId,
      amount: new Dec(5),
      currency: "USD",
      destination: { account_name: "default", asset: "USD" },
      credit_expires_at: null,
    });
    expect((await refund(member, topUp.id, {})).status).toBe(409);
    const other = await createTestPlatform("Elsewhere");
    const stranger = await createOperator(other.platformId, { email: `${newId("s")}@ops.example`, role: "owner" });
    expect((await refund((await createOperatorSession(stranger.id)).token, topUp.id, {})).status).toBe(404);
  });
});
