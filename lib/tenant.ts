/**
 * The platform and mode a request acts for. Every read and write of customer data is
 * scoped to one: resolve it first (API key, portal session) and pass only defined ids.
 */
export interface Tenant {
  platformId: string;
  liveMode: boolean;
}
