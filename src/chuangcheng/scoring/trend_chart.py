"""The trend line chart as plain SVG geometry, drawn on the server (no JavaScript library).

The y axis is 得分率 in per cent, from a round floor below the lowest measured value to 100;
a period 未测 breaks the line (a gap), a lone measured period is a dot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from chuangcheng.scoring.domain.trends import TrendPoint

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 58, 16, 18, 42


@dataclass
class Dot:
    x: float
    y: float
    label: str
    title: str


@dataclass
class Tick:
    x: float
    label: str
    sub: str  # the year under the first period of each year


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_x: int = WIDTH - RIGHT
    base_y: int = HEIGHT - BOTTOM
    lines: list[str] = field(default_factory=list)  # "x,y x,y …" per unbroken run
    dots: list[Dot] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    grid: list[tuple[float, str]] = field(default_factory=list)  # (y, label)
    empty: bool = True
    labels: bool = True  # values written above the dots (few enough to fit)


def _short(point: TrendPoint) -> tuple[str, str]:
    p = point.period
    if p.kind == "month":
        return f"{p.start.month}", str(p.start.year)
    if p.kind == "quarter":
        return f"Q{(p.start.month - 1) // 3 + 1}", str(p.start.year)
    return str(p.start.year), ""


def line_chart(points: list[TrendPoint]) -> Chart:
    chart = Chart()
    rates = [p.rate_pct for p in points if p.rate_pct is not None]
    chart.empty = not rates
    chart.labels = len(rates) <= 8
    low = Decimal(0)
    if rates:
        low = max(Decimal(0), (min(rates) // 10) * 10 - 10)
    span = Decimal(100) - low or Decimal(100)
    inner_w = WIDTH - LEFT - RIGHT
    inner_h = HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(points) - 1, 1)
    for i in range(5):
        value = low + span * i / 4
        y = TOP + inner_h - inner_h * i / 4
        chart.grid.append((round(y, 1), f"{value:.0f}%"))
    run: list[str] = []
    last_year = ""
    for i, point in enumerate(points):
        x = round(LEFT + step * i if len(points) > 1 else LEFT + inner_w / 2, 1)
        label, year = _short(point)
        chart.ticks.append(Tick(x, label, year if year != last_year else ""))
        last_year = year
        if point.rate_pct is None:
            if run:
                chart.lines.append(" ".join(run))
            run = []
            continue
        y = round(TOP + inner_h - float((point.rate_pct - low) / span) * inner_h, 1)
        run.append(f"{x},{y}")
        chart.dots.append(
            Dot(x, y, f"{point.rate_pct:.1f}", f"{point.period.label}: {point.rate_pct}%")
        )
    if run:
        chart.lines.append(" ".join(run))
    chart.lines = [line for line in chart.lines if " " in line]
    return chart
