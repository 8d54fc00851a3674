export { credit, charge, reverse, expireDueGrants, updateAccountSettings } from "./operations";
export { readWallet, parseAccountKey, type AccountBalance } from "./read-wallet";
export { verifyLedger, type LedgerViolation } from "./verify-ledger";
export { runInCustomerBatch, type BatchGroup, type BatchJob } from "./customer-batch";
export type { FusedWrite } from "./wallet-sql";
export { drawdownOrder } from "./drawdown-order";
export { hashRequest } from "./request-hash";
export type { WalletTx } from "./wallet-tx";
export * from "./types";
