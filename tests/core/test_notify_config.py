"""The notification and SMS settings: defaults that need no service, loud refusals."""

import pytest

from chuangcheng.config import ConfigError, load


def test_defaults_keep_messages_in_the_outbox() -> None:
    values = load({})
    assert values["SMS_BACKEND"] == "outbox"
    assert values["SMS_GATEWAY_URL"] == ""
    assert values["CASE_REMINDER_HOURS"] == 24
    assert values["EMAIL_HOST"] == "" and values["EMAIL_PORT"] == 25


def test_bad_notification_settings_name_the_variable() -> None:
    with pytest.raises(ConfigError, match="SMS_BACKEND"):
        load({"SMS_BACKEND": "carrier-pigeon"})
    with pytest.raises(ConfigError, match="SMS_GATEWAY_URL"):
        load({"SMS_BACKEND": "http"})
    with pytest.raises(ConfigError, match="SMS_GATEWAY_URL"):
        load({"SMS_BACKEND": "http", "SMS_GATEWAY_URL": "ftp://sms.example"})
    with pytest.raises(ConfigError, match="CASE_REMINDER_HOURS"):
        load({"CASE_REMINDER_HOURS": "-1"})
    with pytest.raises(ConfigError, match="EMAIL_USE_SSL"):
        load({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"})
    assert (
        load({"SMS_BACKEND": "http", "SMS_GATEWAY_URL": "https://sms.example/send"})[
            "SMS_GATEWAY_URL"
        ]
        == "https://sms.example/send"
    )
