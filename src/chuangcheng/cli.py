"""The ``chuangcheng`` console script: every management command goes through it.

``chuangcheng framework import FILE`` is ``manage.py framework import FILE``; the commands
are ordinary Django management commands with sub-commands.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangcheng.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["chuangcheng", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
