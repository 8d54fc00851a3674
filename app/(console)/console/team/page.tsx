import { InviteOperatorForm, RemoveOperatorButton } from "@/components/console/team-forms";
import { Card } from "@/components/ui/card";
import { Cell, Table } from "@/components/ui/table";
import { requireOperator } from "@/app/_server/console-auth";
import { operatorRoles, roleAllows } from "@/lib/console/operator-roles";
import { listOperators } from "@/lib/console/team";

export const metadata = { title: "Team" };

/** The platform's operators; owners invite and remove them. */
export default async function TeamPage() {
  const ctx = await requireOperator("read_only");
  const isOwner = roleAllows(ctx.operator.role, "owner");
  const operators = await listOperators(ctx.platform.id);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Team</h1>
      {isOwner && (
        <Card title="Invite an operator">
          <InviteOperatorForm roles={[...operatorRoles]} />
        </Card>
      )}
      <Card title="Operators">
        <Table label="Operators" head={["Email", "Role", "Since", <span key="actions" className="sr-only">Actions</span>]}>
          {operators.map((o) => (
            <tr key={o.id} data-testid="operator-row">
              <Cell>{o.email}</Cell>
              <Cell>{o.role}</Cell>
              <Cell>{o.createdAt.toISOString().slice(0, 10)}</Cell>
              <Cell>{isOwner && o.id !== ctx.operator.id && <RemoveOperatorButton operatorId={o.id} email={o.email} />}</Cell>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}
