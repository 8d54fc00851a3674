import { parseArgs } from "node:util";
import { createApiKey } from "@/lib/auth/api-keys";
import { createPlatform } from "@/lib/platforms/create-platform";
import { runCommand, withDatabase } from "./lib/cli";

/**
 * `npm run platform:create -- --name "Acme" [--brand-color "#4f46e5"] [--live] [--json]`
 *
 * Creates a platform and one API key (test mode, or live mode with --live) in DATABASE_URL,
 * or in the embedded dev database when it is unset (the running `npm run dev` instance, or
 * started just for this). The key is shown once; only its hash is stored.
 * --json prints exactly {"platform_id","api_key"} on stdout; everything else goes to stderr.
 */
const usage = 'Usage: npm run platform:create -- --name "Acme" [--brand-color "#4f46e5"] [--live] [--json]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        name: { type: "string" },
        "brand-color": { type: "string" },
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

  const name = values.name;
  return withDatabase(async () => {
    const platform = await createPlatform({ name, brandColor: values["brand-color"] });
    const key = await createApiKey(platform.id, values.live);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ platform_id: platform.id, api_key: key.key })}\n`);
    } else {
      console.log(`Platform ${platform.name} created: ${platform.id}`);
      console.log(`${values.live ? "Live" : "Test"}-mode API key (shown once, store it now):\n  ${key.key}`);
    }
    return 0;
  });
}

runCommand(main);
