"""A classifier trained on this deployment's own closed cases: the category from the text, and
the lead unit from the text and the case's street.

Two ways of cutting Chinese text into features are compared on held-out cases — character 1–2
grams and jieba words, both TF-IDF into a logistic regression — and the better one is kept. The
trained model is stored in :class:`~chuangcheng.cases.models.TrainedClassifier` and loaded once
per process (again only when a newer one is stored). Until enough cases are closed
(``CLASSIFIER_MIN_CASES``), the categories' keyword rules suggest instead.
"""

from __future__ import annotations

import io
import logging
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case, CaseAssignment, Category, TrainedClassifier
from chuangcheng.orgs.enums import UnitKind
from chuangcheng.orgs.models import Unit

FEATURES = ("char", "jieba")
KEEP_MODELS = 3


@dataclass(frozen=True)
class Row:
    """One closed case as training data."""

    text: str
    category: str  # category code
    path: str  # region path of the case
    unit: int | None  # the lead unit it was dispatched to

    @property
    def street(self) -> str:
        return street_key(self.path)


def street_key(path: str) -> str:
    """The street of a region path (GB/T 2260 street codes have 9 digits); the deepest code
    when no segment looks like a street."""
    parts = [p for p in path.split("/") if p]
    for part in parts:
        if len(part) == 9:
            return part
    return parts[-1] if parts else ""


def training_rows() -> list[Row]:
    """Every closed case with a subclass, its text, place and lead unit (one query)."""
    lead = CaseAssignment.objects.filter(case=OuterRef("pk"), lead=True).order_by("id")
    qs = (
        Case.objects.filter(status=CaseStatus.CLOSED, category__parent__isnull=False)
        .annotate(lead_unit=Subquery(lead.values("unit_id")[:1]))
        .order_by("pk")
        .values_list("description", "category__code", "region__path", "lead_unit")
    )
    return [Row(text=t, category=c, path=p, unit=u) for t, c, p, u in qs]


def jieba_words(text: str) -> list[str]:
    """jieba's words of ``text`` without blanks and punctuation (module level, so it pickles)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [w for w in jieba.lcut(text) if w.strip() and not _is_punct(w)]


def _is_punct(word: str) -> bool:
    return all(not ch.isalnum() for ch in word)


def _vectorizer(features: str) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if features == "char":
        return TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    if features == "jieba":
        return TfidfVectorizer(
            tokenizer=jieba_words, token_pattern=None, lowercase=False, sublinear_tf=True
        )
    raise ValueError(f"unknown features {features!r}")


def _classifier() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=2000, C=10.0)


@dataclass
class Model:
    """The fitted pipelines; ``unit`` is None when the cases name fewer than two lead units."""

    features: str
    category: Any
    unit: Any = None

    def predict(self, text: str, path: str) -> tuple[str, float, int | None, float]:
        """(category code, its probability, lead unit id or None, its probability)."""
        import numpy as np

        probs = self.category.predict_proba([text])[0]
        best = int(np.argmax(probs))
        code = str(self.category.classes_[best])
        unit_id: int | None = None
        unit_p = 0.0
        if self.unit is not None:
            uprobs = self.unit.predict_proba(np.array([[text, street_key(path)]], dtype=object))[0]
            ubest = int(np.argmax(uprobs))
            unit_id = int(self.unit.classes_[ubest])
            unit_p = float(uprobs[ubest])
        return code, float(probs[best]), unit_id, unit_p

    def predict_many(self, rows: Sequence[Row]) -> tuple[list[str], list[int | None]]:
        import numpy as np

        cats = [str(c) for c in self.category.predict([r.text for r in rows])]
        if self.unit is None:
            return cats, [None] * len(rows)
        x = np.array([[r.text, r.street] for r in rows], dtype=object)
        return cats, [int(u) for u in self.unit.predict(x)]


def fit(rows: Sequence[Row], features: str) -> Model:
    """Fit both pipelines on ``rows``; needs at least two categories among them."""
    import numpy as np
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    if len({r.category for r in rows}) < 2:
        raise ValueError("training needs cases of at least two categories")
    category = make_pipeline(_vectorizer(features), _classifier())
    category.fit([r.text for r in rows], [r.category for r in rows])
    with_unit = [r for r in rows if r.unit is not None]
    unit = None
    if len({r.unit for r in with_unit}) >= 2:
        columns = ColumnTransformer(
            [
                ("text", _vectorizer(features), 0),
                ("street", OneHotEncoder(handle_unknown="ignore"), [1]),
            ]
        )
        unit = make_pipeline(columns, _classifier())
        x = np.array([[r.text, r.street] for r in with_unit], dtype=object)
        unit.fit(x, [r.unit for r in with_unit])
    return Model(features=features, category=category, unit=unit)


# ---- the keyword baseline -------------------------------------------------------------------


def keyword_predictor() -> Callable[[Row], tuple[str | None, int | None]]:
    """What the keyword rules suggest for a row: the best keyword subclass, and its usual line
    department or else the territorial unit of the place (three queries, then none)."""
    from chuangcheng.cases.domain.suggest import keyword_scores

    categories = list(Category.objects.filter(active=True))
    territorial = dict(
        Unit.objects.filter(kind=UnitKind.TERRITORIAL, active=True)
        .exclude(region=None)
        .values_list("region__path", "pk")
    )

    def predict(row: Row) -> tuple[str | None, int | None]:
        ranked = keyword_scores(row.text, categories)
        best = ranked[0][1] if ranked else None
        unit = best.line_unit_id if best is not None else None
        path = row.path
        while unit is None and path:
            unit = territorial.get(path)
            path = path[: path.rstrip("/").rfind("/") + 1]
        return (best.code if best else None), unit

    return predict


# ---- evaluation and training ----------------------------------------------------------------


@dataclass
class Score:
    method: str
    category_accuracy: float
    unit_accuracy: float | None


@dataclass
class Evaluation:
    train: int
    test: int
    scores: list[Score] = field(default_factory=list)
    best: str = ""
    # (true category code, predicted code, how often) for the best model, most frequent first
    confusions: list[tuple[str, str, int]] = field(default_factory=list)

    def score(self, method: str) -> Score:
        return next(s for s in self.scores if s.method == method)


def split(rows: Sequence[Row], test_share: float, seed: int) -> tuple[list[Row], list[Row]]:
    """A reproducible shuffle-split: the same seed gives the same held-out cases."""
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    n_test = max(1, round(len(rows) * test_share))
    test = [rows[i] for i in order[:n_test]]
    train = [rows[i] for i in order[n_test:]]
    return train, test


def _accuracy(truth: Sequence[Any], guess: Sequence[Any]) -> float:
    return sum(1 for t, g in zip(truth, guess, strict=True) if t == g) / len(truth)


def evaluate(
    rows: Sequence[Row],
    *,
    test_share: float = 0.2,
    seed: int = 0,
    features: Sequence[str] = FEATURES,
) -> Evaluation:
    """Train each feature set on one part of ``rows`` and score it on the rest, next to the
    keyword baseline. Unit accuracy counts the rows whose lead unit is known."""
    train, test = split(rows, test_share, seed)
    result = Evaluation(train=len(train), test=len(test))
    truth_cat = [r.category for r in test]
    unit_idx = [i for i, r in enumerate(test) if r.unit is not None]
    truth_unit = [test[i].unit for i in unit_idx]

    def unit_acc(guess: Sequence[int | None]) -> float | None:
        return _accuracy(truth_unit, [guess[i] for i in unit_idx]) if unit_idx else None

    baseline = keyword_predictor()
    kw = [baseline(r) for r in test]
    result.scores.append(
        Score("keywords", _accuracy(truth_cat, [c for c, _u in kw]), unit_acc([u for _c, u in kw]))
    )
    best_key: tuple[float, float] = (-1.0, -1.0)
    for name in features:
        model = fit(train, name)
        cats, units = model.predict_many(test)
        if model.unit is None:
            units = [u for _c, u in kw]
        score = Score(name, _accuracy(truth_cat, cats), unit_acc(units))
        result.scores.append(score)
        key = (score.category_accuracy, score.unit_accuracy or 0.0)
        if key > best_key:
            best_key = key
            result.best = name
            wrong = Counter((t, g) for t, g in zip(truth_cat, cats, strict=True) if t != g)
            result.confusions = [(t, g, n) for (t, g), n in wrong.most_common(5)]
    return result


def train_and_store(
    *, min_cases: int | None = None, test_share: float = 0.2, seed: int = 0
) -> TrainedClassifier | None:
    """Evaluate both feature sets, fit the better one on every closed case and store it; None
    (and nothing stored) while fewer than ``min_cases`` (default ``CLASSIFIER_MIN_CASES``)
    closed cases exist or they name a single category."""
    import joblib

    rows = training_rows()
    needed = settings.CLASSIFIER_MIN_CASES if min_cases is None else min_cases
    if len(rows) < needed or len({r.category for r in rows}) < 2:
        return None
    ev = evaluate(rows, test_share=test_share, seed=seed)
    model = fit(rows, ev.best)
    buf = io.BytesIO()
    joblib.dump(model, buf)
    best = ev.score(ev.best)
    stored = TrainedClassifier.objects.create(
        trained_at=timezone.now(),
        cases=len(rows),
        features=ev.best,
        category_accuracy=best.category_accuracy,
        unit_accuracy=best.unit_accuracy,
        baseline_accuracy=ev.score("keywords").category_accuracy,
        blob=buf.getvalue(),
    )
    old = TrainedClassifier.objects.values_list("pk", flat=True)[KEEP_MODELS:]
    TrainedClassifier.objects.filter(pk__in=list(old)).delete()
    return stored


# ---- the model in use -----------------------------------------------------------------------

_loaded: dict[str, Any] = {"pk": None, "model": None}


def current_model() -> Model | None:
    """The newest stored model trained on at least ``CLASSIFIER_MIN_CASES`` cases, loaded once
    per process: one small query per call, a second one only when a newer model appears."""
    import joblib

    latest = TrainedClassifier.objects.values_list("pk", "cases").first()
    if latest is None or latest[1] < settings.CLASSIFIER_MIN_CASES:
        return None
    if _loaded["pk"] != latest[0]:
        blob = TrainedClassifier.objects.values_list("blob", flat=True).get(pk=latest[0])
        # Our own model, written by train_and_store into our own database.
        _loaded["model"] = joblib.load(io.BytesIO(bytes(blob)))
        _loaded["pk"] = latest[0]
    model: Model = _loaded["model"]
    return model
