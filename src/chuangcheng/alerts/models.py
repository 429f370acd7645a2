"""Warning rules, the warnings they raise, their timelines, and the group robots told about them.

A rule watches one registered kind of condition (``alerts.domain.kinds``) with the office's
parameters; the engine (``alerts.domain.engine``) turns what the kind finds into warnings. At
most one warning per rule and key is open at any time — a partial unique index says so in the
database, so two evaluators running at once never raise it twice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangcheng.alerts.enums import (
    LEVEL_ORDER,
    OPEN,
    EventAction,
    WarningLevel,
    WarningStatus,
    WebhookFormat,
)
from chuangcheng.core.fields import EncryptedTextField


def _ancestors(prefixes: tuple[str, ...]) -> list[str]:
    """The region paths above ``prefixes`` ("110101/" above "110101/110101001/")."""
    found: set[str] = set()
    for prefix in prefixes:
        parts = prefix.strip("/").split("/")
        found.update("/".join(parts[:i]) + "/" for i in range(1, len(parts)))
    return sorted(found)


def _watching(prefixes: tuple[str, ...]) -> Q:
    """Rows whose ``region`` covers or lies in one of ``prefixes``; no region means the whole
    campaign region, which covers everything."""
    cond = Q(region__isnull=True) | Q(region__path__in=_ancestors(prefixes))
    for prefix in prefixes:
        cond |= Q(region__path__startswith=prefix)
    return cond


def _watched_by(qs: Any, user: Any, roles: tuple[str, ...]) -> Any:
    """The rows of ``qs`` watching a region the user oversees in one of ``roles``, or a region
    above it (a rule for the district watches every street too)."""
    from chuangcheng.accounts.scope import scope_of

    scope = scope_of(user)
    if scope.everything:
        return qs.all()
    prefixes = scope.prefixes_for(*roles)
    if not prefixes:
        return qs.none()
    return qs.filter(_watching(prefixes))


def campaign_path() -> str:
    """The path of the campaign's region (the district): what a rule without a region watches."""
    from chuangcheng.scoring.domain.compute import ScoringError
    from chuangcheng.scoring.domain.reading import campaign_region

    try:
        return campaign_region().path
    except ScoringError:
        return ""


def default_levels() -> list[str]:
    return [str(level) for level in LEVEL_ORDER]


def watched_region(verbose_name: Any, help_text: Any) -> Any:
    """The region a rule or robot watches; empty means the campaign region."""
    return models.ForeignKey(
        "orgs.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
        help_text=help_text,
    )


class Watcher(models.Model):
    """A named setting of the office that watches a region (none: the campaign region)."""

    name: str
    region: Any
    region_id: int | None

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def scope_path(self) -> str:
        return self.region.path if self.region_id and self.region else campaign_path()


class RuleQuerySet(models.QuerySet["WarningRule"]):
    def visible_to(self, user: Any) -> RuleQuerySet:
        """Offices and leaders see the rules watching their regions or a region above."""
        from chuangcheng.accounts.enums import Role

        return _watched_by(self, user, (Role.OFFICE, Role.LEADER))  # type: ignore[no-any-return]


class WarningRule(Watcher):
    """A condition the office wants to hear about: a kind, its parameters (checked against the
    kind's ``Param`` declarations when saved), a level, what it watches and how it tells.

    ``repeat_hours`` sends the warning again while nobody has acknowledged it (0: never).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    level = models.CharField(
        pgettext_lazy("warning", "level"),
        max_length=10,
        choices=WarningLevel.choices,
        default=WarningLevel.ORANGE,
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    region = watched_region(
        _("region watched"),
        _("Only findings in this region raise warnings; empty: the whole district."),
    )
    notify_in_app = models.BooleanField(_("in-app notification"), default=True)
    notify_email = models.BooleanField(_("e-mail"), default=False)
    notify_sms = models.BooleanField(
        _("text message to the unit's head and contact"), default=False
    )
    notify_webhooks = models.BooleanField(_("group robots (webhooks)"), default=False)
    repeat_hours = models.PositiveIntegerField(
        _("repeat every (hours)"),
        default=0,
        help_text=_(
            "Send a warning again after this many hours until it is acknowledged; 0: never."
        ),
    )
    last_run_at = models.DateTimeField(_("last evaluated"), null=True, blank=True)
    last_found = models.PositiveIntegerField(_("found at the last evaluation"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RuleQuerySet.as_manager()

    class Meta(Watcher.Meta):
        verbose_name = _("warning rule")
        verbose_name_plural = _("warning rules")


class WarningQuerySet(models.QuerySet["Warning"]):
    def visible_to(self, user: Any) -> WarningQuerySet:
        """Offices and leaders: the warnings located in their region subtrees. A unit: the
        warnings addressed to it or to a unit below it (a street office sees its communities')."""
        from chuangcheng.accounts.enums import Role
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self.all()
        cond = scope.subtree_q("region__path", Role.OFFICE, Role.LEADER)
        units = scope.role_units.get(Role.UNIT, frozenset())
        if units:
            cond |= Q(unit_id__in=sorted(units))
        return self.filter(cond)

    def open(self) -> WarningQuerySet:
        return self.filter(status__in=OPEN)


class Warning(models.Model):
    """A condition found by a rule, from when it was first found until it is resolved.

    ``key`` names the condition's place and cause (from the kind's finding): while a warning of
    the rule with that key is open, finding it again only updates ``last_seen_at`` and
    ``value``. ``notify_count`` counts the announcements (the first one and the repeats).
    """

    rule = models.ForeignKey(
        WarningRule, on_delete=models.PROTECT, related_name="warnings", verbose_name=_("rule")
    )
    key = models.CharField(max_length=160)
    level = models.CharField(
        pgettext_lazy("warning", "level"), max_length=10, choices=WarningLevel.choices
    )
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    url = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=WarningStatus.choices, default=WarningStatus.RAISED
    )
    raised_at = models.DateTimeField(_("raised"), db_index=True)
    last_seen_at = models.DateTimeField(_("last found"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledge_note = models.TextField(_("note on acknowledging"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolve_note = models.TextField(_("note on resolving"), blank=True)
    auto_resolved = models.BooleanField(_("resolved automatically"), default=False)
    last_notified_at = models.DateTimeField(_("last notified"), null=True, blank=True)
    notify_count = models.PositiveIntegerField(_("times notified"), default=0)

    objects = WarningQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "key"],
                condition=Q(status__in=OPEN),
                name="alerts_warning_open_once",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "level"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["rule", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def value_display(self) -> str:
        """The figure without trailing zeros: 76.9, 66.67, 2."""
        if self.value is None:
            return ""
        return f"{self.value:.2f}".rstrip("0").rstrip(".")

    def scope_path(self) -> str:
        return self.region.path

    def scope_unit_ids(self) -> tuple[int, ...]:
        return (self.unit_id,) if self.unit_id else ()


class WarningEvent(models.Model):
    """One line of a warning's timeline: raised, notified (``data`` says on which channels and
    to how many), repeated, acknowledged or resolved (with the person's note)."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=14, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.warning_id}:{self.action}"


class TargetQuerySet(models.QuerySet["WebhookTarget"]):
    def visible_to(self, user: Any) -> TargetQuerySet:
        """The office sees the group robots of its regions and of the regions above them."""
        from chuangcheng.accounts.enums import Role

        return _watched_by(self, user, (Role.OFFICE,))  # type: ignore[no-any-return]


class WebhookTarget(Watcher):
    """A group robot (企业微信 or 钉钉) told about the warnings of its region at the chosen
    levels. The address (which holds the robot's key) and the 钉钉 signing secret are encrypted
    at rest and shown masked."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    format = models.CharField(_("format"), max_length=10, choices=WebhookFormat.choices)
    url = EncryptedTextField(_("webhook address"))
    secret = EncryptedTextField(
        _("signing secret (钉钉 加签)"),
        blank=True,
        help_text=_("Only for a 钉钉 robot with 加签 security; starts with SEC."),
    )
    levels = models.JSONField(_("levels"), default=default_levels)
    region = watched_region(
        _("region"), _("Warnings located in this region; empty: the whole district.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta(Watcher.Meta):
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    @property
    def url_masked(self) -> str:
        return mask_url(self.url)

    def receives(self, level: str, region_path: str) -> bool:
        """Whether a warning of ``level`` located at ``region_path`` goes to this robot."""
        if not self.enabled or level not in (self.levels or []):
            return False
        return self.region is None or region_path.startswith(self.region.path)


def mask_url(url: str) -> str:
    """https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=69a0****: the address up to the
    query, and only the first four characters of each query value (the robot's key)."""
    base, _q, query = url.partition("?")
    if not query:
        return base
    parts = []
    for pair in query.split("&"):
        name, _eq, value = pair.partition("=")
        parts.append(f"{name}={value[:4]}****" if value else name)
    return f"{base}?{'&'.join(parts)}"
