import type { PortalAsset } from "@/lib/portal/types";
import { displayMoney } from "./format";

/** An amount as displayMoney shows it; when that had to round, the exact value is its tooltip. */
export function Money({ amount, asset, testId }: { amount: string; asset: PortalAsset; testId?: string }) {
  const { text, exact } = displayMoney(amount, asset);
  return (
    <span title={exact ?? undefined} data-testid={testId}>
      {text}
    </span>
  );
}
