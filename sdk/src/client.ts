import { HttpClient, type DrawdownClientOptions } from "./core/http.js";
import { ApiKeys } from "./resources/api-keys.js";
import { Assets } from "./resources/assets.js";
import { BillingPortal } from "./resources/billing-portal.js";
import { CustomerWalletOps } from "./resources/customer-wallet-ops.js";
import { Customers } from "./resources/customers.js";
import { Events } from "./resources/events.js";
import { Holds } from "./resources/holds.js";
import { Products } from "./resources/products.js";
import { StatsResource } from "./resources/stats.js";
import { TopUps } from "./resources/top-ups.js";
import { Vendors } from "./resources/vendors.js";
import { Webhooks } from "./resources/webhooks.js";

/**
 * The Drawdown API client. camelCase in and out (the API speaks snake_case); `data`,
 * `metadata` and price `dimensions` objects are sent and returned exactly as written.
 *
 * ```ts
 * const client = new DrawdownClient({ apiKey: process.env.DRAWDOWN_API_KEY!, baseUrl: "https://billing.example.com" });
 * await client.customerWalletOps.getCustomerWallet("cust_473cr1y0ghbyc3m1yfbwvn3nxx");
 * ```
 */
export class DrawdownClient {
  readonly customers: Customers;
  readonly customerWalletOps: CustomerWalletOps;
  readonly topUps: TopUps;
  readonly events: Events;
  readonly holds: Holds;
  readonly assets: Assets;
  readonly products: Products;
  readonly billingPortal: BillingPortal;
  readonly webhooks: Webhooks;
  readonly apiKeys: ApiKeys;
  readonly vendors: Vendors;
  readonly stats: StatsResource;

  constructor(options: DrawdownClientOptions) {
    const http = new HttpClient(options);
    this.customers = new Customers(http);
    this.customerWalletOps = new CustomerWalletOps(http);
    this.topUps = new TopUps(http);
    this.events = new Events(http);
    this.holds = new Holds(http);
    this.assets = new Assets(http);
    this.products = new Products(http);
    this.billingPortal = new BillingPortal(http);
    this.webhooks = new Webhooks(http);
    this.apiKeys = new ApiKeys(http);
    this.vendors = new Vendors(http);
    this.stats = new StatsResource(http);
  }
}
