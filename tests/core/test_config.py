import pytest

from chuangcheng.config import ConfigError, load, parse_database_url


def test_defaults_need_no_service() -> None:
    values = load({})
    assert values["DATABASE_URL"] is None
    assert values["LANGUAGE_CODE"] == "zh-hans"
    assert values["SESSION_IDLE_MINUTES"] == 30
    assert values["MAP_TILE_URL"] == ""


def test_bad_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="SESSION_IDLE_MINUTES"):
        load({"SESSION_IDLE_MINUTES": "half an hour"})
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load({"DATABASE_URL": "mysql://x/y"})
    with pytest.raises(ConfigError, match="MAP_TILE_URL"):
        load({"MAP_TILE_URL": "https://tiles.example/no-placeholders.png"})
    with pytest.raises(ConfigError, match="DEBUG"):
        load({"DEBUG": "perhaps"})


def test_secret_file_is_read(tmp_path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret\n", encoding="utf-8")
    assert load({"SECRET_KEY_FILE": str(secret)})["SECRET_KEY"] == "s3cret"
    with pytest.raises(ConfigError, match="SECRET_KEY_FILE"):
        load({"SECRET_KEY_FILE": str(tmp_path / "missing")})


def test_database_urls() -> None:
    assert parse_database_url("D", "sqlite:///var/x.sqlite3")["NAME"] == "var/x.sqlite3"
    assert parse_database_url("D", "sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    pg = parse_database_url("D", "postgres://cc:p%40ss@db.local:5433/chuang")
    assert pg == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "chuang",
        "USER": "cc",
        "PASSWORD": "p@ss",
        "HOST": "db.local",
        "PORT": "5433",
    }


def test_mfa_required_roles_are_parsed_and_checked() -> None:
    assert load({})["MFA_REQUIRED_ROLES"] == ("sysadmin", "secadmin", "auditor")
    assert load({"MFA_REQUIRED_ROLES": " office, auditor ,"})["MFA_REQUIRED_ROLES"] == (
        "office",
        "auditor",
    )
    assert load({"MFA_REQUIRED_ROLES": "none"})["MFA_REQUIRED_ROLES"] == ()
    with pytest.raises(ConfigError, match="MFA_REQUIRED_ROLES: unknown role"):
        load({"MFA_REQUIRED_ROLES": "sysadmin,root"})
