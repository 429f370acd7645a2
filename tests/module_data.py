"""Data loaded once for a whole test module and rolled back when the module ends.

Loading the demo district takes seconds; tests that only read it share one load. Each test still
runs in its own savepoint inside (pytest-django's ``db``), so what a test writes is undone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.test import override_settings


@contextmanager
def module_data[T](
    django_db_blocker: Any, load: Callable[[], T], *, media_root: str | None = None
) -> Iterator[T]:
    """Run ``load`` in an outer transaction that is rolled back afterwards (and, with
    ``media_root``, store the files it writes there)."""
    media = override_settings(MEDIA_ROOT=media_root) if media_root else None
    if media is not None:
        media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            if media is not None:
                media.disable()
