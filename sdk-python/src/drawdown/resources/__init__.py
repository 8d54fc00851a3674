"""The API's resources, one class each (mirroring the TypeScript SDK's sdk/src/resources)."""

from .accounts import Accounts
from .api_keys import ApiKeys
from .assets import Assets
from .billing_portal import BillingPortal
from .customer_wallet_ops import CustomerWalletOps
from .customers import Customers
from .events import Events
from .products import Products
from .top_ups import TopUps
from .webhooks import Webhooks

__all__ = [
    "Accounts",
    "ApiKeys",
    "Assets",
    "BillingPortal",
    "CustomerWalletOps",
    "Customers",
    "Events",
    "Products",
    "TopUps",
    "Webhooks",
]
