import { consoleRoute } from "@/app/_server/console-route";
import { updateConsoleBranding } from "@/lib/console/settings-actions";
import { platformBrandingBody } from "@/lib/platforms/update-platform-branding";

/** The platform's name, brand colour and logo URL, as the billing portal shows them (owners only). */
export const PATCH = consoleRoute("owner", { body: platformBrandingBody }, async ({ console: ctx, body }) => {
  const branding = await updateConsoleBranding(ctx, body);
  return { id: branding.id, name: branding.name, brand_color: branding.brandColor, logo_url: branding.logoUrl };
});
