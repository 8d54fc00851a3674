/**
 * For the production server's shutdown (server/main.ts): writes the request log's buffer
 * (record-api-request.ts) before the process leaves. The server imports lib/ from source
 * and the API runs the build's copy, so it reaches the buffer's writer through the
 * `globalThis` slot the loaded copy fills; this file imports nothing with state of its own
 * (no database module: GET /api/ready's `module_graphs` stays 1).
 */
export async function flushRequestLogOnExit(): Promise<void> {
  const flush = (globalThis as unknown as { __drawdownFlushRequestLog?: () => Promise<void> }).__drawdownFlushRequestLog;
  await flush?.();
}
