import { describe, expect, it } from "vitest";
import { Dec } from "@/lib/money";
import { ledgerEventDraft, webhookEvent } from "./ledger-outbox";

/**
 * The envelope `data` each ledger batch event becomes in the outbox (PRODUCT.md
 * "Outbound webhooks": snake_case, amounts as numbers, as the API answers).
 */

const now = new Date("2026-01-01T00:00:00Z");

describe("ledgerEventDraft", () => {
  it("grant_expired → credit_grant.expired, with what was left of the grant", () => {
    const expiresAt = new Date(now.getTime() - 1);
    const draft = ledgerEventDraft(
      {
        type: "grant_expired",
        customerId: "cust_1",
        accountId: "default:USD",
        asset: "USD",
        grantId: "grant_1",
        purpose: "promotion",
        amount: new Dec(10),
        expiredAmount: new Dec("7.25"),
        expiresAt,
        transactionId: "ltx_1",
      },
      now,
    );
    expect(draft).toEqual({
      id: expect.stringMatching(/^evt_/),
      type: "credit_grant.expired",
      createdAt: now,
      data: {
        id: "grant_1",
        customer_id: "cust_1",
        account_id: "default:USD",
        asset: "USD",
        purpose: "promotion",
        amount: 10,
        expired_amount: 7.25,
        expires_at: expiresAt.toISOString(),
        transaction_id: "ltx_1",
      },
    });
  });

  it("balance_low → wallet.balance_low", () => {
    const draft = ledgerEventDraft(
      { type: "balance_low", customerId: "cust_1", accountId: "default:USD", asset: "USD", balance: new Dec(-2), threshold: new Dec(0) },
      now,
    );
    expect(draft).toEqual({
      id: expect.stringMatching(/^evt_/),
      type: "wallet.balance_low",
      createdAt: now,
      data: { customer_id: "cust_1", account_id: "default:USD", asset: "USD", available: -2, low_balance_threshold: 0 },
    });
  });

  it("a webhook a job raised keeps its topic and data; another module's raised event is not a webhook", () => {
    const data = { id: "top_1", customer_id: "cust_1" };
    expect(ledgerEventDraft(webhookEvent("top_up.succeeded", data), now)).toEqual({
      id: expect.stringMatching(/^evt_/),
      type: "top_up.succeeded",
      createdAt: now,
      data,
    });
    expect(ledgerEventDraft({ type: "raised", by: "elsewhere", payload: { topic: "top_up.succeeded", data } }, now)).toBeNull();
  });

  it("every draft gets its own envelope id", () => {
    const e = webhookEvent("event.refused", {});
    expect(ledgerEventDraft(e, now)!.id).not.toBe(ledgerEventDraft(e, now)!.id);
  });
});
