"""The office's rule and group-robot pages: parameter fields from the kind, clear messages for
bad input with nothing saved, audited changes, and rows outside the office's region hidden."""

from __future__ import annotations

from typing import Any

import pytest

from chuangcheng.accounts.enums import Role
from chuangcheng.alerts.enums import WarningStatus
from chuangcheng.alerts.models import Warning, WarningRule, WebhookTarget
from chuangcheng.core.models import AuditEntry
from tests.alerts.pages_data import four
from tests.conftest import World, login
from tests.factories import UserFactory, grant


def form(**over: Any) -> dict[str, Any]:
    data = {
        "name": "街道合格率",
        "kind": "inspections.street_compliance",
        "level": "orange",
        "region": "",
        "enabled": "on",
        "notify_in_app": "on",
        "repeat_hours": "0",
        "param_threshold": "75",
        "param_days": "14",
        "param_min_items": "5",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def street_office(world: World) -> Any:
    user = UserFactory(username="office_s1")
    grant(user, Role.OFFICE, region=world.s1)
    return user


def test_the_form_shows_the_kinds_parameters(world) -> None:
    page = login(world.office).get("/alerts/rules/new/?kind=cases.overdue").content.decode()
    for name in ("min_count", "orange_count", "red_count", "orange_days", "red_days"):
        assert f'name="param_{name}"' in page
    assert 'name="param_threshold"' not in page


def test_create_a_rule(world) -> None:
    response = login(world.office).post("/alerts/rules/new/", form())
    assert response.status_code == 302
    rule = WarningRule.objects.get(name="街道合格率")
    assert rule.params == {"threshold": 75.0, "days": 14, "min_items": 5}
    assert (rule.kind, rule.level, rule.region, rule.updated_by) == (
        "inspections.street_compliance",
        "orange",
        None,
        world.office,
    )
    entry = AuditEntry.objects.get(object_type="alerts.warningrule", object_id=str(rule.pk))
    assert entry.action == "create" and entry.after["params"]["days"] == 14


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("param_threshold", "150", "100"),
        ("param_days", "abc", "整数"),
        ("param_min_items", "0", "1"),
        ("repeat_hours", "-1", "0"),
        ("name", "", "必填"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    world, field, value, message
) -> None:
    client = login(world.office)
    rules_before = WarningRule.objects.count()
    audits_before = AuditEntry.objects.count()
    response = client.post("/alerts/rules/new/", form(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert WarningRule.objects.count() == rules_before
    assert AuditEntry.objects.count() == audits_before


def test_domain_refuses_bad_params_too(world) -> None:
    from chuangcheng.alerts.domain.actions import RuleData, save_rule
    from chuangcheng.alerts.domain.params import ParamError

    data = RuleData(
        name="x", kind="cases.on_time_rate", params={"threshold": "many", "typo": 1}, level="red"
    )
    with pytest.raises(ParamError) as exc:
        save_rule(None, data, actor=world.office)
    assert set(exc.value.errors) == {"threshold", "typo"}
    assert not WarningRule.objects.filter(name="x").exists()


def test_switching_a_rule_off_resolves_its_warnings(world) -> None:
    data = four(world)
    rule = data.rule
    rule.kind = "cases.overdue"
    rule.save()
    response = login(world.office).post(
        f"/alerts/rules/{rule.pk}/",
        form(name="测试规则", kind="cases.overdue", enabled=None, param_threshold=None)
        | {
            "param_min_count": "1",
            "param_orange_count": "3",
            "param_red_count": "5",
            "param_orange_days": "2",
            "param_red_days": "7",
        },
    )
    assert response.status_code == 302
    assert set(Warning.objects.values_list("status", flat=True)) == {WarningStatus.RESOLVED}
    assert Warning.objects.filter(resolve_note="规则已停用。").count() == 4


def test_rule_pages_are_for_the_office(world) -> None:
    for user in (world.leader, world.user_s1, world.inspector):
        assert login(user).get("/alerts/rules/").status_code == 403
        assert login(user).post("/alerts/rules/new/", form()).status_code == 403
    assert not WarningRule.objects.filter(name="街道合格率").exists()


def test_a_street_office_sees_its_own_and_the_districts_rules(world, street_office) -> None:
    mine = WarningRule.objects.create(name="东华门", kind="cases.overdue", region=world.s1)
    theirs = WarningRule.objects.create(name="景山", kind="cases.overdue", region=world.s2)
    client = login(street_office)
    names = [r.name for r in client.get("/alerts/rules/").context["rules"]]
    assert "东华门" in names and "景山" not in names
    assert client.get(f"/alerts/rules/{mine.pk}/").status_code == 200
    assert client.get(f"/alerts/rules/{theirs.pk}/").status_code == 404
    # It cannot create a rule for the whole district or for 景山.
    response = client.post("/alerts/rules/new/", form(region=str(world.s2.pk)))
    assert response.status_code == 200 and "region" in response.context["form"].errors
    response = client.post("/alerts/rules/new/", form())
    assert response.status_code == 200
    assert not WarningRule.objects.filter(name="街道合格率").exists()


def test_create_and_edit_a_group_robot(world) -> None:
    client = login(world.office)
    response = client.post(
        "/alerts/webhooks/new/",
        {
            "name": "指挥部群",
            "format": "dingtalk",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=abc123",
            "secret": "SECabc",
            "levels": ["red", "orange"],
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    target = WebhookTarget.objects.get()
    assert (target.url, target.secret, target.levels) == (
        "https://oapi.dingtalk.com/robot/send?access_token=abc123",
        "SECabc",
        ["red", "orange"],
    )
    entry = AuditEntry.objects.get(object_type="alerts.webhooktarget")
    assert entry.after["url"] == "<set>" and "abc123" not in str(entry.after)
    page = client.get(f"/alerts/webhooks/{target.pk}/").content.decode()
    assert "abc123" not in page and "SECabc" not in page and "abc1****" in page
    # Empty address and secret keep the stored ones.
    client.post(
        f"/alerts/webhooks/{target.pk}/",
        {"name": "指挥部群", "format": "dingtalk", "url": "", "secret": "", "levels": ["red"]},
    )
    target.refresh_from_db()
    assert (target.url, target.secret, target.levels, target.enabled) == (
        "https://oapi.dingtalk.com/robot/send?access_token=abc123",
        "SECabc",
        ["red"],
        False,
    )


def test_bad_robot_input_is_refused(world) -> None:
    response = login(world.office).post(
        "/alerts/webhooks/new/",
        {"name": "群", "format": "wecom", "url": "ftp://x", "levels": []},
    )
    errors = response.context["form"].errors
    assert "https://" in " ".join(errors["url"])
    assert "levels" in errors
    assert not WebhookTarget.objects.exists()


def test_robots_of_another_street_are_hidden(world, street_office) -> None:
    other = WebhookTarget.objects.create(
        name="景山群", format="wecom", url="https://x.example/?key=1", region=world.s2
    )
    client = login(street_office)
    assert client.get("/alerts/webhooks/").context["targets"] == []
    assert client.get(f"/alerts/webhooks/{other.pk}/").status_code == 404
    assert client.post(f"/alerts/webhooks/{other.pk}/test/").status_code == 404
    assert login(world.user_s2).get("/alerts/webhooks/").status_code == 403
