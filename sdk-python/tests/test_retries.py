"""Retries: through a proxy that cuts the connection after the app answered (the work
was done, the client never heard), the retried call takes effect once; 429 and 503 are
retried after ``Retry-After``; other 4xx are raised at once."""

from __future__ import annotations

import socket
import time
import unittest
from decimal import Decimal

from _support import CuttingProxy, StubServer, client, env, new_customer, new_id, now_iso, problem

import drawdown


class RetriesAfterALostAnswer(unittest.TestCase):
    proxy: CuttingProxy

    @classmethod
    def setUpClass(cls) -> None:
        cls.proxy = CuttingProxy(env("DRAWDOWN_BASE_URL"))

    @classmethod
    def tearDownClass(cls) -> None:
        cls.proxy.close()

    def via_proxy(self) -> drawdown.Drawdown:
        return client(base_url=self.proxy.url)

    def test_create_adjustment_charge_resolves_on_the_third_attempt_and_debits_once(self) -> None:
        direct = client()
        customer_id = new_customer(direct)
        direct.customer_wallet_ops.create_adjustment(customer_id, {"transaction_id": new_id(), "asset": "USD", "amount": 100, "reason": "external_topup"})
        self.proxy.script("drop-after-answer", "drop-after-answer")
        transaction_id = new_id()
        result = self.via_proxy().customer_wallet_ops.create_adjustment(
            customer_id, {"transaction_id": transaction_id, "asset": "USD", "amount": Decimal("-7.5"), "reason": "charge"}
        )
        self.assertEqual(result["id"], transaction_id)
        self.assertEqual([a.upstream_status for a in self.proxy.attempts], [201, 201, 201])
        # idempotent by transaction_id: no Idempotency-Key needed
        self.assertEqual([a.idempotency_key for a in self.proxy.attempts], [None, None, None])
        self.assertEqual(direct.customer_wallet_ops.get_account(customer_id, "default:USD")["available"], Decimal("92.5"))
        self.assertEqual(direct.customer_wallet_ops.list_transactions(customer_id)["total_count"], 2)

    def test_send_usage_resolves_as_duplicate_with_the_original_fee_and_charges_once(self) -> None:
        direct = client()
        # subscribed to "chat" (the product the test app made) from its creation
        customer_id = new_customer(direct, subscriptions=[{"products": [{"code": "chat"}]}])
        direct.customer_wallet_ops.create_adjustment(customer_id, {"transaction_id": new_id(), "asset": "USD", "amount": 1, "reason": "gift"})
        self.proxy.script("drop-after-answer", "drop-after-answer")
        event = {"id": new_id(), "event_type": "message_completed", "occurred_at": now_iso(), "data": {"model": "gpt-4-1", "input_tokens": 1000}}
        result = self.via_proxy().events.send_usage(body={"customer_id": customer_id, "events": [event]})
        self.assertEqual(len(self.proxy.attempts), 3)
        [outcome] = result["results"]
        self.assertEqual(outcome["status"], "duplicate")
        self.assertEqual(outcome["fees"][0]["amount"], Decimal("0.00125"))
        # 1000 / 1,000,000 × $1.25, charged once
        self.assertEqual(direct.customer_wallet_ops.get_account(customer_id, "default:USD")["available"], Decimal("0.99875"))
        self.assertEqual(direct.events.list(customer_id=customer_id)["total_count"], 1)

    def test_top_up_initiate_sends_one_idempotency_key_and_makes_one_top_up(self) -> None:
        direct = client()
        customer_id = new_customer(direct)
        self.proxy.script("drop-after-answer", "drop-after-answer")
        created = self.via_proxy().top_ups.initiate(body={"customer_id": customer_id, "amount": 20, "currency": "USD"})
        keys = [a.idempotency_key for a in self.proxy.attempts]
        self.assertEqual(len(keys), 3)
        self.assertRegex(keys[0] or "", r"^[0-9a-f-]{36}$")
        self.assertEqual(set(keys), {keys[0]})
        self.assertEqual([a.replayed for a in self.proxy.attempts], [False, True, True])
        self.assertEqual([t["id"] for t in direct.top_ups.list_all(customer_id=customer_id)], [created["id"]])

    def test_customers_create_makes_one_customer(self) -> None:
        direct = client()
        email = f"{new_id()}@example.test"
        self.proxy.script("drop-after-answer", "drop-after-answer")
        created = self.via_proxy().customers.create(body={"email": email})
        self.assertEqual(len(self.proxy.attempts), 3)
        self.assertEqual([c["id"] for c in direct.customers.list(email=email)["items"]], [created["id"]])

    def test_gives_up_after_max_retries_with_a_connection_error(self) -> None:
        customer_id = new_customer(client())
        self.proxy.script(*(["drop-after-answer"] * 4))
        with self.assertRaises(drawdown.ConnectionError) as caught:
            self.via_proxy().customer_wallet_ops.get_customer_wallet(customer_id)
        self.assertIsNone(caught.exception.status)
        self.assertIsInstance(caught.exception, drawdown.DrawdownError)
        self.assertEqual(len(self.proxy.attempts), 3)  # 1 + max_retries (2)

    def test_a_422_is_raised_at_once(self) -> None:
        customer_id = new_customer(client())
        self.proxy.script()
        with self.assertRaises(drawdown.ValidationError):
            self.via_proxy().top_ups.initiate(body={"customer_id": customer_id, "amount": -5, "currency": "usd"})
        self.assertEqual(len(self.proxy.attempts), 1)


class RetryAfter(unittest.TestCase):
    def setUp(self) -> None:
        self.stub = StubServer()

    def tearDown(self) -> None:
        self.stub.close()

    def stub_client(self, **options: object) -> drawdown.Drawdown:
        return drawdown.Drawdown(api_key="dd_test_stub", base_url=self.stub.url, retry_delay=0.01, **options)  # type: ignore[arg-type]

    def test_503_with_retry_after_waits_then_succeeds(self) -> None:
        self.stub.answers = [(503, {"Retry-After": "1"}, problem(503, "busy")), (200, {}, {"accounts": []})]
        self.assertEqual(self.stub_client().customer_wallet_ops.get_customer_wallet("cust_1"), {"accounts": []})
        first, second = self.stub.requests
        self.assertGreaterEqual(second[0] - first[0], 0.95)
        self.assertEqual(first[2], "/api/v1/customers/cust_1/wallet")
        self.assertEqual(first[3]["Authorization"], "Bearer dd_test_stub")

    def test_429_with_retry_after_waits_then_succeeds_and_keeps_the_idempotency_key(self) -> None:
        self.stub.answers = [(429, {"Retry-After": "1"}, problem(429, "rate_limited")), (201, {}, {"id": "top_1"})]
        self.assertEqual(self.stub_client().top_ups.initiate(body={"customer_id": "cust_1", "amount": 1, "currency": "USD"}), {"id": "top_1"})
        first, second = self.stub.requests
        self.assertGreaterEqual(second[0] - first[0], 0.95)
        self.assertEqual(first[3]["Idempotency-Key"], second[3]["Idempotency-Key"])

    def test_retry_after_is_capped_by_max_retry_delay(self) -> None:
        self.stub.answers = [(503, {"Retry-After": "120"}, problem(503, "busy")), (200, {}, {"ok": True})]
        started = time.monotonic()
        self.stub_client(max_retry_delay=0.05).accounts.get_self()
        self.assertLess(time.monotonic() - started, 5)

    def test_without_retries_a_429_is_a_rate_limit_error(self) -> None:
        self.stub.answers = [(429, {"Retry-After": "3"}, problem(429, "rate_limited", "slow down"))]
        with self.assertRaises(drawdown.RateLimitError) as caught:
            self.stub_client().customers.list(max_retries=0)
        error = caught.exception
        self.assertEqual((error.status, error.code, error.detail, error.headers["retry-after"]), (429, "rate_limited", "slow down", "3"))
        self.assertEqual(len(self.stub.requests), 1)

    def test_5xx_after_the_retries_is_a_server_error(self) -> None:
        self.stub.answers = [(502, {}, "<html>bad gateway</html>")] * 3
        with self.assertRaises(drawdown.ServerError) as caught:
            self.stub_client().customers.get("cust_1")
        self.assertEqual(caught.exception.status, 502)
        self.assertIn("bad gateway", caught.exception.detail or "")
        self.assertEqual(len(self.stub.requests), 3)

    def test_409_in_flight_is_retried_with_the_same_key(self) -> None:
        in_flight = problem(409, "idempotency_key_in_use")
        self.stub.answers = [(409, {"Retry-After": "0"}, in_flight), (201, {}, {"id": "cust_1"})]
        self.assertEqual(self.stub_client().customers.create(body={}, idempotency_key="order_1"), {"id": "cust_1"})
        self.assertEqual([r[3]["Idempotency-Key"] for r in self.stub.requests], ["order_1", "order_1"])

    def test_other_409s_are_raised_at_once(self) -> None:
        self.stub.answers = [(409, {}, problem(409, "idempotency_key_reused"))]
        with self.assertRaises(drawdown.ConflictError):
            self.stub_client().customers.create(body={})
        self.assertEqual(len(self.stub.requests), 1)

    def test_nothing_listening_is_a_connection_error_after_the_retries(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        api = drawdown.Drawdown(api_key="dd_test_x", base_url=f"http://127.0.0.1:{port}", retry_delay=0.01, max_retries=1)
        with self.assertRaises(drawdown.ConnectionError):
            api.customers.list()


if __name__ == "__main__":
    unittest.main()
