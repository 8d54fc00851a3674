import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { startTestApiServer } from "@/test/api-server";

/**
 * The `/api/**` route handlers served from source (tsx, unbundled: readable function names
 * in a CPU profile), with the production server's router. Started by profile-source.ts;
 * prints its URL. SIGUSR2 starts the CPU profiler (so setup and warm-up stay out of the
 * profile); SIGTERM stops it, writes `app.cpuprofile` into `PROFILE_DIR` and exits.
 */
const server = await startTestApiServer();
const session = new Session();
session.connect();
let profiling = false;
process.on("SIGUSR2", () => {
  profiling = true;
  void session.post("Profiler.enable").then(() => session.post("Profiler.start"));
});
process.on("SIGTERM", () => {
  void (async () => {
    if (profiling) {
      const { profile } = await session.post("Profiler.stop");
      await writeFile(path.join(process.env.PROFILE_DIR!, "app.cpuprofile"), JSON.stringify(profile));
    }
    await server.close();
  })().finally(() => process.exit(0));
});
console.log(`LISTENING ${server.url}`);
