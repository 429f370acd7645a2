"""What the demo's cases say: per category, how often it comes up, at which kinds of points,
which line department leads its handling, how people describe it and how units report it done.

``{place}`` is the point's name (or the alley of a position), ``{side}`` a spot near it. Leads
follow common practice in Beijing districts: what is wrong in the street space goes to the
territorial street office (属地) unless a line department (行业部门) owns the object.
"""

from __future__ import annotations

from typing import NamedTuple

ROADS = ("main_road", "back_alley", "intersection")
STREETSIDE = (*ROADS, "square_park", "scenic_spot", "residential_compound", "school_surroundings")
FOOD = ("restaurant", "farmers_market", "mall_supermarket")
VENUES = (
    "street_office",
    "service_window",
    "community",
    "community_service_centre",
    "street_culture_station",
    "cultural_facility",
    "bookstore",
    "hotel",
    "cinema",
    "hospital",
)

SIDES = ("东侧", "西侧", "南侧", "北侧", "门前", "路口处", "拐角处", "出入口附近", "人行道上")


class Kind(NamedTuple):
    weight: int
    types: tuple[str, ...]
    line: str  # short name of the lead line department; "" = the territorial unit leads
    problems: tuple[str, ...]
    fixes: tuple[str, ...]


KINDS: dict[str, Kind] = {
    # 部件 (objects)
    "B0101": Kind(
        6,
        ROADS,
        "区城管委",
        (
            "{place}{side}一处井盖破损下沉，周边有明显缝隙，行人经过存在安全隐患。",
            "{place}{side}雨水井盖缺失，已有群众用杂物临时遮挡。",
        ),
        (
            "已联系产权单位更换新井盖并加装防坠网，现场恢复正常。",
            "已设置警示围挡并于当日更换井盖，经踩踏测试平稳。",
        ),
    ),
    "B0102": Kind(
        8,
        ROADS,
        "区城管委",
        (
            "{place}{side}连续三盏路灯夜间不亮，居民反映夜间出行不便。",
            "{place}{side}路灯灯杆倾斜、灯罩脱落。",
        ),
        ("已更换灯具和镇流器，夜间巡查确认全部正常亮灯。", "已扶正灯杆并更换灯罩，线路检测正常。"),
    ),
    "B0103": Kind(
        4,
        ("residential_compound", "hotel", "mall_supermarket", "internet_cafe", "cinema"),
        "区消防救援支队",
        (
            "{place}楼道内灭火器压力不足、已过检验期。",
            "{place}消防通道被私家车和杂物占用，消防车无法通行。",
        ),
        ("已督促物业更换灭火器并建立月检台账。", "已清理消防通道杂物，施划禁停标线并设置提示牌。"),
    ),
    "B0104": Kind(
        5,
        ("public_toilet",),
        "区城管委",
        ("{place}洗手池水龙头损坏，无法正常使用。", "{place}男厕冲水装置失灵，无障碍扶手松动。"),
        ("已更换感应龙头和冲水阀，设施运行正常。", "已维修冲水装置并加固无障碍扶手。"),
    ),
    "B0105": Kind(
        9,
        (*STREETSIDE, "public_toilet"),
        "区城管委",
        (
            "{place}{side}分类垃圾桶破损，桶盖缺失，周边有散落垃圾。",
            "{place}{side}果皮箱外溢，长时间未清掏。",
        ),
        ("已更换新的分类垃圾桶并清理周边，加密清掏频次。", "已清掏果皮箱并调整保洁作业时间。"),
    ),
    "B0201": Kind(
        3,
        ("main_road", "intersection", "school_surroundings"),
        "东城交通支队",
        ("{place}{side}交通指示牌被树枝遮挡，字迹褪色。", "{place}{side}限速标志牌倾倒。"),
        ("已修剪遮挡树枝并更换反光膜。", "已重新安装标志牌并加固基础。"),
    ),
    "B0202": Kind(
        3,
        ("main_road", "intersection"),
        "区交通委",
        ("{place}{side}道路隔离护栏倾倒两节，侵占机动车道。", "{place}{side}人行护栏锈蚀断裂。"),
        ("已扶正并更换损坏护栏，恢复通行秩序。", "已更换锈蚀护栏并完成防腐处理。"),
    ),
    "B0203": Kind(
        4,
        ("main_road", "back_alley", "hospital"),
        "区交通委",
        (
            "{place}{side}盲道被共享单车和摊位占压，砖块松动缺损。",
            "{place}{side}盲道中断，转弯处未设提示砖。",
        ),
        ("已清理占压物品，修补盲道砖并补设提示砖。", "已按规范接续盲道，增设提示砖。"),
    ),
    "B0204": Kind(
        3,
        ("main_road", "intersection", "school_surroundings"),
        "区交通委",
        ("{place}{side}非机动车停放区车架损坏，车辆停放无序。",),
        ("已更换车架并重新施划停放区标线。",),
    ),
    "B0301": Kind(
        5,
        (*STREETSIDE, "community"),
        "区委宣传部",
        (
            "{place}{side}公益广告牌画面褪色破损，部分脱落。",
            "{place}{side}核心价值观宣传牌被小广告覆盖。",
        ),
        ("已更换新版公益广告画面并清理周边。", "已清除覆盖物，更新宣传内容。"),
    ),
    "B0302": Kind(
        1,
        ("main_road",),
        "区城管委",
        ("{place}{side}报刊亭外堆放纸箱杂物，亭体广告破损。",),
        ("已督促经营者清理杂物并修复亭体。",),
    ),
    "B0303": Kind(
        2,
        ("square_park", "scenic_spot"),
        "区园林绿化局",
        ("{place}内休息座椅木条断裂，存在划伤隐患。",),
        ("已更换断裂木条并打磨防腐。",),
    ),
    "B0401": Kind(
        4,
        (*ROADS, "square_park"),
        "区园林绿化局",
        (
            "{place}{side}行道树枯死，枝干有断落危险。",
            "{place}{side}行道树树池缺少盖板，黄土裸露。",
        ),
        ("已移除枯树并补植同规格树木。", "已安装树池盖板并清理周边浮土。"),
    ),
    "B0402": Kind(
        4,
        ("square_park", "residential_compound", "main_road"),
        "区园林绿化局",
        (
            "{place}{side}绿地被踩踏形成黄土裸露，有垃圾散落。",
            "{place}{side}绿化带内堆放建筑垃圾。",
        ),
        ("已补植草皮、设置护栏并清理垃圾。", "已清运建筑垃圾，恢复绿地。"),
    ),
    "B0403": Kind(
        2,
        ("main_road", "square_park", "scenic_spot"),
        "区园林绿化局",
        ("{place}{side}花箱破损，花卉枯萎。",),
        ("已更换花箱并补栽时令花卉。",),
    ),
    "B0501": Kind(
        1,
        ("residential_compound", "back_alley"),
        "区住建委",
        ("{place}临街房屋外墙瓷砖空鼓脱落，下方为人行通道。",),
        ("已设置警戒区，组织产权单位完成外墙排险。",),
    ),
    "B0502": Kind(
        1,
        ("back_alley", "residential_compound"),
        "",
        ("{place}{side}闲置空地围挡破损，内部堆积生活垃圾。",),
        ("已清运空地垃圾，修复围挡并安排定期巡查。",),
    ),
    "B0601": Kind(
        2,
        ("square_park", "residential_compound", "community"),
        "区体育局",
        ("{place}健身器材转轮卡滞、螺丝松动，缺少使用说明。",),
        ("已维修器材并张贴安全使用须知。",),
    ),
    "B0602": Kind(
        2,
        ("street_culture_station", "community_service_centre", "community"),
        "区文旅局",
        (
            "{place}宣传橱窗玻璃破碎，内容为去年版本未更新。",
            "{place}书屋开放时间未公示，图书摆放杂乱。",
        ),
        ("已更换橱窗玻璃并更新宣传内容。", "已公示开放时间并整理图书。"),
    ),
    # 事件 (events)
    "S0101": Kind(
        24,
        (*STREETSIDE, "farmers_market", "construction_site"),
        "",
        (
            "{place}{side}堆放生活垃圾和废旧家具，散发异味。",
            "{place}{side}有大量暴露垃圾未及时清运。",
            "{place}{side}垃圾桶周边散落垃圾袋，地面有污水。",
        ),
        (
            "已组织保洁人员清运垃圾，对周边进行冲洗消杀。",
            "已清运废旧家具和垃圾，张贴大件垃圾预约清运告示。",
            "已清理完毕，增加该点位保洁巡查频次。",
        ),
    ),
    "S0102": Kind(
        5,
        ("back_alley", "residential_compound", "construction_site"),
        "",
        ("{place}{side}堆放装修渣土约两立方米，未覆盖。", "{place}{side}积存建筑垃圾长期未清。"),
        ("已联系装修业主清运渣土，现场已恢复整洁。", "已清运积存建筑垃圾并设置禁止倾倒提示牌。"),
    ),
    "S0103": Kind(
        12,
        (*ROADS, "square_park", "farmers_market", "school_surroundings"),
        "",
        (
            "{place}{side}路面油污明显，卫生死角有积尘。",
            "{place}{side}人行道有大片污渍，落叶堆积。",
        ),
        ("已安排机扫和人工冲洗，路面恢复整洁。", "已清理卫生死角并纳入日常保洁范围。"),
    ),
    "S0104": Kind(
        8,
        (*ROADS, "residential_compound", "public_toilet"),
        "",
        (
            "{place}{side}墙面有乱涂乱画，面积约三平方米。",
            "{place}{side}电线杆和墙面张贴大量牛皮癣广告。",
        ),
        ("已清除涂鸦并对墙面进行粉刷。", "已清除小广告并粉刷墙面。"),
    ),
    "S0105": Kind(
        8,
        ("public_toilet",),
        "区城管委",
        ("{place}地面湿滑、异味较重，纸篓满溢。", "{place}保洁不及时，便池有污渍。"),
        ("已督促保洁公司加强作业，增加保洁频次并放置防滑垫。", "已全面清洁消杀，更新保洁记录表。"),
    ),
    "S0106": Kind(
        1,
        ("back_alley", "square_park"),
        "区城管执法局",
        ("{place}{side}有人焚烧树叶和垃圾，烟雾较大。",),
        ("已现场制止并清理焚烧残留物，对当事人进行了教育。",),
    ),
    "S0201": Kind(
        14,
        (*ROADS, "residential_compound", "school_surroundings"),
        "",
        (
            "{place}{side}张贴、喷涂非法小广告十余处。",
            "{place}{side}单元门和配电箱上贴满开锁、办证小广告。",
        ),
        ("已全部清除，对喷涂处进行了覆盖粉刷。", "已清除小广告并安排网格员每日巡查。"),
    ),
    "S0202": Kind(
        10,
        (*VENUES, *STREETSIDE, "school_campus", "youth_counselling", "tutoring_institution"),
        "",
        (
            "{place}未设置公益广告宣传，核心价值观宣传内容缺失。",
            "{place}公益宣传栏内容陈旧，未按要求更新。",
        ),
        ("已按要求设置公益广告和核心价值观宣传内容。", "已更新宣传栏内容并建立定期更换制度。"),
    ),
    "S0203": Kind(
        4,
        ("main_road", "restaurant", "hotel", "mall_supermarket"),
        "区城管执法局",
        ("{place}店外招牌破损，部分灯箱字不亮。", "{place}门头牌匾松动，存在坠落风险。"),
        ("已督促商户修复招牌灯箱。", "已拆除松动牌匾并重新规范安装。"),
    ),
    "S0301": Kind(
        3,
        ("construction_site",),
        "区住建委",
        ("{place}夜间22点后仍在施工，噪音扰民。",),
        ("已约谈施工单位，调整作业时间，夜间施工须办理许可。",),
    ),
    "S0302": Kind(
        4,
        ("construction_site",),
        "区住建委",
        ("{place}裸土未覆盖，车辆出入未冲洗，扬尘明显。",),
        ("已覆盖裸土，设置车辆冲洗设施并安排专人保洁。",),
    ),
    "S0303": Kind(
        3,
        ("construction_site",),
        "区住建委",
        ("{place}施工围挡破损倒伏，公益宣传画面缺失。",),
        ("已修复围挡并按标准张贴公益宣传画面。",),
    ),
    "S0401": Kind(
        1,
        ROADS,
        "区城管委",
        ("{place}{side}路面出现塌陷坑，直径约半米。",),
        ("已设置围挡，连夜完成回填修复。",),
    ),
    "S0402": Kind(
        1,
        ROADS,
        "区水务局",
        ("{place}{side}自来水管破裂，路面大面积积水。",),
        ("已关阀抢修，更换破损管段，恢复供水。",),
    ),
    "S0403": Kind(
        2,
        ("residential_compound", "back_alley"),
        "区消防救援支队",
        ("{place}{side}居民私拉电线飞线充电，电动车停放在楼道内。",),
        ("已拆除飞线，电动车移至集中充电棚，并开展消防宣传。",),
    ),
    "S0501": Kind(
        14,
        ("main_road", "back_alley", "farmers_market", "school_surroundings", "hospital"),
        "区城管执法局",
        (
            "{place}{side}有流动摊贩占道经营，影响行人通行。",
            "{place}{side}商户出店经营，货品摆放至人行道。",
        ),
        ("已劝离流动摊贩，安排执法队员定时巡查。", "已责令商户退店经营，签订门前三包责任书。"),
    ),
    "S0502": Kind(
        16,
        (
            "main_road",
            "back_alley",
            "intersection",
            "school_surroundings",
            "hospital",
            "scenic_spot",
        ),
        "",
        (
            "{place}{side}共享单车大量堆积，占用盲道和人行道。",
            "{place}{side}机动车违规停放，堵塞消防通道。",
        ),
        (
            "已联系共享单车企业调度清运，并安排人员定时整理。",
            "已联合交通支队清理违停车辆并施划禁停标线。",
        ),
    ),
    "S0503": Kind(
        6,
        ("main_road", "square_park", "scenic_spot", "intersection", "school_surroundings"),
        "",
        (
            "{place}{side}多次发现遛狗不牵绳、不清理粪便。",
            "{place}{side}行人闯红灯、乱穿马路现象突出。",
        ),
        ("已增设文明养犬宣传牌，志愿者定时劝导。", "已在高峰时段安排文明劝导员值守。"),
    ),
    "S0504": Kind(
        3,
        ("restaurant",),
        "区生态环境局",
        ("{place}油烟净化设施未运行，油烟直排扰民。",),
        ("已督促商户清洗并开启油烟净化设施，留存运维记录。",),
    ),
    "S0505": Kind(
        3,
        ("intersection", "service_window", "scenic_spot"),
        "",
        ("{place}高峰时段无文明引导员，排队秩序混乱。",),
        ("已安排志愿者在高峰时段进行文明引导。",),
    ),
    "S0601": Kind(
        5,
        ("service_window", "street_office", "hospital"),
        "区政务服务局",
        (
            "{place}办事指南未公示，窗口工作人员未佩戴工牌。",
            "{place}便民服务设施不全，缺少老花镜和饮水设施。",
        ),
        ("已公示办事指南，落实工作人员亮牌上岗。", "已补齐便民服务设施并设专人管理。"),
    ),
    "S0602": Kind(
        5,
        ("farmers_market", "restaurant", "mall_supermarket"),
        "区市场监管局",
        ("{place}生熟食品未分区存放，部分摊位未亮证经营。", "{place}货架上有过期食品在售。"),
        ("已责令整改，生熟分区存放并亮证经营。", "已下架过期食品，依法对经营者进行处理。"),
    ),
    "S0603": Kind(
        2,
        (*STREETSIDE, *VENUES),
        "",
        ("{place}{side}存在其他影响市容环境的问题，需属地核实处置。",),
        ("已现场核实并处置完毕。",),
    ),
}

REWORK_NOTES = (
    "复查发现现场仍有残留，请彻底整改。",
    "整改后照片与现场不符，请重新处置并上传照片。",
    "问题反弹，复查时再次发现同类问题。",
    "仅做了临时处理，未从根本上解决，请建立长效机制。",
)
EXTENSION_REASONS = (
    "需协调产权单位共同处置，申请延期。",
    "涉及物资采购，需等待到货后施工。",
    "近期持续降雨，不具备施工条件。",
)
SUSPEND_REASONS = (
    "已纳入老旧小区综合整治工程，待工程实施时一并解决。",
    "涉及权属争议，待相关部门确权后处置。",
)
REJECT_REASONS = (
    "经现场核实，所反映问题不存在。",
    "属小区物业管理范畴，已告知反映人向物业反映。",
    "与已立案件重复反映，已合并跟踪。",
)
VERIFY_NOTES = ("现场复查已整改到位。", "经复查，问题已解决。", "")
