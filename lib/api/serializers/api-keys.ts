import type { z } from "zod";
import type { ApiKey } from "@/lib/auth/api-keys";
import type { apiKeySchema, createdApiKeySchema } from "../schemas/api-keys";

export type ApiKeyJson = z.input<typeof apiKeySchema>;

export function apiKeyToJson(k: ApiKey): ApiKeyJson {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    mode: k.liveMode ? "live" : "test",
    created_at: k.createdAt.toISOString(),
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
  };
}

/** The answer to a creation: the only one that carries the secret. */
export function createdApiKeyToJson(created: { key: string; apiKey: ApiKey }): z.input<typeof createdApiKeySchema> {
  return { ...apiKeyToJson(created.apiKey), secret: created.key };
}
