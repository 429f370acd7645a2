from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundKind(models.TextChoices):
    MOCK = "mock", _("Mock assessment (模拟测评)")
    ROUTINE = "routine", _("Routine check (日常督查)")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("In the field")
    CLOSED = "closed", _("Finished")


class Result(models.TextChoices):
    PASS = "pass", _("Compliant (符合)")
    FAIL = "fail", _("Non-compliant (不符合)")
    NA = "na", _("Not applicable (不适用)")
