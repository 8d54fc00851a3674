import { z } from "zod";
import { prisma } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";

/**
 * What the billing portal shows of a platform: its name (header, sign-in pages, emails)
 * and brand colour (the portal's `--brand`). Both modes share them. The rules are here, so
 * every caller (the console today) validates the same way.
 */
export const platformBrandingBody = z.strictObject({
  name: z.string().trim().min(1, "Enter a name").max(200).optional(),
  brand_color: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, "A colour as #rrggbb, e.g. #4f46e5")
    .transform((c) => c.toLowerCase())
    .optional(),
});
export type PlatformBrandingInput = z.output<typeof platformBrandingBody>;

export interface PlatformBranding {
  id: string;
  name: string;
  brandColor: string;
}

/** Sets the platform's name and/or brand colour (input already parsed with platformBrandingBody); the portal reads them on its next page. */
export async function updatePlatformBranding(platformId: string, input: PlatformBrandingInput): Promise<PlatformBranding> {
  const data = { ...(input.name !== undefined ? { name: input.name } : {}), ...(input.brand_color !== undefined ? { brandColor: input.brand_color } : {}) };
  const { count } = await prisma().platform.updateMany({ where: { id: platformId }, data });
  if (count === 0) throw new NotFoundError("no such platform");
  return prisma().platform.findUniqueOrThrow({ where: { id: platformId }, select: { id: true, name: true, brandColor: true } });
}
