"""Review levels are data the office edits: rename, change the reviewers' region, add a third
level (then what level 2 approves waits at level 3); others are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chuangcheng.archives.domain.review import decide, save_level
from chuangcheng.archives.enums import AttachmentState, Decision
from chuangcheng.archives.models import Attachment, ReviewLevel
from chuangcheng.core.models import AuditEntry
from tests.archives.conftest import Arch, file_for
from tests.archives.test_pages import login
from tests.factories import UserFactory, grant


def test_edit_and_add_levels_through_the_page(arch: Arch) -> None:
    w = arch.world
    first = ReviewLevel.objects.get(number=1)
    client = login(w.office)
    assert "区初审" in client.get("/archives/levels/").content.decode()
    response = client.post(
        "/archives/levels/",
        {
            "level": first.pk,
            f"l{first.pk}-name": "街道初审",
            f"l{first.pk}-role": "office",
            f"l{first.pk}-region": w.s1.pk,
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.name, first.region_id) == ("街道初审", w.s1.pk)
    added = client.post(
        "/archives/levels/", {"level": "new", "new-name": "领导终审", "new-role": "leader"}
    )
    assert added.status_code == 302
    assert list(ReviewLevel.objects.values_list("number", "name", "role")) == [
        (1, "街道初审", "office"),
        (2, "市复审", "office"),
        (3, "领导终审", "leader"),
    ]
    bad = client.post("/archives/levels/", {"level": "new", "new-name": "", "new-role": "unit"})
    assert bad.status_code == 400
    assert ReviewLevel.objects.count() == 3
    assert AuditEntry.objects.filter(object_type="archives.reviewlevel").count() == 2
    assert login(w.user_s1).get("/archives/levels/").status_code == 403
    assert login(w.leader).post("/archives/levels/", {"level": "new"}).status_code == 403


def test_a_third_level_is_reached(arch: Arch) -> None:
    w = arch.world
    save_level(actor=w.office, level=None, name="领导终审", role="leader")
    a = Attachment.objects.get(material=file_for(arch, w.user_s1, arch.req(arch.ledger, w.unit_s1)))
    decide(actor=w.office, attachment=Attachment.objects.get(pk=a.pk), decision=Decision.APPROVE)
    decide(
        actor=arch.office2, attachment=Attachment.objects.get(pk=a.pk), decision=Decision.APPROVE
    )
    a.refresh_from_db()
    assert (a.state, a.level) == (AttachmentState.SUBMITTED, 3)
    decide(actor=w.leader, attachment=Attachment.objects.get(pk=a.pk), decision=Decision.APPROVE)
    assert Attachment.objects.get(pk=a.pk).state == AttachmentState.APPROVED


def test_only_the_office_saves_levels(arch: Arch) -> None:
    w = arch.world
    with pytest.raises(PermissionDenied):
        save_level(actor=w.user_s1, level=None, name="x", role="office")
    with pytest.raises(ValidationError):
        save_level(actor=w.office, level=None, name="x", role="unit")
    outsider = UserFactory(username="other_office")
    grant(outsider, "office", region=w.s2)
    assert save_level(actor=outsider, level=None, name="街道复核", role="office").number == 3
