import { defineConfig, devices } from "@playwright/test";

/**
 * Browser journeys (e2e/*.spec.ts) in Debian's Chromium against a production build.
 * e2e/global-setup.ts starts a throwaway embedded PostgreSQL, the Stripe emulator, an SMTP
 * catcher and `next start` (building first when the build is missing or stale; E2E_BUILD
 * = always | never | auto), and stops them afterwards. Playwright cannot download browsers
 * on these machines: .ci/run installs Debian's chromium when it is missing.
 */
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  // One production server on a two-core machine: one browser at a time keeps timings honest.
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
});
