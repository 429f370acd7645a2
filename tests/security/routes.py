"""Every page route from the resolver and every API operation from the OpenAPI schema.

A route is the pattern as written (``/cases/<int:pk>/``, ``/api/v1/cases/{pk}``); ``fill``
substitutes path parameters with values from one side of the world.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

API_PREFIX = "/api/v1/"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")

_CONVERTER = re.compile(r"(?<!\?P)<(?:\w+:)?(\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_OPENAPI = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Route:
    method: str
    route: str  # as written, the golden file's row key after the method

    @property
    def key(self) -> str:
        return f"{self.method} {self.route}"

    @property
    def params(self) -> list[str]:
        return _names(self.route)


def _names(route: str) -> list[str]:
    return _CONVERTER.findall(route) + _REGEX_GROUP.findall(route) + _OPENAPI.findall(route)


def _walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def page_routes() -> list[str]:
    """Every URL pattern outside the API, ``^``/``$`` of regex patterns kept as written."""
    seen: dict[str, None] = {}
    for route in _walk(get_resolver().url_patterns, "/"):
        if not route.startswith(API_PREFIX):
            seen[route] = None
    return list(seen)


def api_operations() -> list[Route]:
    from chuangcheng.api import api

    schema = api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method in operations:
            if method.upper() in ("GET", *UNSAFE):
                found.append(Route(method.upper(), path))
    # The schema and docs pages are the API's own, not operations of the schema.
    found += [Route("GET", f"{API_PREFIX}openapi.json"), Route("GET", f"{API_PREFIX}docs")]
    return found


def all_routes() -> tuple[list[Route], list[Route]]:
    """(safe requests, unsafe requests): pages answer GET and are sent POST; API operations
    with their own methods."""
    pages = page_routes()
    api = api_operations()
    safe = [Route("GET", r) for r in pages] + [r for r in api if r.method == "GET"]
    unsafe = [Route("POST", r) for r in pages] + [r for r in api if r.method != "GET"]
    return safe, unsafe


def fill(route: str, values: dict[str, str]) -> str:
    """The URL for ``route`` with each parameter replaced by ``values[name]``."""

    def one(m: re.Match[str]) -> str:
        return values[m.group(1)]

    url = _REGEX_GROUP.sub(one, route)
    url = _CONVERTER.sub(one, url)
    url = _OPENAPI.sub(one, url)
    return url.replace("^", "").replace("$", "").replace("\\.", ".")
