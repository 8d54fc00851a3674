import { z } from "zod";
import { defineOperations } from "../contract";
import { nonNegativeAmountSchema } from "./common";

/** A default overdraft limit: an amount (0 = no overdraft) or "unlimited". */
const defaultOverdraftLimitSchema = z
  .union([z.literal("unlimited"), nonNegativeAmountSchema])
  .meta({ description: 'How far accounts without a limit of their own may go below 0, or "unlimited"', example: 10 });

export const updatePlatformBody = z
  .strictObject({
    settings: z.strictObject({ default_overdraft_limit: defaultOverdraftLimitSchema }),
  })
  .meta({ id: "UpdatePlatformSettings" });

export const platformContextSchema = z
  .object({
    id: z.string().meta({ description: "The platform (plat_…)" }),
    name: z.string(),
    live_mode: z.boolean().meta({ description: "The mode of the API key asking; settings are per mode" }),
    settings: z.object({
      default_overdraft_limit: z.union([z.number(), z.literal("unlimited")]).meta({ description: "Applies to accounts with no overdraft_limit of their own; 0 for a new platform" }),
    }),
  })
  .meta({ id: "PlatformContext" });

export const platformOperations = defineOperations({
  getPlatformContext: { method: "get", path: "/accounts/self", tag: "Platform", summary: "The platform this API key belongs to, and its settings in the key's mode", response: platformContextSchema },
  updatePlatformSettings: {
    method: "patch",
    path: "/accounts/self",
    tag: "Platform",
    summary: "Change the platform's settings in the key's mode",
    description:
      "default_overdraft_limit applies to every account without an overdraft_limit of its own, from the next charge on. A limit lower than what such an account already owes is a 409.",
    body: updatePlatformBody,
    response: platformContextSchema,
    errors: [409],
  },
});
