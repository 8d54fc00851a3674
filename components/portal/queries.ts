import type {
  PortalAutoTopUp,
  PortalCard,
  PortalCreditGrant,
  PortalOverview,
  PortalPage,
  PortalTopUp,
  PortalTopUpOption,
  PortalTopUpResult,
  PortalUsageEvent,
} from "@/lib/portal/types";
import { fetchJson } from "./fetch-json";

/** Query keys and fetchers of the portal's session routes, shared by the pages' components. */
export const PAGE_SIZE = 20;

export const portalQueries = {
  overview: () => ({ queryKey: ["overview"] as const, queryFn: () => fetchJson<PortalOverview>("/api/portal/overview") }),
  usage: (offset: number) => ({
    queryKey: ["usage", offset] as const,
    queryFn: () => fetchJson<PortalPage<PortalUsageEvent>>(`/api/portal/usage?limit=${PAGE_SIZE}&offset=${offset}`),
  }),
  topUps: (offset: number) => ({
    queryKey: ["top-ups", offset] as const,
    queryFn: () => fetchJson<PortalPage<PortalTopUp>>(`/api/portal/top-ups?limit=${PAGE_SIZE}&offset=${offset}`),
  }),
  creditGrants: (offset: number) => ({
    queryKey: ["credit-grants", offset] as const,
    queryFn: () => fetchJson<PortalPage<PortalCreditGrant>>(`/api/portal/credit-grants?limit=${PAGE_SIZE}&offset=${offset}`),
  }),
  topUpOptions: () => ({
    queryKey: ["top-up-options"] as const,
    queryFn: async () => (await fetchJson<{ items: PortalTopUpOption[] }>("/api/portal/top-up-options")).items,
  }),
  cards: () => ({
    queryKey: ["cards"] as const,
    queryFn: async () => (await fetchJson<{ items: PortalCard[] }>("/api/portal/cards")).items,
  }),
  autoTopUps: () => ({
    queryKey: ["auto-top-ups"] as const,
    queryFn: async () => (await fetchJson<{ items: PortalAutoTopUp[] }>("/api/portal/auto-top-ups")).items,
  }),
  topUp: (id: string) => ({
    queryKey: ["top-up", id] as const,
    queryFn: () => fetchJson<PortalTopUpResult>(`/api/portal/top-ups/${encodeURIComponent(id)}`),
  }),
};
