import { startTestApiServer } from "@/test/api-server";

/**
 * The `/api/**` route handlers served from source (tsx, unbundled: readable function names
 * in a CPU profile), with the production server's router. Started by profile-source.ts as
 * `node --cpu-prof --import tsx scripts/bench/source-server.ts`; prints its URL, and exits
 * on SIGTERM so node writes the profile.
 */
const server = await startTestApiServer();
console.log(`LISTENING ${server.url}`);
process.on("SIGTERM", () => {
  void server.close().finally(() => process.exit(0));
});
