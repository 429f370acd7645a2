from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "chuangcheng.scoring"
    label = "scoring"
    verbose_name = _("Evaluation (工作评价)")

    def ready(self) -> None:
        # Registers the evidence providers and the incremental update after each inspection.
        from chuangcheng.scoring import jobs, signals  # noqa: F401
        from chuangcheng.scoring.domain import evidence_field  # noqa: F401
