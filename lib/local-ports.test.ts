import { describe, expect, it } from "vitest";
import { appPort, defaultStripeEmulatorUrl, localPort } from "./local-ports";

describe("local ports", () => {
  it("are 3000, 54329 and 12111 with nothing set", () => {
    expect(appPort({})).toBe(3000);
    expect(localPort("PGPORT", {})).toBe(54329);
    expect(localPort("STRIPE_EMULATOR_PORT", {})).toBe(12111);
    expect(defaultStripeEmulatorUrl({})).toBe("http://127.0.0.1:12111");
  });

  it("follow PORT, so a second checkout needs one variable", () => {
    const second = { PORT: "3001" };
    expect(localPort("PGPORT", second)).toBe(54330);
    expect(localPort("STRIPE_EMULATOR_PORT", second)).toBe(12112);
    expect(defaultStripeEmulatorUrl(second)).toBe("http://127.0.0.1:12112");
    expect(localPort("PGPORT", { PORT: "8080" })).toBe(59409);
  });

  it("take an explicit value over the derived one", () => {
    expect(localPort("PGPORT", { PORT: "3001", PGPORT: "6000" })).toBe(6000);
    expect(localPort("STRIPE_EMULATOR_PORT", { PORT: "3001", STRIPE_EMULATOR_PORT: "0" })).toBe(0);
    expect(defaultStripeEmulatorUrl({ STRIPE_EMULATOR_PORT: "4242" })).toBe("http://127.0.0.1:4242");
  });

  it("refuse what is not a port, naming the variable", () => {
    expect(() => appPort({ PORT: "abc" })).toThrow(/PORT must be a port number/);
    expect(() => appPort({ PORT: "0" })).toThrow(/PORT must be a port number/);
    expect(() => localPort("PGPORT", { PGPORT: "70000" })).toThrow(/PGPORT must be a port number/);
    expect(() => localPort("PGPORT", { PGPORT: "0" })).toThrow(/PGPORT/);
  });

  it("ask for the variable when PORT would move it out of range", () => {
    expect(() => localPort("PGPORT", { PORT: "20000" })).toThrow(/gives 71329 for PORT=20000: set PGPORT/);
    // The app reads the emulator's address even with real Stripe: never an error there.
    expect(defaultStripeEmulatorUrl({ PORT: "60000" })).toBe("http://127.0.0.1:12111");
  });
});
