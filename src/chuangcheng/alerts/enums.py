"""Levels, statuses and the warning workflow (docs/adr/0010, "Warnings")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangcheng.alerts.domain.kinds import Level


class WarningLevel(models.TextChoices):
    """红 / 橙 / 黄, most severe first; the values are :class:`~.domain.kinds.Level`'s."""

    RED = Level.RED, _("Red")
    ORANGE = Level.ORANGE, _("Orange")
    YELLOW = Level.YELLOW, _("Yellow")


# Most severe first: for sorting and for "which levels a webhook receives".
LEVEL_ORDER = (WarningLevel.RED, WarningLevel.ORANGE, WarningLevel.YELLOW)
SEVERITY: dict[str, int] = {str(level): rank for rank, level in enumerate(LEVEL_ORDER)}


class WarningStatus(models.TextChoices):
    RAISED = "raised", _("Raised")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


OPEN = (WarningStatus.RAISED, WarningStatus.ACKNOWLEDGED)

# The edges a person can take; the engine also resolves open warnings (auto-resolve).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    WarningStatus.RAISED: (WarningStatus.ACKNOWLEDGED, WarningStatus.RESOLVED),
    WarningStatus.ACKNOWLEDGED: (WarningStatus.RESOLVED,),
    WarningStatus.RESOLVED: (),
}


class EventAction(models.TextChoices):
    """What a warning's timeline records."""

    RAISED = "raised", _("Raised")
    NOTIFIED = "notified", _("Notified")
    REPEATED = "repeated", _("Reminder sent again")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")
    AUTO_RESOLVED = "auto_resolved", _("Resolved automatically")


class WebhookFormat(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk group robot (钉钉)")
