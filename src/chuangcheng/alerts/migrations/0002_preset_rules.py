"""One preset rule per built-in kind, with thresholds of practice; the office edits them.

Street compliance looks back 45 days so that the last monthly mock assessment is always inside;
recurring problems use the platform's own definition of 屡改屡犯 (3 reports in 90 days,
CASE_RECURRENCE_COUNT / CASE_RECURRENCE_DAYS)."""

from typing import Any

from django.db import migrations

PRESETS = [
    {
        "name": "街道实地测评合格率偏低",
        "kind": "inspections.street_compliance",
        "params": {"threshold": 80, "days": 45, "min_items": 10},
        "level": "orange",
        "repeat_hours": 24,
    },
    {
        "name": "单位按期处置率偏低",
        "kind": "cases.on_time_rate",
        "params": {"threshold": 80, "min_due": 3},
        "level": "orange",
        "repeat_hours": 0,
    },
    {
        "name": "单位有超期未处置案件（督办）",
        "kind": "cases.overdue",
        "params": {
            "min_count": 1,
            "orange_count": 3,
            "red_count": 5,
            "orange_days": 2,
            "red_days": 7,
        },
        "level": "yellow",
        "repeat_hours": 24,
        "notify_sms": True,
    },
    {
        "name": "测评条款预计低于及格线",
        "kind": "scoring.clause_below_pass",
        "params": {"pass_line": 60},
        "level": "orange",
        "repeat_hours": 0,
    },
    {
        "name": "屡改屡犯",
        "kind": "cases.recurring",
        "params": {"count": 3, "days": 90, "rework_count": 2},
        "level": "yellow",
        "repeat_hours": 0,
    },
]


def add_presets(apps: Any, schema_editor: Any) -> None:
    Rule = apps.get_model("alerts", "WarningRule")
    for preset in PRESETS:
        values = dict(preset)
        Rule.objects.get_or_create(name=values.pop("name"), defaults=values)


def remove_presets(apps: Any, schema_editor: Any) -> None:
    Rule = apps.get_model("alerts", "WarningRule")
    Rule.objects.filter(name__in=[p["name"] for p in PRESETS], warnings__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]

    operations = [migrations.RunPython(add_presets, remove_presets)]
