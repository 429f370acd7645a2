from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "chuangcheng.surveys"
    label = "surveys"
    verbose_name = _("Surveys (问卷调查)")

    def ready(self) -> None:
        # Registers the permissions; the scoring provider for method "survey", the warning
        # kind and the dashboard panels register here as they are added.
        from chuangcheng.surveys import rules  # noqa: F401
