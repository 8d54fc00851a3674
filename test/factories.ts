import { createApiKey } from "@/lib/auth/api-keys";
import { prisma } from "@/lib/db";
import { newId } from "@/lib/ids";
import { createPlatform } from "@/lib/platforms/create-platform";

/**
 * Shared test data. Every call makes fresh rows with random ids, so test files running in
 * parallel on the one suite database never see each other's data.
 */

export interface TestPlatform {
  platformId: string;
  /** A test-mode API key of the platform (the secret, as a client would send it). */
  apiKey: string;
  apiKeyId: string;
  liveMode: false;
}

export async function createTestPlatform(name = "Test Platform"): Promise<TestPlatform> {
  const platform = await createPlatform({ name });
  const { id, key } = await createApiKey(platform.id, false);
  return { platformId: platform.id, apiKey: key, apiKeyId: id, liveMode: false };
}

export interface TestCustomerOptions {
  /** A fixed id (the seed's `cust_473cr1y0ghbyc3m1yfbwvn3nxx`); ids are global, so use each once per database. */
  id?: string;
  liveMode?: boolean;
  name?: string | null;
  email?: string | null;
  externalId?: string | null;
}

export async function createTestCustomer(
  platformId: string,
  options: TestCustomerOptions = {},
): Promise<{ customerId: string; platformId: string; liveMode: boolean; email: string | null }> {
  const id = options.id ?? newId("cust");
  const email = options.email === undefined ? `${id}@example.test` : options.email;
  const customer = await prisma().customer.create({
    data: {
      id,
      platformId,
      liveMode: options.liveMode ?? false,
      name: options.name === undefined ? "Test Customer" : options.name,
      email,
      externalId: options.externalId ?? null,
    },
    select: { id: true, platformId: true, liveMode: true, email: true },
  });
  return { customerId: customer.id, platformId: customer.platformId, liveMode: customer.liveMode, email: customer.email };
}
