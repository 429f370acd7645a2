"""Preset warning rules for the calendar's two kinds (the office edits them like the others):
a material deadline three days away, and a unit that missed three task occurrences in a week."""

from typing import Any

from django.db import migrations

PRESETS = [
    {
        "name": "材料报送截止临近",
        "kind": "agenda.deadline_near",
        "params": {"days": 3},
        "level": "yellow",
        "repeat_hours": 24,
    },
    {
        "name": "单位常规任务未按时完成",
        "kind": "agenda.tasks_missed",
        "params": {"count": 3, "days": 7},
        "level": "orange",
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
    dependencies = [("agenda", "0001_initial"), ("alerts", "0002_preset_rules")]

    operations = [migrations.RunPython(add_presets, remove_presets)]
