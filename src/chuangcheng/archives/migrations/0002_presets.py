"""The two review levels of practice (区初审 by the district office, 市复审 by the city office —
the office sets the city region on the levels page) and the preset warning rule for materials
still missing or returned after their due date (the office edits it like the others)."""

from typing import Any

from django.db import migrations

LEVELS = [
    {"number": 1, "name": "区初审", "role": "office"},
    {"number": 2, "name": "市复审", "role": "office"},
]

PRESETS = [
    {
        "name": "材料逾期未报送",
        "kind": "archives.overdue",
        "params": {"days": 0},
        "level": "orange",
        "repeat_hours": 24,
    },
]


def add_presets(apps: Any, schema_editor: Any) -> None:
    Level = apps.get_model("archives", "ReviewLevel")
    for level in LEVELS:
        values = dict(level)
        Level.objects.get_or_create(number=values.pop("number"), defaults=values)
    Rule = apps.get_model("alerts", "WarningRule")
    for preset in PRESETS:
        values = dict(preset)
        Rule.objects.get_or_create(name=values.pop("name"), defaults=values)


def remove_presets(apps: Any, schema_editor: Any) -> None:
    Rule = apps.get_model("alerts", "WarningRule")
    Rule.objects.filter(name__in=[p["name"] for p in PRESETS], warnings__isnull=True).delete()
    Level = apps.get_model("archives", "ReviewLevel")
    Level.objects.filter(number__in=[lv["number"] for lv in LEVELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("archives", "0001_initial"), ("alerts", "0002_preset_rules")]

    operations = [migrations.RunPython(add_presets, remove_presets)]
