import { runApp } from "./lib/run-app";

// `npm start`: as `npm run dev`, but the production server (server/main.ts) on a
// production build (built first when .next/BUILD_ID is missing).
void runApp("start");
