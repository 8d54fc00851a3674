from __future__ import annotations

from typing import Optional

from ._http import DEFAULT_MAX_RETRIES, DEFAULT_MAX_RETRY_DELAY, DEFAULT_RETRY_DELAY, DEFAULT_TIMEOUT, HttpClient
from .resources import (
    Accounts,
    ApiKeys,
    Assets,
    BillingPortal,
    CustomerWalletOps,
    Customers,
    Events,
    Holds,
    Products,
    Stats,
    TopUps,
    Vendors,
    Webhooks,
)


class Drawdown:
    """The Drawdown API client. Bodies and answers are the API's own snake_case JSON.

    ::

        client = Drawdown(api_key=os.environ["DRAWDOWN_API_KEY"], base_url="https://billing.example.com")
        client.customer_wallet_ops.get_customer_wallet(customer_id="cust_473cr1y0ghbyc3m1yfbwvn3nxx")

    :param api_key: ``dd_test_…`` or ``dd_live_…`` (default: ``$DRAWDOWN_API_KEY``).
    :param base_url: your Drawdown, e.g. ``https://billing.example.com``; ``/api/v1`` is
        added unless present (default: ``$DRAWDOWN_BASE_URL``).
    :param timeout: seconds per attempt (60).
    :param max_retries: retries after the first attempt for network errors, timeouts,
        409 in flight, 429 and 5xx (2).
    :param retry_delay: first backoff delay in seconds, doubled per retry with jitter (0.5).
    :param max_retry_delay: longest wait between attempts, also caps ``Retry-After`` (30).
    :param decimal_as_str: keep fractional numbers of answers as their exact text instead
        of ``Decimal`` (False).
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        *,
        retry_delay: float = DEFAULT_RETRY_DELAY,
        max_retry_delay: float = DEFAULT_MAX_RETRY_DELAY,
        decimal_as_str: bool = False,
    ) -> None:
        http = HttpClient(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_delay=retry_delay,
            max_retry_delay=max_retry_delay,
            decimal_as_str=decimal_as_str,
        )
        self._http = http
        self.customers = Customers(http)
        self.customer_wallet_ops = CustomerWalletOps(http)
        self.events = Events(http)
        self.holds = Holds(http)
        self.top_ups = TopUps(http)
        self.assets = Assets(http)
        self.products = Products(http)
        self.billing_portal = BillingPortal(http)
        self.webhooks = Webhooks(http)
        self.api_keys = ApiKeys(http)
        self.accounts = Accounts(http)
        self.vendors = Vendors(http)
        self.stats = Stats(http)

    @property
    def base_url(self) -> str:
        """The API's base, ending in ``/api/v1``."""
        return self._http.api_base
