"""JSON on the wire without floats.

Answers are parsed with every JSON number that has a fraction or an exponent read as a
``decimal.Decimal`` of exactly the digits the API sent (``0.00294125`` stays
``0.00294125``), or kept as that text when the client was built with
``decimal_as_str=True``. Whole numbers (counts, versions, amounts like ``25``) are ``int``,
which is exact too.

Requests are written by :func:`dumps`, which never rounds a ``Decimal``: a value of at
most 15 significant digits goes out as a JSON number (the API reads numbers through a
double, which keeps 15 digits), a longer one as a decimal string, which the API accepts
for every amount.
"""

from __future__ import annotations

import datetime
import json
import math
from decimal import Decimal
from typing import Any, Callable, Mapping, Sequence, cast

# Beyond this many significant digits a JSON number may not survive the API's double.
DOUBLE_SAFE_DIGITS = 15


def loads(text: str, *, decimal_as_str: bool = False) -> Any:
    parse_float: Callable[[str], Any] = str if decimal_as_str else Decimal
    return json.loads(text, parse_float=parse_float)


def decimal_text(value: Decimal) -> str:
    """Plain decimal text without exponent or trailing zeros: ``Decimal("1E-12")`` → ``"0.000000000001"``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _significant_digits(value: Decimal) -> int:
    if value == 0:
        return 1
    return len(value.normalize().as_tuple().digits)


def _encode(value: Any, out: list[str]) -> None:
    if value is None or isinstance(value, (bool, str)):
        out.append(json.dumps(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"cannot send {value!r}: amounts must be finite")
        text = decimal_text(value)
        out.append(text if _significant_digits(value) <= DOUBLE_SAFE_DIGITS else json.dumps(text))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot send {value!r}: numbers must be finite")
        out.append(repr(value))
    elif isinstance(value, Mapping):
        out.append("{")
        first = True
        for key, inner in cast(Mapping[Any, Any], value).items():
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be str, not {type(key).__name__}")
            if not first:
                out.append(",")
            first = False
            out.append(json.dumps(key))
            out.append(":")
            _encode(inner, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for index, item in enumerate(cast(Sequence[Any], value)):
            if index:
                out.append(",")
            _encode(item, out)
        out.append("]")
    elif isinstance(value, (datetime.datetime, datetime.date)):
        out.append(json.dumps(value.isoformat()))
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> str:
    """JSON text of ``value``; ``Decimal`` amounts are written without loss (see the module doc)."""
    out: list[str] = []
    _encode(value, out)
    return "".join(out)
