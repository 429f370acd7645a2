"""The engine: raise once, update while found, resolve when gone, raise again after resolution,
repeat until acknowledged — each announcement once, to the right people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from chuangcheng.alerts.domain import actions
from chuangcheng.alerts.domain.engine import evaluate
from chuangcheng.alerts.domain.kinds import Finding
from chuangcheng.alerts.enums import EventAction, WarningStatus
from chuangcheng.alerts.models import Warning, WarningEvent
from chuangcheng.core.models import AuditEntry
from chuangcheng.core.models_messages import Channel, Notification, OutboundMessage
from tests.alerts.conftest import NOW, rule_for
from tests.conftest import World
from tests.factories import UnitFactory

H = dt.timedelta(hours=1)


def street(world: World, value: float = 50.0) -> Finding:
    return Finding(
        key="street:110101001",
        title="东华门街道合格率偏低",
        detail="3 of 6",
        unit_id=world.unit_c1.pk,
        region_id=world.c1.pk,
        url="/scoring/",
        value=value,
    )


def test_a_finding_raises_one_warning_and_tells_the_units_users(world, steered) -> None:
    rule = rule_for("test.steered", level="red")
    steered.append(street(world))
    result = evaluate(now=NOW)
    assert result.total("raised") == 1
    w = Warning.objects.get()
    assert (w.status, w.level, w.value, w.unit_id, w.region_id) == (
        WarningStatus.RAISED,
        "red",
        50.0,
        world.unit_c1.pk,
        world.c1.pk,
    )
    assert (w.raised_at, w.last_seen_at, w.notify_count) == (NOW, NOW, 1)
    # 东华门's account answers for its community's unit; nobody else is told.
    assert list(Notification.objects.values_list("recipient__username", "key", "level")) == [
        ("unit_s1", f"warning:{w.pk}:raised", "danger")
    ]
    assert [e.action for e in w.events.all()] == [EventAction.RAISED, EventAction.NOTIFIED]
    assert w.events.get(action=EventAction.NOTIFIED).data == {"in_app": 1}
    assert AuditEntry.objects.filter(object_type="alerts.warning", action="create").count() == 1
    rule.refresh_from_db()
    assert (rule.last_run_at, rule.last_found, rule.last_error) == (NOW, 1, "")


def test_a_persisting_condition_updates_the_open_warning(world, steered) -> None:
    rule_for("test.steered")
    steered.append(street(world))
    evaluate(now=NOW)
    steered[:] = [street(world, value=40.0)]
    result = evaluate(now=NOW + H)
    assert (result.total("raised"), result.total("updated")) == (0, 1)
    w = Warning.objects.get()
    assert (w.value, w.last_seen_at, w.raised_at) == (40.0, NOW + H, NOW)
    assert Notification.objects.count() == 1


def test_gone_condition_resolves_and_a_new_finding_raises_again(world, steered) -> None:
    rule_for("test.steered")
    steered.append(street(world))
    evaluate(now=NOW)
    steered.clear()
    assert evaluate(now=NOW + H).total("resolved") == 1
    first = Warning.objects.get()
    assert (first.status, first.auto_resolved, first.resolved_at) == (
        WarningStatus.RESOLVED,
        True,
        NOW + H,
    )
    assert first.events.last().action == EventAction.AUTO_RESOLVED
    steered.append(street(world))
    assert evaluate(now=NOW + 2 * H).total("raised") == 1
    second = Warning.objects.exclude(pk=first.pk).get()
    assert second.status == WarningStatus.RAISED
    assert Notification.objects.filter(key=f"warning:{second.pk}:raised").count() == 1


def test_manual_resolution_then_the_condition_found_again_raises_anew(world, steered) -> None:
    rule_for("test.steered")
    steered.append(street(world))
    evaluate(now=NOW)
    actions.resolve(Warning.objects.get(), actor=world.office, note="已整改")
    evaluate(now=NOW + H)
    assert list(Warning.objects.order_by("pk").values_list("status", flat=True)) == [
        WarningStatus.RESOLVED,
        WarningStatus.RAISED,
    ]


def test_repeats_until_acknowledged(world, steered) -> None:
    rule_for("test.steered", repeat_hours=2)
    steered.append(street(world))
    evaluate(now=NOW)
    w = Warning.objects.get()
    assert evaluate(now=NOW + H).total("repeated") == 0
    assert evaluate(now=NOW + 2 * H).total("repeated") == 1
    assert evaluate(now=NOW + 3 * H).total("repeated") == 0
    w.refresh_from_db()
    assert (w.notify_count, w.last_notified_at) == (2, NOW + 2 * H)
    keys = set(Notification.objects.values_list("key", flat=True))
    assert keys == {f"warning:{w.pk}:raised", f"warning:{w.pk}:repeat:2"}
    actions.acknowledge(w, actor=world.user_s1, note="已安排整改", now=NOW + 3 * H)
    assert evaluate(now=NOW + 10 * H).total("repeated") == 0
    assert Notification.objects.count() == 2
    w.refresh_from_db()
    assert w.status == WarningStatus.ACKNOWLEDGED


def test_no_repeat_when_the_interval_is_zero(world, steered) -> None:
    rule_for("test.steered", repeat_hours=0)
    steered.append(street(world))
    evaluate(now=NOW)
    assert evaluate(now=NOW + 100 * H).total("repeated") == 0


def test_findings_outside_the_rule_region_are_dropped(world, steered) -> None:
    rule_for("test.steered", region=world.s2)
    steered.append(street(world))
    assert evaluate(now=NOW).total("raised") == 0
    assert Warning.objects.count() == 0


def test_a_finding_without_a_place_takes_the_rules_region_and_tells_the_office(
    world, steered
) -> None:
    rule_for("test.steered", region=world.s1)
    steered.append(Finding(key="x", title="区域预警"))
    evaluate(now=NOW)
    w = Warning.objects.get()
    assert (w.region_id, w.unit_id) == (world.s1.pk, None)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["office"]


def test_sms_to_head_and_contact_once(world, steered) -> None:
    rule_for("test.steered", notify_sms=True, repeat_hours=1)
    steered.append(street(world))
    evaluate(now=NOW)
    evaluate(now=NOW)
    w = Warning.objects.get()
    texts = OutboundMessage.objects.filter(channel=Channel.SMS).order_by("key")
    assert [(m.key, m.to) for m in texts] == [
        (f"warning:{w.pk}:raised:contact", "13812341234"),
        (f"warning:{w.pk}:raised:head", "13900001111"),
    ]
    assert texts[0].template == "CC_WARNING"
    evaluate(now=NOW + H)
    assert OutboundMessage.objects.filter(key__startswith=f"warning:{w.pk}:repeat:2").count() == 2


@override_settings(EMAIL_ENABLED=True)
def test_email_only_when_the_rule_asks(world, steered) -> None:
    world.user_s1.email = "s1@example.gov.cn"
    world.user_s1.save()
    rule = rule_for("test.steered")
    steered.append(street(world))
    evaluate(now=NOW)
    assert not OutboundMessage.objects.filter(channel=Channel.EMAIL).exists()
    rule.notify_email = True
    rule.save()
    steered[:] = [Finding(key="other", title="t", unit_id=world.unit_c1.pk)]
    evaluate(now=NOW + H)
    w = Warning.objects.get(key="other")
    [mail] = OutboundMessage.objects.filter(channel=Channel.EMAIL)
    assert (mail.key, mail.to) == (
        f"warning:{w.pk}:raised:user{world.user_s1.pk}:email",
        "s1@example.gov.cn",
    )


def test_one_open_warning_per_rule_and_key_in_the_database(world, steered) -> None:
    rule = rule_for("test.steered")
    steered.append(street(world))
    evaluate(now=NOW)
    same = {"rule": rule, "key": "street:110101001", "level": "red", "title": "t"}
    same |= {"region": world.s1, "raised_at": NOW, "last_seen_at": NOW}
    with pytest.raises(IntegrityError), transaction.atomic():
        Warning.objects.create(**same)
    # A resolved one may share the key.
    Warning.objects.create(**same, status=WarningStatus.RESOLVED)


def test_a_failing_kind_is_recorded_and_the_others_still_run(world, steered) -> None:
    broken = rule_for("test.steered", name="broken", params={"limit": "many"})
    good = rule_for("test.steered", name="good")
    steered.append(street(world))
    result = evaluate(now=NOW)
    broken.refresh_from_db()
    assert "Limit" in broken.last_error
    assert Warning.objects.get().rule == good
    assert {r.rule.name: r.error != "" for r in result.rules} == {"broken": True, "good": False}


def test_disabled_rules_are_not_evaluated(world, steered) -> None:
    rule_for("test.steered", enabled=False)
    steered.append(street(world))
    assert evaluate(now=NOW).rules == []


def test_queries_do_not_grow_with_findings(world, steered) -> None:
    rule_for("test.steered", notify_sms=True, notify_webhooks=True, repeat_hours=1)
    units = [UnitFactory(code=f"Q{i}", region=world.s2) for i in range(6)]

    def findings(n: int, value: float) -> list[Finding]:
        return [
            Finding(key=f"k{i}", title=f"t{i}", unit_id=units[i].pk, value=value) for i in range(n)
        ]

    def count(n: int, at: dt.datetime, value: float) -> int:
        steered[:] = findings(n, value)
        with CaptureQueriesContext(connection) as ctx:
            evaluate(now=at)
        return len(ctx)

    WarningEvent.objects.all().delete()
    raise_2, raise_6 = count(2, NOW, 1), 0
    Warning.objects.all().delete()
    raise_6 = count(6, NOW, 1)
    assert raise_2 == raise_6
    # Persisting and repeated (an hour later), then all resolved.
    assert count(6, NOW + H, 2) == count(6, NOW + 2 * H, 3)
    assert count(0, NOW + 3 * H, 0) > 0


def test_a_second_evaluator_inserting_the_same_open_warning_inserts_nothing(world, steered) -> None:
    """What the engine relies on when two evaluators race: the insert of an open warning that
    exists already is skipped by the database, and the second evaluator's re-read (by its own
    ``raised_at``) finds nothing to announce."""
    rule = rule_for("test.steered")
    steered.append(street(world))
    evaluate(now=NOW)
    duplicate = Warning(
        rule=rule,
        key="street:110101001",
        level="red",
        title="t",
        region=world.s1,
        raised_at=NOW + H,
        last_seen_at=NOW + H,
    )
    Warning.objects.bulk_create([duplicate], ignore_conflicts=True)
    assert Warning.objects.count() == 1
    assert not Warning.objects.filter(raised_at=NOW + H).exists()
