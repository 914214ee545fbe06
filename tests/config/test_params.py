"""Numbers from query parameters: plain ASCII digits that fit a bigint, nothing else (no database)."""

import pytest

from config.params import positive_int


@pytest.mark.parametrize(
    ("value", "expected"), [("0", 0), ("7", 7), ("000123", 123), ("9" * 18, int("9" * 18))]
)
def test_plain_digits_are_a_number(value, expected):
    assert positive_int(value) == expected


@pytest.mark.parametrize(
    "value", ["", "²", "٣", "1²", "-1", "+1", " 1", "1 ", "1.0", "1e3", "9" * 19, None, 5]
)
def test_anything_else_is_not(value):
    assert positive_int(value) is None
