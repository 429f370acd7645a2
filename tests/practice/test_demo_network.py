"""The demo practice network: built once, with the demo accounts in place."""

from __future__ import annotations

import datetime as dt

import pytest

from chuangcheng.practice.demo_network import id_number


@pytest.mark.parametrize(
    "area, born, seq, expected",
    [
        # GB 11643's worked example: 11010519491231002X
        ("110105", dt.date(1949, 12, 31), 2, "11010519491231002X"),
        ("110101", dt.date(1990, 1, 1), 123, "110101199001011237"),
    ],
)
def test_demo_id_numbers_carry_a_valid_check_digit(
    area: str, born: dt.date, seq: int, expected: str
) -> None:
    assert id_number(area, born, seq) == expected
