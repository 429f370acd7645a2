from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "chuangcheng.surveys"
    label = "surveys"
    verbose_name = _("Surveys (问卷调查)")

    def ready(self) -> None:
        # Registers the permissions; the scoring provider for method "survey", the warning
        # kind and the dashboard panel register here as they are added.
        from chuangcheng.surveys import panels, rules  # noqa: F401
        from chuangcheng.surveys.domain import evidence, kinds  # noqa: F401
