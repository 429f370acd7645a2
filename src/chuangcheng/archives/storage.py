"""The private storage of archive files (``STORAGES["archives"]``).

Files are named by the domain (``YYYY/unit/<uuid>.<ext>``), never by what the uploader called
them, and have no URL: every download goes through a view that asks who may see the material.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateStorage(FileSystemStorage):
    """The file system under ARCHIVES_ROOT, readable by the service account only."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("file_permissions_mode", 0o600)
        options.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**options)

    def url(self, name: str | None) -> str:
        raise ValueError("archive files have no public URL; serve them through the archives views")


def archive_storage() -> Storage:
    """The configured archive storage (looked up on each call, so tests may swap it)."""
    return storages["archives"]
