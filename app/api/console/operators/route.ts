import { z } from "zod";
import { operatorRoles } from "@/lib/console/operator-roles";
import { operatorEmailSchema } from "@/lib/console/operators";
import { inviteOperator } from "@/lib/console/team";
import { consoleRoute } from "@/app/_server/console-route";

const body = z.strictObject({ email: operatorEmailSchema, role: z.enum(operatorRoles) });

/** Owners invite operators (they get a sign-in link by email). */
export const POST = consoleRoute("owner", { body, status: 201 }, async ({ console: ctx, body }) => {
  const operator = await inviteOperator(ctx, body);
  return { id: operator.id, email: operator.email, role: operator.role };
});
