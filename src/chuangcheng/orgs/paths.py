"""Materialised region and unit paths ("110101/110101001/"): a node's path starts with the path
of every node above it, so "the nodes holding X" is a set of prefixes of X's path."""

from __future__ import annotations

from collections.abc import Iterable


def containing_paths(paths: Iterable[str]) -> set[str]:
    """Every path holding one of ``paths``: the paths themselves and all their ancestors'."""
    return {p[: i + 1] for p in paths for i, ch in enumerate(p) if ch == "/"}
