import { pool } from "@/lib/db";

/**
 * Who a magic link is for. Customers belong to one platform and one mode, and the same
 * address may be a customer of several platforms, so next-auth's "email" identifier is
 * the triple `plat_…:live|test:address`. It is what next-auth stores in
 * verification_tokens.identifier and what it passes to the adapter's getUserByEmail.
 */
export interface MagicLinkIdentity {
  platformId: string;
  liveMode: boolean;
  email: string;
}

const PLATFORM_ID = /^plat_[0-9a-z]{1,64}$/;

/**
 * next-auth's own address rule (one `@`, no quotes, a dot in the domain, lower case,
 * anything after a comma in the domain dropped), so addresses compare the same way.
 * Throws on an unusable address.
 */
export function normalizeEmail(raw: string): string {
  const trimmed = raw.normalize("NFKC").trim();
  if ((trimmed.match(/@/g) ?? []).length !== 1 || trimmed.includes('"') || trimmed.length > 254) {
    throw new Error("Invalid email address format.");
  }
  const [local, rawDomain] = trimmed.toLowerCase().split("@") as [string, string];
  const domain = rawDomain.split(",")[0]!;
  if (!local || !domain || !domain.includes(".") || /\s/.test(local + domain)) throw new Error("Invalid email address format.");
  return `${local}@${domain}`;
}

export function encodeIdentity(identity: MagicLinkIdentity): string {
  return `${identity.platformId}:${identity.liveMode ? "live" : "test"}:${normalizeEmail(identity.email)}`;
}

/** The identity of an identifier made by encodeIdentity; null for anything else. */
export function parseIdentity(identifier: string | null | undefined): MagicLinkIdentity | null {
  if (!identifier) return null;
  const [platformId, mode, ...rest] = identifier.split(":");
  if (!platformId || !PLATFORM_ID.test(platformId) || (mode !== "live" && mode !== "test") || rest.length === 0) return null;
  try {
    return { platformId, liveMode: mode === "live", email: normalizeEmail(rest.join(":")) };
  } catch {
    return null;
  }
}

export interface MagicLinkCustomer {
  id: string;
  name: string | null;
  email: string;
  platformId: string;
  liveMode: boolean;
}

/**
 * The one customer of the platform (and mode) with this address, compared case-
 * insensitively. Null when there is none or more than one: an ambiguous address signs in
 * nobody rather than guessing.
 */
export async function findCustomerByIdentity(identity: MagicLinkIdentity): Promise<MagicLinkCustomer | null> {
  const { rows } = await pool().query<{ id: string; name: string | null; email: string }>(
    `SELECT id, name, email FROM customers
      WHERE platform_id = $1 AND live_mode = $2 AND lower(email) = $3
      LIMIT 2`,
    [identity.platformId, identity.liveMode, identity.email],
  );
  if (rows.length !== 1) return null;
  const row = rows[0]!;
  return { id: row.id, name: row.name, email: row.email, platformId: identity.platformId, liveMode: identity.liveMode };
}
