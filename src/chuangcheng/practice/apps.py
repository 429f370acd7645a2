from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "chuangcheng.practice"
    label = "practice"
    verbose_name = _("Civilization practice (新时代文明实践)")

    def ready(self) -> None:
        # Registers the permissions; the scoring provider, the periodic order check and the
        # dashboard panels register from their modules as they are added below.
        import chuangcheng.practice.jobs_orders  # noqa: F401
        from chuangcheng.practice import panels, rules  # noqa: F401
        from chuangcheng.practice.domain import evidence  # noqa: F401
