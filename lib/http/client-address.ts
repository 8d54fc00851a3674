import type { IncomingMessage } from "node:http";

/**
 * Which address a request came from, for per-client limits (the magic-link budget).
 *
 * `X-Forwarded-For` alone cannot say: Next.js fills it with the socket's address only when
 * the client sent none, so a client that sends its own value chooses which budget it is
 * charged to. The production server (server/main.ts) owns the socket and writes the peer
 * address into PEER_ADDRESS_HEADER on every request it hands to Next.js, replacing any
 * copy the client sent. `X-Forwarded-For` is then honoured only as far as the operator
 * says proxies of theirs stand in front (TRUST_PROXY_HOPS).
 */
export const PEER_ADDRESS_HEADER = "x-drawdown-peer-address";

/**
 * The client among `forwardedFor` (the `X-Forwarded-For` list, oldest first) and `peer`
 * (the socket's address, appended as the nearest hop). With N trusted hops, the client is
 * the Nth address from the right (0: the peer itself): each trusted proxy appended the
 * address it saw, and entries further left were written by someone we do not trust. A
 * list shorter than that yields its leftmost entry. Null when there is no address at all.
 */
export function resolveClientAddress(forwardedFor: string | null, peer: string | null, trustedHops: number): string | null {
  const hops = (forwardedFor ?? "").split(",").map(normalizeAddress).filter(Boolean);
  const nearest = peer ? normalizeAddress(peer) : "";
  if (nearest) hops.push(nearest);
  if (hops.length === 0) return null;
  return hops[Math.max(0, hops.length - 1 - trustedHops)]!;
}

/**
 * The client of a request as a route handler sees it. Behind the production server the
 * peer comes from PEER_ADDRESS_HEADER. Under `next dev` (no server of ours) that header
 * is absent and the last `X-Forwarded-For` entry stands in for the peer: Next.js wrote the
 * socket's address there, unless the client sent a value of its own, which then wins.
 * That is the best `next dev` offers; it is no worse than before and is not for
 * production (see README, "Client addresses").
 */
export function clientAddress(headers: Headers, trustedHops: number): string | null {
  const peer = headers.get(PEER_ADDRESS_HEADER);
  return resolveClientAddress(headers.get("x-forwarded-for"), peer, trustedHops);
}

/**
 * Called by the production server on every request before Next.js sees it: the socket's
 * address replaces whatever PEER_ADDRESS_HEADER the client sent (Next.js builds route
 * handlers' `Headers` from `req.headers`).
 */
export function stampPeerAddress(req: IncomingMessage): void {
  const peer = req.socket.remoteAddress;
  if (peer) req.headers[PEER_ADDRESS_HEADER] = peer;
  else delete req.headers[PEER_ADDRESS_HEADER];
}

/** Trimmed and lower-cased; an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) as plain IPv4. */
function normalizeAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  return trimmed.startsWith("::ffff:") && trimmed.includes(".") ? trimmed.slice(7) : trimmed;
}
