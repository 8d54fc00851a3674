import { parseArgs } from "node:util";
import { verifyAllRollups, verifyCustomerRollups, type RollupDifference } from "@/lib/stats/verify-rollups";
import { runCommand, withDatabase } from "./lib/cli";

/**
 * `npm run stats:verify [-- --customer <cust_id>]`
 *
 * Recomputes the stats rollups (usage_rollups) from the stored usage events, customer by
 * customer, and compares them with the stored ones, in DATABASE_URL or the embedded dev
 * database. Prints every difference and exits 1 if there is one, 0 when they all agree.
 * Reads only; safe on a live database (each customer is read in one snapshot).
 */
const usage = "Usage: npm run stats:verify [-- --customer <cust_id>]";

function print(d: RollupDifference) {
  const show = (v: RollupDifference["stored"]) => (v ? `${v.amount} (${v.count})` : "none");
  console.log(`${d.customerId}  ${d.key}  stored ${show(d.stored)}  recomputed ${show(d.recomputed)}`);
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { customer: { type: "string" }, help: { type: "boolean", short: "h", default: false } }, strict: true }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  return withDatabase(async () => {
    let customers = 0;
    const differences = values.customer
      ? await verifyCustomerRollups(values.customer)
      : await verifyAllRollups(() => {
          customers++;
        });
    for (const d of differences) print(d);
    const scope = values.customer ? `customer ${values.customer}` : `${customers} customers`;
    if (differences.length > 0) {
      console.log(`stats:verify: ${differences.length} rollup rows differ from the events (${scope})`);
      return 1;
    }
    console.log(`stats:verify: the rollups equal a recomputation from the events (${scope})`);
    return 0;
  });
}

runCommand(main);
