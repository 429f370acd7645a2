from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "chuangcheng.appraisal"
    label = "appraisal"
    verbose_name = _("Unit appraisal (考核)")

    def ready(self) -> None:
        # Registers the permissions, the component providers and the bulletin sections.
        from chuangcheng.appraisal import rules  # noqa: F401
        from chuangcheng.appraisal.domain import providers, sections  # noqa: F401
