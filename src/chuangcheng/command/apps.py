from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    name = "chuangcheng.command"
    label = "command"
    verbose_name = _("Command centre")

    def ready(self) -> None:
        # The command app's own dashboard panels (ADR 0010).
        from chuangcheng.command.panels import leader, office, unit  # noqa: F401
