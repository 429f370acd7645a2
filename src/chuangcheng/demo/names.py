"""Fake but plausible people for the demo: Chinese names and mobile numbers.

Everything is drawn from a seeded ``random.Random`` so every load gives the same people. The
phone numbers use the 1391000xxxx / 1381000xxxx blocks and are not meant to reach anyone.
"""

from __future__ import annotations

import random

# The common surnames, most frequent first (repeated entries weight the draw).
SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
    "田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江"
    "尹薛段雷侯龙史陶贺顾毛郝龚邵万钱严武戴孔汤"
)
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "建华",
    "建国",
    "志强",
    "秀兰",
    "桂芳",
    "海燕",
    "晓东",
    "雪梅",
    "立新",
    "振华",
    "文杰",
    "玉兰",
    "春燕",
    "红梅",
    "国庆",
    "卫东",
    "淑珍",
    "丽华",
    "晓明",
    "子涵",
    "欣怡",
    "浩然",
    "宇航",
    "思远",
    "雅琴",
    "志刚",
    "永红",
    "德明",
    "俊峰",
    "凤英",
    "慧敏",
    "嘉怡",
    "晨阳",
    "一鸣",
    "佳琪",
    "鹏",
    "斌",
    "宁",
    "琳",
    "颖",
    "婷",
    "健",
    "帆",
)


class People:
    """Hands out distinct names and distinct fake mobile numbers from one seeded generator."""

    def __init__(self, rng: random.Random, phone_prefix: str = "1391000") -> None:
        self._rng = rng
        self._used: set[str] = set()
        self._phone_prefix = phone_prefix
        self._phones = 0

    def name(self) -> str:
        """A full name not handed out before by this generator."""
        while True:
            candidate = self._rng.choice(SURNAMES) + self._rng.choice(GIVEN)
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate

    def phone(self) -> str:
        """The next number of the fake block: 13910000001, 13910000002, …"""
        self._phones += 1
        return f"{self._phone_prefix}{self._phones:04d}"
