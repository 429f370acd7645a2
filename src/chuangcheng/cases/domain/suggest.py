"""Suggest a category and a responsible unit for a report from its text and place.

The trained classifier (:mod:`chuangcheng.cases.classifier`) answers once the deployment has
enough closed cases (``CLASSIFIER_MIN_CASES``); until then, and whenever the model names a
category or unit that no longer exists, the categories' keywords do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chuangcheng.cases.models import Category
from chuangcheng.orgs.models import Region, Unit


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


def suggest(text: str, *, region: Region | None = None) -> Suggestion:
    """The likeliest subclass for ``text`` and the unit to lead on it: from the trained model
    when there is one (the unit then also depends on the street of ``region``), else from the
    keywords (the subclass's usual line department)."""
    from chuangcheng.cases.classifier import current_model

    model = current_model() if text.strip() else None
    if model is not None:
        found = _from_model(model, text, region)
        if found is not None:
            return found
    return keyword_suggestion(text)


def _from_model(model: Any, text: str, region: Region | None) -> Suggestion | None:
    code, p_cat, unit_id, _p_unit = model.predict(text, region.path if region else "")
    category = (
        Category.objects.filter(code=code, active=True, parent__isnull=False)
        .select_related("line_unit")
        .first()
    )
    if category is None:
        return None
    unit = Unit.objects.filter(pk=unit_id, active=True).first() if unit_id else None
    return Suggestion(
        category=category, unit=unit or category.line_unit, confidence=p_cat, method="model"
    )


def keyword_suggestion(text: str) -> Suggestion:
    """The best-matching subclass by keywords and its usual line department (2 queries)."""
    categories = list(Category.objects.filter(active=True).select_related("line_unit"))
    ranked = keyword_scores(text, categories)
    if not ranked:
        return Suggestion(category=None, unit=None, confidence=0.0, method="keywords")
    total = sum(score for score, _cat in ranked)
    best_score, best = ranked[0]
    return Suggestion(
        category=best, unit=best.line_unit, confidence=best_score / total, method="keywords"
    )
