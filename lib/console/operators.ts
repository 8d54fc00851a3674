import { z } from "zod";
import { isUniqueViolation, prisma } from "@/lib/db";
import { ConflictError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { isOperatorRole, operatorRoles, type OperatorRole } from "./operator-roles";

export interface Operator {
  id: string;
  platformId: string;
  email: string;
  role: OperatorRole;
  createdAt: Date;
}

export const operatorEmailSchema = z.string().trim().toLowerCase().pipe(z.email().max(320));

const input = z.object({ email: operatorEmailSchema, role: z.enum(operatorRoles) });

export function operatorFromRow(row: { id: string; platformId: string; email: string; role: string; createdAt: Date }): Operator {
  // A role the code does not know (a hand-edited row) gets the least rights, never more.
  return { ...row, role: isOperatorRole(row.role) ? row.role : "read_only" };
}

/** Adds an operator to a platform (ids `op_…`); an address is one operator per platform (409). */
export async function createOperator(platformId: string, args: { email: string; role: OperatorRole }): Promise<Operator> {
  const { email, role } = input.parse(args);
  try {
    const row = await prisma().operator.create({ data: { id: newId("op"), platformId, email, role } });
    return operatorFromRow(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`${email} is already an operator of this platform`);
    throw error;
  }
}

/** Every operator with this address (one per platform they belong to). */
export async function findOperatorsByEmail(email: string): Promise<Operator[]> {
  const parsed = operatorEmailSchema.safeParse(email);
  if (!parsed.success) return [];
  const rows = await prisma().operator.findMany({ where: { email: parsed.data }, orderBy: { createdAt: "asc" } });
  return rows.map(operatorFromRow);
}
