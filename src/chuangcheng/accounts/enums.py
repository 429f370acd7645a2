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
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")


# 等保 2.0 三员分立: the system, security and audit administrators are three different people.
# Only a security administrator grants these roles, and no account holds two of them.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
