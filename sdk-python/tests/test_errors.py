"""Problem details become typed exceptions, from the real app."""

from __future__ import annotations

import unittest

from _support import client, new_customer, new_id

import drawdown


class Errors(unittest.TestCase):
    def test_a_422_is_a_validation_error_with_the_field_errors_and_writes_nothing(self) -> None:
        api = client()
        customer_id = new_customer(api)
        with self.assertRaises(drawdown.ValidationError) as caught:
            api.top_ups.initiate(body={"customer_id": customer_id, "amount": -5, "currency": "usd", "return_url": "ftp://glitch.ai"})
        error = caught.exception
        self.assertIsInstance(error, drawdown.APIError)
        self.assertIsInstance(error, drawdown.DrawdownError)
        self.assertEqual((error.status, error.title, error.code), (422, "Validation failed", "validation_error"))
        self.assertEqual(error.type, "https://drawdown.dev/problems/validation_error")
        self.assertTrue(error.detail)
        self.assertRegex(error.request_id or "", r"^req_")
        self.assertEqual(sorted(e["field"] for e in error.errors), ["amount", "currency", "return_url"])
        self.assertTrue(all(e["message"] for e in error.errors))
        self.assertEqual(error.problem["status"], 422)
        self.assertIn("422", str(error))
        self.assertEqual(api.top_ups.list(customer_id=customer_id)["total_count"], 0)

    def test_insufficient_funds_is_a_validation_error_by_code(self) -> None:
        api = client()
        customer_id = new_customer(api)
        with self.assertRaises(drawdown.ValidationError) as caught:
            api.customer_wallet_ops.create_adjustment(customer_id, {"transaction_id": new_id(), "asset": "USD", "amount": -100, "reason": "charge"})
        self.assertEqual(caught.exception.code, "insufficient_funds")

    def test_unknown_ids_are_not_found(self) -> None:
        with self.assertRaises(drawdown.NotFoundError) as caught:
            client().customers.get("cust_doesnotexist")
        self.assertEqual(caught.exception.status, 404)

    def test_a_bad_key_is_an_authentication_error(self) -> None:
        with self.assertRaises(drawdown.AuthenticationError) as caught:
            client(api_key="dd_test_not_a_real_key").customers.list()
        self.assertEqual(caught.exception.status, 401)

    def test_an_idempotency_key_reused_for_another_body_is_a_conflict(self) -> None:
        api = client()
        key = f"py_{new_id()}"
        api.customers.create(body={"email": f"{new_id()}@example.test"}, idempotency_key=key)
        with self.assertRaises(drawdown.ConflictError) as caught:
            api.customers.create(body={"email": f"{new_id()}@example.test"}, idempotency_key=key)
        self.assertEqual((caught.exception.status, caught.exception.code), (409, "idempotency_key_reused"))

    def test_a_client_needs_a_key_and_a_url(self) -> None:
        with self.assertRaises(ValueError):
            drawdown.Drawdown(api_key="", base_url="http://127.0.0.1:1")
        with self.assertRaises(ValueError):
            drawdown.Drawdown(api_key="dd_test_x", base_url="ftp://example.com")

    def test_path_parameters_are_escaped(self) -> None:
        with self.assertRaises(drawdown.NotFoundError):
            client().customers.get("cust_x/../../accounts/self")


if __name__ == "__main__":
    unittest.main()
