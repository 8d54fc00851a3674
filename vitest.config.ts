import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: [{ find: /^@\//, replacement: `${root}/` }],
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts"],
    exclude: ["e2e/**", "**/node_modules/**", ".next/**", ".data/**", "lib/generated/**", "sdk/dist/**"],
    // One throwaway embedded PostgreSQL for the whole run (test/global-setup.ts).
    globalSetup: [path.join(root, "test/global-setup.ts")],
    setupFiles: [path.join(root, "test/setup-env.ts")],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
