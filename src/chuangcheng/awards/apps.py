from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "chuangcheng.awards"
    label = "awards"
    verbose_name = _("Red flags and star ratings (流动红旗)")

    def ready(self) -> None:
        from chuangcheng.awards import jobs  # noqa: F401  (registers the periodic job)
