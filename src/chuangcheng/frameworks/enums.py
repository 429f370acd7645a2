from django.db import models
from django.utils.translation import gettext_lazy as _


class NodeLevel(models.TextChoices):
    """测评项目 → 指标 → 测评内容 → 测评标准 (../shared/domain.md §4)."""

    PROJECT = "project", _("Assessment project")
    INDICATOR = "indicator", _("Indicator")
    CONTENT = "content", _("Assessment content")
    STANDARD = "standard", _("Standard (clause)")


class Method(models.TextChoices):
    """How a clause is assessed; a clause may use several."""

    MATERIAL = "material", _("Material review")
    FIELD = "field", _("Field inspection")
    SURVEY = "survey", _("Survey")
    ONLINE = "online", _("Online declaration")
    PRACTICE = "practice", _("Practice data")


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    ARCHIVED = "archived", _("Archived")


# The Chinese names used in import files; English names are accepted too.
METHOD_LABELS_ZH = {
    Method.MATERIAL: "材料审核",
    Method.FIELD: "实地考察",
    Method.SURVEY: "问卷调查",
    Method.ONLINE: "网上申报",
    Method.PRACTICE: "志愿服务数据",
}
