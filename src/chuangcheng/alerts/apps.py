from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "chuangcheng.alerts"
    label = "alerts"
    verbose_name = _("Proactive warnings (主动预警)")
