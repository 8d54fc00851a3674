import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress, PEER_ADDRESS_HEADER, resolveClientAddress, stampPeerAddress } from "./client-address";

describe("resolveClientAddress", () => {
  it("ignores X-Forwarded-For when no proxy hop is trusted", () => {
    expect(resolveClientAddress("203.0.113.9", "198.51.100.1", 0)).toBe("198.51.100.1");
    expect(resolveClientAddress("203.0.113.9, 192.0.2.7", "198.51.100.1", 0)).toBe("198.51.100.1");
    expect(resolveClientAddress(null, "198.51.100.1", 0)).toBe("198.51.100.1");
  });

  it("takes the Nth address from the right after appending the peer", () => {
    const xff = "203.0.113.9, 192.0.2.7, 10.0.0.2";
    expect(resolveClientAddress(xff, "10.0.0.1", 1)).toBe("10.0.0.2");
    expect(resolveClientAddress(xff, "10.0.0.1", 2)).toBe("192.0.2.7");
    expect(resolveClientAddress(xff, "10.0.0.1", 3)).toBe("203.0.113.9");
  });

  it("falls back to the leftmost address when the list is shorter than the trusted hops", () => {
    expect(resolveClientAddress("192.0.2.7", "10.0.0.1", 5)).toBe("192.0.2.7");
    expect(resolveClientAddress(null, "10.0.0.1", 2)).toBe("10.0.0.1");
  });

  it("skips empty entries, trims, and reads IPv4-mapped IPv6 as IPv4", () => {
    expect(resolveClientAddress(" , 192.0.2.7 ,, ", "::ffff:10.0.0.1", 1)).toBe("192.0.2.7");
    expect(resolveClientAddress(null, "::FFFF:10.0.0.1", 0)).toBe("10.0.0.1");
    expect(resolveClientAddress("2001:DB8::1", "::1", 1)).toBe("2001:db8::1");
  });

  it("uses the last X-Forwarded-For entry as the peer when none is known (next dev)", () => {
    expect(resolveClientAddress("203.0.113.9, 192.0.2.7", null, 0)).toBe("192.0.2.7");
    expect(resolveClientAddress("203.0.113.9, 192.0.2.7", null, 1)).toBe("203.0.113.9");
    expect(resolveClientAddress(null, null, 0)).toBeNull();
    expect(resolveClientAddress(" , ", null, 0)).toBeNull();
  });
});

describe("stampPeerAddress", () => {
  // A server that stamps like server/main.ts and answers what a route handler would see.
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      stampPeerAddress(req);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      res.end(JSON.stringify({ peerHeader: headers.get(PEER_ADDRESS_HEADER), client: clientAddress(headers, 0) }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function get(localAddress: string, headers: Record<string, string | string[]>): Promise<{ peerHeader: string; client: string }> {
    return new Promise((resolve, reject) => {
      http
        .get({ host: "127.0.0.1", port, localAddress, headers }, (res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => (body += chunk.toString()));
          res.on("end", () => resolve(JSON.parse(body) as { peerHeader: string; client: string }));
        })
        .on("error", reject);
    });
  }

  it("replaces a client-sent peer header and X-Forwarded-For with the socket's address", async () => {
    const answer = await get("127.0.0.23", {
      [PEER_ADDRESS_HEADER]: ["203.0.113.1", "203.0.113.2"],
      "X-Forwarded-For": "203.0.113.3",
    });
    expect(answer).toEqual({ peerHeader: "127.0.0.23", client: "127.0.0.23" });
  });
});
