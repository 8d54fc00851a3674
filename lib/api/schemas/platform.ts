import { z } from "zod";
import { defineOperations } from "../contract";
import { nonNegativeAmountSchema } from "./common";

/** A default overdraft limit: an amount (0 = no overdraft) or "unlimited". */
export const defaultOverdraftLimitSchema = z
  .union([z.literal("unlimited"), nonNegativeAmountSchema])
  .meta({ description: 'How far accounts without a limit of their own may go below 0, or "unlimited"', example: 10 });

/** A default low-balance threshold: an amount (0 or more), or null for none. */
export const defaultLowBalanceThresholdSchema = nonNegativeAmountSchema
  .nullable()
  .meta({ description: "wallet.balance_low fires below it for accounts without a low_balance_threshold of their own; null: none", example: 5 });

/** Each setting is optional: what the body leaves out stays as it is. */
export const updatePlatformBody = z
  .strictObject({
    settings: z
      .strictObject({
        default_overdraft_limit: defaultOverdraftLimitSchema.optional(),
        default_low_balance_threshold: defaultLowBalanceThresholdSchema.optional(),
      })
      .refine((s) => Object.keys(s).length > 0, "Set default_overdraft_limit, default_low_balance_threshold or both"),
  })
  .meta({ id: "UpdatePlatformSettings" });

export const platformContextSchema = z
  .object({
    id: z.string().meta({ description: "The platform (plat_…)" }),
    name: z.string(),
    live_mode: z.boolean().meta({ description: "The mode of the API key asking; settings are per mode" }),
    settings: z.object({
      default_overdraft_limit: z.union([z.number(), z.literal("unlimited")]).meta({ description: "Applies to accounts with no overdraft_limit of their own; 0 for a new platform" }),
      default_low_balance_threshold: z
        .number()
        .nullable()
        .meta({ description: "Applies to accounts with no low_balance_threshold of their own (wallet.balance_low); null (none) for a new platform" }),
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
      "Each setting left out stays as it is. default_overdraft_limit applies to every account without an overdraft_limit of its own, from the next charge on; a limit lower than what such an account already owes is a 409. default_low_balance_threshold (null: none) applies to every account without a low_balance_threshold of its own: wallet.balance_low fires when a batch takes such an account's balance from at or above it to below it.",
    body: updatePlatformBody,
    response: platformContextSchema,
    errors: [409],
  },
});
