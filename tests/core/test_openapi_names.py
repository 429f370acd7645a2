"""Ninja names each schema in the OpenAPI document by its class name: two classes with one name
silently share one entry, and the document then describes one app's response with another's
fields. Every name in the document must belong to exactly one class."""

from collections.abc import Iterator

from ninja import Schema


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_schema_name_in_the_openapi_document_has_one_class() -> None:
    from chuangcheng.api import api

    components = set(api.get_openapi_schema()["components"]["schemas"])
    owners: dict[str, set[str]] = {}
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("chuangcheng."):
            owners.setdefault(cls.__name__, set()).add(cls.__module__)
    shared = {name: sorted(mods) for name, mods in owners.items() if len(mods) > 1}
    assert {name: mods for name, mods in shared.items() if name in components} == {}
    # The check sees the apps' schemas at all (a wrong walk would pass trivially).
    assert {"CaseDetailOut", "WarningOut", "CalendarEventOut", "MapCaseOut"} <= components
