"""等保 2.0 level 3 password rules: at least 8 characters mixing at least three classes."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.parametrize(
    "password",
    [
        "Short#1",  # 7 characters, 4 classes
        "lowercaseonly",  # 1 class
        "lowerUPPERonly",  # 2 classes
        "lower123only",  # 2 classes
        "12345678!!",  # 2 classes
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(
    "password",
    [
        "Wenming2026",  # lower, upper, digit
        "wenming#2026",  # lower, digit, symbol
        "WENMING#cheng",  # upper, lower, symbol
        "创城Wenming#",  # non-ASCII letters count as symbols; upper, lower
    ],
)
def test_three_classes_and_eight_characters_pass(password: str) -> None:
    validate_password(password)


def test_the_refusal_names_the_rule() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_password("lowercaseonly")
    codes = {e.code for e in caught.value.error_list}
    assert "password_too_simple" in codes
