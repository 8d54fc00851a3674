import { z } from "zod";
import { consoleRoute } from "@/app/_server/console-route";
import { amountSchema } from "@/lib/api/schemas/common";
import { updateConsoleAutoTopUpDefaults } from "@/lib/console/settings-actions";

/** Each an amount in the payment currency, or null; all null clears the defaults (lib/auto-top-ups/auto-top-up-defaults.ts checks the rest). */
const body = z.strictObject({ threshold: amountSchema.nullable(), amount: amountSchema.nullable(), monthly_cap: amountSchema.nullable() });

/** What the portal suggests for a customer's first auto top-up setup (owners only). */
export const PATCH = consoleRoute("owner", { body }, async ({ console: ctx, body }) => {
  const defaults = await updateConsoleAutoTopUpDefaults(ctx, { threshold: body.threshold, amount: body.amount, monthlyCap: body.monthly_cap });
  return {
    threshold: defaults?.threshold.toString() ?? null,
    amount: defaults?.amount.toString() ?? null,
    monthly_cap: defaults?.monthlyCap.toString() ?? null,
  };
});
