import { expect, test } from "@playwright/test";
import {
  commandLine,
  descendants,
  killAppRunner,
  leftovers,
  startAppRunner,
  waitUntilAnswering,
  within,
} from "@/scripts/lib/testing/app-runner";

/**
 * `npm start` on the production build this suite made, as a process manager or a container
 * runtime runs it: SIGTERM to the npm process stops the production server, the Stripe
 * emulator and the embedded PostgreSQL, with nothing left running and every port free.
 * (`npm run dev`'s stops, supervision and port checks: scripts/run-app.int.test.ts.)
 */
test("npm start stops on SIGTERM to npm with nothing left running and every port free", async () => {
  test.setTimeout(240_000);
  const runner = await startAppRunner("start");
  try {
    await waitUntilAnswering(runner, 180_000);
    const tree = descendants(runner.npm.pid!);
    const commands = tree.map(commandLine).join("\n");
    expect(commands).toMatch(/postgres/);
    expect(commands).toMatch(/server\/main\.ts/);

    process.kill(runner.npm.pid!, "SIGTERM");
    const exit = await within(runner.exit, 60_000, "npm exiting after SIGTERM");
    expect(exit.code ?? exit.signal).not.toBe(0);
    expect(await leftovers(runner, tree)).toEqual([]);
    expect(runner.output()).toMatch(/SIGTERM: stopping/);
  } finally {
    await killAppRunner(runner);
  }
});
