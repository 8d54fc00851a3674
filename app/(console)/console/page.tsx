import { redirect } from "next/navigation";
import { requireOperator } from "@/app/_server/console-auth";

/** The console's home: the overview. */
export default async function ConsoleHome() {
  await requireOperator("read_only");
  redirect("/console/overview");
}
