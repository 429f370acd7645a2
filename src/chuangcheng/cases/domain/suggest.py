"""Suggest a category and a responsible unit for a report from its text and place.

This first version matches the categories' keywords; the trained classifier replaces the
category guess once the deployment has enough closed cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from chuangcheng.cases.models import Category
from chuangcheng.orgs.models import Unit


@dataclass(frozen=True)
class Suggestion:
    category: Category | None
    unit: Unit | None
    confidence: float  # 0..1
    method: str  # "keywords" or "model"


def keyword_scores(text: str, categories: list[Category]) -> list[tuple[int, Category]]:
    """Subclasses ranked by how many of their keywords occur in ``text`` (longer words count
    more, so 公厕不洁 beats a bare 垃圾)."""
    ranked: list[tuple[int, Category]] = []
    for cat in categories:
        if cat.parent_id is None:
            continue
        words = [w for w in cat.keywords.replace(",", " ").replace("，", " ").split() if w]
        score = sum(len(w) for w in words if w in text)
        if score:
            ranked.append((score, cat))
    ranked.sort(key=lambda pair: (-pair[0], pair[1].code))
    return ranked


def suggest(text: str) -> Suggestion:
    """The best-matching subclass for ``text`` and its usual line department (2 queries)."""
    categories = list(Category.objects.filter(active=True).select_related("line_unit"))
    ranked = keyword_scores(text, categories)
    if not ranked:
        return Suggestion(category=None, unit=None, confidence=0.0, method="keywords")
    total = sum(score for score, _cat in ranked)
    best_score, best = ranked[0]
    return Suggestion(
        category=best, unit=best.line_unit, confidence=best_score / total, method="keywords"
    )
