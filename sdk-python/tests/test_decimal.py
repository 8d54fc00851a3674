"""Amounts are exact: answers parse fractions as Decimal (or keep their text), and
Decimals are sent without loss."""

from __future__ import annotations

import json
import unittest
import uuid
from decimal import Decimal

from _support import client, new_customer, new_id

import drawdown
from drawdown import _json


class Encoding(unittest.TestCase):
    def test_decimals_up_to_15_significant_digits_are_json_numbers_of_their_exact_text(self) -> None:
        self.assertEqual(_json.dumps({"amount": Decimal("0.00294125")}), '{"amount":0.00294125}')
        self.assertEqual(_json.dumps([Decimal("1E-12"), Decimal("25.000"), Decimal("-0.0"), Decimal("123456789012345")]), "[0.000000000001,25,0,123456789012345]")

    def test_longer_decimals_are_sent_as_decimal_strings(self) -> None:
        self.assertEqual(_json.dumps({"amount": Decimal("12345678901.123456789")}), '{"amount":"12345678901.123456789"}')
        self.assertEqual(_json.dumps(Decimal("1234567890123456")), '"1234567890123456"')

    def test_everything_else_is_plain_json(self) -> None:
        body = {"s": "é\"", "i": 2353, "f": 0.5, "b": True, "n": None, "l": (1, [2]), "d": {"input_tokens": 1}}
        self.assertEqual(json.loads(_json.dumps(body)), {"s": "é\"", "i": 2353, "f": 0.5, "b": True, "n": None, "l": [1, [2]], "d": {"input_tokens": 1}})

    def test_non_finite_and_unknown_values_are_refused(self) -> None:
        for bad in (Decimal("NaN"), Decimal("Infinity"), float("inf")):
            with self.assertRaises(ValueError):
                _json.dumps({"amount": bad})
        with self.assertRaises(TypeError):
            _json.dumps({"amount": object()})

    def test_answers_parse_fractions_as_decimal_and_whole_numbers_as_int(self) -> None:
        parsed = _json.loads('{"available": 14.566678, "n": 993450234, "fee": 0.00294125, "e": 1e-12}')
        self.assertEqual(parsed, {"available": Decimal("14.566678"), "n": 993450234, "fee": Decimal("0.00294125"), "e": Decimal("1e-12")})
        self.assertIsInstance(parsed["available"], Decimal)
        self.assertEqual(_json.loads('{"available": 14.566678}', decimal_as_str=True), {"available": "14.566678"})


class LiveExactness(unittest.TestCase):
    """Through an asset of 12 decimal places (USD amounts have 2)."""

    asset: str

    @classmethod
    def setUpClass(cls) -> None:
        cls.asset = "PYEXACT" + uuid.uuid4().hex[:6].upper()
        client().assets.create(body={"code": cls.asset, "name": "Exact units", "precision": 12})

    def credit(self, api: drawdown.Drawdown, customer_id: str, amount: object) -> None:
        api.customer_wallet_ops.create_adjustment(
            customer_id, {"transaction_id": new_id(), "asset": self.asset, "amount": amount, "reason": "gift"}
        )

    def test_point_one_plus_point_two_is_point_three(self) -> None:
        api = client()
        customer_id = new_customer(api)
        for amount in (Decimal("0.1"), Decimal("0.2"), Decimal("0.000000000001")):
            self.credit(api, customer_id, amount)
        available = api.customer_wallet_ops.get_account(customer_id, f"default:{self.asset}")["available"]
        self.assertIsInstance(available, Decimal)
        self.assertEqual(available, Decimal("0.300000000001"))
        self.assertNotEqual(0.1 + 0.2, 0.3)  # what floats would have said

    def test_a_decimal_beyond_a_double_is_accepted_as_sent(self) -> None:
        api = client()
        customer_id = new_customer(api)
        amount = Decimal("1234567.123456789012")  # 19 significant digits: sent as a string
        self.credit(api, customer_id, amount)
        [grant] = api.customer_wallet_ops.list_credit_grants(customer_id)["items"]
        self.assertEqual(Decimal(grant["amount"]).quantize(Decimal("0.000001")), Decimal("1234567.123457"))
        self.assertEqual(api.customer_wallet_ops.list_transactions(customer_id)["total_count"], 1)

    def test_decimal_as_str_keeps_the_text(self) -> None:
        api = client()
        customer_id = new_customer(api)
        self.credit(api, customer_id, "0.00294125")
        as_text = client(decimal_as_str=True).customer_wallet_ops.get_customer_wallet(customer_id)
        self.assertEqual(as_text["accounts"][0]["available"], "0.00294125")
        self.assertEqual(api.customer_wallet_ops.get_customer_wallet(customer_id)["accounts"][0]["available"], Decimal("0.00294125"))
        self.assertIsInstance(drawdown.Drawdown(api_key="k", base_url="http://127.0.0.1:1", decimal_as_str=True), drawdown.Drawdown)


if __name__ == "__main__":
    unittest.main()
