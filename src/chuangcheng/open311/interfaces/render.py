"""Responses in the format the URL asks for (``.json`` or ``.xml``), shaped as GeoReport v2
shows them: JSON arrays and objects; XML with a declaration, the spec's root and item tags,
``true``/``false`` for booleans and empty elements for missing values."""

from __future__ import annotations

import json
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The element for each member of a list, by the list's own tag.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _fill(element: Element, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, dict):
        for name, member in value.items():
            child = SubElement(element, name)
            if isinstance(member, list):
                for item in member:
                    _fill(SubElement(child, ITEM_TAGS[name]), item)
            else:
                _fill(child, member)
    else:
        element.text = str(value)


def to_xml(root: str, value: Any) -> bytes:
    """``value`` (a list of items or one object) under the element ``root``."""
    element = Element(root)
    if isinstance(value, list):
        for item in value:
            _fill(SubElement(element, ITEM_TAGS[root]), item)
    else:
        _fill(element, value)
    return XML_DECLARATION + tostring(element, encoding="unicode").encode("utf-8")


def respond(fmt: str, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    """``value`` as JSON, or as XML under ``root``."""
    if fmt == "xml":
        body = to_xml(root, value)
    else:
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]))


def errors(
    fmt: str, status: int, descriptions: list[str], *, retry_after: int | None = None
) -> HttpResponse:
    """The spec's error list: one ``{code, description}`` per problem, code = HTTP status."""
    response = respond(
        fmt if fmt in FORMATS else "json",
        "errors",
        [{"code": status, "description": d} for d in descriptions],
        status=status,
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response
