from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "chuangcheng.alerts"
    label = "alerts"
    verbose_name = _("Proactive warnings (主动预警)")

    def ready(self) -> None:
        from chuangcheng.alerts import jobs, panels  # noqa: F401  (registrations)
        from chuangcheng.alerts.domain import kinds_cases, kinds_scores  # noqa: F401
        from chuangcheng.alerts.domain.webhooks import VIA, resolve
        from chuangcheng.core.webhooks import register_resolver

        register_resolver(VIA, resolve)
