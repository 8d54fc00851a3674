import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./database-unavailable";

/** The shapes pg, Node and Prisma give a database that cannot be reached, by name and code. */
describe("isDatabaseUnavailable", () => {
  const withCode = (message: string, code: string, name = "Error") => Object.assign(new Error(message), { code, name });

  it("recognises pg and Node connection failures, directly or wrapped", () => {
    expect(isDatabaseUnavailable(withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("getaddrinfo ENOTFOUND db", "ENOTFOUND"))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode("connect ETIMEDOUT", "ETIMEDOUT")]))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated due to connection timeout"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("terminating connection due to administrator command", "57P01"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("the database system is starting up", "57P03"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("connection failure", "08006"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("query failed", { cause: withCode("x", "ECONNRESET") }))).toBe(true);
  });

  it("recognises Prisma's by name and code (never instanceof: two copies of lib/ in production)", () => {
    expect(isDatabaseUnavailable({ name: "PrismaClientInitializationError", message: "Can't reach database server" })).toBe(true);
    expect(isDatabaseUnavailable({ name: "PrismaClientKnownRequestError", code: "P1001", message: "" })).toBe(true);
    expect(isDatabaseUnavailable({ name: "PrismaClientKnownRequestError", code: "P2024", message: "pool timeout" })).toBe(true);
    expect(isDatabaseUnavailable({ name: "DriverAdapterError", message: "", cause: { kind: "DatabaseNotReachable" } })).toBe(true);
    // What the adapter gave during a PostgreSQL restart (seen in test/database-outage.int.test.ts):
    // a known-request error wrapping 57P01, with the pg code under meta and in the message.
    const restart = "Invalid `prisma().apiKey.findUnique()` invocation:\n\nDatabase error. Code: `57P01`. Message: `terminating connection due to administrator command`";
    expect(isDatabaseUnavailable({ name: "PrismaClientKnownRequestError", code: "P2010", message: restart })).toBe(true);
    expect(
      isDatabaseUnavailable({
        name: "PrismaClientKnownRequestError",
        code: "P2010",
        message: "",
        meta: { driverAdapterError: { cause: { kind: "postgres", originalCode: "57P01" } } },
      }),
    ).toBe(true);
    expect(isDatabaseUnavailable({ name: "PrismaClientKnownRequestError", code: "P2010", message: "Database error. Code: `23505`. Message: `dup`" })).toBe(false);
  });

  it("leaves everything else a 500 or a client error", () => {
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("duplicate key", "23505"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("could not serialize access", "40001"))).toBe(false);
    expect(isDatabaseUnavailable({ name: "PrismaClientKnownRequestError", code: "P2002", message: "Unique constraint" })).toBe(false);
    expect(isDatabaseUnavailable(withCode("syntax error", "42601"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(isDatabaseUnavailable(loop)).toBe(false);
  });
});
