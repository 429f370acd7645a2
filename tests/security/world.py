"""The matrix's small world: our district (two streets, two communities, two units) and another
district whose every name carries ``MARKER``, so a leak shows in any response body.

One object of each kind the route table fills is built per side through factories or domain
functions; the full demo would take too long for a matrix of thousands of requests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import User
from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.models import Unit
from tests.factories import PointFactory, PointTypeFactory, RegionFactory, UnitFactory, UserFactory
from tests.factories import grant as give

MARKER = "他区MARKER"
# Our district's names carry this one: a user with no grant, or nobody at all, must not see them.
OURS_MARKER = "本区OURSMARK"

# Every phone number the world stores (the factories' and those set below): a page showing one in
# clear must have recorded a view of personal data (个人信息保护法; ADR 0003).
CLEAR_PHONES = (
    "13812341234",
    "13900001111",
    "13712345678",
    "13600000001",
    "13600000002",
    "13600000003",
)

# Who stands where: a unit role holds its grant on our street office, volunteers and residents on
# our first community, every other role (and any role added later) on our whole district.
COMMUNITY_ROLES = {"volunteer", "resident"}
UNIT_ROLES = {"unit"}
ANONYMOUS = "anonymous"
NO_GRANT = "nogrant"


@dataclass
class Side:
    """One object per kind, by the kind names of ``routes.PARAMS``."""

    objects: dict[str, Any] = field(default_factory=dict)


@dataclass
class MatrixWorld:
    ours: Side
    theirs: Side
    users: dict[str, User | None]  # column name → user (None: anonymous)


def roles() -> list[str]:
    """The matrix's columns: every role known at run time, a user with no grant, anonymous."""
    return [str(r.value) for r in Role] + [NO_GRANT, ANONYMOUS]


def _district(code: str, name: str) -> dict[str, Any]:
    d = RegionFactory(code=code, name=name, level=RegionLevel.DISTRICT)
    s1 = RegionFactory(code=f"{code}001", name=f"{name}一街道", parent=d)
    c1 = RegionFactory(
        code=f"{code}001001", name=f"{name}一社区", level=RegionLevel.COMMUNITY, parent=s1
    )
    unit_s1 = UnitFactory(
        code=f"S{code}", name=f"{name}一街道办事处", kind=UnitKind.TERRITORIAL, region=s1
    )
    unit_c1 = UnitFactory(
        code=f"C{code}",
        name=f"{name}一社区居委会",
        kind=UnitKind.TERRITORIAL,
        region=c1,
        parent=unit_s1,
    )
    line = UnitFactory(code=f"L{code}", name=f"{name}城管委", kind=UnitKind.LINE, region=d)
    return {"district": d, "s1": s1, "c1": c1, "unit_s1": unit_s1, "unit_c1": unit_c1, "line": line}


def _user(username: str, display: str, role: str, place: dict[str, Any]) -> User:
    user = UserFactory(username=username, display_name=display)
    if role in UNIT_ROLES:
        give(user, Role(role), unit=place["unit_s1"])
    elif role in COMMUNITY_ROLES:
        give(user, Role(role), region=place["c1"])
    else:
        give(user, Role(role), region=place["district"])
    return user


def _side(
    place: dict[str, Any], name: str, office: User, seq: int, point_type: Any, framework: Any
) -> Side:
    """One object per kind in ``place``; every name starts with ``name``."""
    from chuangcheng.cases.domain.intake import CaseData, create_case
    from chuangcheng.cases.enums import CaseSource
    from chuangcheng.cases.models import Category
    from chuangcheng.inspections.enums import RoundKind
    from chuangcheng.inspections.models import Round
    from chuangcheng.practice.domain.orders import OrderInput, place_order
    from chuangcheng.practice.domain.wishes_submit import WishData, submit_wish
    from chuangcheng.practice.enums import OrderChannel, SiteKind, TeamLevel
    from chuangcheng.practice.models import (
        Household,
        PracticeSite,
        ServiceCategory,
        Team,
        Volunteer,
    )
    from chuangcheng.surveys.models import Survey

    point = PointFactory(
        code=f"P{seq:05d}",
        name=f"{name}胡同",
        type=point_type,
        region=place["c1"],
        territorial_unit=place["unit_c1"],
        line_unit=place["line"],
        lng=Decimal("116.405000") - seq,
        lat=Decimal("39.925000"),
    )
    case = create_case(
        CaseData(
            source=CaseSource.INSPECTION,
            description=f"{name}垃圾堆放",
            category=Category.objects.get(code="S0101"),
            point=point,
        ),
        actor=office,
    )
    site = PracticeSite.objects.create(
        kind=SiteKind.STATION, name=f"{name}实践站", region=place["c1"]
    )
    team = Team.objects.create(name=f"{name}小队", level=TeamLevel.SQUAD, site=site)
    vol_user = UserFactory(username=f"vol{seq}", display_name=f"{name}志愿者")
    give(vol_user, Role.VOLUNTEER, region=place["c1"])
    volunteer = Volunteer.objects.create(
        user=vol_user,
        name=f"{name}志愿者",
        region=place["c1"],
        registered_at=dt.date(2026, 3, 1),
        phone="13600000002",
    )
    household = Household.objects.create(
        region=place["c1"],
        code=f"H-{seq}",
        address=f"{name}9号",
        head_name=f"{name}赵奶奶",
        phone="13600000003",
    )
    category, _ = ServiceCategory.objects.get_or_create(
        code="meal", defaults={"name": "助餐", "seq": 1}
    )
    order = place_order(
        OrderInput(
            category=category,
            description=f"{name}买午饭",
            requester_name=f"{name}张奶奶",
            requester_phone="13600000001",
            site=site,
            notice_version=settings.PRIVACY_NOTICE_VERSION,
        ),
        actor=office,
        channel=OrderChannel.STAFF,
    )
    wish = submit_wish(
        site,
        WishData(
            title=f"{name}收音机",
            beneficiary_name=f"{name}李爷爷",
            notice_version=settings.PRIVACY_NOTICE_VERSION,
        ),
        actor=office,
    )
    round_ = Round.objects.create(
        name=f"{name}督查",
        kind=RoundKind.ROUTINE,
        framework=framework,
        region=place["district"],
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 11, 30),
        seed=seq,
    )
    survey = Survey.objects.create(
        code=f"s{seq}", title=f"{name}满意度调查", region=place["district"]
    )
    return Side(
        objects={
            "order": order,
            "wish": wish,
            "round": round_,
            "survey": survey,
            "region": place["c1"],
            "unit": place["unit_c1"],
            "point": point,
            "user": vol_user,
            "case": case,
            "site": site,
            "team": team,
            "volunteer": volunteer,
            "household": household,
        }
    )


def _framework(lead: Unit) -> dict[str, Any]:
    """The framework in force with one scored clause (scoring pages need one)."""
    from chuangcheng.frameworks.enums import FrameworkStatus, NodeLevel
    from chuangcheng.frameworks.models import Framework, Node

    framework = Framework.objects.create(
        code="fw", version=1, name="测评体系", status=FrameworkStatus.ACTIVE
    )
    content = Node.objects.create(
        framework=framework, level=NodeLevel.CONTENT, text="志愿服务制度", seq=1
    )
    node = Node.objects.create(
        framework=framework,
        parent=content,
        level=NodeLevel.STANDARD,
        seq=2,
        number="1.",
        text="农贸市场划行归市",
        methods=["field"],
        lead_unit=lead,
        score=Decimal("2"),
    )
    return {"framework": framework, "node": node}


def build() -> MatrixWorld:
    from chuangcheng.cases.catalog import load_categories

    load_categories()
    ours_place = _district("110101", f"{OURS_MARKER}东城区")
    # A second street in our district: scoped roles below the district must not see it either.
    RegionFactory(code="110101002", name="景山街道", parent=ours_place["district"])
    theirs_place = _district("110102", f"{MARKER}西城区")
    users: dict[str, User | None] = {
        role: _user(f"m_{role}", f"矩阵{role}", role, ours_place) for role in Role
    }
    users[NO_GRANT] = UserFactory(username="m_nogrant", display_name="无授权")
    users[ANONYMOUS] = None
    their_office = _user("their_office", f"{MARKER}文明办", "office", theirs_place)
    assert users["office"] is not None
    # Point types and frameworks are one catalogue for the platform: shared, never marked.
    point_type = PointTypeFactory(code="alley", name="背街小巷")
    shared = _framework(ours_place["line"])
    ours = _side(ours_place, OURS_MARKER, users["office"], 1, point_type, shared["framework"])
    theirs = _side(theirs_place, MARKER, their_office, 2, point_type, shared["framework"])
    ours.objects.update(shared)
    return MatrixWorld(ours=ours, theirs=theirs, users={str(k): v for k, v in users.items()})
