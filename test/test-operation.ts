import type { z } from "zod";
import type { Operation, OperationSpec } from "@/lib/api/contract";

type Schema = z.ZodType | undefined;

/** An operation for a wrapper test: only the parts the test is about, the rest filled in. */
export function testOperation<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined, R extends Schema = undefined>(
  spec: Partial<OperationSpec<P, Q, B, R>> = {},
): Operation<P, Q, B, R> {
  return { operationId: "testOperation", method: "post", path: "/test", tag: "Test", summary: "A test operation", ...spec };
}
