"""The README is where a newcomer looks first: every setting must be documented there."""

from pathlib import Path

from chuangcheng.config import SETTINGS

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_documented_in_both_readmes() -> None:
    for readme in ("README.md", "README.zh-CN.md"):
        text = (ROOT / readme).read_text(encoding="utf-8")
        missing = [s.name for s in SETTINGS if f"`{s.name}`" not in text]
        assert missing == [], f"{readme} does not document {missing}"
