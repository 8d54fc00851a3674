import { prisma } from "@/lib/db";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { recordAuditEvent } from "./audit-events";
import type { OperatorRole } from "./operator-roles";
import type { ConsoleContext } from "./operator-sessions";
import { requestOperatorSignIn } from "./operator-sign-in";
import { createOperator, operatorFromRow, type Operator } from "./operators";

/** The platform's operators, oldest first. */
export async function listOperators(platformId: string): Promise<Operator[]> {
  const rows = await prisma().operator.findMany({ where: { platformId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(operatorFromRow);
}

/**
 * An owner invites someone: they become an operator of the platform with `role` at once
 * and get a sign-in link by email (the invitation is the first sign-in link; later ones
 * they ask for at /console/sign-in). An address already on the team is a 409.
 */
export async function inviteOperator(ctx: ConsoleContext, input: { email: string; role: OperatorRole }): Promise<Operator> {
  const operator = await createOperator(ctx.platform.id, input);
  await recordAuditEvent(ctx, { action: "operator.invited", targetType: "operator", targetId: operator.id, detail: { email: operator.email, role: operator.role } });
  void requestOperatorSignIn(operator.email).catch((error: unknown) => console.error("[console] invitation email failed:", error));
  return operator;
}

/**
 * Removes an operator of the platform and ends their sessions. The last owner stays (a
 * platform always has someone who can manage it): removing them is a 409.
 */
export async function removeOperator(ctx: ConsoleContext, operatorId: string): Promise<void> {
  const operator = await prisma().operator.findFirst({ where: { id: operatorId, platformId: ctx.platform.id } });
  if (!operator) throw new NotFoundError(`no operator ${operatorId}`);
  if (operator.role === "owner" && (await prisma().operator.count({ where: { platformId: ctx.platform.id, role: "owner" } })) <= 1) {
    throw new ConflictError("the last owner of a platform cannot be removed");
  }
  await prisma().$transaction([
    prisma().operatorSession.deleteMany({ where: { operatorId } }),
    prisma().operatorSignInToken.deleteMany({ where: { operatorId } }),
    prisma().operator.delete({ where: { id: operatorId } }),
  ]);
  await recordAuditEvent(ctx, { action: "operator.removed", targetType: "operator", targetId: operatorId, detail: { email: operator.email } });
}
