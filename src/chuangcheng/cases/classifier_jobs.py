"""Periodic retraining of the category/unit classifier. Import this module from ``cases/jobs.py``
so the job registers (``core.periodic.discover`` imports each app's ``jobs`` module)."""

from __future__ import annotations

import datetime as dt

from chuangcheng.cases.classifier import train_and_store
from chuangcheng.core.periodic import periodic


@periodic("cases.train_classifier", every=dt.timedelta(days=1))
def retrain_classifier() -> object:
    """Retrain on the closed cases once a day; does nothing below CLASSIFIER_MIN_CASES."""
    stored = train_and_store()
    return stored.pk if stored is not None else None
