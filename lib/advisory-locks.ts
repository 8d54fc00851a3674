/**
 * Transaction-level advisory lock keys shared by the modules that must exclude each other
 * (PostgreSQL `pg_advisory_xact_lock*`; held until COMMIT or ROLLBACK). `expr` is the SQL
 * of the id (a column, a parameter or a quoted literal).
 *
 * - A customer's ledger: exclusive, taken by every ledger batch (lib/ledger/customer-batch.ts),
 *   so batches of one customer from several processes run one after another.
 * - A platform's ledger settings: shared by every batch of its customers, exclusive while
 *   its default overdraft limit changes (lib/platforms/platform-settings.ts).
 */
export const customerLockKeySql = (expr: string) => `hashtextextended('drawdown:customer:' || ${expr}, 0)`;
export const platformLockKeySql = (expr: string) => `hashtextextended('drawdown:platform:' || ${expr}, 0)`;
