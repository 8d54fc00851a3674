"""The API's resources, one class each (mirroring the TypeScript SDK's sdk/src/resources)."""

from .accounts import Accounts
from .api_keys import ApiKeys
from .assets import Assets
from .billing_portal import BillingPortal
from .customer_wallet_ops import CustomerWalletOps
from .customers import Customers
from .events import Events
from .holds import Holds
from .products import Products
from .stats import Stats
from .top_ups import TopUps
from .vendors import Vendors
from .webhooks import Webhooks

__all__ = [
    "Accounts",
    "ApiKeys",
    "Assets",
    "BillingPortal",
    "CustomerWalletOps",
    "Customers",
    "Events",
    "Holds",
    "Products",
    "Stats",
    "TopUps",
    "Vendors",
    "Webhooks",
]
