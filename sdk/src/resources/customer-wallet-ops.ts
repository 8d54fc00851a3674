import type { HttpClient, RequestOptions } from "../core/http.js";
import { paginate } from "../core/pagination.js";
import type { BodyOf, QueryOf, ResponseOf } from "../core/types.js";

export type Wallet = ResponseOf<"get", "/customers/{id}/wallet">;
export type Account = ResponseOf<"get", "/customers/{id}/wallet/{account_id}">;
export type UpdateAccountParams = BodyOf<"patch", "/customers/{id}/wallet/{account_id}">;
export type CreateAdjustmentParams = BodyOf<"post", "/customers/{id}/wallet/adjustments">;
export type AdjustmentCreated = ResponseOf<"post", "/customers/{id}/wallet/adjustments">;
export type CreditGrantPage = ResponseOf<"get", "/customers/{id}/wallet/credit-grants">;
export type CreditGrant = CreditGrantPage["items"][number];
export type TransactionPage = ResponseOf<"get", "/customers/{id}/wallet/transactions">;
export type LedgerTransaction = TransactionPage["items"][number];
export type WalletListParams = QueryOf<"get", "/customers/{id}/wallet/transactions">;
export type AutoTopUp = ResponseOf<"get", "/customers/{id}/wallet/{account_id}/auto-top-up">;

/** A customer's wallet: `/customers/{id}/wallet/…` (the seed's `customerWalletOps`). */
export class CustomerWalletOps {
  constructor(private readonly http: HttpClient) {}

  /** Every account of the wallet with its available balance. */
  getCustomerWallet(customerId: string, options?: RequestOptions): Promise<Wallet> {
    return this.http.request({ method: "get", path: "/customers/{id}/wallet", pathParams: { id: customerId }, safety: "read", options });
  }

  /** One account (`default:USD`) with `pendingIn`, `pendingOut`, `overdraftLimit`. */
  getAccount(customerId: string, accountId: string, options?: RequestOptions): Promise<Account> {
    return this.http.request({
      method: "get",
      path: "/customers/{id}/wallet/{account_id}",
      pathParams: { id: customerId, account_id: accountId },
      safety: "read",
      options,
    });
  }

  /** Sets the account's `overdraftLimit` and/or `lowBalanceThreshold`. */
  updateAccount(customerId: string, accountId: string, params: UpdateAccountParams, options?: RequestOptions): Promise<Account> {
    return this.http.request({
      method: "patch",
      path: "/customers/{id}/wallet/{account_id}",
      pathParams: { id: customerId, account_id: accountId },
      body: params,
      safety: "key",
      options,
    });
  }

  /** The account's auto top-up: settings, card, `spentThisMonth`, the latest attempt (only the cardholder enables it, in the portal). */
  getAutoTopUp(customerId: string, accountId: string, options?: RequestOptions): Promise<AutoTopUp> {
    return this.http.request({
      method: "get",
      path: "/customers/{id}/wallet/{account_id}/auto-top-up",
      pathParams: { id: customerId, account_id: accountId },
      safety: "read",
      options,
    });
  }

  /** Switches the account's auto top-up off (`disabledReason: "platform"`); idempotent. */
  disableAutoTopUp(customerId: string, accountId: string, options?: RequestOptions): Promise<AutoTopUp> {
    return this.http.request({
      method: "delete",
      path: "/customers/{id}/wallet/{account_id}/auto-top-up",
      pathParams: { id: customerId, account_id: accountId },
      safety: "natural",
      options,
    });
  }

  /** A credit or debit made outside Drawdown; idempotent by `transactionId`, so it is retried without a key. */
  createAdjustment(customerId: string, params: CreateAdjustmentParams, options?: RequestOptions): Promise<AdjustmentCreated> {
    return this.http.request({
      method: "post",
      path: "/customers/{id}/wallet/adjustments",
      pathParams: { id: customerId },
      body: params,
      safety: "natural",
      options,
    });
  }

  /** One page of the account's credit grants, newest first. */
  listCreditGrants(customerId: string, params: WalletListParams = {}, options?: RequestOptions): Promise<CreditGrantPage> {
    return this.page("/customers/{id}/wallet/credit-grants", customerId, params, options);
  }

  listAllCreditGrants(customerId: string, params: WalletListParams = {}, options?: RequestOptions): AsyncGenerator<CreditGrant, void, undefined> {
    return paginate<CreditGrant, WalletListParams>((p) => this.listCreditGrants(customerId, p, options), params);
  }

  /** One page of ledger transactions with their entries, newest first. */
  listTransactions(customerId: string, params: WalletListParams = {}, options?: RequestOptions): Promise<TransactionPage> {
    return this.page("/customers/{id}/wallet/transactions", customerId, params, options);
  }

  listAllTransactions(customerId: string, params: WalletListParams = {}, options?: RequestOptions): AsyncGenerator<LedgerTransaction, void, undefined> {
    return paginate<LedgerTransaction, WalletListParams>((p) => this.listTransactions(customerId, p, options), params);
  }

  private page<P extends "/customers/{id}/wallet/credit-grants" | "/customers/{id}/wallet/transactions">(
    path: P,
    customerId: string,
    params: WalletListParams,
    options: RequestOptions | undefined,
  ): Promise<ResponseOf<"get", P>> {
    return this.http.request({ method: "get", path, pathParams: { id: customerId }, query: params, safety: "read", options });
  }
}
