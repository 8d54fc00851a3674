"""The package's static side: every annotation resolves on this interpreter (so no
3.10+-only syntax hides in them), the package is marked typed, and it imports nothing
outside the standard library."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import os
import sys
import sysconfig
import typing
import unittest

from _support import SEED_CUSTOMER

import drawdown
from drawdown import resources

SRC = os.path.dirname(drawdown.__file__)


class Typing(unittest.TestCase):
    def test_every_annotation_resolves(self) -> None:
        checked = 0
        for name in drawdown.__all__:
            value = getattr(drawdown, name)
            if isinstance(value, type):
                typing.get_type_hints(value)
                checked += 1
        for resource in (getattr(resources, n) for n in resources.__all__):
            for _, method in inspect.getmembers(resource, inspect.isfunction):
                typing.get_type_hints(method)
                checked += 1
        typing.get_type_hints(drawdown.Drawdown.__init__)
        typing.get_type_hints(drawdown.verify_signature)
        self.assertGreater(checked, 60)

    def test_the_client_has_every_resource(self) -> None:
        api = drawdown.Drawdown(api_key="dd_test_x", base_url="https://billing.example.com/")
        self.assertEqual(api.base_url, "https://billing.example.com/api/v1")
        for name in ("customers", "customer_wallet_ops", "events", "top_ups", "assets", "products", "billing_portal", "webhooks", "api_keys", "accounts"):
            self.assertTrue(hasattr(api, name), name)
        # the seed's four calls exist with their keyword names
        self.assertIn("body", inspect.signature(api.top_ups.initiate).parameters)
        self.assertEqual(list(inspect.signature(api.customer_wallet_ops.create_adjustment).parameters)[:2], ["customer_id", "body"])
        self.assertIn("body", inspect.signature(api.events.send_usage).parameters)
        self.assertIn("customer_id", inspect.signature(api.customer_wallet_ops.get_customer_wallet).parameters)
        self.assertTrue(SEED_CUSTOMER.startswith("cust_"))

    def test_py_typed_is_shipped(self) -> None:
        self.assertTrue(os.path.isfile(os.path.join(SRC, "py.typed")))

    def test_only_the_standard_library_is_imported(self) -> None:
        stdlib_names = getattr(sys, "stdlib_module_names", None)  # Python 3.10+

        def in_stdlib(top: str) -> bool:
            if stdlib_names is not None:
                return top in stdlib_names
            # Python 3.9: the module is built in, or lives in the interpreter's own library
            spec = importlib.util.find_spec(top)
            origin = (spec.origin or "") if spec else ""
            library = sysconfig.get_paths()["stdlib"]
            return origin in ("built-in", "frozen") or (origin.startswith(library) and "site-packages" not in origin)

        for folder, _, files in os.walk(SRC):
            for file in files:
                if not file.endswith(".py"):
                    continue
                tree = ast.parse(open(os.path.join(folder, file), encoding="utf-8").read())
                for node in ast.walk(tree):
                    names = []
                    if isinstance(node, ast.Import):
                        names = [alias.name for alias in node.names]
                    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                        names = [node.module]
                    for imported in names:
                        top = imported.split(".")[0]
                        self.assertTrue(top == "__future__" or in_stdlib(top), f"{file} imports {imported}")


if __name__ == "__main__":
    unittest.main()
