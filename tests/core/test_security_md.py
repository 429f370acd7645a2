"""SECURITY.md maps each control to code and tests; every file and test it names must exist, so
the map cannot silently rot when code moves."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = "accounts|core|cases|orgs|practice|surveys|points|frameworks|archives"
CODE = re.compile(rf"`((?:{APPS})/[\w/]+\.py)")
TEST = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`|`::(\w+)`")
CONTROLS = ("身份鉴别", "访问控制", "安全审计", "入侵防范", "数据完整性", "备份", "个人信息保护法")


def _rows() -> list[str]:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    return [r for r in text.splitlines() if r.startswith("|")]


def _defines(path: Path, name: str) -> bool:
    return bool(re.search(rf"def {name}\b", path.read_text(encoding="utf-8")))


def test_every_test_named_in_security_md_exists() -> None:
    missing = []
    for row in _rows():
        for cell in row.split("|"):
            current: Path | None = None  # `::name` continues the last file named in the cell
            for match in TEST.finditer(cell):
                path, name, more = match.groups()
                if path:
                    current = ROOT / path
                    if not current.exists():
                        missing.append(path)
                name = name or more
                if (
                    name
                    and current is not None
                    and current.exists()
                    and not _defines(current, name)
                ):
                    missing.append(f"{current.relative_to(ROOT)}::{name}")
    assert missing == []


def test_every_module_named_in_security_md_exists() -> None:
    src = ROOT / "src" / "chuangcheng"
    named = {m.group(1) for row in _rows() for m in CODE.finditer(row)}
    assert sorted(n for n in named if not (src / n).exists()) == []


def test_the_map_covers_the_controls_of_the_issue() -> None:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert [c for c in CONTROLS if c not in text] == []
