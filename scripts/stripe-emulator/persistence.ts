import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { StateSnapshot } from "./state";

/**
 * The emulator's state file (`npm run dev`/`npm start` keep it in .data/): without it a
 * restart forgets every Checkout Session, and a top-up started before the restart opens
 * "No such checkout.session" while the portal shows it pending until it expires.
 *
 * Written whole after each change, synchronously: a temporary file in the same directory
 * renamed over the old one, so a crash mid-write leaves the previous state, never half a
 * file. Synchronous because the state is small (a developer's sessions) and two writes in
 * flight at once could otherwise land out of order.
 */

/** The saved state, or undefined when the file does not exist yet. Throws on anything else. */
export function loadStateFile(file: string): StateSnapshot | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`The Stripe emulator's state file ${file} is not JSON (${error instanceof Error ? error.message : String(error)}); delete it to start with no sessions`);
  }
  if (!isSnapshot(parsed)) {
    throw new Error(`The Stripe emulator's state file ${file} is not a version 1 emulator state; delete it to start with no sessions`);
  }
  return parsed;
}

export function saveStateFile(file: string, snapshot: StateSnapshot): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(temporary, file);
}

/** The shape's outline: written only by saveStateFile, so the objects inside are trusted. */
function isSnapshot(value: unknown): value is StateSnapshot {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  const lists = ["sessions", "payment_intents", "charges", "refunds", "customers", "events"];
  const maps = ["line_items", "payment_intent_metadata"];
  return (
    v.version === 1 &&
    typeof v.clock_offset_seconds === "number" &&
    lists.every((key) => Array.isArray(v[key])) &&
    maps.every((key) => v[key] !== null && typeof v[key] === "object" && !Array.isArray(v[key]))
  );
}
