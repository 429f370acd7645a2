"""The demo's archives (档案管理), loaded after the calendar (whose material deadlines give the
due dates) and before the warnings (so that overdue materials raise them).

``load_demo_archives(stdout)`` creates, once, through the archives' own domain functions:

- the owed materials of this year, from the demo framework's material and online clauses;
- a second-level reviewer, ``city_reviewer`` (市文明办复审员), granted the office role over the
  district, so that the two levels are decided by two people;
- real files — PDFs with Chinese text, Word and Excel files — filed by the units (by their demo
  account, or by a clerk who never logs in) in every state: approved by both levels, approved at
  区初审 and waiting for 市复审, waiting for 区初审, returned with a comment, returned and
  resubmitted as version 2 then approved, and one material reused for a second clause without a
  second upload. The rest stays missing; those past their due date raise warnings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import Grant, User
from chuangcheng.archives.domain.materials import Upload, add_version, attach, file_material
from chuangcheng.archives.domain.requirements import sync_requirements
from chuangcheng.archives.domain.review import decide
from chuangcheng.archives.enums import Decision
from chuangcheng.archives.models import Attachment, Material, Requirement
from chuangcheng.archives.samples import sample_docx, sample_pdf, sample_xlsx
from chuangcheng.orgs.models import Region, Unit

DISTRICT_CODE = "110101"
REVIEWER = "city_reviewer"


@dataclass(frozen=True)
class Plan:
    clause: str  # clause number
    unit: str  # unit code
    title: str
    upload: Callable[[], Upload]
    steps: tuple[str, ...]  # "approve1", "approve2", "return1:comment", "return2:…", "v2"
    description: str = ""


def _pdf(name: str, title: str, *lines: str) -> Callable[[], Upload]:
    return lambda: Upload(name, sample_pdf(title, lines))


def _docx(name: str, title: str, *lines: str) -> Callable[[], Upload]:
    return lambda: Upload(name, sample_docx(title, lines))


def _xlsx(name: str, title: str, rows: list[list[object]]) -> Callable[[], Upload]:
    return lambda: Upload(name, sample_xlsx(title, rows))


PLANS = (
    Plan(
        "3.3.2.1",
        "scjg",
        "农贸市场农残检测结果公示台账",
        _pdf(
            "农残检测公示台账.pdf",
            "东城区农贸市场农残检测结果公示台账",
            "检测室：东华门、景山、前门等 8 个农贸市场均设立农残检测室",
            "检测频次：每日抽检蔬菜水果不少于 20 批次，结果当日公示",
            "本季度共检测 1,842 批次，合格 1,839 批次，不合格 3 批次已下架销毁",
        ),
        ("approve1", "approve2"),
        "第三季度检测记录及公示照片说明",
    ),
    Plan(
        "1.3.2.1",
        "scjg",
        "行政许可和行政处罚信息公示情况说明",
        _docx(
            "行政处罚公示说明.docx",
            "行政许可和行政处罚信息公示情况说明",
            "按照“双公示”要求，行政许可和行政处罚决定自作出之日起 7 个工作日内上网公示。",
            "今年以来共公示行政许可 356 件、行政处罚 128 件。",
        ),
        ("return1:缺少第三季度的公示记录截图，请补充后重新报送。",),
    ),
    Plan(
        "1.2.1.1",
        "wmb",
        "东城好人评选表彰工作方案",
        _docx(
            "东城好人评选方案.docx",
            "关于开展年度“东城好人”评选表彰活动的工作方案",
            "一、评选范围：助人为乐、见义勇为、诚实守信、敬业奉献、孝老爱亲五类。",
            "二、评选程序：街道推荐、社区公示、网络投票、评委会评审、区文明委审定。",
            "三、表彰奖励：对评选出的“东城好人”颁发证书，并在网上申报系统报送事迹。",
        ),
        ("approve1", "approve2"),
    ),
    Plan(
        "1.2.1.2",
        "wmb",
        "身边好人事迹网上报送记录",
        _xlsx(
            "身边好人报送记录.xlsx",
            "身边好人报送",
            [
                ["季度", "姓名", "类别", "报送日期"],
                ["第一季度", "张桂兰", "孝老爱亲", "2026-03-18"],
                ["第一季度", "刘建国", "敬业奉献", "2026-03-20"],
                ["第一季度", "王晓东", "见义勇为", "2026-03-25"],
                ["第二季度", "李淑芬", "助人为乐", "2026-06-12"],
            ],
        ),
        ("approve1",),
    ),
    Plan(
        "1.1.2.2",
        "wmb",
        "社区综合文化服务中心核心价值观主题活动记录",
        _pdf(
            "主题活动记录.pdf",
            "社区综合文化服务中心社会主义核心价值观主题活动记录",
            "多福巷社区：“邻里守望 文明同行”主题宣讲，参加居民 86 人",
            "南锣鼓巷社区：志愿服务的台账整理与展示，参加志愿者 42 人",
            "史家社区：家风家训故事会，参加居民 65 人",
        ),
        (),
    ),
    Plan(
        "2.3.1.1",
        "twq",
        "网络文明志愿者队伍名单及活动记录",
        _pdf(
            "网络文明志愿者.pdf",
            "东城区网络文明志愿者队伍名单及活动记录",
            "队伍组建：共青团东城区委牵头组建网络文明志愿者队伍 12 支、队员 486 人",
            "活动记录：开展“清朗网络 青春同行”主题活动 9 场",
        ),
        ("approve1", "approve2"),
    ),
    Plan(
        "2.3.1.1",
        "xcb",
        "网络文明宣传活动总结",
        _pdf(
            "网络文明宣传总结.pdf",
            "东城区网络文明宣传活动总结",
            "今年以来，区委宣传部组织开展网络文明宣传活动 15 次，覆盖网民 120 万人次。",
        ),
        ("approve1", "return2:总结中缺少活动照片和媒体报道链接，请补充。"),
    ),
    Plan(
        "3.5.2.2",
        "sthj",
        "空气质量和噪声监测数据公开记录",
        _pdf(
            "监测数据公开记录.pdf",
            "东城区空气质量和噪声监测数据公开记录",
            "每日在区政府网站公开 PM2.5、PM10 浓度及功能区噪声监测数据。",
        ),
        ("return1:请附上政府网站公开页面的截图。", "v2", "approve1", "approve2"),
    ),
)

# A material filed once and submitted for a second clause of the same unit (减负: 报一次).
REUSE = ("1.2.1.1", "wmb", "5.1.1.1")


def _reviewer(district: Region) -> User:
    user: User
    user, created = User.objects.get_or_create(
        username=REVIEWER,
        defaults={
            "display_name": "市文明办复审员",
            "password": make_password(settings.DEMO_PASSWORD),
            "must_change_password": False,
            "password_changed_at": timezone.now(),
        },
    )
    if created:
        Grant.objects.create(user=user, role=Role.OFFICE, region=district)
    return user


def _clerk(unit: Unit) -> User:
    """The unit's demo account, else a clerk who never logs in (as the calendar's clerks)."""
    grant = Grant.objects.filter(role=Role.UNIT, unit=unit).select_related("user").first()
    if grant is not None:
        clerk: User = grant.user
        return clerk
    user: User
    user, created = User.objects.get_or_create(
        username=f"clerk_{unit.code}",
        defaults={
            "display_name": f"{unit.short_name or unit.name}联络员",
            "must_change_password": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Grant.objects.create(user=user, role=Role.UNIT, unit=unit)
    return user


def _run(plan: Plan, req: Requirement, office: User, reviewer: User) -> None:
    clerk = _clerk(req.unit)
    material = file_material(
        actor=clerk,
        unit=req.unit,
        year=req.year,
        title=plan.title,
        description=plan.description,
        upload=plan.upload(),
        requirements=[req],
    )
    for step in plan.steps:
        attachment = Attachment.objects.select_related("requirement__unit__region", "material").get(
            material=material, requirement=req
        )
        if step == "v2":
            upload = plan.upload()
            add_version(
                actor=clerk,
                material=material,
                upload=Upload(upload.name.replace(".", "（补充）.", 1), upload.data),
                note="已补充网站公开页面截图",
            )
            continue
        action, _sep, comment = step.partition(":")
        who = office if action.endswith("1") else reviewer
        decision = Decision.APPROVE if action.startswith("approve") else Decision.RETURN
        decide(actor=who, attachment=attachment, decision=decision, comment=comment)


@transaction.atomic
def load_demo_archives(stdout: Any) -> int:
    """Create the demo archives once; returns how many materials it filed (0 when there)."""
    district = Region.objects.filter(code=DISTRICT_CODE).first()
    office = User.objects.filter(username="office").first()
    if district is None or office is None or Material.objects.exists():
        return 0
    year = timezone.localdate().year
    sync_requirements(year, actor=office)
    reviewer = _reviewer(district)
    owed = {
        (r.clause.number, r.unit.code): r
        for r in Requirement.objects.filter(year=year).select_related("clause", "unit__region")
    }
    filed = 0
    for plan in PLANS:
        req = owed.get((plan.clause, plan.unit))
        if req is not None:
            _run(plan, req, office, reviewer)
            filed += 1
    source, unit_code, target = REUSE
    if (source, unit_code) in owed and (target, unit_code) in owed:
        material = Material.objects.filter(
            attachments__requirement=owed[(source, unit_code)]
        ).first()
        if material is not None:
            attach(
                actor=_clerk(material.unit),
                material=material,
                requirement=owed[(target, unit_code)],
            )
    stdout.write(
        _("Archives: %(owed)d owed materials, %(filed)d filed in every review state.")
        % {"owed": len(owed), "filed": filed}
    )
    return filed
