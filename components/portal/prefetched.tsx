import { dehydrate, HydrationBoundary, QueryClient, type QueryKey } from "@tanstack/react-query";
import type { ReactNode } from "react";

/**
 * Hands data a server component loaded to the client components' queries: the first
 * paint is server-rendered, then TanStack Query keeps it live. Hydration replaces older
 * cached data for the same key, so a page visited again shows what the server just read.
 */
export function Prefetched({ data, children }: { data: [QueryKey, unknown][]; children: ReactNode }) {
  const client = new QueryClient();
  for (const [key, value] of data) client.setQueryData(key, value);
  return <HydrationBoundary state={dehydrate(client)}>{children}</HydrationBoundary>;
}
