"""Roles of ../shared/domain.md §1.

Permissions are decided by rules over grants, never by role names in views.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADER = "leader", _("District leader")
    OFFICE = "office", _("Civilization office")
    UNIT = "unit", _("Responsible unit")
    INSPECTOR = "inspector", _("Inspector")
    SUPERVISOR = "supervisor", _("Volunteer supervisor")
    VOLUNTEER = "volunteer", _("Volunteer")
    RESIDENT = "resident", _("Resident")
    AUDITOR = "auditor", _("Audit administrator")
