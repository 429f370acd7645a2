"""Search the materials a user may see: titles, descriptions and the text inside PDF, Word and
Excel files, in Chinese.

Text is normalised when stored (:func:`~.filecheck.normalise`: full-width to half-width, lower
case, one space between words). A query is normalised the same way and split at spaces; each part
is cut into words by jieba, and a material matches when its text contains every word — plain
substring tests, so SQLite and PostgreSQL answer the same. "志愿服务台账" thus finds
"志愿服务的台账". Results come from ``visible_to`` only; each carries a snippet of its text
around the first hit, the hits highlighted.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from chuangcheng.archives.domain.filecheck import normalise
from chuangcheng.archives.models import Material

SNIPPET_AROUND = 40
MAX_RESULTS = 100
# The campaign's own words, so jieba keeps them whole ("志愿服务台账" → 志愿服务 / 台账, not
# 志愿 / 服务台 / 账).
VOCABULARY = (
    "台账",
    "志愿服务",
    "小广告",
    "创城",
    "文明城区",
    "测评体系",
    "网上申报",
    "材料审核",
    "实地考察",
    "问卷调查",
    "背街小巷",
    "农贸市场",
    "新时代文明实践",
)
# Words jieba returns that carry no meaning on their own.
_STOP = frozenset({"的", "了", "和", "与", "及", "或", "在", "是", "对"})


def terms(query: str) -> list[str]:
    """The words a query asks for (distinct, longest first)."""
    jieba = _jieba()
    found: list[str] = []
    for part in normalise(query).split(" "):
        if not part:
            continue
        words = (
            [w.strip() for w in jieba.lcut(part)] if re.search(r"[\u4e00-\u9fff]", part) else [part]
        )
        for word in words:
            if word and word not in _STOP and not re.fullmatch(r"\W+", word) and word not in found:
                found.append(word)
    return sorted(found, key=len, reverse=True)


@cache
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    for word in VOCABULARY:
        jieba.add_word(word, freq=20000)
    return jieba


@dataclass
class Hit:
    material: Material
    snippet: SafeString


def snippet(text: str, words: list[str]) -> SafeString:
    """Up to ``SNIPPET_AROUND`` characters either side of the first hit, escaped, every hit in
    it wrapped in ``<mark>``."""
    positions = [text.find(w) for w in words if w in text]
    if not positions:
        return escape(text[: 2 * SNIPPET_AROUND])
    first = min(positions)
    start = max(0, first - SNIPPET_AROUND)
    end = min(len(text), first + 2 * SNIPPET_AROUND)
    piece = text[start:end]
    pattern = re.compile("|".join(re.escape(w) for w in words))
    out: list[str] = ["…" if start else ""]
    last = 0
    for m in pattern.finditer(piece):
        out.append(escape(piece[last : m.start()]))
        out.append(f"<mark>{escape(m.group())}</mark>")
        last = m.end()
    out.append(escape(piece[last:]))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def search(user: Any, query: str, *, year: int | None = None) -> list[Hit]:
    """Materials ``user`` may see whose text holds every word of ``query``, newest first."""
    words = terms(query)
    if not words:
        return []
    cond = Q()
    for word in words:
        cond &= Q(search_text__contains=word)
    qs = Material.objects.visible_to(user).filter(cond)
    if year is not None:
        qs = qs.filter(year=year)
    materials = list(
        qs.select_related("unit", "current").order_by("-updated_at", "-pk")[:MAX_RESULTS]
    )
    # Highlight the whole phrase where it occurs, its words elsewhere (longest first).
    marks = sorted(set(normalise(query).split(" ")) | set(words), key=len, reverse=True)
    marks = [m for m in marks if m]
    return [Hit(m, snippet(m.search_text, marks)) for m in materials]
