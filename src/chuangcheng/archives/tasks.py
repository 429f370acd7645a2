"""Tasks the worker runs for the archives: thin wrappers taking ids (docs/adr/0004)."""

from __future__ import annotations

from django.tasks import task


@task()
def build_package(export_id: int) -> str:
    """Build one requested declaration package; returns its status."""
    from chuangcheng.archives.domain.package import build_export

    return build_export(export_id)
