"""95 % confidence intervals for survey rates (ADR 0011, "Results, intervals and weights").

A rate is the mean score of the answers counted: Σscore / n, each score between 0 and 1.

- When every score is 0 or 1 (知晓 / 不知晓), the rate is a proportion and its interval is the
  Wilson score interval, which stays inside [0, 1] and behaves at 0 %, 100 % and small n,
  where the textbook p ± 1.96·√(p(1−p)/n) interval collapses or leaves the range.
- When some scores are graded (满意 = 1, 基本满意 = 0.9), the rate is a mean and its interval
  is the normal interval mean ± 1.96·√(s²/n) with the sample variance s², clipped to [0, 1].
  With fewer than two answers there is no variance to speak of, and the interval is [0, 1].
- Weighted rates use the same formulas with Kish's effective sample size
  n_eff = (Σw)² / Σw² in place of n and the weighted variance.

Whether a group is binary needs no extra query: for scores in [0, 1], score² ≤ score with
equality exactly at 0 and 1, so a group is binary when Σscore² = Σscore.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def clip(value: float) -> float:
    return min(1.0, max(0.0, value))


def wilson(p: float, n: float, z: float = Z95) -> Interval:
    """Wilson's score interval for a proportion ``p`` out of ``n`` (n may be an effective,
    non-integer sample size)."""
    if n <= 0:
        return Interval(0.0, 1.0)
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z / denom * math.sqrt(max(0.0, p * (1 - p) / n + z2 / (4 * n * n)))
    return Interval(clip(centre - half), clip(centre + half))


def normal(mean: float, variance: float, n: float, z: float = Z95) -> Interval:
    """mean ± z·√(variance / n), clipped to [0, 1]; [0, 1] when n < 2."""
    if n < 2:
        return Interval(0.0, 1.0)
    half = z * math.sqrt(max(0.0, variance) / n)
    return Interval(clip(mean - half), clip(mean + half))


@dataclass
class Moments:
    """The sums a rate and its interval are computed from, for one group of answers.

    ``count`` answers with scores summing to ``total`` and squares summing to ``squares``;
    with weights, ``w`` = Σw, ``w2`` = Σw², ``wx`` = Σw·score, ``wx2`` = Σw·score².
    """

    count: int = 0
    total: float = 0.0
    squares: float = 0.0
    w: float = 0.0
    w2: float = 0.0
    wx: float = 0.0
    wx2: float = 0.0

    def add(self, count: int, total: float, squares: float, weight: float | None) -> None:
        self.count += count
        self.total += total
        self.squares += squares
        if weight is not None:
            self.w += weight * count
            self.w2 += weight * weight * count
            self.wx += weight * total
            self.wx2 += weight * squares

    @property
    def binary(self) -> bool:
        # Sums are of scores with 3 decimals: compare at the precision they were read with.
        return abs(self.squares - self.total) < 5e-7

    @property
    def rate(self) -> float | None:
        return self.total / self.count if self.count else None

    def interval(self) -> Interval | None:
        if not self.count:
            return None
        mean = self.total / self.count
        if self.binary:
            return wilson(mean, self.count)
        n = self.count
        variance = (self.squares - n * mean * mean) / (n - 1) if n > 1 else 0.0
        return normal(mean, variance, n)

    @property
    def weighted_rate(self) -> float | None:
        return self.wx / self.w if self.w > 0 else None

    @property
    def effective_n(self) -> float | None:
        """Kish's effective sample size (Σw)² / Σw²."""
        return self.w * self.w / self.w2 if self.w2 > 0 else None

    def weighted_interval(self) -> Interval | None:
        mean = self.weighted_rate
        n_eff = self.effective_n
        if mean is None or n_eff is None:
            return None
        if self.binary:
            return wilson(mean, n_eff)
        if n_eff <= 1:
            return Interval(0.0, 1.0)
        # The weighted variance Σw(x−m)²/Σw, made unbiased the way s² is: × n_eff/(n_eff−1).
        variance = (self.wx2 / self.w - mean * mean) * n_eff / (n_eff - 1)
        return normal(mean, variance, n_eff)
