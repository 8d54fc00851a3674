"""The Python snippets of the public "Topups Only Model" page, run as printed.

Each snippet is the page's text, character for character; only the customer id is
substituted (``cust_473cr1y0ghbyc3m1yfbwvn3nxx`` → a live customer of the test platform,
since customer ids are global) and ``client`` is ours. Each leaves its ``response``, which
is compared with the page's "SDK response object".

One value cannot work as printed: the top-up credits USD into a USD account at
``exchange_rate: 1000000``, which Drawdown refuses (422 naming
``destination/exchange_rate``) rather than crediting $50,000,000. That snippet runs
verbatim and must raise exactly that ``ValidationError``; then it runs with
``"exchange_rate": 1`` and must answer the page's shape.
"""

from __future__ import annotations

import re
import unittest
from decimal import Decimal
from typing import Any, Dict

from _support import SEED_CUSTOMER, client, env

import drawdown

TOP_UP = '''
response = client.top_ups.initiate(
body={
"customer_id": "cust_473cr1y0ghbyc3m1yfbwvn3nxx",
"amount": 50,
"currency": "USD",
"description": "Image generation credits",
"destination": {
"account_name": "default",
"asset": "USD",
"exchange_rate": 1000000,
},
"credit_expires_at": "2024-07-29T15:51:28.071Z",
"return_url": "https://glitch.ai/account",
"failure_url": "https://glitch.ai/callbacks/credyt-failure",
"metadata": {
"order_id": "order_12345",
},
},
)
'''

ADJUSTMENT = '''
response = client.customer_wallet_ops.create_adjustment(
customer_id="cust_473cr1y0ghbyc3m1yfbwvn3nxx",
body={
"transaction_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
"account_name": "default",
"asset": "USD",
"amount": 25,
"description": "Ad-hoc usage",
"reason": "external_topup",
"expires_at": "2024-07-29T15:51:28.071Z",
"metadata": {
"psp": "stripe",
"payment_intent": "pi_3RjbbNJNSIruR1rb0GwMGpH0",
},
},
)
'''

SEND_USAGE = '''
response = client.events.send_usage(
body={
"customer_id": "cust_473cr1y0ghbyc3m1yfbwvn3nxx",
"events": [
{
"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
"event_type": "message_completed",
"occurred_at": "2024-07-29T15:51:28.071Z",
"subject": "chat_5f53d23a4958",
"description": "Chat message completed",
"data": {
"model": "gpt-4-1",
"input_tokens": 2353,
"output_tokens": 34697,
},
},
],
},
)
'''

GET_WALLET = '''
response = client.customer_wallet_ops.get_customer_wallet(
customer_id="cust_473cr1y0ghbyc3m1yfbwvn3nxx",
)
'''

ISO = re.compile(r"^\d{4}-\d\d-\d\dT")


class SeedSnippets(unittest.TestCase):
    """Run in order (unittest sorts by name): top-up, adjustment, usage, balance."""

    customer_id: str
    api: drawdown.Drawdown

    @classmethod
    def setUpClass(cls) -> None:
        cls.customer_id = env("DRAWDOWN_TEST_CUSTOMER_ID")
        cls.api = client()

    def run_snippet(self, snippet: str) -> Any:
        code = snippet.replace(SEED_CUSTOMER, self.customer_id)
        scope: Dict[str, Any] = {"client": self.api}
        exec(compile(code, "<seed snippet>", "exec"), scope)
        return scope["response"]

    def test_1_top_up_verbatim_is_refused_with_the_field_error(self) -> None:
        with self.assertRaises(drawdown.ValidationError) as caught:
            self.run_snippet(TOP_UP)
        error = caught.exception
        self.assertEqual(error.status, 422)
        self.assertEqual(error.code, "validation_error")
        self.assertEqual([e["field"] for e in error.errors], ["destination/exchange_rate"])
        self.assertTrue(error.errors[0]["message"])
        self.assertRegex(error.request_id or "", r"^req_")
        self.assertEqual(self.api.top_ups.list(customer_id=self.customer_id)["total_count"], 0)

    def test_2_top_up_at_rate_1_answers_the_page_shape(self) -> None:
        snippet = TOP_UP.replace('"exchange_rate": 1000000,', '"exchange_rate": 1,')
        self.assertNotEqual(snippet, TOP_UP)
        response = self.run_snippet(snippet)
        self.assertRegex(response["id"], r"^top_[0-9a-z]+$")
        self.assertEqual(response["status"], "initiated")
        self.assertRegex(response["redirect_url"], r"/api/sign-in\?token=[A-Za-z0-9_-]+$")
        self.assertRegex(response["created_at"], ISO)
        self.assertRegex(response["expires_at"], ISO)
        # snake_case exactly as the API sends it; metadata as written
        self.assertEqual(response["destination"], {"account_name": "default", "asset": "USD", "exchange_rate": 1})
        self.assertEqual(response["metadata"], {"order_id": "order_12345"})
        self.assertEqual(response["amount"], 50)

    def test_3_adjustment_answers_the_page_shape_and_adds_25(self) -> None:
        response = self.run_snippet(ADJUSTMENT)
        self.assertEqual(set(response), {"id", "created_at"})
        self.assertEqual(response["id"], "3fa85f64-5717-4562-b3fc-2c963f66afa6")
        self.assertRegex(response["created_at"], ISO)
        # "This adds $25 to the balance."
        self.assertEqual(self.api.customer_wallet_ops.get_account(self.customer_id, "default:USD")["available"], 25)
        # a repeat (same transaction_id) answers the first result and adds nothing
        self.assertEqual(self.run_snippet(ADJUSTMENT), response)
        self.assertEqual(self.api.customer_wallet_ops.get_account(self.customer_id, "default:USD")["available"], 25)

    def test_4_send_usage_is_billed_with_an_exact_decimal_fee(self) -> None:
        response = self.run_snippet(SEND_USAGE)
        [result] = response["results"]
        self.assertEqual(result["id"], "3fa85f64-5717-4562-b3fc-2c963f66afa6")
        self.assertEqual(result["status"], "billed")
        [fee] = result["fees"]
        # 2353 / 1,000,000 × $1.25, exactly: a Decimal, never a float
        self.assertIsInstance(fee["amount"], Decimal)
        self.assertEqual(fee["amount"], Decimal("0.00294125"))
        self.assertEqual(str(fee["amount"]), "0.00294125")
        self.assertEqual(fee["balance_after"], Decimal("24.99705875"))
        self.assertEqual((fee["asset"], fee["account_id"], fee["price_name"]), ("USD", "default:USD", "Input tokens"))

    def test_5_get_customer_wallet_answers_the_page_shape(self) -> None:
        response = self.run_snippet(GET_WALLET)
        self.assertEqual(
            response,
            {"accounts": [{"id": "default:USD", "name": "default", "asset": "USD", "available": Decimal("24.99705875")}]},
        )
        self.assertIsInstance(response["accounts"][0]["available"], Decimal)


if __name__ == "__main__":
    unittest.main()
