import { z } from "zod";
import { consoleRoute } from "@/app/_server/console-route";
import { idSchema } from "@/lib/api/schemas/common";
import { redeliverConsoleWebhook } from "@/lib/console/developer-actions";

const params = z.object({ id: idSchema("whd") });

/** Sends a finished delivery (failed or delivered) once more, now; a pending one is 409. */
export const POST = consoleRoute("member", { params }, async ({ console: ctx, params }) => redeliverConsoleWebhook(ctx, params.id));
