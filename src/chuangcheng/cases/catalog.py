"""The standard case categories (GB/T 30428.2 classes, with common subclasses) and their time
limits. Loaded by ``chuangcheng cases load-categories`` and by the demo; the office edits them.

Each subclass: (code, name, handle hours, keywords, urgent). Hours follow common city practice:
dangerous objects (open manholes) within hours, ordinary disorder within one to three days.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import transaction

from chuangcheng.cases.enums import CategoryKind
from chuangcheng.cases.models import Category


class Sub(NamedTuple):
    code: str
    name: str
    hours: int
    keywords: str
    urgent: bool = False


OBJECTS: tuple[tuple[str, str, tuple[Sub, ...]], ...] = (
    (
        "01",
        "公用设施",
        (
            Sub("0101", "井盖", 4, "井盖 窨井 下水道盖 缺失 破损 井口", True),
            Sub("0102", "路灯", 48, "路灯 灯杆 不亮 灯坏"),
            Sub("0103", "消防设施", 24, "消防栓 灭火器 消防通道 消火栓"),
            Sub("0104", "公共厕所设施", 24, "厕所 公厕 卫生间 洗手池 冲水"),
            Sub("0105", "垃圾箱", 24, "垃圾箱 垃圾桶 果皮箱 分类桶"),
        ),
    ),
    (
        "02",
        "道路交通",
        (
            Sub("0201", "交通标志", 72, "交通标志 标牌 指示牌 路牌"),
            Sub("0202", "护栏", 48, "护栏 隔离栏 栏杆"),
            Sub("0203", "盲道", 72, "盲道 无障碍 坡道"),
            Sub("0204", "非机动车停放设施", 72, "停车棚 车架 共享单车点"),
        ),
    ),
    (
        "03",
        "市容环境",
        (
            Sub("0301", "公益广告牌", 72, "公益广告 宣传栏 公益宣传 核心价值观"),
            Sub("0302", "信息亭和报刊亭", 72, "报刊亭 信息亭"),
            Sub("0303", "公共座椅", 72, "座椅 长椅 休息椅"),
        ),
    ),
    (
        "04",
        "园林绿化",
        (
            Sub("0401", "行道树", 72, "行道树 树木 枯树 断枝 倒伏"),
            Sub("0402", "绿地", 72, "绿地 草坪 黄土裸露 绿化带"),
            Sub("0403", "花坛花箱", 72, "花坛 花箱 花池"),
        ),
    ),
    (
        "05",
        "房屋土地",
        (
            Sub("0501", "危房", 24, "危房 墙体开裂 外墙脱落", True),
            Sub("0502", "空置用地", 168, "空地 闲置地 围挡内"),
        ),
    ),
    (
        "06",
        "其他设施",
        (
            Sub("0601", "健身设施", 72, "健身器材 健身设施 器械"),
            Sub("0602", "文化设施", 72, "文化站 书屋 宣传橱窗 图书"),
        ),
    ),
)

EVENTS: tuple[tuple[str, str, tuple[Sub, ...]], ...] = (
    (
        "01",
        "市容环境",
        (
            Sub("0101", "暴露垃圾", 24, "垃圾 暴露垃圾 垃圾堆 杂物 堆放 乱扔"),
            Sub("0102", "积存垃圾渣土", 48, "渣土 积存垃圾 建筑垃圾"),
            Sub("0103", "道路不洁", 24, "路面 不洁 污渍 油污 脏 卫生死角"),
            Sub("0104", "乱涂乱画", 48, "涂鸦 乱涂乱画 小广告 牛皮癣 乱贴"),
            Sub("0105", "公厕不洁", 12, "厕所 异味 不洁 脏乱 公厕"),
            Sub("0106", "焚烧垃圾树叶", 4, "焚烧 烧垃圾 烟", True),
        ),
    ),
    (
        "02",
        "宣传广告",
        (
            Sub("0201", "非法小广告", 48, "小广告 非法广告 张贴 喷涂"),
            Sub("0202", "公益宣传缺失", 72, "公益广告 宣传 缺失 未设置 核心价值观 宣传栏"),
            Sub("0203", "广告牌匾破损", 72, "牌匾 广告牌 招牌 破损"),
        ),
    ),
    (
        "03",
        "施工管理",
        (
            Sub("0301", "施工扰民", 24, "施工 噪音 扰民 夜间施工"),
            Sub("0302", "工地扬尘", 24, "扬尘 工地 未覆盖 裸土"),
            Sub("0303", "围挡不规范", 48, "围挡 工地 破损 不规范"),
        ),
    ),
    (
        "04",
        "突发事件",
        (
            Sub("0401", "路面塌陷", 2, "塌陷 坑 下沉 地陷", True),
            Sub("0402", "管道破裂", 2, "水管 破裂 跑水 漏水 爆管", True),
            Sub("0403", "火灾隐患", 2, "火灾 隐患 电动车充电 飞线", True),
        ),
    ),
    (
        "05",
        "街面秩序",
        (
            Sub("0501", "占道经营", 24, "占道 摆摊 流动摊贩 出店经营 店外经营"),
            Sub("0502", "乱停放", 24, "乱停 停车 共享单车 非机动车 占用 机动车"),
            Sub("0503", "不文明行为", 24, "不文明 随地吐痰 插队 乱穿马路 闯红灯 遛狗 不牵绳"),
            Sub("0504", "餐饮油烟", 48, "油烟 餐馆 烧烤"),
            Sub("0505", "秩序维护缺位", 48, "志愿者 秩序 引导 排队 文明劝导"),
        ),
    ),
    (
        "06",
        "其他事件",
        (
            Sub("0601", "服务窗口不规范", 72, "窗口 服务 态度 办事 告示 公示"),
            Sub("0602", "食品安全", 24, "食品 过期 卫生许可 农贸 生熟"),
            Sub("0603", "其他", 72, "其他"),
        ),
    ),
)

PREFIX = {CategoryKind.OBJECT: "B", CategoryKind.EVENT: "S"}


def load_categories() -> int:
    """Create the categories that do not exist yet (by code); returns how many were created.
    Codes are ``B0101`` for 部件 and ``S0101`` for 事件 (事 = shì)."""
    existing = set(Category.objects.values_list("code", flat=True))
    created = 0
    with transaction.atomic():
        for kind, classes in ((CategoryKind.OBJECT, OBJECTS), (CategoryKind.EVENT, EVENTS)):
            for seq, (code, name, subs) in enumerate(classes):
                full = PREFIX[kind] + code
                if full in existing:
                    parent = Category.objects.get(code=full)
                else:
                    parent = Category.objects.create(kind=kind, code=full, name=name, seq=seq)
                    created += 1
                for sseq, sub in enumerate(subs):
                    scode = PREFIX[kind] + sub.code
                    if scode in existing:
                        continue
                    Category.objects.create(
                        kind=kind,
                        code=scode,
                        name=sub.name,
                        parent=parent,
                        seq=sseq,
                        handle_hours=sub.hours,
                        dispatch_hours=1 if sub.urgent else 24,
                        urgent=sub.urgent,
                        keywords=sub.keywords,
                    )
                    created += 1
    return created
