import { describe, expect, it } from "vitest";
import { refuseUndeclaredMethod } from "./method-check";
import { apiOperations } from "./operations";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

describe("refuseUndeclaredMethod (the 405 of /api/v1 under next dev)", () => {
  it("lets every declared operation through and refuses every other method of its path with a 405 problem and Allow", async () => {
    for (const op of apiOperations) {
      const path = `/api/v1${op.path.replace(/\{\w+\}/g, "x1")}`;
      const declared = apiOperations.filter((o) => o.path === op.path).map((o) => o.method.toUpperCase());
      for (const method of METHODS) {
        const answer = refuseUndeclaredMethod(method, path);
        if (declared.includes(method)) {
          expect(answer, `${method} ${path}`).toBeNull();
          continue;
        }
        expect(answer?.status, `${method} ${path}`).toBe(405);
        expect(answer!.headers.get("content-type")).toBe("application/problem+json");
        const allow = answer!.headers.get("allow")!.split(", ");
        expect(allow.filter((m) => m !== "HEAD" && m !== "OPTIONS").sort()).toEqual([...declared].sort());
        expect(allow).toContain("OPTIONS");
      }
    }
  });

  it("ranks static segments before parameters, as the App Router does", () => {
    // adjustments is its own path (POST only), not an account id of …/wallet/{account_id}.
    expect(refuseUndeclaredMethod("GET", "/api/v1/customers/cust_1/wallet/adjustments")?.headers.get("allow")).toBe("POST, OPTIONS");
    expect(refuseUndeclaredMethod("PATCH", "/api/v1/customers/cust_1/wallet/default:USD")).toBeNull();
  });

  it("lists the methods in the production router's order", () => {
    expect(refuseUndeclaredMethod("DELETE", "/api/v1/customers")?.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
  });

  it("leaves unknown paths (the catch-all's 404), HEAD and OPTIONS to the routes", () => {
    expect(refuseUndeclaredMethod("DELETE", "/api/v1/nope")).toBeNull();
    expect(refuseUndeclaredMethod("HEAD", "/api/v1/customers")).toBeNull();
    expect(refuseUndeclaredMethod("OPTIONS", "/api/v1/events")).toBeNull();
  });
});
