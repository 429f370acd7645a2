from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "chuangcheng.agenda"
    label = "agenda"
    verbose_name = _("Campaign calendar (创建日历)")
