"""The fixed vocabulary of the demo district, shared by the demo loader, the demo framework file
and tests: point types, line departments and where the 17 streets of 东城区 lie.

Names here are the names import files use (a unit is matched by ``name`` or ``short_name``).
"""

from __future__ import annotations

from typing import NamedTuple


class PointTypeSpec(NamedTuple):
    code: str
    name: str
    line_unit: str  # short name of the usual line department ("" for none)


# The 29 point types of ../shared/domain.md §5, in the order assessors list them.
POINT_TYPES: tuple[PointTypeSpec, ...] = (
    PointTypeSpec("street_office", "街道办事处", "区民政局"),
    PointTypeSpec("street_culture_station", "街道综合文化站", "区文旅局"),
    PointTypeSpec("community", "社区", "区民政局"),
    PointTypeSpec("community_service_centre", "社区综合文化服务中心", "区文旅局"),
    PointTypeSpec("residential_compound", "小区", "区住建委"),
    PointTypeSpec("urban_fringe", "城乡结合部", "区城管委"),
    PointTypeSpec("village", "乡镇/行政村", "区农业农村局"),
    PointTypeSpec("main_road", "主次干道/商业大街", "区城管委"),
    PointTypeSpec("back_alley", "背街小巷", "区城管委"),
    PointTypeSpec("square_park", "公共广场/公园", "区园林绿化局"),
    PointTypeSpec("public_toilet", "公共卫生间", "区城管委"),
    PointTypeSpec("cultural_facility", "公共文化设施", "区文旅局"),
    PointTypeSpec("scenic_spot", "景点景区", "区文旅局"),
    PointTypeSpec("bookstore", "实体书店", "区委宣传部"),
    PointTypeSpec("hotel", "饭店/宾馆", "区商务局"),
    PointTypeSpec("farmers_market", "农贸市场", "区市场监管局"),
    PointTypeSpec("restaurant", "餐饮店", "区市场监管局"),
    PointTypeSpec("service_window", "窗口单位", "区政务服务局"),
    PointTypeSpec("mall_supermarket", "商场/超市", "区商务局"),
    PointTypeSpec("intersection", "交通路口/示范路", "东城交通支队"),
    PointTypeSpec("cinema", "电影院", "区文旅局"),
    PointTypeSpec("construction_site", "建筑工地", "区住建委"),
    PointTypeSpec("river", "河道", "区水务局"),
    PointTypeSpec("school_surroundings", "学校周边", "区教委"),
    PointTypeSpec("school_campus", "学校校内", "区教委"),
    PointTypeSpec("tutoring_institution", "校外培训机构", "区教委"),
    PointTypeSpec("youth_counselling", "未成年人心理辅导站", "区教委"),
    PointTypeSpec("internet_cafe", "网吧", "区文旅局"),
    PointTypeSpec("hospital", "医院及周边", "区卫健委"),
)


class UnitSpec(NamedTuple):
    code: str
    name: str
    short_name: str


# Line departments (行业部门) of the demo district. The office itself is a unit too, as the
# lead unit of several clauses.
LINE_UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("wmb", "东城区精神文明建设委员会办公室", "区文明办"),
    UnitSpec("xcb", "中共东城区委宣传部", "区委宣传部"),
    UnitSpec("cgw", "东城区城市管理委员会", "区城管委"),
    UnitSpec("cgzf", "东城区城市管理综合行政执法局", "区城管执法局"),
    UnitSpec("scjg", "东城区市场监督管理局", "区市场监管局"),
    UnitSpec("wjw", "东城区卫生健康委员会", "区卫健委"),
    UnitSpec("jw", "东城区教育委员会", "区教委"),
    UnitSpec("jtzd", "北京市公安局公安交通管理局东城交通支队", "东城交通支队"),
    UnitSpec("gafj", "北京市公安局东城分局", "东城公安分局"),
    UnitSpec("jtw", "东城区交通委员会", "区交通委"),
    UnitSpec("ylj", "东城区园林绿化局", "区园林绿化局"),
    UnitSpec("zjw", "东城区住房和城乡建设委员会", "区住建委"),
    UnitSpec("wlj", "东城区文化和旅游局", "区文旅局"),
    UnitSpec("swj", "东城区商务局", "区商务局"),
    UnitSpec("mzj", "东城区民政局", "区民政局"),
    UnitSpec("shuiwu", "东城区水务局", "区水务局"),
    UnitSpec("sthj", "北京市东城区生态环境局", "区生态环境局"),
    UnitSpec("zwfw", "东城区政务服务管理局", "区政务服务局"),
    UnitSpec("nync", "东城区农业农村局", "区农业农村局"),
    UnitSpec("tyj", "东城区体育局", "区体育局"),
    UnitSpec("twq", "共青团北京市东城区委员会", "团区委"),
    UnitSpec("fl", "东城区妇女联合会", "区妇联"),
    UnitSpec("xfzd", "东城区消防救援支队", "区消防救援支队"),
)

# Approximate centres (WGS-84 lng, lat) of the 17 streets, from their offices' positions on
# public maps; they seed the generated (approximate) street boundaries.
STREET_CENTRES: dict[str, tuple[float, float]] = {
    "110101001": (116.4085, 39.9165),  # 东华门
    "110101002": (116.3975, 39.9290),  # 景山
    "110101003": (116.4030, 39.9385),  # 交道口
    "110101004": (116.4075, 39.9480),  # 安定门
    "110101005": (116.4195, 39.9440),  # 北新桥
    "110101006": (116.4180, 39.9300),  # 东四
    "110101007": (116.4290, 39.9235),  # 朝阳门
    "110101008": (116.4300, 39.9095),  # 建国门
    "110101009": (116.4330, 39.9395),  # 东直门
    "110101010": (116.4180, 39.9595),  # 和平里
    "110101011": (116.3985, 39.8960),  # 前门
    "110101012": (116.4185, 39.8975),  # 崇文门外
    "110101013": (116.4335, 39.8935),  # 东花市
    "110101014": (116.4420, 39.8800),  # 龙潭
    "110101015": (116.4220, 39.8845),  # 体育馆路
    "110101016": (116.4060, 39.8830),  # 天坛
    "110101017": (116.4000, 39.8660),  # 永定门外
}

DISTRICT_CODE = "110101"
DISTRICT_NAME = "东城区"
CITY_CODE = "1101"
CITY_NAME = "北京市"
FRAMEWORK_CODE = "DC-WMCQ"
FRAMEWORK_NAME = "东城区文明城区创建测评体系（2026 年版）"


def street_unit_name(street_name: str) -> str:
    """东华门街道 → 东华门街道办事处 (the territorial unit of a street)."""
    return f"{street_name}办事处"
