import { parseArgs } from "node:util";
import { createApiKey } from "@/lib/auth/api-keys";
import { createOperator, operatorEmailSchema } from "@/lib/console/operators";
import { createPlatform } from "@/lib/platforms/create-platform";
import { runCommand, withDatabase } from "./lib/cli";

/**
 * `npm run platform:create -- --name "Acme" [--owner-email you@example.com] [--brand-color "#4f46e5"] [--live] [--json]`
 *
 * Creates a platform and one API key (test mode, or live mode with --live) in DATABASE_URL,
 * or in the embedded dev database when it is unset (the running `npm run dev` instance, or
 * started just for this). The key is shown once; only its hash is stored.
 * --owner-email makes that address the platform's first console operator (role owner), who
 * signs in at /console by magic link.
 * --json prints exactly {"platform_id","api_key"} on stdout; everything else goes to stderr.
 */
const usage = 'Usage: npm run platform:create -- --name "Acme" [--owner-email you@example.com] [--brand-color "#4f46e5"] [--live] [--json]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        name: { type: "string" },
        "brand-color": { type: "string" },
        "owner-email": { type: "string" },
        live: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.name?.trim()) {
    console.error(`--name is required.\n${usage}`);
    return 2;
  }

  const ownerEmail = values["owner-email"];
  if (ownerEmail !== undefined && !operatorEmailSchema.safeParse(ownerEmail).success) {
    console.error(`--owner-email must be an email address.\n${usage}`);
    return 2;
  }

  const name = values.name;
  return withDatabase(async () => {
    const platform = await createPlatform({ name, brandColor: values["brand-color"] });
    const key = await createApiKey(platform.id, values.live);
    const owner = ownerEmail === undefined ? null : await createOperator(platform.id, { email: ownerEmail, role: "owner" });
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ platform_id: platform.id, api_key: key.key })}\n`);
    } else {
      console.log(`Platform ${platform.name} created: ${platform.id}`);
      console.log(`${values.live ? "Live" : "Test"}-mode API key (shown once, store it now):\n  ${key.key}`);
    }
    if (owner) (values.json ? console.error : console.log)(`Console owner: ${owner.email} (sign in at /console)`);
    return 0;
  });
}

runCommand(main);
