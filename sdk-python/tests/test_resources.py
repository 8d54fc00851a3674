"""Every method of every resource once, against the real app: the bodies are the API's
snake_case JSON, answers come back as sent (amounts as Decimal/int), lists page, and
the write methods that need one send an Idempotency-Key."""

from __future__ import annotations

import unittest
import uuid
from decimal import Decimal
from typing import Any, Dict, List

from _support import client, env, new_customer, new_id, now_iso

import drawdown


def usd_price_product(code: str, unit_price: Any) -> Dict[str, Any]:
    return {
        "name": f"Python {code}",
        "code": code,
        "publish": True,
        "prices": [
            {
                "name": "Calls",
                "type": "usage_based",
                "billing_model": {"type": "real_time"},
                "usage_calculation": {"event_type": f"{code}_call", "usage_type": "unit"},
                "pricing": [{"asset": "USD", "values": [{"unit_price": unit_price}]}],
            }
        ],
    }


class Customers(unittest.TestCase):
    def test_create_get_list_list_all(self) -> None:
        api = client()
        external_id = f"ext_{new_id()}"
        created = api.customers.create(
            body={"name": "Walter", "email": "walter@example.com", "external_id": external_id, "metadata": {"planTier": "pro"}}
        )
        self.assertRegex(created["id"], r"^cust_")
        self.assertEqual(created["external_id"], external_id)
        self.assertEqual(created["metadata"], {"planTier": "pro"})  # your keys, never re-cased
        self.assertEqual(api.customers.get(created["id"])["name"], "Walter")
        page = api.customers.list(external_id=external_id)
        self.assertEqual((page["total_count"], [c["id"] for c in page["items"]]), (1, [created["id"]]))
        ids = [c["id"] for c in api.customers.list_all(limit=2)]
        self.assertIn(created["id"], ids)
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(len(ids), api.customers.list()["total_count"])


class CustomerWalletOps(unittest.TestCase):
    def test_wallet_account_update_adjustments_transactions_and_grants(self) -> None:
        api = client()
        customer_id = new_customer(api)
        self.assertEqual(api.customer_wallet_ops.get_customer_wallet(customer_id), {"accounts": []})
        for amount in (Decimal("10.5"), 2, "0.25"):
            created = api.customer_wallet_ops.create_adjustment(
                customer_id, {"transaction_id": new_id(), "asset": "USD", "amount": amount, "reason": "gift"}
            )
            self.assertEqual(set(created), {"id", "created_at"})
        account = api.customer_wallet_ops.get_account(customer_id, "default:USD")
        self.assertEqual(account["available"], Decimal("12.75"))
        self.assertEqual((account["pending_in"], account["pending_out"]), (0, 0))

        updated = api.customer_wallet_ops.update_account(
            customer_id, "default:USD", {"overdraft_limit": Decimal("5.5"), "low_balance_threshold": 3}
        )
        self.assertEqual((updated["overdraft_limit"], updated["low_balance_threshold"]), (Decimal("5.5"), 3))
        self.assertEqual(api.customer_wallet_ops.get_account(customer_id, "default:USD")["overdraft_limit"], Decimal("5.5"))
        auto = api.customer_wallet_ops.get_auto_top_up(customer_id, "default:USD")
        self.assertEqual((auto["configured"], auto["enabled"], auto["last_auto_top_up"]), (False, False, None))
        self.assertEqual(api.customer_wallet_ops.disable_auto_top_up(customer_id, "default:USD")["enabled"], False)

        transactions = api.customer_wallet_ops.list_transactions(customer_id, limit=2)
        self.assertEqual((transactions["total_count"], len(transactions["items"]), transactions["limit"]), (3, 2, 2))
        every = list(api.customer_wallet_ops.list_all_transactions(customer_id, limit=1))
        self.assertEqual(len(every), 3)
        self.assertEqual(sorted(t["kind"] for t in every), ["credit", "credit", "credit"])

        grants = api.customer_wallet_ops.list_credit_grants(customer_id)
        self.assertEqual(grants["total_count"], 3)
        all_grants = list(api.customer_wallet_ops.list_all_credit_grants(customer_id, limit=2))
        self.assertEqual(sorted(g["amount"] for g in all_grants), [Decimal("0.25"), 2, Decimal("10.5")])
        self.assertEqual({g["account_id"] for g in all_grants}, {"default:USD"})


class Events(unittest.TestCase):
    def test_send_usage_get_list_list_all(self) -> None:
        api = client()
        customer_id = env("DRAWDOWN_TEST_BROKE_CUSTOMER_ID")
        event_ids: List[str] = [new_id(), new_id()]
        sent = api.events.send_usage(
            body={
                "customer_id": customer_id,
                "events": [
                    {"id": event_ids[0], "event_type": "untracked_kind", "occurred_at": now_iso(), "data": {"someKey": 1}},
                    {"id": event_ids[1], "event_type": "untracked_kind", "occurred_at": now_iso()},
                ],
            }
        )
        self.assertEqual([r["id"] for r in sent["results"]], event_ids)
        self.assertEqual({r["status"] for r in sent["results"]}, {"unbilled"})
        stored = api.events.get(event_ids[0], customer_id=customer_id)
        self.assertEqual((stored["event_type"], stored["data"], stored["customer_id"]), ("untracked_kind", {"someKey": 1}, customer_id))
        self.assertEqual(api.events.get(event_ids[1])["id"], event_ids[1])
        page = api.events.list(customer_id=customer_id, event_type="untracked_kind", limit=1)
        self.assertEqual((page["total_count"], len(page["items"])), (2, 1))
        self.assertEqual(sorted(e["id"] for e in api.events.list_all(customer_id=customer_id, event_type="untracked_kind", limit=1)), sorted(event_ids))


class TopUps(unittest.TestCase):
    def test_initiate_get_list_list_all(self) -> None:
        api = client()
        customer_id = new_customer(api)
        created = api.top_ups.initiate(
            body={"customer_id": customer_id, "amount": Decimal("20.50"), "currency": "USD", "return_url": "https://glitch.ai/account"}
        )
        self.assertEqual((created["status"], created["amount"], created["currency"]), ("initiated", Decimal("20.5"), "USD"))
        self.assertTrue(created["redirect_url"].startswith("http"))
        fetched = api.top_ups.get(created["id"])
        self.assertEqual((fetched["id"], fetched["customer_id"]), (created["id"], customer_id))
        self.assertNotIn("redirect_url", fetched)
        second = api.top_ups.initiate(body={"customer_id": customer_id, "amount": 5, "currency": "USD"})
        self.assertEqual(api.top_ups.list(customer_id=customer_id)["total_count"], 2)
        self.assertEqual([t["id"] for t in api.top_ups.list_all(customer_id=customer_id, limit=1)], [second["id"], created["id"]])

    def test_initiate_with_the_same_idempotency_key_makes_one_top_up(self) -> None:
        api = client()
        customer_id = new_customer(api)
        key = f"order_{uuid.uuid4().hex}"
        body = {"customer_id": customer_id, "amount": 7, "currency": "USD"}
        first = api.top_ups.initiate(body=body, idempotency_key=key)
        again = api.top_ups.initiate(body=body, idempotency_key=key)
        self.assertEqual(again["id"], first["id"])
        self.assertEqual(api.top_ups.list(customer_id=customer_id)["total_count"], 1)


class Assets(unittest.TestCase):
    def test_create_get_list_list_all_quote(self) -> None:
        api = client()
        code = "PY" + uuid.uuid4().hex[:8].upper()
        created = api.assets.create(
            body={"code": code, "name": "Python tokens", "precision": 0, "rates": [{"source": "USD", "rate": Decimal("0.000001")}]}
        )
        self.assertEqual((created["code"], created["is_fiat"]), (code, False))
        self.assertEqual(api.assets.get(code)["name"], "Python tokens")
        self.assertTrue(api.assets.get("USD")["is_fiat"])
        self.assertIn(code, [a["code"] for a in api.assets.list()["items"]])
        self.assertIn(code, [a["code"] for a in api.assets.list_all(limit=1)])
        quote = api.assets.quote(code, {"source": "USD", "amount": Decimal("2.5")})
        self.assertEqual((quote["asset"], quote["source"]), (code, "USD"))
        self.assertEqual(Decimal(quote["units"]), Decimal("2500000"))


class Products(unittest.TestCase):
    def test_create_get_list_list_all_versions_and_simulate(self) -> None:
        api = client()
        code = "py_" + uuid.uuid4().hex[:8]
        created = api.products.create(body=usd_price_product(code, Decimal("0.0015")))
        product_id = created["id"]
        self.assertEqual((created["version"], created["status"]), (1, "published"))
        self.assertEqual(created["prices"][0]["pricing"][0]["values"][0]["unit_price"], Decimal("0.0015"))
        self.assertEqual(api.products.get(product_id)["latest_version"], 1)
        self.assertIn(product_id, [p["id"] for p in api.products.list()["items"]])
        self.assertIn(product_id, [p["id"] for p in api.products.list_all(limit=1)])

        draft = api.products.create_version(product_id, {"prices": usd_price_product(code, Decimal("0.002"))["prices"]})
        self.assertEqual((draft["version"], draft["status"]), (2, "draft"))
        published = api.products.update_version(product_id, 2, {"publish": True, "is_default": True})
        self.assertEqual((published["status"], published["is_default"]), ("published", True))
        self.assertEqual(api.products.get(product_id)["default_version"], 2)

        simulated = api.products.simulate_usage(product_id, 2, {"events": [{"event_type": f"{code}_call"}, {"event_type": "other"}]})
        billed, unbilled = simulated["results"]
        self.assertEqual((billed["status"], billed["fees"][0]["amount"]), ("billed", Decimal("0.002")))
        self.assertEqual(unbilled["status"], "unbilled")


class BillingPortal(unittest.TestCase):
    def test_create_session(self) -> None:
        api = client()
        customer_id = new_customer(api)
        session = api.billing_portal.create_session(body={"customer_id": customer_id, "return_url": "https://glitch.ai/account"})
        self.assertRegex(session["redirect_url"], r"/api/sign-in\?token=")
        self.assertTrue(session["expires_at"])
        with self.assertRaises(drawdown.ValidationError) as caught:
            api.billing_portal.create_portal_session(body={"customer_id": customer_id, "return_url": "javascript:alert(1)"})
        self.assertIn("return_url", [e["field"] for e in caught.exception.errors])


class ApiKeys(unittest.TestCase):
    def test_create_get_list_list_all_revoke(self) -> None:
        api = client()
        created = api.api_keys.create({"name": "Python rotation"})
        self.assertRegex(created["secret"], r"^dd_test_")
        self.assertEqual((created["name"], created["mode"], created["revoked_at"]), ("Python rotation", "test", None))
        rotated = client(api_key=created["secret"])
        shown = rotated.api_keys.get(created["id"])
        self.assertNotIn("secret", shown)
        self.assertEqual(shown["prefix"], created["prefix"])
        self.assertIn(created["id"], [k["id"] for k in api.api_keys.list()["items"]])
        self.assertIn(created["id"], [k["id"] for k in api.api_keys.list_all(limit=1)])
        revoked = api.api_keys.revoke(created["id"])
        self.assertTrue(revoked["revoked_at"])
        with self.assertRaises(drawdown.AuthenticationError):
            rotated.api_keys.list()


class Accounts(unittest.TestCase):
    def test_get_self_and_update_self(self) -> None:
        api = client()
        context = api.accounts.get_self()
        self.assertRegex(context["id"], r"^plat_")
        self.assertFalse(context["live_mode"])
        before = context["settings"]["default_overdraft_limit"]
        try:
            updated = api.accounts.update_self(body={"settings": {"default_overdraft_limit": Decimal("2.5")}})
            self.assertEqual(updated["settings"]["default_overdraft_limit"], Decimal("2.5"))
            self.assertEqual(api.accounts.get_self()["settings"]["default_overdraft_limit"], Decimal("2.5"))
        finally:
            api.accounts.update_self(body={"settings": {"default_overdraft_limit": before}})


class Webhooks(unittest.TestCase):
    def test_create_get_list_list_all_delete(self) -> None:
        api = client()
        endpoint = api.webhooks.create(body={"url": "https://hooks.example.com/drawdown", "topics": ["top_up.succeeded"]})
        self.assertRegex(endpoint["secret"], r"^whsec_")
        detail = api.webhooks.get(endpoint["id"])
        self.assertEqual((detail["url"], detail["deliveries"]), ("https://hooks.example.com/drawdown", []))
        self.assertIn(endpoint["id"], [e["id"] for e in api.webhooks.list()["items"]])
        self.assertIn(endpoint["id"], [e["id"] for e in api.webhooks.list_all(limit=1)])
        self.assertEqual(api.webhooks.delete(endpoint["id"]), {"id": endpoint["id"], "deleted": True})
        with self.assertRaises(drawdown.NotFoundError):
            api.webhooks.get(endpoint["id"])


if __name__ == "__main__":
    unittest.main()


class Vendors(unittest.TestCase):
    def test_create_get_list_costs_on_events_and_stats(self) -> None:
        api = client()
        external_id = f"vendor_{new_id()}"
        vendor = api.vendors.create(body={"name": "OpenAI", "external_id": external_id, "metadata": {"tierName": "5"}})
        self.assertTrue(vendor["id"].startswith("vnd_"))
        self.assertEqual(vendor["metadata"], {"tierName": "5"})
        self.assertEqual(api.vendors.get(vendor["id"]), vendor)
        self.assertEqual(api.vendors.list(external_id=external_id)["items"], [vendor])
        self.assertIn(vendor["id"], [v["id"] for v in api.vendors.list_all()])
        with self.assertRaises(drawdown.ConflictError):
            api.vendors.create(body={"name": "Again", "external_id": external_id})

        customer_id = new_customer(api)
        event_id = new_id()
        api.events.send_usage(
            body={
                "customer_id": customer_id,
                "events": [
                    {
                        "id": event_id,
                        "event_type": "nothing_priced",
                        "occurred_at": "2026-11-02T10:00:00Z",
                        "costs": [{"vendor_external_id": external_id, "amount": "0.0031", "currency": "USD", "dimensions": {"modelName": "gpt-4o"}}],
                    }
                ],
            }
        )
        event = api.events.get(event_id, customer_id=customer_id)
        self.assertEqual(
            event["costs"],
            [{"vendor_id": vendor["id"], "amount": Decimal("0.0031"), "currency": "USD", "description": None, "dimensions": {"modelName": "gpt-4o"}}],
        )
        stats = api.stats.customer(customer_id, from_="2026-11-01", to="2026-11-30", interval="day")
        self.assertEqual(stats["id"], customer_id)
        self.assertEqual(stats["costs"], [{"currency": "USD", "amount": Decimal("0.0031")}])
        self.assertEqual(stats["events"], {"billed": 0, "unbilled": 1, "refused": 0, "total": 1})
        self.assertEqual([b["start"] for b in stats["series"]], ["2026-11-02"])
        self.assertEqual(api.stats.vendor(vendor["id"], from_="2026-11-01", to="2026-11-30")["costs"], [{"currency": "USD", "amount": Decimal("0.0031")}])
        self.assertIn("events", api.stats.platform())
        reporting = api.stats.customer(customer_id, from_="2026-11-01", to="2026-11-30", currency="USD")["reporting"]
        self.assertEqual((reporting["revenue"], reporting["cost"], reporting["unconverted"]), (0, Decimal("0.0031"), []))
