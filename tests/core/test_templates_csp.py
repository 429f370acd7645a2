"""Every template must work under the content security policy (script-src 'self'): no inline
script, no inline event handler, no javascript: URL, and no style attribute either (the policy
admits style attributes only for HTML that vendored libraries build at run time)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "chuangcheng"
TEMPLATES = sorted(p for p in SRC.rglob("templates/**/*.html"))

SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"<[a-zA-Z][^>]*\s(on[a-z]+)\s*=", re.IGNORECASE | re.DOTALL)
JS_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
STYLE_ATTR = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
DATA_TYPES = ("application/json", "application/ld+json", "text/template")


def problems(text: str) -> list[str]:
    """What in one template's text the policy would block."""
    found = []
    for match in SCRIPT.finditer(text):
        attrs = match.group(1)
        kind = re.search(r"""type\s*=\s*["']?([^"'\s>]+)""", attrs, re.IGNORECASE)
        if "src=" in attrs.replace(" ", "").lower():
            continue
        if kind and kind.group(1).lower() in DATA_TYPES:
            continue
        found.append(f"inline <script{attrs}>")
    found += [f"{m.group(1)}= handler" for m in HANDLER.finditer(text)]
    found += ["javascript: URL" for _m in JS_URL.finditer(text)]
    found += ["style attribute" for _m in STYLE_ATTR.finditer(text)]
    return found


def test_the_walk_finds_the_templates() -> None:
    assert len(TEMPLATES) > 200
    assert SRC / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", ["inline <script>"]),
        ('<script type="module">x()</script>', ['inline <script type="module">']),
        ("<script src='/static/a.js' defer></script>", []),
        ('<script type="application/json" id="c">{}</script>', []),
        ('<button class="btn" onclick="go()">', ["onclick= handler"]),
        ('<select\n  name="y" onchange="this.form.submit()">', ["onchange= handler"]),
        ('<a href="javascript:void(0)">', ["javascript: URL"]),
        ('<span style="width: 3%">', ["style attribute"]),
        ('<button data-confirm="Sure?" data-online="1">', []),
        ("<p>Press online to continue; style is ours</p>", []),
    ],
)
def test_the_checker_sees_what_the_policy_blocks(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_no_template_has_inline_script_handlers_or_styles() -> None:
    offenders = {
        str(path.relative_to(SRC)): found
        for path in TEMPLATES
        if (found := problems(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
