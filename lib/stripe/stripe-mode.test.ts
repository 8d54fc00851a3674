import { describe, expect, it } from "vitest";
import { decideStripeMode, describeStripeMode } from "./stripe-mode";

describe("decideStripeMode", () => {
  it("is the emulator only when STRIPE_MODE=emulator says so", () => {
    expect(decideStripeMode({ STRIPE_MODE: "emulator" })).toEqual({ kind: "emulator" });
    expect(decideStripeMode({ STRIPE_MODE: " emulator " })).toEqual({ kind: "emulator" });
  });

  it("refuses no configuration at all, naming both ways out", () => {
    for (const vars of [{}, { STRIPE_SECRET_KEY: "" }, { STRIPE_SECRET_KEY: "  ", STRIPE_MODE: "" }]) {
      const decision = decideStripeMode(vars);
      expect(decision.kind, JSON.stringify(vars)).toBe("refused");
      const reason = decision.kind === "refused" ? decision.reason : "";
      expect(reason).toMatch(/STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/);
      expect(reason).toMatch(/STRIPE_MODE=emulator/);
    }
  });

  it("uses Stripe with a key and a webhook secret, live or test as the key says", () => {
    expect(decideStripeMode({ STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_WEBHOOK_SECRET: "whsec_x" })).toEqual({ kind: "stripe", keys: "live" });
    expect(decideStripeMode({ STRIPE_SECRET_KEY: "rk_live_abc", STRIPE_WEBHOOK_SECRET: "whsec_x" })).toEqual({ kind: "stripe", keys: "live" });
    expect(decideStripeMode({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_x" })).toEqual({ kind: "stripe", keys: "test" });
  });

  it("refuses a key without a webhook secret", () => {
    const decision = decideStripeMode({ STRIPE_SECRET_KEY: "sk_live_abc" });
    expect(decision).toMatchObject({ kind: "refused", reason: expect.stringMatching(/STRIPE_WEBHOOK_SECRET must be set/) });
  });

  it("refuses STRIPE_MODE=emulator beside a secret key (ambiguous) and an unknown STRIPE_MODE", () => {
    expect(decideStripeMode({ STRIPE_MODE: "emulator", STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_WEBHOOK_SECRET: "whsec_x" })).toMatchObject({
      kind: "refused",
      reason: expect.stringMatching(/both set/),
    });
    expect(decideStripeMode({ STRIPE_MODE: "live", STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_WEBHOOK_SECRET: "whsec_x" })).toMatchObject({
      kind: "refused",
      reason: expect.stringMatching(/STRIPE_MODE must be "emulator" or unset/),
    });
  });
});

describe("describeStripeMode", () => {
  it("says which Stripe the start-up log is about", () => {
    expect(describeStripeMode({ kind: "emulator" }, "http://127.0.0.1:12111")).toBe("Stripe: emulator at http://127.0.0.1:12111");
    expect(describeStripeMode({ kind: "stripe", keys: "live" }, "unused")).toBe("Stripe: live keys");
    expect(describeStripeMode({ kind: "stripe", keys: "test" }, "unused")).toBe("Stripe: test keys");
  });
});
