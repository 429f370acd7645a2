"""Test helpers for the orgs and accounts pages: an English-speaking logged-in client."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from tests.conftest import login


def login_en(user) -> Client:
    """A logged-in client that asks for English, so messages can be asserted by msgid."""
    client = login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
