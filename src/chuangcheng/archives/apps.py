from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "chuangcheng.archives"
    label = "archives"
    verbose_name = _("Archives (档案管理)")

    def ready(self) -> None:
        # Registers the permissions, the scoring evidence of "material" and "online", the
        # appraisal's ``materials`` component, the warning kind, the dashboard panels and the job.
        from chuangcheng.archives import jobs, panels, rules  # noqa: F401
        from chuangcheng.archives.domain import appraisal, evidence, kinds  # noqa: F401
