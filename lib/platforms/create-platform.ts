import { z } from "zod";
import { prisma } from "@/lib/db";
import { newId } from "@/lib/ids";

const input = z.object({
  name: z.string().trim().min(1).max(200),
  /** A CSS hex colour for the portal's accents. */
  brandColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "brandColor must look like #4f46e5")
    .optional(),
});

export type CreatePlatformInput = z.input<typeof input>;

/** Creates a platform (a tenant of this Drawdown installation). Ids are `plat_…`. */
export async function createPlatform(args: CreatePlatformInput): Promise<{ id: string; name: string }> {
  const { name, brandColor } = input.parse(args);
  return prisma().platform.create({
    data: { id: newId("plat"), name, ...(brandColor ? { brandColor } : {}) },
    select: { id: true, name: true },
  });
}
