import { requireSupportedNode } from "./lib/node-version";

// `npm start`: as `npm run dev`, but the production server (server/main.ts) on a
// production build (built first when .next/BUILD_ID is missing). The Node version is
// checked before anything that needs it is loaded.
requireSupportedNode();
const { runApp } = await import("./lib/run-app");
void runApp("start");
