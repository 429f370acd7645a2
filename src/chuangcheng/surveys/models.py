"""Surveys (问卷调查): the questionnaire, its fieldwork plan, and the responses.

A :class:`Survey` is one questionnaire fielded once: its questions, who is eligible, the quota
cells and population margins of its sample, and its collection links. A new round is a copy.

Who sees what (ADR 0011): an office, a leader or an auditor sees the surveys of the region
subtrees they are granted; an inspector sees the open surveys of their regions to interview
for, and the responses they collected. Residents answer through the public link only and see
nothing but their own form. Everything else answers 404.

Rates are read from :class:`Credit` rows, one per (response, measured question), written when a
response is submitted: the respondent's street, age band and sex are copied onto it so that the
report is one grouped query however many responses there are.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.core.fields import EncryptedTextField
from chuangcheng.orgs.paths import containing_paths
from chuangcheng.surveys.enums import (
    Measure,
    Mode,
    QuestionKind,
    ResponseState,
    ScreenReason,
    Sex,
    SurveyStatus,
)

# Roles that read a region's surveys and results as a whole.
REGION_READERS = ("office", "leader", "auditor")


def default_age_bands() -> list[list[int]]:
    return [[18, 29], [30, 44], [45, 59], [60, 65]]


def default_languages() -> list[str]:
    return ["zh-Hans"]


def new_public_token() -> str:
    return secrets.token_urlsafe(12)


def _scope(user: Any) -> Any:
    from chuangcheng.accounts.scope import scope_of

    return scope_of(user)


class SurveyQuerySet(models.QuerySet["Survey"]):
    def visible_to(self, user: Any) -> SurveyQuerySet:
        """Surveys over the user's region subtrees (office, leader, auditor), and the open or
        closed surveys an inspector interviews for: those over or under an inspector's region
        (a street's inspector interviews for the district's survey)."""
        scope = _scope(user)
        if scope.everything:
            return self.all()
        cond = scope.subtree_q("region__path", *REGION_READERS)
        mine = scope.prefixes_for("inspector")
        if mine:
            over = Q(region__path__in=sorted(containing_paths(mine)))
            cond |= (scope.subtree_q("region__path", "inspector") | over) & ~Q(
                status=SurveyStatus.DRAFT
            )
        return self.filter(cond)


class Survey(models.Model):
    """A questionnaire and its fieldwork: eligibility, quotas, target size and links.

    ``code`` names it on the command line and in the API. Eligibility is asked as screening
    questions before the questionnaire: age between ``min_age`` and ``max_age`` and at least
    ``min_residence_months`` living in the region. ``age_bands`` cut ages for quotas and
    weighting (inclusive pairs covering ``min_age``…``max_age``). ``occupations`` is empty when
    occupation is not asked. The public link is ``/s/<public_token>/`` while ``self_answer``
    is on and the survey is open.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    framework = models.ForeignKey(
        "frameworks.Framework",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("framework"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    languages = models.JSONField(_("languages"), default=default_languages)
    starts_on = models.DateField(_("collection starts"), null=True, blank=True)
    ends_on = models.DateField(_("collection ends"), null=True, blank=True)
    target_size = models.PositiveIntegerField(_("target sample size"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("youngest eligible age"), default=18)
    max_age = models.PositiveSmallIntegerField(_("oldest eligible age"), default=65)
    min_residence_months = models.PositiveSmallIntegerField(
        _("months lived here at least"), default=6
    )
    age_bands = models.JSONField(_("age bands"), default=default_age_bands)
    occupations = models.JSONField(_("occupations asked"), default=list, blank=True)
    self_answer = models.BooleanField(_("residents answer through a public link"), default=True)
    interviewers = models.BooleanField(_("interviewers collect on phones"), default=True)
    ask_phone = models.BooleanField(
        _("ask a phone number (one response per phone)"),
        default=False,
        help_text=_("Only a keyed hash of the number is kept, to refuse a second response."),
    )
    public_token = models.CharField(max_length=32, unique=True, default=new_public_token)
    notice_version = models.CharField(_("privacy notice version"), max_length=20, default="1")
    # From an imported XLSForm's settings sheet, kept to show where the questions came from.
    form_id = models.CharField(_("XLSForm form_id"), max_length=100, blank=True)
    form_version = models.CharField(_("XLSForm version"), max_length=100, blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_age__gte=models.F("min_age")), name="surveys_ages_ordered"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="surveys_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def scope_path(self) -> str:
        return self.region.path

    def band_of(self, age: int) -> str:
        """The label ("18-29") of the age band holding ``age``; "" outside every band."""
        for low, high in self.age_bands:
            if low <= age <= high:
                return f"{low}-{high}"
        return ""


class Question(models.Model):
    """One question, in order. ``name`` is its XLSForm name, unique in the survey and used in
    ``relevant`` expressions (``${name}``). ``labels`` and ``hints`` map a language code
    ("zh-Hans", "en") to text.

    ``relevant`` is skip logic in the XLSForm subset of ADR 0011: ``${name}`` references,
    'text' and number literals, ``= != > >= < <=``, ``and``, ``or``, ``not(…)``,
    ``selected(${name}, 'value')``, ``count-selected(${name})`` and parentheses. Empty means
    always asked. A question not shown is never required.

    A question tied to a ``measure`` counts in that rate (and in its ``clause``'s score when
    set): each answer earns its choice's ``score``.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.SlugField(_("name"), max_length=64, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    labels = models.JSONField(_("label"), default=dict)
    hints = models.JSONField(_("hint"), default=dict, blank=True)
    # The XLSForm group (begin_group) label the question sits in; shown as a section heading.
    group = models.JSONField(_("section"), default=dict, blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    relevant = models.TextField(_("ask only when"), blank=True)
    # Rating scales run from ``scale_min`` to ``scale_max``; their choices are the points.
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    measure = models.CharField(
        _("measure"), max_length=16, choices=Measure.choices, blank=True, default=""
    )
    clause = models.ForeignKey(
        "frameworks.Node",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("framework clause"),
    )

    class Meta:
        ordering = ["survey", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="surveys_question_name_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def label(self, language: str = "zh-Hans") -> str:
        return str(self.labels.get(language) or next(iter(self.labels.values()), self.name))


class Choice(models.Model):
    """An answer offered by a choice or rating question. ``value`` is its XLSForm name (no
    spaces: a multiple-choice answer is stored as the values joined by spaces).

    For a measured question ``score`` is what the answer earns, 0 to 1 (知晓 = 1, 不知晓 = 0;
    满意 = 1, 基本满意 = 0.9); ``excluded`` answers ("说不清") leave the denominator.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(_("order"), default=0)
    value = models.CharField(_("value"), max_length=64)
    labels = models.JSONField(_("label"), default=dict)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=3, default=0)
    excluded = models.BooleanField(_("not counted in the rate"), default=False)

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="surveys_choice_once"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="surveys_choice_score_0_1"
            ),
        ]

    def __str__(self) -> str:
        return self.value

    def label(self, language: str = "zh-Hans") -> str:
        return str(self.labels.get(language) or next(iter(self.labels.values()), self.value))


class QuotaCell(models.Model):
    """A quota: this many complete responses from this street × age band × sex (× occupation).
    Empty ``sex``/``occupation`` and null ``age_band`` mean "any". A cell closes when full:
    further respondents matching only full cells are thanked and not interviewed."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="quotas")
    street = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("street")
    )
    age_band = models.CharField(_("age band"), max_length=12, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=40, blank=True)
    target = models.PositiveIntegerField(_("target"))
    # Complete responses counted in this cell. Claimed with one conditional UPDATE
    # (``filled < target``) in the submitting transaction, so two submits for the last place
    # never both count; voiding gives the place back.
    filled = models.PositiveIntegerField(_("filled"), default=0)

    class Meta:
        ordering = ["survey", "street", "age_band", "sex", "occupation"]
        verbose_name = _("quota cell")
        verbose_name_plural = _("quota cells")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "street", "age_band", "sex", "occupation"],
                name="surveys_quota_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street_id} {self.age_band} {self.sex} {self.occupation}".strip()


class Margin(models.Model):
    """A population margin for post-stratification: how many eligible residents have this
    value of one dimension ("street" → region code, "age_band" → "18-29", "sex" → "m"/"f",
    "occupation" → its label), e.g. from the census (七普)."""

    class Dimension(models.TextChoices):
        STREET = "street", _("Street")
        AGE_BAND = "age_band", _("Age band")
        SEX = "sex", _("Sex")
        OCCUPATION = "occupation", _("Occupation")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="margins")
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    value = models.CharField(_("value"), max_length=40)
    population = models.PositiveIntegerField(_("population"))

    class Meta:
        ordering = ["survey", "dimension", "value"]
        verbose_name = _("population margin")
        verbose_name_plural = _("population margins")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "dimension", "value"], name="surveys_margin_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value}: {self.population}"


class ResponseQuerySet(models.QuerySet["Response"]):
    def visible_to(self, user: Any) -> ResponseQuerySet:
        """Responses to surveys over the user's region subtrees (office, leader, auditor), and
        the responses an inspector collected."""
        scope = _scope(user)
        if scope.everything:
            return self.all()
        cond = scope.subtree_q("survey__region__path", *REGION_READERS)
        if getattr(user, "is_authenticated", False):
            cond |= Q(interviewer_id=user.pk)
        return self.filter(cond)


class Response(models.Model):
    """One respondent's answers. Screening answers (age, sex, residence, street, occupation)
    are fields; the questionnaire's answers are :class:`Answer` rows.

    One response per person: ``device_hash`` (a keyed hash of the browser's token) and, when
    the survey asks, ``phone_hash`` (a keyed hash of the phone number) are unique per survey
    among non-void responses. Interviewers' responses record who and where (``lat``/``lng``
    WGS-84, ``accuracy`` in metres).
    """

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    state = models.CharField(
        _("state"), max_length=12, choices=ResponseState.choices, default=ResponseState.DRAFT
    )
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("interviewer"),
    )
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    accuracy = models.FloatField(null=True, blank=True)
    # Where the respondent lives: a community or a street; ``street`` is its street.
    region = models.ForeignKey(
        "orgs.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    street = models.ForeignKey(
        "orgs.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    age_band = models.CharField(_("age band"), max_length=12, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=40, blank=True)
    residence_months = models.PositiveSmallIntegerField(null=True, blank=True)
    quota = models.ForeignKey(
        QuotaCell, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    # Set when the state is SCREENED_OUT: not eligible, or every matching quota cell was full.
    screen_reason = models.CharField(
        _("why not interviewed"), max_length=12, choices=ScreenReason.choices, blank=True
    )
    # The interviewer's phone names a response it sends (a UUID), so sending it again after a
    # lost connection finds the first one instead of adding a second.
    client_ref = models.CharField(max_length=64, blank=True)
    device_hash = models.CharField(max_length=64, blank=True)
    phone_hash = models.CharField(max_length=64, blank=True)
    # The number itself, only when an interviewer must call back (never shown unmasked).
    phone = EncryptedTextField(_("phone"), blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=10, default="zh-Hans")
    notice_version = models.CharField(max_length=20, blank=True)
    void_reason = models.CharField(_("reason voided"), max_length=200, blank=True)
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(fields=["survey", "state", "submitted_at"]),
            models.Index(fields=["survey", "ip_hash", "started_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "device_hash"],
                condition=~Q(device_hash="") & ~Q(state=ResponseState.VOID),
                name="surveys_one_response_per_device",
            ),
            models.UniqueConstraint(
                fields=["survey", "phone_hash"],
                condition=~Q(phone_hash="") & ~Q(state=ResponseState.VOID),
                name="surveys_one_response_per_phone",
            ),
            models.UniqueConstraint(
                fields=["survey", "client_ref"],
                condition=~Q(client_ref=""),
                name="surveys_client_ref_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.pk}"


class Answer(models.Model):
    """The answer to one question: ``value`` as XLSForm would store it (a choice value, the
    values of a multiple choice joined by spaces, the text, the number as written)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="surveys_answer_once_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}={self.value}"


class Credit(models.Model):
    """What one complete response earned on one measured question: ``score`` (0–1). An
    excluded answer, or a measured question not asked, writes no row (out of the denominator);
    a multiple choice earns its best-scored choice. The respondent's street, age band and sex
    are copied here so that rates and their weighted forms are one grouped query."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="credits")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=16, choices=Measure.choices)
    clause = models.ForeignKey(
        "frameworks.Node", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    street = models.ForeignKey(
        "orgs.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    age_band = models.CharField(max_length=12, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    occupation = models.CharField(max_length=40, blank=True)
    score = models.DecimalField(max_digits=4, decimal_places=3)
    submitted_at = models.DateTimeField()

    class Meta:
        indexes = [
            # Covers the report's grouped query (ADR 0011): read in group order, no table rows.
            models.Index(
                fields=[
                    "survey",
                    "measure",
                    "clause",
                    "street",
                    "age_band",
                    "sex",
                    "occupation",
                    "score",
                    "response",
                ],
                name="surveys_credit_report",
            ),
            models.Index(fields=["clause", "submitted_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="surveys_credit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.measure}={self.score}"
