import { parseArgs } from "node:util";
import { listOpenTopUpReviews, resolveTopUpReview, type ReviewDecision } from "@/lib/top-ups";
import { runCommand, withDatabase } from "./lib/cli";

/**
 * `npm run top-up:review -- [--list] | [--credit|--reject] <top_up_id>`
 *
 * An operator's tool for top-ups held for review (docs/api-notes/top-ups.md "Review"), in
 * DATABASE_URL or the embedded dev database: `--list` prints the open reviews; `--credit`
 * credits a held top-up once its payment was checked at Stripe; `--reject` closes the
 * review without credit (the top-up becomes `failed`; refund the payment at Stripe).
 */
const usage = "Usage: npm run top-up:review -- --list | --credit <top_up_id> | --reject <top_up_id>";

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        list: { type: "boolean", default: false },
        credit: { type: "boolean", default: false },
        reject: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const decision: ReviewDecision | null = values.credit ? "credit" : values.reject ? "reject" : null;
  if (values.credit && values.reject) {
    console.error(`Give one of --credit and --reject.\n${usage}`);
    return 2;
  }
  if (!values.list && (!decision || positionals.length !== 1)) {
    console.error(usage);
    return 2;
  }

  return withDatabase(async () => {
    try {
      if (values.list) {
        const rows = await listOpenTopUpReviews();
        for (const r of rows) console.log(`${r.id}  ${r.status}  ${r.amount} ${r.currency}  ${r.review.reason}: ${r.review.detail}`);
        if (rows.length === 0) console.log("No open reviews.");
        return 0;
      }
      const topUp = await resolveTopUpReview(positionals[0]!, decision!);
      console.log(`Top-up ${topUp.id}: ${topUp.status}, review ${topUp.review?.resolution ?? "open"}`);
      return 0;
    } catch (err) {
      console.error((err as Error).message);
      return 1;
    }
  });
}

runCommand(main);
