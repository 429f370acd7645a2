from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "chuangcheng.agenda"
    label = "agenda"
    verbose_name = _("Campaign calendar (创建日历)")

    def ready(self) -> None:
        # Registers the permissions, the warning kinds (alerts), the appraisal's ``tasks``
        # component, the dashboard panels and the periodic jobs.
        from chuangcheng.agenda import jobs, panels, rules  # noqa: F401
        from chuangcheng.agenda.domain import appraisal, kinds  # noqa: F401
