"""Two-level review: approve moves up a level, the last approval is final, a return needs a
comment and the unit resubmits a new version from level 1; every step audited and told to the
unit; the wrong reviewer, a decided item and the same person on two levels are refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chuangcheng.archives.domain.materials import add_version, attach, withdraw
from chuangcheng.archives.domain.review import decide, levels, queue_q, status_text
from chuangcheng.archives.enums import AttachmentState, Decision
from chuangcheng.archives.models import Attachment, Review, ReviewLevel
from chuangcheng.core.models import AuditEntry
from chuangcheng.core.models_messages import Notification
from tests.archives.conftest import Arch, docx_upload, file_for, pdf_upload


def filed(arch: Arch) -> Attachment:
    w = arch.world
    material = file_for(arch, w.user_s1, arch.req(arch.ledger, w.unit_s1))
    return Attachment.objects.get(material=material)


def fresh(a: Attachment) -> Attachment:
    return Attachment.objects.select_related("requirement__unit__region", "material").get(pk=a.pk)


def test_full_flow_return_resubmit_approve_twice(arch: Arch) -> None:
    w = arch.world
    a = filed(arch)
    assert (a.state, a.level, a.version.number) == (AttachmentState.SUBMITTED, 1, 1)
    assert status_text(a, levels()) == "等待区初审"

    decide(actor=w.office, attachment=fresh(a), decision=Decision.RETURN, comment="缺少活动照片")
    a = fresh(a)
    assert (a.state, a.level) == (AttachmentState.RETURNED, 1)
    note = Notification.objects.get(recipient=w.user_s1)
    assert note.title == "区初审退回：志愿服务台账"
    assert note.body == "缺少活动照片"
    assert note.link == f"/archives/requirements/{a.requirement_id}/"

    v2 = add_version(
        actor=w.user_s1,
        material=a.material,
        upload=pdf_upload("台账v2.pdf", "补充照片"),
        note="补充照片",
    )
    a = fresh(a)
    assert (a.state, a.level, a.version_id, v2.number) == (AttachmentState.SUBMITTED, 1, v2.pk, 2)

    decide(actor=w.office, attachment=fresh(a), decision=Decision.APPROVE)
    a = fresh(a)
    assert (a.state, a.level) == (AttachmentState.SUBMITTED, 2)
    assert status_text(a, levels()) == "已通过区初审，等待市复审"

    decide(actor=arch.office2, attachment=fresh(a), decision=Decision.APPROVE, comment="同意")
    a = fresh(a)
    assert a.state == AttachmentState.APPROVED
    assert a.approved_at is not None
    history = list(
        Review.objects.filter(attachment=a).values_list(
            "level", "decision", "version__number", "reviewer__username"
        )
    )
    assert history == [
        (1, "return", 1, "office"),
        (1, "approve", 2, "office"),
        (2, "approve", 2, "office2"),
    ]
    assert Notification.objects.filter(recipient=w.user_s1).count() == 3
    assert not Notification.objects.filter(recipient=w.user_s2).exists()
    notes = AuditEntry.objects.filter(object_type="archives.attachment").values_list(
        "note", flat=True
    )
    assert sorted(n for n in notes if n) == [
        "review level 1: approve",
        "review level 1: return",
        "review level 2: approve",
    ]
    assert list(a.material.versions.values_list("number", flat=True)) == [1, 2]


def test_return_needs_a_comment(arch: Arch) -> None:
    a = filed(arch)
    with pytest.raises(ValidationError) as exc:
        decide(actor=arch.world.office, attachment=fresh(a), decision=Decision.RETURN, comment="  ")
    assert "comment" in exc.value.message_dict
    assert not Review.objects.exists()


def test_the_same_person_does_not_decide_two_levels(arch: Arch) -> None:
    a = filed(arch)
    decide(actor=arch.world.office, attachment=fresh(a), decision=Decision.APPROVE)
    with pytest.raises(PermissionDenied):
        decide(actor=arch.world.office, attachment=fresh(a), decision=Decision.APPROVE)


@pytest.mark.parametrize("who", ["user_s1", "user_s2", "leader", "auditor", "inspector"])
def test_others_may_not_review(arch: Arch, who: str) -> None:
    a = filed(arch)
    with pytest.raises(PermissionDenied):
        decide(actor=getattr(arch.world, who), attachment=fresh(a), decision=Decision.APPROVE)


def test_decided_items_refuse_further_decisions(arch: Arch) -> None:
    w = arch.world
    a = filed(arch)
    decide(actor=w.office, attachment=fresh(a), decision=Decision.RETURN, comment="补充")
    with pytest.raises(ValidationError):
        decide(actor=w.office, attachment=fresh(a), decision=Decision.APPROVE)
    stale = fresh(a)
    add_version(actor=w.user_s1, material=stale.material, upload=pdf_upload())
    decide(actor=w.office, attachment=fresh(a), decision=Decision.APPROVE)
    # A reviewer holding a page loaded before that decision is told, nothing is written twice.
    with pytest.raises((ValidationError, PermissionDenied)):
        decide(actor=arch.office2, attachment=stale, decision=Decision.APPROVE)
    assert Review.objects.count() == 2


def test_level_region_limits_its_reviewers(arch: Arch) -> None:
    """A level with a region is reviewed by offices over that region, for units inside it."""
    from chuangcheng.accounts.enums import Role
    from tests.factories import UserFactory, grant

    w = arch.world
    street_office = UserFactory(username="street_office")
    grant(street_office, Role.OFFICE, region=w.s1)
    ReviewLevel.objects.filter(number=2).update(region=w.district)
    a = filed(arch)
    decide(
        actor=street_office, attachment=fresh(a), decision=Decision.APPROVE
    )  # level 1: s1 covers unit_s1
    with pytest.raises(PermissionDenied):
        decide(
            actor=street_office, attachment=fresh(a), decision=Decision.APPROVE
        )  # level 2 needs the district
    decide(actor=w.office, attachment=fresh(a), decision=Decision.APPROVE)
    assert fresh(a).state == AttachmentState.APPROVED


def test_review_queue_holds_what_waits_at_my_level(arch: Arch) -> None:
    w = arch.world
    a = filed(arch)
    all_levels = levels()

    def queue(user: Any) -> list[int]:
        return list(
            Attachment.objects.filter(queue_q(user, all_levels)).values_list("pk", flat=True)
        )

    assert queue(w.office) == [a.pk]
    assert queue(w.user_s1) == []
    assert queue(w.leader) == []


def test_reuse_without_upload_and_withdraw(arch: Arch) -> None:
    w = arch.world
    material = file_for(
        arch, w.user_s2, arch.req(arch.plan, w.unit_s2), title="年度方案", upload=docx_upload()
    )
    from chuangcheng.archives.domain.requirements import sync_requirements
    from chuangcheng.archives.models import MaterialVersion

    arch.ledger.partner_units.add(w.unit_s2)
    sync_requirements(2026)
    other = arch.req(arch.ledger, w.unit_s2)
    second = attach(actor=w.user_s2, material=material, requirement=other)
    assert MaterialVersion.objects.filter(material=material).count() == 1
    assert second.version_id == material.current_id
    with pytest.raises(ValidationError):
        attach(actor=w.user_s2, material=material, requirement=other)
    with pytest.raises(ValidationError):
        attach(actor=w.user_s2, material=material, requirement=arch.req(arch.ledger, w.unit_s1))
    with pytest.raises(PermissionDenied):
        attach(actor=w.user_s1, material=material, requirement=other)
    withdraw(actor=w.user_s2, attachment=second)
    assert not Attachment.objects.filter(pk=second.pk).exists()
    first = Attachment.objects.get(material=material)
    decide(actor=w.office, attachment=fresh(first), decision=Decision.APPROVE)
    with pytest.raises(ValidationError):
        withdraw(actor=w.user_s2, attachment=first)


def test_new_version_keeps_approved_clauses_on_their_version(arch: Arch) -> None:
    w = arch.world
    a = filed(arch)
    decide(actor=w.office, attachment=fresh(a), decision=Decision.APPROVE)
    decide(actor=arch.office2, attachment=fresh(a), decision=Decision.APPROVE)
    add_version(actor=w.user_s1, material=fresh(a).material, upload=pdf_upload())
    assert fresh(a).version.number == 1
    assert fresh(a).state == AttachmentState.APPROVED
