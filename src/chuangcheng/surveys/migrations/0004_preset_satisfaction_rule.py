"""A preset warning rule for the surveys' kind (the office edits it like the others): a street
whose satisfaction rate in the latest survey is below 80 %, or fell 5 points or more against the
previous survey, with at least 30 answers counted; orange from a 5-point gap, red from 10."""

from typing import Any

from django.db import migrations

PRESETS = [
    {
        "name": "街道群众满意率偏低或下降",
        "kind": "surveys.satisfaction",
        "params": {
            "min_rate": 80,
            "min_sample": 30,
            "drop_points": 5,
            "orange_points": 5,
            "red_points": 10,
        },
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
    dependencies = [("surveys", "0003_credit_report_index"), ("alerts", "0002_preset_rules")]

    operations = [migrations.RunPython(add_presets, remove_presets)]
