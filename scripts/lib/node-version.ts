/**
 * The Node.js versions Drawdown runs on: those Prisma 7 supports (its `engines`: 20.19+ on
 * 20, 22.12+ on 22, or 24 and later; they load ES modules with `require`). Checked first
 * thing by `npm run dev` and `npm start`, before anything that would fail obscurely.
 */
export const SUPPORTED_NODE = "20.19+, 22.12+ or 24+";

/** Why this Node version cannot run Drawdown, or null when it can. */
export function unsupportedNodeReason(version: string = process.versions.node): string | null {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  const supported =
    (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 24;
  return supported
    ? null
    : `Drawdown needs Node.js ${SUPPORTED_NODE}; this is Node.js ${version.replace(/^v/, "")}. ` +
        "Install a supported version (for example with nvm: `nvm install 22`) and run the command again.";
}

/** Prints the reason and exits 1 when this Node cannot run Drawdown. */
export function requireSupportedNode(): void {
  const reason = unsupportedNodeReason();
  if (!reason) return;
  console.error(`[drawdown] ${reason}`);
  process.exit(1);
}
