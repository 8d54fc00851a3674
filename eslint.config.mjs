import { defineConfig, globalIgnores } from "eslint/config";
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

export default defineConfig([
  ...nextCoreWebVitals,
  ...nextTypescript,
  globalIgnores([
    ".next/**",
    "out/**",
    "build/**",
    ".data/**",
    "lib/generated/**",
    "sdk/dist/**",
    "sdk/src/generated/**",
    "next-env.d.ts",
    "test-results/**",
    "playwright-report/**",
    "e2e/artifacts/**",
    "**/node_modules/**",
  ]),
  {
    rules: {
      // `_`-prefixed arguments and variables are deliberately unused.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
]);
