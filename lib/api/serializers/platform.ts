import type { z } from "zod";
import { amountToJson } from "@/lib/money";
import type { PlatformContext } from "@/lib/platforms/platform-settings";
import type { platformContextSchema } from "../schemas/platform";

export function platformContextToJson(p: PlatformContext): z.input<typeof platformContextSchema> {
  const limit = p.defaultOverdraftLimit;
  return {
    id: p.id,
    name: p.name,
    live_mode: p.liveMode,
    settings: {
      default_overdraft_limit: limit === "unlimited" ? limit : amountToJson(limit),
      default_low_balance_threshold: p.defaultLowBalanceThreshold === null ? null : amountToJson(p.defaultLowBalanceThreshold),
    },
  };
}
