"""Survey states, question kinds, measures, collection modes and response states."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SurveyStatus(models.TextChoices):
    """A survey is designed as a draft, collected while open, and read once closed.

    Questions can change only in a draft: answers are tied to the questions they answered.
    """

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Collecting")
    CLOSED = "closed", pgettext_lazy("survey status", "Closed")


STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    SurveyStatus.DRAFT: (SurveyStatus.OPEN,),
    SurveyStatus.OPEN: (SurveyStatus.CLOSED,),
    SurveyStatus.CLOSED: (SurveyStatus.OPEN,),
}


class QuestionKind(models.TextChoices):
    """What a question asks for; XLSForm types map onto these (``select_one`` → single, …)."""

    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING = "rating", _("Rating scale")
    TEXT = "text", pgettext_lazy("question kind", "Text")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Number")
    NOTE = "note", _("Note (no answer)")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RATING)


class Measure(models.TextChoices):
    """The four rates the campaign is measured by (domain brief §7)."""

    AWARENESS = "awareness", _("Awareness (知晓率)")
    PARTICIPATION = "participation", _("Participation (参与率)")
    SUPPORT = "support", _("Support (支持率)")
    SATISFACTION = "satisfaction", _("Satisfaction (满意率)")


class Mode(models.TextChoices):
    """How a response was collected."""

    HOME = "home", _("Interviewer, door to door (入户)")
    STREET = "street", _("Interviewer, street intercept (街访)")
    SELF = "self", _("Self-answered (public link)")


INTERVIEWER_MODES = (Mode.HOME, Mode.STREET)


class Sex(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class ResponseState(models.TextChoices):
    """A response is a draft until submitted; screened-out respondents are kept (counted in the
    fieldwork figures) but never in the rates; the office may void a response (with a reason)."""

    DRAFT = "draft", _("In progress")
    COMPLETE = "complete", _("Complete")
    SCREENED_OUT = "screened_out", _("Not eligible")
    VOID = "void", _("Voided")


class ScreenReason(models.TextChoices):
    """Why a respondent was thanked after the screening questions and not interviewed."""

    INELIGIBLE = "ineligible", _("Not eligible (age or residence)")
    QUOTA_FULL = "quota_full", _("Quota full")
