"""Response shapes, exactly the API's snake_case JSON (see ``GET /api/v1/openapi.json``).

These are ``TypedDict``s: answers are plain ``dict``s, typed for editors and type
checkers. Money is an ``Amount``: a ``Decimal`` (or, for whole numbers, an ``int``), or
the decimal text when the client was built with ``decimal_as_str=True``. Your own
objects (``metadata``, event ``data``, price ``dimensions``) come back as you sent them.
Fields are declared ``total=False`` so that a field the API adds later never breaks a
type check; every field listed is sent by today's API unless marked optional.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, List, Optional, TypedDict, Union

Amount = Union[Decimal, int, str]
"""An exact decimal: ``Decimal``/``int`` in answers (``str`` with ``decimal_as_str``); send any of them."""

JsonObject = Dict[str, Any]


class FieldError(TypedDict):
    """One invalid field of a 422: ``{"field": "destination/exchange_rate", "message": "…"}``."""

    field: str
    message: str


class Page(TypedDict):
    """One page of a list, newest first; ``items`` are the list's objects (``list_all`` yields them typed)."""

    items: List[Any]
    total_count: int
    limit: int
    offset: int


class Customer(TypedDict, total=False):
    id: str
    name: Optional[str]
    email: Optional[str]
    external_id: Optional[str]
    metadata: JsonObject
    created_at: str
    subscriptions: List[JsonObject]


class WalletAccountSummary(TypedDict, total=False):
    id: str
    name: str
    asset: str
    available: Amount


class Wallet(TypedDict, total=False):
    accounts: List[WalletAccountSummary]


class Account(TypedDict, total=False):
    id: str
    name: str
    asset: str
    available: Amount
    pending_in: Amount
    pending_out: Amount
    overdraft_limit: Amount
    low_balance_threshold: Optional[Amount]
    created_at: str


class AutoTopUp(TypedDict, total=False):
    """An account's auto top-up (``GET /customers/{id}/wallet/{account_id}/auto-top-up``)."""

    account_id: str
    configured: bool
    enabled: bool
    threshold: Optional[Amount]
    amount: Optional[Amount]
    currency: Optional[str]
    monthly_cap: Optional[Amount]
    spent_this_month: Amount
    card: Optional[JsonObject]
    consecutive_failures: int
    disabled_reason: Optional[str]
    last_auto_top_up: Optional[JsonObject]
    updated_at: Optional[str]


class AdjustmentCreated(TypedDict, total=False):
    id: str
    created_at: str


class CreditGrant(TypedDict, total=False):
    id: str
    account_id: str
    purpose: str
    amount: Amount
    remaining: Amount
    effective_at: str
    expires_at: Optional[str]
    status: str
    source: JsonObject
    created_at: str


class LedgerTransaction(TypedDict, total=False):
    id: str
    kind: str
    description: Optional[str]
    metadata: JsonObject
    entries: List[JsonObject]
    created_at: str


class Fee(TypedDict, total=False):
    amount: Amount
    asset: str
    account_id: str
    price_name: str
    product_version: int
    balance_after: Amount


class UsageEventResult(TypedDict, total=False):
    id: str
    status: str
    """``billed``, ``unbilled``, ``duplicate`` or ``refused``."""
    reason: Optional[str]
    fees: List[Fee]


class SendUsageResponse(TypedDict, total=False):
    results: List[UsageEventResult]


class UsageEventCost(TypedDict, total=False):
    vendor_id: str
    amount: Amount
    currency: str
    description: Optional[str]
    dimensions: Optional[JsonObject]


class UsageEvent(TypedDict, total=False):
    id: str
    customer_id: str
    event_type: str
    occurred_at: str
    subject: Optional[str]
    description: Optional[str]
    data: JsonObject
    status: str
    reason: Optional[str]
    fees: List[Fee]
    source_reference: Optional[str]
    costs: List[UsageEventCost]
    hold_id: Optional[str]
    created_at: str


class HoldAmount(TypedDict, total=False):
    """What a hold reserved in one account, what fees took from it, what went back."""

    account_id: str
    asset: str
    amount: Amount
    captured: Amount
    released: Amount


class Hold(TypedDict, total=False):
    """An authorization: ``status`` is ``held`` (open), ``captured``, ``released`` or ``expired``."""

    id: str
    reference: str
    customer_id: str
    status: str
    amounts: List[HoldAmount]
    expires_at: str
    subject: Optional[str]
    metadata: Optional[JsonObject]
    created_at: str
    closed_at: Optional[str]


class HoldCapture(TypedDict, total=False):
    """The closed hold and one result per captured event (as ``send_usage`` answers them)."""

    hold: Hold
    results: List[UsageEventResult]


class TopUp(TypedDict, total=False):
    id: str
    status: str
    """``initiated``, ``succeeded``, ``failed`` or ``expired``."""
    customer_id: str
    amount: Amount
    currency: str
    description: Optional[str]
    destination: JsonObject
    credit_amount: Amount
    credit_expires_at: Optional[str]
    return_url: Optional[str]
    failure_url: Optional[str]
    metadata: JsonObject
    grant_id: Optional[str]
    refunded_amount: Amount
    review: Optional[JsonObject]
    automatic: bool
    created_at: str
    expires_at: str
    updated_at: str


class TopUpCreated(TopUp, total=False):
    redirect_url: str
    """Stripe Checkout (through Drawdown's sign-in link): send the customer there."""


class Asset(TypedDict, total=False):
    code: str
    name: str
    precision: int
    symbol: Optional[str]
    label: Optional[str]
    rates: List[JsonObject]
    is_fiat: bool
    created_at: Optional[str]


class AssetQuote(TypedDict, total=False):
    asset: str
    source: str
    rate: Amount
    amount: Amount
    units: Amount


class ProductVersion(TypedDict, total=False):
    id: str
    code: str
    name: str
    default_version: Optional[int]
    version: int
    status: str
    is_default: bool
    prices: List[JsonObject]
    created_at: str
    published_at: Optional[str]


class ProductSummary(TypedDict, total=False):
    id: str
    code: str
    name: str
    default_version: Optional[int]
    latest_version: int
    created_at: str


class Product(ProductSummary, total=False):
    versions: List[JsonObject]


class SimulatedUsage(TypedDict, total=False):
    results: List[JsonObject]


class BillingPortalSession(TypedDict, total=False):
    redirect_url: str
    expires_at: str


class WebhookEndpoint(TypedDict, total=False):
    id: str
    url: str
    description: Optional[str]
    topics: List[str]
    connect: bool
    created_at: str


class WebhookEndpointCreated(WebhookEndpoint, total=False):
    secret: str
    """``whsec_…``: shown only in this answer; keep it to verify deliveries."""


class WebhookEndpointDetail(WebhookEndpoint, total=False):
    deliveries: List[JsonObject]


class WebhookEndpointDeleted(TypedDict, total=False):
    id: str
    deleted: bool


class ApiKey(TypedDict, total=False):
    id: str
    name: Optional[str]
    prefix: str
    mode: str
    created_at: str
    last_used_at: Optional[str]
    revoked_at: Optional[str]


class ApiKeyCreated(ApiKey, total=False):
    secret: str
    """The key itself (``dd_test_…``/``dd_live_…``): shown only in this answer."""


class PlatformContext(TypedDict, total=False):
    id: str
    name: str
    live_mode: bool
    settings: JsonObject


class Vendor(TypedDict, total=False):
    id: str
    name: str
    external_id: Optional[str]
    metadata: JsonObject
    created_at: str


Stats = TypedDict(
    "Stats",
    {
        "id": Optional[str],
        "from": str,
        "to": str,
        "interval": Optional[str],
        "revenue": List[JsonObject],
        "costs": List[JsonObject],
        "margins": List[JsonObject],
        "events": JsonObject,
        "top_ups": List[JsonObject],
        "series": List[JsonObject],
        "reporting": JsonObject,
    },
    total=False,
)
"""Revenue (per asset), costs (per currency), margins, event counts, top-ups and, with
``interval``, a ``series`` of the same figures per bucket (``from`` is a keyword, hence
this form)."""
