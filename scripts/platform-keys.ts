import { parseArgs } from "node:util";
import { apiKeyToJson, createdApiKeyToJson, type ApiKeyJson } from "@/lib/api/serializers/api-keys";
import { createApiKey, getApiKeyOrThrow, listApiKeys, revokeApiKey, type ApiKeyScope } from "@/lib/auth/api-keys";
import { prisma } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { runCommand, withDatabase } from "./lib/cli";

/**
 * `npm run platform:keys -- --platform <platform id> list|create [--live] [--name …]|revoke <key id> [--json]`
 *
 * An operator's view of a platform's API keys (both modes) in DATABASE_URL, or in the
 * embedded dev database when it is unset, like platform:create.
 * - `list`: every key, newest first, with its mode, last use and revocation;
 * - `create`: a new test-mode key (live with --live), shown once;
 * - `revoke <key id>`: refused from the next request on in every running app process (the
 *   revocation NOTIFYs them; lib/auth/api-keys.ts). Revoking a revoked key changes nothing.
 * --json prints the API's shapes on stdout (a list prints `{ "items": [...] }`); everything
 * else goes to stderr. Exit codes: 0 done, 1 unknown platform or key, 2 usage.
 */
const usage =
  "Usage: npm run platform:keys -- --platform <platform id> list | create [--live] [--name <name>] | revoke <key id>   [--json]";

/** As the API's `name` (lib/api/schemas/common.ts nameSchema). */
const MAX_NAME_LENGTH = 200;

class UsageError extends Error {}

type Command = { action: "list" } | { action: "create"; live: boolean; name: string | undefined } | { action: "revoke"; keyId: string };

function parseCommand(args: string[]): { platformId: string; json: boolean; command: Command } | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        platform: { type: "string" },
        live: { type: "boolean", default: false },
        name: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  const platformId = values.platform?.trim();
  if (!platformId) throw new UsageError("--platform is required.");
  const [action, ...rest] = positionals;
  const onlyFor = (option: "live" | "name", allowed: string) => {
    if (values[option] !== undefined && values[option] !== false && action !== allowed) throw new UsageError(`--${option} is only for ${allowed}.`);
  };
  onlyFor("live", "create");
  onlyFor("name", "create");
  switch (action) {
    case "list":
    case "create":
      if (rest.length) throw new UsageError(`${action} takes no argument (got ${rest.join(" ")}).`);
      if ((values.name?.length ?? 0) > MAX_NAME_LENGTH) throw new UsageError(`--name takes at most ${MAX_NAME_LENGTH} characters.`);
      return {
        platformId,
        json: values.json,
        command: action === "list" ? { action } : { action, live: values.live, name: values.name?.trim() || undefined },
      };
    case "revoke":
      if (rest.length !== 1) throw new UsageError("revoke takes one key id (key_…).");
      return { platformId, json: values.json, command: { action, keyId: rest[0]! } };
    default:
      throw new UsageError(action ? `Unknown command ${action}.` : "A command is required: list, create or revoke.");
  }
}

function describeKey(key: ApiKeyJson): string {
  const state = key.revoked_at ? `revoked ${key.revoked_at}` : "active";
  const used = key.last_used_at ? `last used ${key.last_used_at}` : "never used";
  return `${key.id}  ${key.mode.padEnd(4)}  ${key.prefix}…  ${state}  created ${key.created_at}  ${used}${key.name ? `  "${key.name}"` : ""}`;
}

async function run(platformId: string, json: boolean, command: Command): Promise<number> {
  const platform = await prisma().platform.findUnique({ where: { id: platformId }, select: { id: true, name: true } });
  if (!platform) {
    console.error(`No platform ${platformId}.`);
    return 1;
  }
  const scope: ApiKeyScope = { platformId: platform.id, liveMode: null };
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

  if (command.action === "list") {
    // Operators rarely have more than a handful of keys per platform; page through all of them.
    const items: ApiKeyJson[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await listApiKeys(scope, { limit: 100, offset });
      items.push(...page.items.map(apiKeyToJson));
      if (items.length >= page.total || page.items.length === 0) break;
    }
    if (json) print({ items });
    else if (items.length === 0) console.log(`Platform ${platform.name} (${platform.id}) has no API keys.`);
    else for (const key of items) console.log(describeKey(key));
    return 0;
  }

  if (command.action === "create") {
    // The same JSON as the API answers.
    const created = createdApiKeyToJson(await createApiKey(platform.id, command.live, { name: command.name }));
    if (json) print(created);
    else {
      console.log(`${command.live ? "Live" : "Test"}-mode API key ${created.id} created for ${platform.name}.`);
      console.log(`The key (shown once, store it now):\n  ${created.secret}`);
    }
    return 0;
  }

  try {
    const before = apiKeyToJson(await getApiKeyOrThrow(scope, command.keyId));
    const revoked = apiKeyToJson(await revokeApiKey(scope, command.keyId));
    if (json) print(revoked);
    else if (before.revoked_at) console.log(`API key ${revoked.id} was already revoked (${revoked.revoked_at}).`);
    else console.log(`API key ${revoked.id} (${revoked.prefix}…) revoked; running app processes refuse it from now on.`);
    return 0;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    console.error(`Platform ${platform.id} has no API key ${command.keyId}.`);
    return 1;
  }
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseCommand(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${usage}`);
    return 2;
  }
  if (parsed === "help") {
    console.log(usage);
    return 0;
  }

  return withDatabase(() => run(parsed.platformId, parsed.json, parsed.command));
}

runCommand(main);
