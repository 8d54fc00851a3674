import { z } from "zod";
import { defineOperations } from "../contract";
import { problems } from "../problem";
import { listSchema, paginationQuery } from "../pagination";
import { idSchema, nameSchema } from "./common";

/** Strict: a misspelt field (`mode`, `live_mode`) must be a 422, never a key of another kind. */
export const createApiKeyBody = z
  .strictObject({
    name: nameSchema.nullish().meta({ description: "What the key is for, shown in lists", example: "production server" }),
  })
  .meta({ id: "CreateApiKey" });

export const apiKeyParams = z.object({ id: idSchema("key") });

export const listApiKeysQuery = paginationQuery;

export const apiKeySchema = z
  .object({
    id: z.string().meta({ example: "key_5r0m8d2x1c9v7b3n4m6k8j0h2g" }),
    name: z.string().nullable(),
    prefix: z.string().meta({ description: "The key's first characters, to recognise it", example: "dd_test_AbCd" }),
    mode: z.enum(["test", "live"]).meta({ description: "The key's mode: the mode of the key that created it" }),
    created_at: z.string(),
    last_used_at: z.string().nullable().meta({ description: "When the key last authenticated a request, accurate to about a minute; null if never" }),
    revoked_at: z.string().nullable().meta({ description: "When the key was revoked; a revoked key answers 401" }),
  })
  .meta({ id: "ApiKey" });

export const createdApiKeySchema = apiKeySchema
  .extend({
    secret: z.string().meta({ description: "The API key itself, shown only here: store it now", example: "dd_test_AbCd…" }),
  })
  .meta({ id: "ApiKeyCreated" });

export const apiKeyOperations = defineOperations({
  createApiKey: {
    method: "post",
    path: "/api-keys",
    tag: "API keys",
    summary: "Create an API key of the caller's mode",
    description:
      "The new key has the mode of the key that asks (a test key makes test keys only) and is answered once, in `secret`; only its hash is stored. Use it to rotate keys: create a new one, deploy it, revoke the old one.",
    body: createApiKeyBody,
    response: createdApiKeySchema,
    status: 201,
    // The secret is shown once: a replay of the Idempotency-Key answers 409 naming the key
    // it made (revoke it and create another), so the secret is never stored with the answer.
    replayWithoutSecret: (created) =>
      problems.conflict(
        `An earlier request with this Idempotency-Key created API key ${String(created.id)}; its secret is shown only once and is not kept. Revoke that key (DELETE /api-keys/${String(created.id)}) and create another.`,
        { key_id: created.id },
      ),
  },
  listApiKeys: {
    method: "get",
    path: "/api-keys",
    tag: "API keys",
    summary: "List the platform's API keys of the caller's mode, newest first (revoked ones included, never the secret)",
    query: listApiKeysQuery,
    response: listSchema(apiKeySchema).meta({ id: "ApiKeyList" }),
  },
  getApiKey: { method: "get", path: "/api-keys/{id}", params: apiKeyParams, tag: "API keys", summary: "Get an API key (never its secret)", response: apiKeySchema },
  revokeApiKey: {
    method: "delete",
    path: "/api-keys/{id}", params: apiKeyParams,
    tag: "API keys",
    summary: "Revoke an API key",
    description:
      "The key is refused (401) from the next request on, in every process of the app. Revoking a revoked key answers it again with its first `revoked_at`. The key making the call may revoke itself.",
    response: apiKeySchema,
  },
});
