"""个人信息保护法 / 等保: pages load nothing from other servers, so no third party learns who
reads what. Scripts, styles and fonts are vendored; map tiles come only from a configured URL."""

from __future__ import annotations

import re
from pathlib import Path

import chuangcheng

SRC = Path(chuangcheng.__file__).parent
EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", re.IGNORECASE)


def _files(*patterns: str) -> list[Path]:
    return sorted(p for pattern in patterns for p in SRC.rglob(pattern) if "vendor" not in p.parts)


def test_templates_and_our_assets_reference_no_other_server() -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in _files("*.html", "*.css", "*.js")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if EXTERNAL.search(line)
    ]
    assert offenders == []


def test_the_pattern_catches_a_cdn_script() -> None:
    assert EXTERNAL.search('<script src="https://cdn.example.com/x.js"></script>')
    assert EXTERNAL.search("background: url(//fonts.example.com/a.woff2)")
    assert not EXTERNAL.search('<script src="/static/vendor/htmx.min.js"></script>')
