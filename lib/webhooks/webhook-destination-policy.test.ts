import { describe, expect, it } from "vitest";
import { checkWebhookDestination, checkWebhookUrl, isAllowedAddress, type ResolvedAddress, type WebhookDestinationPolicy } from "./webhook-destination-policy";

/** The URL and address rules of webhook destinations (SSRF), without a network. */

const noDns = async (): Promise<ResolvedAddress[]> => [];
const strict: WebhookDestinationPolicy = { allowHttp: true, allowPrivateNetworks: false, resolve: noDns };
const privateNetworks: WebhookDestinationPolicy = { ...strict, allowPrivateNetworks: true };

/** Refused by default; allowed once the operator opts in to private networks. */
const privateDestinations = [
  "http://127.0.0.1:54329/internal",
  "http://127.255.255.254/",
  "http://[::1]/",
  "http://[0:0:0:0:0:0:0:1]/",
  "http://10.0.0.7/",
  "http://172.16.5.4/",
  "http://192.168.1.1/admin",
  "http://100.64.0.1/", // CGNAT
  "http://[fc00::1]/", // ULA
  "http://[fd12:3456::1]/",
  // IPv4-mapped IPv6 and NAT64 of a private IPv4
  "http://[::ffff:127.0.0.1]/",
  "http://[::ffff:7f00:1]/",
  "http://[::ffff:10.0.0.1]/",
  "http://[64:ff9b::127.0.0.1]/",
  "http://[64:ff9b::c0a8:101]/",
  // integer, octal, hex and short IPv4 forms (WHATWG normalises them to 127.0.0.1)
  "http://2130706433/",
  "http://0x7f000001/",
  "http://0x7f.1/",
  "http://017700000001/",
  "http://0177.0.0.1/",
  "http://127.1/",
  "http://%31%32%37.0.0.1/",
  // names that only resolve inside a network
  "http://localhost/",
  "http://LOCALHOST./",
  "http://api.localhost/",
  "http://postgres/",
  "http://postgres:5432/",
  "http://printer.local/",
  "http://billing.internal/",
  "http://router.lan/",
  "http://nas.home.arpa/",
];

/** Refused whatever the operator allows: never a webhook receiver. */
const neverDestinations = [
  "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
  "http://169.254.170.2/v2/credentials",
  "http://[fd00:ec2::254]/latest/meta-data/",
  "http://100.100.100.200/latest/meta-data/",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://metadata.google.internal./computeMetadata/v1/",
  "http://metadata.goog/",
  "http://metadata/",
  "http://[::ffff:169.254.169.254]/",
  "http://[::ffff:a9fe:a9fe]/",
  "http://2852039166/", // 169.254.169.254
  "http://169.254.1.1/", // link-local
  "http://[fe80::1]/",
  "http://0.0.0.0/",
  "http://0/",
  "http://0.1.2.3/",
  "http://[::]/",
  "http://255.255.255.255/",
  "http://224.0.0.1/",
  "http://[ff02::1]/",
  "http://240.0.0.1/", // reserved
  "http://192.0.2.10/", // documentation
  "http://198.18.0.1/", // benchmarking
  "http://[2001:db8::1]/",
  "http://[::127.0.0.1]/", // IPv4-compatible (deprecated)
  "http://[::7f00:1]/",
  "http://[::ffff:0:7f00:1]/", // IPv4-translated
  "http://[2002:7f00:1::]/", // 6to4 of 127.0.0.1
  "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", // Teredo
  "http://[64:ff9b:1::a00:1]/", // local-use NAT64
];

const publicDestinations = [
  "https://glitch.ai/webhooks/drawdown",
  "https://hooks.example.com:8443/drawdown?x=1",
  "https://8.8.8.8/hook",
  "https://[2606:4700:4700::1111]/hook",
  "https://[64:ff9b::808:808]/hook", // NAT64 of 8.8.8.8
  "https://[::ffff:8.8.8.8]/hook",
  "https://134744072/hook", // 8.8.8.8 as an integer
  "http://receiver.example.org/hook", // http while the app itself is http
];

describe("checkWebhookUrl", () => {
  it.each(privateDestinations)("refuses %s by default", (url) => {
    const refusal = checkWebhookUrl(url, strict);
    expect(refusal).toMatchObject({ kind: expect.stringMatching(/^(non_public_address|internal_name)$/), message: expect.stringMatching(/^Must /) });
    expect(refusal!.logReason).toMatch(/^destination not allowed: /);
  });

  it.each(privateDestinations)("allows %s with WEBHOOK_ALLOW_PRIVATE_NETWORKS", (url) => {
    expect(checkWebhookUrl(url, privateNetworks)).toBeNull();
  });

  it.each(neverDestinations)("refuses %s even with WEBHOOK_ALLOW_PRIVATE_NETWORKS", (url) => {
    expect(checkWebhookUrl(url, strict)).not.toBeNull();
    expect(checkWebhookUrl(url, privateNetworks)).toMatchObject({ kind: expect.stringMatching(/^(non_public_address|metadata)$/) });
  });

  it.each(publicDestinations)("allows %s", (url) => {
    expect(checkWebhookUrl(url, strict)).toBeNull();
  });

  it("says what was wrong in words a platform can act on", () => {
    expect(checkWebhookUrl("http://2130706433/", strict)!.message).toBe("Must point to a public address: 127.0.0.1 is a loopback address");
    expect(checkWebhookUrl("http://[::ffff:10.0.0.1]/", strict)!.message).toBe("Must point to a public address: ::ffff:a00:1 is a private (RFC 1918) address");
    expect(checkWebhookUrl("http://169.254.169.254/", strict)!.message).toBe("Must point to a public address: 169.254.169.254 is a cloud metadata address");
    expect(checkWebhookUrl("http://metadata.google.internal/", strict)!.message).toBe("Must not point to a cloud metadata service");
    expect(checkWebhookUrl("http://postgres/", strict)!.message).toMatch(/^Must be a public host name: postgres only resolves inside a private network/);
    expect(checkWebhookUrl("http://[64:ff9b::a00:1]/", strict)!.message).toBe(
      "Must point to a public address: 64:ff9b::a00:1 is a NAT64 form of 10.0.0.1, which is a private (RFC 1918) address",
    );
  });

  it("requires https when the app itself is served over https", () => {
    const httpsApp = { ...strict, allowHttp: false };
    expect(checkWebhookUrl("http://receiver.example.org/hook", httpsApp)).toMatchObject({ kind: "scheme", message: "Must be an https URL" });
    expect(checkWebhookUrl("https://receiver.example.org/hook", httpsApp)).toBeNull();
    expect(checkWebhookUrl("ftp://receiver.example.org/hook", strict)).toMatchObject({ kind: "scheme" });
  });
});

describe("isAllowedAddress (what a resolved name may connect to)", () => {
  it.each(["127.0.0.1", "::1", "10.1.2.3", "::ffff:127.0.0.1", "fd00::5", "100.64.1.1"])("%s only with WEBHOOK_ALLOW_PRIVATE_NETWORKS", (address) => {
    expect(isAllowedAddress(address, strict)).toBe(false);
    expect(isAllowedAddress(address, privateNetworks)).toBe(true);
  });
  it.each(["169.254.169.254", "fd00:ec2::254", "fe80::1%eth0", "0.0.0.0", "::", "224.0.0.251", "::7f00:1", "not an address", ""])("never %s", (address) => {
    expect(isAllowedAddress(address, privateNetworks)).toBe(false);
  });
  it.each(["93.184.215.14", "2606:4700:4700::1111", "::ffff:93.184.215.14"])("always %s", (address) => {
    expect(isAllowedAddress(address, strict)).toBe(true);
  });
});

describe("checkWebhookDestination (registration)", () => {
  const resolvingTo = (...addresses: string[]): WebhookDestinationPolicy => ({
    ...strict,
    resolve: async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
  });

  it("refuses a public-looking name that resolves to a non-public address, even one of several", async () => {
    expect(await checkWebhookDestination("https://rebind.example.com/hook", resolvingTo("127.0.0.1"))).toMatchObject({
      kind: "non_public_address",
      message: "Must point to a public address: rebind.example.com resolves to a non-public address",
    });
    expect(await checkWebhookDestination("https://rebind.example.com/hook", resolvingTo("93.184.215.14", "10.0.0.1"))).not.toBeNull();
    expect(await checkWebhookDestination("https://rebind.example.com/hook", resolvingTo("::ffff:169.254.169.254"))).not.toBeNull();
  });

  it("accepts a name that resolves to public addresses, or does not resolve (yet), or too slowly", async () => {
    expect(await checkWebhookDestination("https://hooks.example.com/hook", resolvingTo("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"))).toBeNull();
    expect(await checkWebhookDestination("https://hooks.example.com/hook", { ...strict, resolve: () => Promise.reject(new Error("ENOTFOUND")) })).toBeNull();
    const never: WebhookDestinationPolicy = { ...strict, resolve: () => new Promise(() => undefined) };
    expect(await checkWebhookDestination("https://hooks.example.com/hook", never, 20)).toBeNull();
  });

  it("does not resolve what the URL already refuses or an IP literal", async () => {
    let asked = 0;
    const counting: WebhookDestinationPolicy = { ...strict, resolve: async () => (asked++, []) };
    expect(await checkWebhookDestination("http://127.0.0.1/", counting)).not.toBeNull();
    expect(await checkWebhookDestination("https://8.8.8.8/", counting)).toBeNull();
    expect(asked).toBe(0);
  });
});
