"""Webhook signatures: unit cases, and a delivery the app really sent to a Python
receiver on 127.0.0.1 (the test app allows private destinations)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import unittest

from _support import WebhookReceiver, client, dispatch_webhooks, env, new_id, now_iso

import drawdown

SECRET = "whsec_test_secret"


def sign(body: bytes, secret: str, timestamp: int, tag: str = "v1") -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},{tag}={digest}"


class VerifySignature(unittest.TestCase):
    body = b'{"id":"evt_1","type":"event.refused","data":{"amount":0.00294125}}'

    def test_a_valid_signature_verifies_for_bytes_and_str(self) -> None:
        now = int(time.time())
        header = sign(self.body, SECRET, now)
        self.assertTrue(drawdown.verify_signature(self.body, header, SECRET))
        self.assertTrue(drawdown.verify_signature(self.body.decode(), header, SECRET))
        self.assertTrue(drawdown.Drawdown(api_key="k", base_url="http://127.0.0.1:1").webhooks.verify_signature(self.body, header, SECRET))

    def test_the_credyt_v0_header_and_rotated_signatures_verify(self) -> None:
        now = int(time.time())
        self.assertTrue(drawdown.verify_signature(self.body, sign(self.body, SECRET, now, "v0"), SECRET))
        rotated = sign(self.body, SECRET, now) + "," + sign(self.body, "whsec_old", now).split(",")[1]
        self.assertTrue(drawdown.verify_signature(self.body, rotated, "whsec_old"))
        self.assertTrue(drawdown.verify_signature(self.body, rotated, SECRET))

    def test_wrong_secret_tampered_body_and_malformed_headers_fail(self) -> None:
        now = int(time.time())
        header = sign(self.body, SECRET, now)
        self.assertFalse(drawdown.verify_signature(self.body, header, "whsec_wrong"))
        self.assertFalse(drawdown.verify_signature(self.body.replace(b"0.00294125", b"0.00294126"), header, SECRET))
        for bad in (None, "", "t=abc,v1=00", f"t={now}", "v1=" + "0" * 64, f"t={now},v2={'0' * 64}"):
            self.assertFalse(drawdown.verify_signature(self.body, bad, SECRET), bad)
        self.assertFalse(drawdown.verify_signature(self.body, header, ""))

    def test_old_or_future_timestamps_fail_outside_the_tolerance(self) -> None:
        now = int(time.time())
        old = sign(self.body, SECRET, now - 301)
        self.assertFalse(drawdown.verify_signature(self.body, old, SECRET))
        self.assertTrue(drawdown.verify_signature(self.body, old, SECRET, tolerance=600))
        self.assertFalse(drawdown.verify_signature(self.body, sign(self.body, SECRET, now + 301), SECRET))
        self.assertTrue(drawdown.verify_signature(self.body, old, SECRET, now=now - 300))


class LiveDelivery(unittest.TestCase):
    def test_a_delivery_the_app_sent_verifies(self) -> None:
        api = client()
        broke = env("DRAWDOWN_TEST_BROKE_CUSTOMER_ID")
        receiver = WebhookReceiver()
        endpoint = None
        try:
            endpoint = api.webhooks.create(body={"url": f"{receiver.url}/hooks", "topics": ["event.refused"], "description": "Python SDK"})
            # no CREDIT: the api_call event is refused, which makes an event.refused webhook
            event_id = new_id()
            sent = api.events.send_usage(body={"customer_id": broke, "events": [{"id": event_id, "event_type": "api_call", "occurred_at": now_iso()}]})
            self.assertEqual((sent["results"][0]["status"], sent["results"][0]["reason"]), ("refused", "insufficient_funds"))

            deadline = time.monotonic() + 15
            while not receiver.received and time.monotonic() < deadline:
                dispatch_webhooks(endpoint["id"])
                if not receiver.received:
                    time.sleep(0.2)
            self.assertTrue(receiver.received, "no delivery within 15 s")
            body, headers = receiver.received[0]
            self.assertTrue(api.webhooks.verify_signature(body, headers["drawdown-signature"], endpoint["secret"]))
            self.assertTrue(drawdown.verify_signature(body.decode("utf-8"), headers["credyt-signature"], endpoint["secret"]))
            self.assertFalse(api.webhooks.verify_signature(body, headers["drawdown-signature"], "whsec_wrong"))
            self.assertFalse(api.webhooks.verify_signature(body + b" ", headers["drawdown-signature"], endpoint["secret"]))
            envelope = json.loads(body)
            self.assertEqual(envelope["type"], "event.refused")
            self.assertRegex(envelope["id"], r"^evt_")
            delivered = api.webhooks.get(endpoint["id"])["deliveries"]
            self.assertEqual([d["type"] for d in delivered], ["event.refused"])
        finally:
            if endpoint is not None:
                api.webhooks.delete(endpoint["id"])
            receiver.close()


if __name__ == "__main__":
    unittest.main()
