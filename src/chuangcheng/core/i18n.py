"""Translation catalogues: update, compile and check them.

Each app keeps its own catalogue in ``<app>/locale/zh_Hans/LC_MESSAGES/django.po`` so parallel
work never edits one shared file; strings outside the apps (base templates, settings) live in
``chuangcheng/locale``. Usage::

    python -m chuangcheng.core.i18n update   # extract new strings into every catalogue
    python -m chuangcheng.core.i18n compile  # .po -> .mo (pure Python, no GNU gettext needed)
    python -m chuangcheng.core.i18n check    # fail if any string lacks a zh_Hans translation
    python -m chuangcheng.core.i18n todo     # list untranslated strings per catalogue
    python -m chuangcheng.core.i18n apply FILE.json  # {"msgid": "译文" or ["单数", …]} into all
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent.parent
LANG = "zh_Hans"
# Directories with their own catalogue; everything else in the package goes to the root one.
APPS = (
    "accounts",
    "orgs",
    "frameworks",
    "points",
    "cases",
    "open311",
    "inspections",
    "scoring",
    "appraisal",
    "awards",
    "alerts",
    "agenda",
    "surveys",
    "archives",
    "practice",
    "command",
    "demo",
)


def catalogue_dirs() -> list[Path]:
    return [PACKAGE, *(PACKAGE / app for app in APPS if (PACKAGE / app).is_dir())]


def po_path(root: Path) -> Path:
    return root / "locale" / LANG / "LC_MESSAGES" / "django.po"


def _makemessages(root: Path, ignore: list[str]) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "chuangcheng.settings"}
    # -I: without it the app directory lands on sys.path and its rules.py
    # shadows the `rules` package.
    args = [
        sys.executable,
        "-I",
        "-m",
        "django",
        "makemessages",
        "-l",
        LANG,
        "--no-location",
        "--no-obsolete",
        "-e",
        "html,txt,py",
    ]
    for pattern in ignore:
        args += ["--ignore", pattern]
    (root / "locale").mkdir(exist_ok=True)
    subprocess.run(args, cwd=root, env=env, check=True, capture_output=True)


def _ignore_for(root: Path) -> list[str]:
    return [*APPS, "static/*", "locale/*"] if root == PACKAGE else ["static/*"]


def update() -> None:
    for root in catalogue_dirs():
        _makemessages(root, _ignore_for(root))
        print(f"updated {po_path(root).relative_to(PACKAGE.parent)}")


def compile_all() -> None:
    for root in catalogue_dirs():
        po = po_path(root)
        if po.exists():
            polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))


def check() -> int:
    """Extract into a scratch copy and compare with the committed catalogues."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "chuangcheng"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        for root in catalogue_dirs():
            scratch = copy / root.relative_to(PACKAGE)
            _makemessages(scratch, _ignore_for(scratch if root != PACKAGE else copy))
            fresh = polib.pofile(str(po_path(scratch)))
            committed_path = po_path(root)
            committed = (
                {e.msgid + "\x04" + (e.msgctxt or ""): e for e in polib.pofile(str(committed_path))}
                if committed_path.exists()
                else {}
            )
            rel = committed_path.relative_to(PACKAGE.parent)
            for entry in fresh:
                done = committed.get(entry.msgid + "\x04" + (entry.msgctxt or ""))
                if done is None:
                    problems.append(f"{rel}: missing {entry.msgid!r}")
                elif not done.translated() or "fuzzy" in done.flags:
                    problems.append(f"{rel}: untranslated {entry.msgid!r}")
    for p in problems:
        print(p)
    if problems:
        print(
            f"{len(problems)} zh_Hans message(s) missing; run `python -m chuangcheng.core.i18n "
            "update`, translate, and commit the .po files."
        )
        return 1
    print("zh_Hans catalogues complete")
    return 0


def todo() -> None:
    for root in catalogue_dirs():
        po = po_path(root)
        if not po.exists():
            continue
        missing = [e for e in polib.pofile(str(po)) if not e.translated() or "fuzzy" in e.flags]
        for entry in missing:
            print(f"{po.relative_to(PACKAGE.parent)}\t{entry.msgid!r}")


def apply(mapping_file: str) -> None:
    """Fill translations from a JSON object; plural entries take a list of forms."""
    import json

    mapping = json.loads(Path(mapping_file).read_text(encoding="utf-8"))
    for root in catalogue_dirs():
        po_file = po_path(root)
        if not po_file.exists():
            continue
        po = polib.pofile(str(po_file))
        for entry in po:
            value = mapping.get(entry.msgid)
            if value is None:
                continue
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()
    compile_all()


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "update":
        update()
        compile_all()
        return 0
    if command == "compile":
        compile_all()
        return 0
    if command == "check":
        return check()
    if command == "todo":
        todo()
        return 0
    if command == "apply" and len(argv) > 2:
        apply(argv[2])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.path.insert(0, str(PACKAGE.parent))
    raise SystemExit(main(sys.argv))
