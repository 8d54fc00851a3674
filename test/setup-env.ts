import { inject } from "vitest";

// Runs in every test worker before the test file is imported, so lib/env (read once and
// cached) sees the suite's database. See test/global-setup.ts.
process.env.DATABASE_URL = inject("databaseUrl");
