import { z } from "zod";
import { prisma } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";

/**
 * What the billing portal shows of a platform: its name (header, sign-in pages, emails),
 * brand colour (the portal's `--brand`) and logo (an image URL the browser loads; the
 * server never fetches it). Both modes share them. The rules are here, so every caller
 * (the console today) validates the same way.
 */

export const LOGO_URL_MAX_LENGTH = 2048;

/**
 * An absolute https URL (http only for localhost, for development), at most 2048
 * characters; empty (or null) clears the logo.
 */
const logoUrlSchema = z
  .string()
  .trim()
  .max(LOGO_URL_MAX_LENGTH, `At most ${LOGO_URL_MAX_LENGTH} characters`)
  .refine((value) => value === "" || isLogoUrl(value), "An absolute https:// URL of an image, e.g. https://example.com/logo.svg")
  .transform((value) => (value === "" ? null : value))
  .nullable();

function isLogoUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  return url.protocol === "https:" || (url.protocol === "http:" && local);
}

export const platformBrandingBody = z.strictObject({
  name: z.string().trim().min(1, "Enter a name").max(200).optional(),
  brand_color: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, "A colour as #rrggbb, e.g. #4f46e5")
    .transform((c) => c.toLowerCase())
    .optional(),
  logo_url: logoUrlSchema.optional(),
});
export type PlatformBrandingInput = z.output<typeof platformBrandingBody>;

export interface PlatformBranding {
  id: string;
  name: string;
  brandColor: string;
  logoUrl: string | null;
}

/** Sets the platform's name, brand colour and/or logo (input already parsed with platformBrandingBody); the portal reads them on its next page. */
export async function updatePlatformBranding(platformId: string, input: PlatformBrandingInput): Promise<PlatformBranding> {
  const data = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.brand_color !== undefined ? { brandColor: input.brand_color } : {}),
    ...(input.logo_url !== undefined ? { logoUrl: input.logo_url } : {}),
  };
  const { count } = await prisma().platform.updateMany({ where: { id: platformId }, data });
  if (count === 0) throw new NotFoundError("no such platform");
  return prisma().platform.findUniqueOrThrow({ where: { id: platformId }, select: { id: true, name: true, brandColor: true, logoUrl: true } });
}
