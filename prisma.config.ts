import { defineConfig } from "prisma/config";

// `prisma generate` only needs a path here; it never runs the schema engine.
// Migrations run through scripts/db (WebAssembly schema engine, scripts/db/engine.ts).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/true";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
