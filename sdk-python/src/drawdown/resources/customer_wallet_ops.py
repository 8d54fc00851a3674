from __future__ import annotations

from typing import Any, Iterator, Mapping, Optional

from .._http import KEY, NATURAL, READ
from .._pagination import paginate
from .._types import Account, AdjustmentCreated, AutoTopUp, CreditGrant, LedgerTransaction, Page, Wallet
from ._base import Resource


class CustomerWalletOps(Resource):
    """A customer's wallet: ``/customers/{id}/wallet/…`` (the seed's ``customer_wallet_ops``)."""

    def get_customer_wallet(self, customer_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None) -> Wallet:
        """Every account of the wallet with its available balance."""
        return self._http.request(
            "get", "/customers/{id}/wallet", path_params={"id": customer_id}, safety=READ,
            max_retries=max_retries, timeout=timeout,
        )

    def get_account(
        self, customer_id: str, account_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None
    ) -> Account:
        """One account (``"default:USD"``) with ``pending_in``, ``pending_out``, ``overdraft_limit``."""
        return self._http.request(
            "get", "/customers/{id}/wallet/{account_id}", path_params={"id": customer_id, "account_id": account_id},
            safety=READ, max_retries=max_retries, timeout=timeout,
        )

    def update_account(
        self,
        customer_id: str,
        account_id: str,
        body: Mapping[str, Any],
        *,
        idempotency_key: Optional[str] = None,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> Account:
        """Sets the account's ``overdraft_limit`` and/or ``low_balance_threshold``. Sends an Idempotency-Key."""
        return self._http.request(
            "patch", "/customers/{id}/wallet/{account_id}", path_params={"id": customer_id, "account_id": account_id},
            body=body, safety=KEY, idempotency_key=idempotency_key, max_retries=max_retries, timeout=timeout,
        )

    def get_auto_top_up(
        self, customer_id: str, account_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None
    ) -> AutoTopUp:
        """The account's auto top-up: settings, card, ``spent_this_month``, the latest attempt.
        Only the cardholder enables it, in the billing portal."""
        return self._http.request(
            "get", "/customers/{id}/wallet/{account_id}/auto-top-up", path_params={"id": customer_id, "account_id": account_id},
            safety=READ, max_retries=max_retries, timeout=timeout,
        )

    def disable_auto_top_up(
        self, customer_id: str, account_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None
    ) -> AutoTopUp:
        """Switches the account's auto top-up off (``disabled_reason: "platform"``); idempotent."""
        return self._http.request(
            "delete", "/customers/{id}/wallet/{account_id}/auto-top-up", path_params={"id": customer_id, "account_id": account_id},
            safety=NATURAL, max_retries=max_retries, timeout=timeout,
        )

    def create_adjustment(
        self,
        customer_id: str,
        body: Mapping[str, Any],
        *,
        max_retries: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> AdjustmentCreated:
        """A credit or debit made outside Drawdown. Idempotent by ``transaction_id``, so it is
        retried without an Idempotency-Key: a retry answers the first result."""
        return self._http.request(
            "post", "/customers/{id}/wallet/adjustments", path_params={"id": customer_id}, body=body,
            safety=NATURAL, max_retries=max_retries, timeout=timeout,
        )

    def list_credit_grants(
        self, customer_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any
    ) -> Page:
        """One page of the wallet's credit grants, newest first."""
        return self._http.request(
            "get", "/customers/{id}/wallet/credit-grants", path_params={"id": customer_id}, query=query,
            safety=READ, max_retries=max_retries, timeout=timeout,
        )

    def list_all_credit_grants(
        self, customer_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any
    ) -> Iterator[CreditGrant]:
        return paginate(self.list_credit_grants, query, customer_id, max_retries=max_retries, timeout=timeout)

    def list_transactions(
        self, customer_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any
    ) -> Page:
        """One page of ledger transactions with their entries, newest first."""
        return self._http.request(
            "get", "/customers/{id}/wallet/transactions", path_params={"id": customer_id}, query=query,
            safety=READ, max_retries=max_retries, timeout=timeout,
        )

    def list_all_transactions(
        self, customer_id: str, *, max_retries: Optional[int] = None, timeout: Optional[float] = None, **query: Any
    ) -> Iterator[LedgerTransaction]:
        return paginate(self.list_transactions, query, customer_id, max_retries=max_retries, timeout=timeout)
