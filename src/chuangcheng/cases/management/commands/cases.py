"""``chuangcheng cases load-categories | train-classifier | evaluate-classifier``.

The work is done by :mod:`chuangcheng.cases.catalog` and :mod:`chuangcheng.cases.classifier`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chuangcheng.cases import classifier
from chuangcheng.cases.catalog import load_categories
from chuangcheng.cases.models import Category


def _share(raw: str) -> float:
    value = float(raw)
    if not 0 < value < 1:
        raise ValueError(raw)
    return value


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class Command(BaseCommand):
    help = "Case categories and the category/unit classifier."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load-categories", help="Create the standard categories that are missing.")
        train = sub.add_parser(
            "train-classifier", help="Train on the closed cases and store the better model."
        )
        train.add_argument("--min-cases", type=int, default=None)
        for p in (
            train,
            sub.add_parser(
                "evaluate-classifier",
                help="Accuracy on held-out closed cases, next to the keyword rules.",
            ),
        ):
            p.add_argument("--test-share", type=_share, default=0.2)
            p.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load-categories":
            n = load_categories()
            self.stdout.write(_("Created %(n)d categories.") % {"n": n})
        elif action == "train-classifier":
            self._train(options)
        else:
            self._evaluate(options)

    def _train(self, options: dict[str, Any]) -> None:
        stored = classifier.train_and_store(
            min_cases=options["min_cases"], test_share=options["test_share"], seed=options["seed"]
        )
        if stored is None:
            needed = options["min_cases"] or settings.CLASSIFIER_MIN_CASES
            self.stdout.write(
                _(
                    "Not trained: %(n)d closed cases with a subclass, %(needed)d needed "
                    "(of at least two categories). Keyword rules stay in use."
                )
                % {"n": len(classifier.training_rows()), "needed": needed}
            )
            return
        self.stdout.write(
            _(
                "Trained on %(n)d closed cases with %(features)s features: category "
                "%(cat)s, unit %(unit)s on held-out cases (keywords: %(base)s)."
            )
            % {
                "n": stored.cases,
                "features": stored.features,
                "cat": _pct(stored.category_accuracy),
                "unit": _pct(stored.unit_accuracy),
                "base": _pct(stored.baseline_accuracy),
            }
        )

    def _evaluate(self, options: dict[str, Any]) -> None:
        rows = classifier.training_rows()
        if len(rows) < 10 or len({r.category for r in rows}) < 2:
            raise CommandError(
                _("Too few closed cases to evaluate: %(n)d (10 of two categories at least).")
                % {"n": len(rows)}
            )
        ev = classifier.evaluate(rows, test_share=options["test_share"], seed=options["seed"])
        self.stdout.write(
            _("Closed cases: %(train)d for training, %(test)d held out (seed %(seed)d).")
            % {"train": ev.train, "test": ev.test, "seed": options["seed"]}
        )
        self.stdout.write(f"{_('method'):<10} {_('category'):>10} {_('unit'):>10}")
        for s in ev.scores:
            mark = " *" if s.method == ev.best else ""
            self.stdout.write(
                f"{s.method:<10} {_pct(s.category_accuracy):>10} {_pct(s.unit_accuracy):>10}{mark}"
            )
        if ev.confusions:
            names = dict(Category.objects.values_list("code", "name"))
            self.stdout.write(_("Most frequent confusions of %(best)s:") % {"best": ev.best})
            for truth, guess, n in ev.confusions:
                self.stdout.write(
                    f"  {truth} {names.get(truth, '')} → {guess} {names.get(guess, '')}: {n}"
                )
