import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { env } from "@/lib/env";

/**
 * Where webhooks may be sent (SSRF protection, issue 10). A webhook endpoint's URL is
 * chosen by whoever holds an API key, and the sender POSTs to it from inside the
 * operator's network, so an unchecked URL would let a platform reach the database port,
 * the cloud metadata service or any internal admin page, and read the first bytes of the
 * answer back from the delivery log.
 *
 * The rule: an endpoint must be a public address. Refused are every address ipaddr.js does
 * not classify as `unicast` (loopback, RFC 1918 private, ULA, link-local, CGNAT, multicast,
 * broadcast, unspecified, reserved, documentation, 6to4, Teredo …), in IPv4, IPv6,
 * IPv4-mapped/-compatible and NAT64 forms, and host names that only make sense inside a
 * network (single labels, localhost, .local, .internal …). WHATWG URL parsing already turns
 * integer hosts (2130706433, 0x7f.1, 017700000001, 127.1) into dotted IPv4, so those are
 * classified like any literal. The check runs at registration and again for every delivery
 * against the addresses the connection actually uses (see webhookLookup), because DNS
 * can change after registration.
 *
 * `WEBHOOK_ALLOW_PRIVATE_NETWORKS=true` lets an operator whose receivers live on a private
 * network allow loopback, private, ULA and CGNAT addresses and internal names. Cloud
 * metadata services, link-local, multicast, broadcast, unspecified and reserved addresses
 * stay refused even then: no webhook receiver lives there.
 */
export interface WebhookDestinationPolicy {
  /** `http:` URLs are accepted only while the app itself is served over http (APP_URL). */
  allowHttp: boolean;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: loopback, private, ULA, CGNAT and internal names are allowed. */
  allowPrivateNetworks: boolean;
  /** Every address a host name resolves to (getaddrinfo by default, as a socket would). */
  resolve: (hostname: string) => Promise<ResolvedAddress[]>;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Why a destination is refused; `message` is for the API's 422, `logReason` for the attempt log. */
export interface DestinationRefusal {
  kind: "scheme" | "metadata" | "internal_name" | "non_public_address";
  message: string;
  logReason: string;
}

let override: Partial<WebhookDestinationPolicy> | undefined;

/** The policy in force: the environment, unless a test has overridden parts of it. */
export function webhookDestinationPolicy(): WebhookDestinationPolicy {
  const e = env();
  return {
    allowHttp: override?.allowHttp ?? new URL(e.APP_URL).protocol === "http:",
    allowPrivateNetworks: override?.allowPrivateNetworks ?? e.WEBHOOK_ALLOW_PRIVATE_NETWORKS === "true",
    resolve: override?.resolve ?? resolveWithSystem,
  };
}

/**
 * Tests only: replaces parts of the policy (the suite runs with private networks allowed,
 * for its loopback receivers; SSRF tests turn that off and inject a resolver). `undefined`
 * restores the environment's policy.
 */
export function overrideWebhookDestinationPolicy(parts: Partial<WebhookDestinationPolicy> | undefined): void {
  override = parts;
}

async function resolveWithSystem(hostname: string): Promise<ResolvedAddress[]> {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

/** Cloud metadata services: never a webhook receiver, whatever the operator allows. */
const METADATA_ADDRESSES = new Set(
  [
    "169.254.169.254", // AWS, GCP, Azure, OpenStack, DigitalOcean …
    "169.254.170.2", // AWS ECS task credentials
    "169.254.170.23", // AWS EKS pod identity
    "fd00:ec2::254", // AWS IMDS over IPv6
    "fd00:ec2::23", // AWS EKS pod identity over IPv6
    "100.100.100.200", // Alibaba Cloud
    "192.0.0.192", // Oracle Cloud
  ].map((a) => ipaddr.parse(a).toNormalizedString()),
);
const METADATA_NAMES = new Set(["metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal"]);
/** Names that only resolve inside a network (RFC 6761, 6762, 8375, ICANN's .internal, common router suffixes). */
const INTERNAL_SUFFIXES = ["localhost", "local", "internal", "localdomain", "lan", "home.arpa"];
/** ipaddr.js ranges that private-network installs may use; every other non-unicast range is always refused. */
const PRIVATE_NETWORK_RANGES = new Set(["loopback", "private", "uniqueLocal", "carrierGradeNat"]);

const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR("::/96");
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR("64:ff9b::/96");

type AddressClass = "public" | "private_network" | "never";

/**
 * Classifies one IP address (any textual form ipaddr.js parses; IPv4-mapped IPv6 is
 * classified as the IPv4 address it carries, NAT64 `64:ff9b::/96` as its embedded IPv4).
 */
function classifyAddress(text: string): AddressClass {
  if (!ipaddr.isValid(text)) return "never";
  const address = ipaddr.process(text);
  if (METADATA_ADDRESSES.has(address.toNormalizedString())) return "never";
  const range = address.range();
  if (address.kind() === "ipv6") {
    const v6 = address as ipaddr.IPv6;
    // The deprecated IPv4-compatible ::a.b.c.d, which ipaddr.js ranges as plain unicast.
    if (range === "unicast" && v6.match(IPV4_COMPATIBLE)) return "never";
    const nat64 = nat64Target(v6);
    if (nat64) return classifyAddress(nat64);
  }
  if (range === "unicast") return "public";
  return PRIVATE_NETWORK_RANGES.has(range) ? "private_network" : "never";
}

/** The IPv4 address a well-known-prefix NAT64 address (64:ff9b::/96) reaches, else null. */
function nat64Target(address: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  if (address.kind() !== "ipv6" || !(address as ipaddr.IPv6).match(NAT64_WELL_KNOWN)) return null;
  return address.toByteArray().slice(12).join(".");
}

/** Whether a connection to `address` is allowed under `policy`. */
export function isAllowedAddress(address: string, policy: Pick<WebhookDestinationPolicy, "allowPrivateNetworks">): boolean {
  const cls = classifyAddress(address);
  return cls === "public" || (cls === "private_network" && policy.allowPrivateNetworks);
}

const NON_PUBLIC: Omit<DestinationRefusal, "message"> = {
  kind: "non_public_address",
  logReason: "destination not allowed: resolves to a non-public address",
};

/**
 * Checks what the URL alone says: its scheme, and its host when that is an IP literal or
 * a name that cannot be public. Null when it may be sent to (the resolved addresses are
 * checked on connection). `url` must be an absolute URL (the API's schema ensures it).
 */
export function checkWebhookUrl(url: string, policy: WebhookDestinationPolicy): DestinationRefusal | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: "scheme", message: "Must be an absolute http(s) URL", logReason: "destination not allowed: invalid URL" };
  }
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && policy.allowHttp)) {
    return {
      kind: "scheme",
      message: policy.allowHttp ? "Must be an absolute http(s) URL" : "Must be an https URL",
      logReason: "destination not allowed: https required",
    };
  }
  // WHATWG has already lowercased the host and turned integer IPv4 forms into dotted ones.
  const host = hostOf(parsed);
  if (isIP(host)) {
    if (isAllowedAddress(host, policy)) return null;
    return { ...NON_PUBLIC, message: `Must point to a public address: ${host} is ${describeAddress(host)}` };
  }
  if (METADATA_NAMES.has(host)) {
    return { kind: "metadata", message: "Must not point to a cloud metadata service", logReason: "destination not allowed: cloud metadata service" };
  }
  const internal = !host.includes(".") || INTERNAL_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`));
  if (internal && !policy.allowPrivateNetworks) {
    return {
      kind: "internal_name",
      message: `Must be a public host name: ${host} only resolves inside a private network (single-label, localhost, .local and .internal names are refused)`,
      logReason: "destination not allowed: internal host name",
    };
  }
  return null;
}

/** The URL's host as a socket sees it: no IPv6 brackets, no trailing dot. */
function hostOf(url: URL): string {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

function describeAddress(address: string): string {
  const parsed = ipaddr.process(address);
  const nat64 = nat64Target(parsed);
  if (nat64) return `a NAT64 form of ${nat64}, which is ${describeAddress(nat64)}`;
  if (METADATA_ADDRESSES.has(parsed.toNormalizedString())) return "a cloud metadata address";
  const names: Record<string, string> = {
    loopback: "a loopback address",
    private: "a private (RFC 1918) address",
    uniqueLocal: "a private (unique local) address",
    carrierGradeNat: "a carrier-grade NAT address",
    linkLocal: "a link-local address",
    multicast: "a multicast address",
    broadcast: "the broadcast address",
    unspecified: "the unspecified address",
  };
  return names[parsed.range()] ?? "not a public unicast address";
}

/**
 * At registration: the URL check, then the host's current addresses. Resolution is best
 * effort (a name that does not resolve yet, or not within `timeoutMs`, is accepted: the
 * sender checks again on every connection); a name that resolves to any refused address
 * is refused now, so a platform learns it at once rather than from failing deliveries.
 */
export async function checkWebhookDestination(url: string, policy = webhookDestinationPolicy(), timeoutMs = 2000): Promise<DestinationRefusal | null> {
  const refusal = checkWebhookUrl(url, policy);
  if (refusal) return refusal;
  const host = hostOf(new URL(url));
  if (isIP(host)) return null;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    policy.resolve(host).catch(() => [] as ResolvedAddress[]),
    new Promise<ResolvedAddress[]>((resolve) => (timer = setTimeout(() => resolve([]), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
  if (addresses.every((a) => isAllowedAddress(a.address, policy))) return null;
  return { ...NON_PUBLIC, message: `Must point to a public address: ${host} resolves to a non-public address` };
}
