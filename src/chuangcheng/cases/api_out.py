"""Cases as the API shows them: rows of the list, and one case with its timeline."""

from __future__ import annotations

from typing import Any

from chuangcheng.cases import queries
from chuangcheng.cases.models import Case
from chuangcheng.cases.schemas import (
    AssignmentOut,
    CaseDetailOut,
    CaseOut,
    EventOut,
    ExtensionOut,
    PhotoOut,
    Ref,
)
from chuangcheng.points.geometry import street_of


def ref(obj: Any) -> Ref | None:
    if obj is None:
        return None
    return unit_ref(obj)


def unit_ref(obj: Any) -> Ref:
    return Ref(id=obj.pk, code=getattr(obj, "code", "") or "", name=obj.name)


def _fields(c: Case) -> dict[str, Any]:
    street = street_of(c.region)
    return {
        "id": c.pk,
        "number": c.number,
        "version": c.version,
        "source": c.source,
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "priority": c.priority,
        "category": ref(c.category),
        "suggested_category": ref(c.suggested_category),
        "description": c.description,
        "point": ref(c.point),
        "region": ref(c.region),
        "street": ref(street),
        "address": c.address,
        "lng": float(c.lng) if c.lng is not None else None,
        "lat": float(c.lat) if c.lat is not None else None,
        "territorial_unit": ref(c.territorial_unit),
        "line_unit": ref(c.line_unit),
        "lead_unit": ref(getattr(c, "lead_unit", None)),
        "partner_units": [ref(u) for u in getattr(c, "partner_units", [])],
        "reported_at": c.reported_at,
        "registered_at": c.registered_at,
        "dispatched_at": c.dispatched_at,
        "due_at": c.due_at,
        "feedback_at": c.feedback_at,
        "closed_at": c.closed_at,
        "overdue": bool(getattr(c, "overdue", False)),
        "escalated": c.escalated_at is not None,
        "rework_count": c.rework_count,
        "extension_count": c.extension_count,
        "recurrent": c.recurrent,
        "duplicate_of": c.duplicate_of.number if c.duplicate_of_id and c.duplicate_of else None,
    }


def list_out(c: Case) -> CaseOut:
    """A row of the list; ``c`` comes from ``queries.decorate`` (no query here)."""
    return CaseOut(**_fields(c))


def detail_out(user: Any, c: Case) -> CaseDetailOut:
    """One case from ``queries.visible_case`` with its timeline and what the user may do."""
    pending = queries.pending_extension(c)
    photos = [p for stage in queries.photos_by_stage(c).values() for p in stage]
    return CaseDetailOut(
        **_fields(c),
        reporter_name=c.reporter_name,
        reporter_phone_masked=c.reporter_phone_masked,
        external_id=c.external_id,
        clause_id=c.clause_id,
        assignments=[
            AssignmentOut(
                unit=unit_ref(a.unit),
                lead=a.lead,
                dispatched_at=a.dispatched_at,
                feedback=a.feedback,
                feedback_at=a.feedback_at,
            )
            for a in c.assignments.all()
        ],
        extensions=[
            ExtensionOut(
                id=x.pk,
                unit=unit_ref(x.unit),
                asked_at=x.asked_at,
                new_due_at=x.new_due_at,
                reason=x.reason,
                status=x.status,
                decided_at=x.decided_at,
                decision_note=x.decision_note,
            )
            for x in c.extensions.select_related("unit").order_by("asked_at")
        ],
        photos=[
            PhotoOut(id=p.pk, stage=p.stage, url=f"/photos/{p.pk}/", uploaded_at=p.uploaded_at)
            for p in photos
        ],
        timeline=[
            EventOut(
                at=e.at,
                actor=e.actor_name,
                unit=ref(e.unit),
                action=e.action,
                action_label=str(e.get_action_display()),
                from_status=e.from_status,
                to_status=e.to_status,
                note=e.note,
            )
            for e in queries.timeline(c)
        ],
        duplicates=list(c.duplicates.order_by("reported_at").values_list("number", flat=True)),
        allowed_actions=sorted(queries.available_actions(user, c, pending is not None)),
    )
