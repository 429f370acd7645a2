"""The demo's accounts: one per role, plus six unit accounts, all with the demo password.

They are meant for looking around, so they need no password change at first login; every
other account of the product does (等保 2.0).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import translation
from django.utils.translation import gettext as _

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import Grant, User
from chuangcheng.orgs.models import Region, Unit


class DemoAccount(NamedTuple):
    username: str
    role: Role
    display_name: str
    phone: str
    scope_code: str  # a region code, or a unit code when ``scope_is_region`` is False
    scope_name: str
    scope_is_region: bool = True


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("leader", Role.LEADER, "赵国栋", "13810000001", "110101", "东城区"),
    DemoAccount("office", Role.OFFICE, "孙丽萍", "13810000002", "110101", "东城区"),
    DemoAccount("inspector", Role.INSPECTOR, "周建明", "13810000003", "110101", "东城区"),
    DemoAccount("supervisor", Role.SUPERVISOR, "吴秀兰", "13810000004", "110101001", "东华门街道"),
    DemoAccount("volunteer", Role.VOLUNTEER, "郑晓雨", "13810000005", "110101001001", "多福巷社区"),
    DemoAccount("resident", Role.RESIDENT, "王淑珍", "13810000006", "110101001001", "多福巷社区"),
    DemoAccount("auditor", Role.AUDITOR, "冯志远", "13810000007", "110101", "东城区"),
    # The three administrators (三员分立) set up their authenticator app at first login.
    DemoAccount("sysadmin", Role.SYSADMIN, "钱文博", "13810000015", "110101", "东城区"),
    DemoAccount("secadmin", Role.SECADMIN, "褚海波", "13810000016", "110101", "东城区"),
    DemoAccount(
        "unit_donghuamen",
        Role.UNIT,
        "陈立新",
        "13810000008",
        "110101001",
        "东华门街道办事处",
        scope_is_region=False,
    ),
    DemoAccount(
        "unit_jingshan",
        Role.UNIT,
        "林海燕",
        "13810000009",
        "110101002",
        "景山街道办事处",
        scope_is_region=False,
    ),
    DemoAccount(
        "unit_qianmen",
        Role.UNIT,
        "马建华",
        "13810000010",
        "110101011",
        "前门街道办事处",
        scope_is_region=False,
    ),
    DemoAccount(
        "unit_cgw",
        Role.UNIT,
        "何振华",
        "13810000011",
        "cgw",
        "东城区城市管理委员会",
        scope_is_region=False,
    ),
    DemoAccount(
        "unit_scjg",
        Role.UNIT,
        "许雅琴",
        "13810000012",
        "scjg",
        "东城区市场监督管理局",
        scope_is_region=False,
    ),
    DemoAccount(
        "unit_duofuxiang",
        Role.UNIT,
        "高春燕",
        "13810000013",
        "110101001001",
        "多福巷社区居委会",
        scope_is_region=False,
    ),
)


def create_accounts(
    *, regions: dict[str, Region], units: dict[str, Unit], now: dt.datetime
) -> None:
    """Create the demo users and their grants (bulk). The password is hashed once: Argon2 is
    slow by design and every demo account shares the same password."""
    password = make_password(settings.DEMO_PASSWORD)
    users = User.objects.bulk_create(
        [
            User(
                username=a.username,
                display_name=a.display_name,
                phone=a.phone,
                password=password,
                must_change_password=False,
                password_changed_at=now,
            )
            for a in ACCOUNTS
        ]
    )
    Grant.objects.bulk_create(
        [
            Grant(
                user=user,
                role=a.role,
                region=regions[a.scope_code] if a.scope_is_region else None,
                unit=None if a.scope_is_region else units[a.scope_code],
            )
            for user, a in zip(users, ACCOUNTS, strict=True)
        ]
    )


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def accounts_table() -> str:
    """The demo accounts as an aligned text table: role (Chinese and English), username, scope
    and password."""
    header = [_("Role"), _("Username"), _("Scope"), _("Password")]
    rows = []
    for a in ACCOUNTS:
        with translation.override("zh-hans"):
            zh = str(a.role.label)
        with translation.override("en"):
            en = str(a.role.label)
        rows.append([f"{zh} / {en}", a.username, a.scope_name, settings.DEMO_PASSWORD])
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
