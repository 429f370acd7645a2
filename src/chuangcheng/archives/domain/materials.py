"""Filing materials: upload once, keep every version, attach to as many clauses as it answers.

Each function checks the permission, the input and the file (:mod:`.filecheck`), then writes the
file and its rows in one block: the file first, then the rows in one transaction; when anything
in the block fails, the file is deleted again, so a refused, failed or interrupted upload leaves
no row and no file behind. Every change is audited.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.archives.domain.filecheck import Checked, check_file, normalise
from chuangcheng.archives.enums import AttachmentState
from chuangcheng.archives.models import Attachment, Material, MaterialVersion, Requirement
from chuangcheng.archives.storage import archive_storage
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.models import Unit

MAX_TITLE = 160


@dataclass(frozen=True)
class Upload:
    """A file as received: what the uploader called it, and its bytes."""

    name: str
    data: bytes


@contextmanager
def stored(data: bytes, name: str) -> Iterator[str]:
    """Write ``data`` to the archive storage as ``name`` and run the block in a transaction;
    when the block fails, delete the file (the rows roll back with the transaction)."""
    storage = archive_storage()
    saved = storage.save(name, ContentFile(data))
    try:
        with transaction.atomic():
            yield saved
    except BaseException:
        storage.delete(saved)
        raise


def _storage_name(unit: Unit, year: int, checked: Checked) -> str:
    return f"{year}/{unit.code}/{uuid.uuid4().hex}.{checked.extension}"


def _clean_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (base or "file")[:200]


def search_text(material: Material, version: MaterialVersion | None) -> str:
    parts = [material.title, material.description, version.text if version else ""]
    return normalise(" ".join(p for p in parts if p))


def _check_meta(title: str, year: int) -> str:
    title = (title or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the material a title.")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("The title is at most %(n)d characters.") % {"n": MAX_TITLE}]
    if not 2000 <= year <= 2100:
        errors["year"] = [_("Give a year from 2000 to 2100.")]
    if errors:
        raise ValidationError(errors)
    return title


def _new_version(
    material: Material,
    *,
    number: int,
    upload: Upload,
    checked: Checked,
    saved: str,
    actor: Any,
    note: str,
) -> MaterialVersion:
    return MaterialVersion.objects.create(
        material=material,
        number=number,
        storage_name=saved,
        original_name=_clean_name(upload.name),
        size=len(upload.data),
        content_type=checked.content_type,
        sha256=hashlib.sha256(upload.data).hexdigest(),
        text=checked.text,
        note=note[:200],
        uploaded_by=actor,
    )


def file_material(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    title: str,
    upload: Upload,
    description: str = "",
    requirements: Sequence[Requirement] = (),
) -> Material:
    """File a new material of ``unit`` with its first version and submit it for
    ``requirements`` (each of the same unit)."""
    if not actor.has_perm("archives.file_material", unit):
        raise PermissionDenied
    title = _check_meta(title, year)
    for req in requirements:
        if req.unit_id != unit.pk:
            raise ValidationError(
                {"requirement": [_("A material answers its own unit's clauses.")]}
            )
    checked = check_file(upload.data, _clean_name(upload.name))
    with stored(upload.data, _storage_name(unit, year, checked)) as saved:
        material = Material.objects.create(
            unit=unit, year=year, title=title, description=description.strip(), uploaded_by=actor
        )
        version = _new_version(
            material, number=1, upload=upload, checked=checked, saved=saved, actor=actor, note=""
        )
        material.current = version
        material.search_text = search_text(material, version)
        material.save(update_fields=["current", "search_text", "updated_at"])
        audit.record(
            actor,
            AuditAction.CREATE,
            material,
            after={
                "unit": unit.pk,
                "year": year,
                "title": title,
                "file": version.original_name,
                "size": version.size,
                "sha256": version.sha256,
            },
        )
        for req in requirements:
            _attach(material, version, req, actor)
    return material


def add_version(
    *, actor: Any, material: Material, upload: Upload, note: str = ""
) -> MaterialVersion:
    """Upload a new version of ``material``; it becomes current, and every attachment of the
    material that was returned or is still in review is resubmitted with it from level 1
    (approved attachments keep the version they were approved on)."""
    if not actor.has_perm("archives.file_material", material):
        raise PermissionDenied
    checked = check_file(upload.data, _clean_name(upload.name))
    unit = material.unit
    with stored(upload.data, _storage_name(unit, material.year, checked)) as saved:
        locked = Material.objects.select_for_update().get(pk=material.pk)
        number = (
            locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        version = _new_version(
            locked,
            number=number,
            upload=upload,
            checked=checked,
            saved=saved,
            actor=actor,
            note=note,
        )
        locked.current = version
        locked.search_text = search_text(locked, version)
        locked.save(update_fields=["current", "search_text", "updated_at"])
        now = timezone.now()
        resubmitted = list(
            Attachment.objects.filter(
                material=locked,
                state__in=[AttachmentState.RETURNED, AttachmentState.SUBMITTED],
            ).values_list("pk", flat=True)
        )
        Attachment.objects.filter(pk__in=resubmitted).update(
            version=version,
            state=AttachmentState.SUBMITTED,
            level=1,
            submitted_at=now,
            submitted_by=actor,
        )
        audit.record(
            actor,
            AuditAction.UPDATE,
            locked,
            after={
                "version": number,
                "file": version.original_name,
                "sha256": version.sha256,
                "resubmitted": resubmitted,
                "note": note,
            },
            note="new version",
        )
    material.current = version
    return version


def _attach(
    material: Material, version: MaterialVersion, req: Requirement, actor: Any
) -> Attachment:
    if Attachment.objects.filter(requirement=req, material=material).exists():
        raise ValidationError({"material": [_("This material is already filed for this clause.")]})
    attachment = Attachment.objects.create(
        requirement=req,
        material=material,
        version=version,
        state=AttachmentState.SUBMITTED,
        level=1,
        submitted_at=timezone.now(),
        submitted_by=actor,
    )
    audit.record(
        actor,
        AuditAction.CREATE,
        attachment,
        after={"requirement": req.pk, "material": material.pk, "version": version.number},
    )
    return attachment


@transaction.atomic
def attach(*, actor: Any, material: Material, requirement: Requirement) -> Attachment:
    """Submit an already filed material for another clause of its unit, without uploading it
    again (减负: the same material is reported once)."""
    if not actor.has_perm("archives.file_material", material):
        raise PermissionDenied
    if requirement.unit_id != material.unit_id:
        raise ValidationError({"requirement": [_("A material answers its own unit's clauses.")]})
    if material.current_id is None:
        raise ValidationError({"material": [_("This material has no file.")]})
    version = MaterialVersion.objects.get(pk=material.current_id)
    return _attach(material, version, requirement, actor)


@transaction.atomic
def withdraw(*, actor: Any, attachment: Attachment) -> None:
    """Take back a material filed for a clause before any level approved it (a wrong clause);
    the material and its versions stay."""
    if not actor.has_perm("archives.file_material", attachment.material):
        raise PermissionDenied
    locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if (
        locked.state == AttachmentState.APPROVED
        or locked.reviews.filter(decision="approve").exists()
    ):
        raise ValidationError(
            {"attachment": [_("A material approved at any level can no longer be withdrawn.")]}
        )
    before = audit.snapshot(locked)
    locked.delete()
    audit.record(actor, AuditAction.DELETE, attachment, before=before)
