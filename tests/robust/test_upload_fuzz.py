"""The two uploads the importer fuzzing did not reach: a survey's population margins (.xlsx/.csv)
and an archive material (PDF, Word, Excel, images). Fed mutated and broken files, each either
refuses with a ValidationError naming the problem, having written nothing (no row, no stored
file), or writes exactly what it reports. ``HYPOTHESIS_PROFILE=robust-long`` runs more."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from chuangcheng.archives.domain.materials import Upload, file_material
from chuangcheng.archives.models import Material, MaterialVersion
from chuangcheng.archives.samples import sample_docx, sample_pdf
from chuangcheng.surveys.domain.margins_import import import_margins, margins_template
from chuangcheng.surveys.models import Margin, Survey
from tests.conftest import World
from tests.robust.mutants import hostile_file
from tests.robust.test_importer_fuzz import PROFILE

pytestmark = pytest.mark.django_db


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _damaged(data: bytes) -> st.SearchStrategy[bytes]:
    """A PDF or Word file cut short, or with a run of its bytes overwritten."""
    cut = st.integers(1, len(data) - 1).map(lambda n: data[:n])
    flipped = st.tuples(st.integers(0, len(data) - 1), st.binary(min_size=1, max_size=64)).map(
        lambda at: data[: at[0]] + at[1] + data[at[0] + len(at[1]) :]
    )
    return st.one_of(cut, flipped)


def test_margins_import(world: World) -> None:
    survey = Survey.objects.create(code="fuzz", title="满意度调查", region=world.district)
    template = margins_template(survey)

    @PROFILE
    @given(data=hostile_file(template), name=st.sampled_from(["m.xlsx", "m.csv", "m"]))
    def run(data: bytes, name: str) -> None:
        with transaction.atomic():
            before = Margin.objects.filter(survey=survey).count()
            try:
                given_count = import_margins(survey, actor=world.office, filename=name, data=data)
            except ValidationError as exc:
                assert exc.messages and all(m.strip() for m in exc.messages)
                assert Margin.objects.filter(survey=survey).count() == before
            else:
                assert Margin.objects.filter(survey=survey).count() >= given_count
            transaction.set_rollback(True)

    run()


def test_archive_upload(world: World, settings: Any, tmp_path: Path) -> None:
    root = tmp_path / "archives"
    settings.STORAGES = {
        **settings.STORAGES,
        "archives": {
            "BACKEND": "chuangcheng.archives.storage.PrivateStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    xlsx = margins_template(Survey.objects.create(code="x", title="x", region=world.district))
    documents = st.sampled_from(
        [sample_pdf("台账", ["志愿服务台账"]), sample_docx("方案", ["全面推进文明城区创建工作"])]
    )
    files = st.one_of(hostile_file(xlsx), documents.flatmap(_damaged), documents)
    names = st.sampled_from(["台账.pdf", "方案.docx", "表.xlsx", "照片.jpg", "无扩展名"])

    @PROFILE
    @given(data=files, name=names)
    def run(data: bytes, name: str) -> None:
        with transaction.atomic():
            counts = (Material.objects.count(), MaterialVersion.objects.count())
            files = len(_files(root))
            try:
                material = file_material(
                    actor=world.user_s1,
                    unit=world.unit_s1,
                    year=2026,
                    title="台账",
                    upload=Upload(name, data),
                )
            except ValidationError as exc:
                assert exc.messages and all(m.strip() for m in exc.messages)
                assert (Material.objects.count(), MaterialVersion.objects.count()) == counts
                assert len(_files(root)) == files
            else:
                assert material.versions.count() == 1
                assert len(_files(root)) == files + 1
            transaction.set_rollback(True)

    run()
