from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "chuangcheng.archives"
    label = "archives"
    verbose_name = _("Archives (档案管理)")
