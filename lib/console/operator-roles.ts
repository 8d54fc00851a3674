/**
 * Operator roles, weakest first. A console page or write names the least role it needs:
 * read_only reads everything of its platform, member also writes (adjustments, overdrafts,
 * portal links), owner also manages operators.
 */
export const operatorRoles = ["read_only", "member", "owner"] as const;
export type OperatorRole = (typeof operatorRoles)[number];

export function isOperatorRole(value: string): value is OperatorRole {
  return (operatorRoles as readonly string[]).includes(value);
}

/** Whether `role` may do what needs `least`. */
export function roleAllows(role: OperatorRole, least: OperatorRole): boolean {
  return operatorRoles.indexOf(role) >= operatorRoles.indexOf(least);
}
