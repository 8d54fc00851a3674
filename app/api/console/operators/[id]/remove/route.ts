import { z } from "zod";
import { idSchema } from "@/lib/api/schemas/common";
import { removeOperator } from "@/lib/console/team";
import { consoleRoute } from "@/app/_server/console-route";

const params = z.object({ id: idSchema("op") });

/** Owners remove an operator of their platform (their sessions end); never the last owner. */
export const POST = consoleRoute("owner", { params }, async ({ console: ctx, params: { id } }) => {
  await removeOperator(ctx, id);
  return { removed: true };
});
