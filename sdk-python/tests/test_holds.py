"""``client.holds`` and its ``session``/``run`` helpers against the real app. Each test's
customer is subscribed to a product whose ``{code}_call`` costs 1 USD and starts with 10 USD."""

from __future__ import annotations

import threading
import time
import unittest
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

from _support import client, new_customer, new_id, now_iso

import drawdown

_product_lock = threading.Lock()
_product_code: Optional[str] = None


def _product(api: drawdown.Drawdown) -> str:
    """One product for every test here (created once)."""
    global _product_code
    with _product_lock:
        if _product_code is None:
            code = f"py_holds_{new_id()[:8]}"
            api.products.create(
                body={
                    "name": "Python holds",
                    "code": code,
                    "publish": True,
                    "prices": [
                        {
                            "name": "Calls",
                            "type": "usage_based",
                            "billing_model": {"type": "real_time"},
                            "usage_calculation": {"event_type": f"{code}_call", "usage_type": "unit"},
                            "pricing": [{"asset": "USD", "values": [{"unit_price": 1}]}],
                        }
                    ],
                }
            )
            _product_code = code
        return _product_code


def _funded_customer(api: drawdown.Drawdown) -> Tuple[str, str]:
    """(customer id, event type): subscribed, with 10 USD."""
    code = _product(api)
    customer_id = new_customer(api, subscriptions=[{"products": [{"code": code, "version": "default"}]}])
    api.customer_wallet_ops.create_adjustment(customer_id, {"transaction_id": new_id(), "asset": "USD", "amount": 10, "reason": "gift"})
    return customer_id, f"{code}_call"


def _call(event_type: str, hold_id: Optional[str] = None) -> Dict[str, Any]:
    event: Dict[str, Any] = {"id": f"evt-{new_id()}", "event_type": event_type, "occurred_at": now_iso()}
    if hold_id:
        event["hold_id"] = hold_id
    return event


def _usd(api: drawdown.Drawdown, customer_id: str) -> Tuple[Any, Any]:
    account = api.customer_wallet_ops.get_account(customer_id, "default:USD")
    return account.get("available"), account.get("pending_out")


def _by_reference(api: drawdown.Drawdown, customer_id: str, reference: str) -> Mapping[str, Any]:
    return next(h for h in api.holds.list_all(customer_id) if h.get("reference") == reference)


class Holds(unittest.TestCase):
    def test_create_get_list_extend_capture_release(self) -> None:
        api = client()
        customer_id, event_type = _funded_customer(api)
        reference = f"render-{new_id()}"
        body = {"id": reference, "amount": 4, "asset": "USD", "ttl_seconds": 600, "metadata": {"jobId": "J-1"}}
        hold = api.holds.create(customer_id, body)
        self.assertRegex(hold["id"], r"^hold_")
        self.assertEqual((hold["status"], hold["reference"], hold["metadata"]), ("held", reference, {"jobId": "J-1"}))
        self.assertEqual(hold["amounts"], [{"account_id": "default:USD", "asset": "USD", "amount": 4, "captured": 0, "released": 0}])
        self.assertEqual(_usd(api, customer_id), (6, 4))
        self.assertEqual(api.holds.create(customer_id, body)["id"], hold["id"])  # idempotent by id
        self.assertEqual(api.holds.get(customer_id, hold["id"]), hold)

        api.events.send_usage({"customer_id": customer_id, "events": [_call(event_type, hold["id"])]})
        self.assertEqual(api.holds.get(customer_id, hold["id"])["amounts"][0]["captured"], 1)
        extended = api.holds.extend(customer_id, hold["id"], ttl_seconds=1200)
        self.assertGreater(extended["expires_at"], hold["expires_at"])

        captured = api.holds.capture(customer_id, hold["id"], [_call(event_type)])
        self.assertEqual([r["status"] for r in captured["results"]], ["billed"])
        self.assertEqual(captured["hold"]["status"], "captured")
        self.assertEqual(captured["hold"]["amounts"][0], {"account_id": "default:USD", "asset": "USD", "amount": 4, "captured": 2, "released": 2})
        self.assertEqual(_usd(api, customer_id), (8, 0))
        with self.assertRaises(drawdown.ConflictError):
            api.holds.release(customer_id, hold["id"])

        with self.assertRaises(drawdown.APIError) as refused:
            api.holds.create(customer_id, {"id": new_id(), "amount": 100, "asset": "USD"})
        self.assertEqual((refused.exception.status, refused.exception.code), (402, "insufficient_funds"))

        other = api.holds.create(customer_id, {"id": new_id(), "estimate": {"event_type": event_type}})
        self.assertEqual(other["amounts"][0]["amount"], 1)
        self.assertEqual(api.holds.release(customer_id, other["id"])["status"], "released")
        self.assertEqual([h["id"] for h in api.holds.list(customer_id, status="released")["items"]], [other["id"]])
        self.assertEqual([h["id"] for h in api.holds.list_all(customer_id, limit=1)], [other["id"], hold["id"]])


class HoldHelpers(unittest.TestCase):
    def test_session_extends_while_the_block_runs_then_captures_its_events(self) -> None:
        api = client()
        customer_id, event_type = _funded_customer(api)
        reference = f"stream-{new_id()}"
        with api.holds.session(
            customer_id, {"id": reference, "amount": 5, "asset": "USD", "ttl_seconds": 60}, extend_every=0.1, extend_ttl_seconds=3600
        ) as session:
            first = session.hold
            self.assertEqual(_usd(api, customer_id), (5, 5))
            time.sleep(0.5)
            later = api.holds.get(customer_id, first["id"])
            session.events.append(_call(event_type))
            session.events.append(_call(event_type))
        self.assertFalse(session.cancelled.is_set())
        # Extended to an hour from now, past the 60 s it was created with.
        self.assertGreater(later["expires_at"], first["expires_at"])
        assert session.result is not None
        self.assertEqual(session.result["hold"]["status"], "captured")
        self.assertEqual(session.result["hold"]["amounts"][0]["captured"], 2)
        self.assertEqual(_usd(api, customer_id), (8, 0))

    def test_run_captures_what_the_work_returns(self) -> None:
        api = client()
        customer_id, event_type = _funded_customer(api)
        result = api.holds.run(customer_id, {"id": new_id(), "amount": 3, "asset": "USD"}, lambda hold, cancelled: [_call(event_type)])
        self.assertEqual((result["hold"]["status"], result["hold"]["amounts"][0]["released"]), ("captured", 2))
        self.assertEqual(_usd(api, customer_id), (9, 0))

    def test_an_aborted_stream_releases_what_it_did_not_use(self) -> None:
        api = client()
        customer_id, event_type = _funded_customer(api)
        reference = f"abort-{new_id()}"
        sent: List[str] = []

        class ClientDisconnected(Exception):
            pass

        def stream(hold: Mapping[str, Any], cancelled: threading.Event) -> List[Dict[str, Any]]:
            # Bills each chunk as it goes (partial captures) until its client goes away.
            for chunk in range(10):
                if chunk == 2:
                    raise ClientDisconnected()
                event = _call(event_type, hold["id"])
                api.events.send_usage({"customer_id": customer_id, "events": [event]})
                sent.append(event["id"])
            return []

        with self.assertRaises(ClientDisconnected):
            api.holds.run(customer_id, {"id": reference, "amount": 5, "asset": "USD"}, stream, extend_every=1)
        hold = _by_reference(api, customer_id, reference)
        self.assertEqual(len(sent), 2)
        self.assertEqual(hold["status"], "released")
        self.assertEqual((hold["amounts"][0]["captured"], hold["amounts"][0]["released"]), (2, 3))
        self.assertEqual(_usd(api, customer_id), (8, 0))

    def test_a_closed_streaming_generator_releases_the_hold(self) -> None:
        api = client()
        customer_id, event_type = _funded_customer(api)
        reference = f"gen-{new_id()}"

        def stream() -> Iterator[str]:
            # A streaming response body: each chunk billed against the hold as it goes.
            with api.holds.session(customer_id, {"id": reference, "amount": 5, "asset": "USD"}, extend_every=1) as session:
                for chunk in range(10):
                    api.events.send_usage({"customer_id": customer_id, "events": [_call(event_type, session.hold["id"])]})
                    yield f"chunk {chunk}"
                session.events.append(_call(event_type))

        body = stream()
        self.assertEqual([next(body), next(body)], ["chunk 0", "chunk 1"])
        body.close()  # the client went away: the server closes the generator (GeneratorExit)
        hold = _by_reference(api, customer_id, reference)
        self.assertEqual(hold["status"], "released")
        self.assertEqual((hold["amounts"][0]["captured"], hold["amounts"][0]["released"]), (2, 3))
        self.assertEqual(_usd(api, customer_id), (8, 0))


if __name__ == "__main__":
    unittest.main()
