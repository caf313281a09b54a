"""Server-drawn SVG charts: geometry only (numbers for the template), no script, no styles.

Colours and fonts come from classes in ``analytics/analytics.css``; the CSP forbids inline
styles and the back office loads nothing from other hosts.
"""

from dataclasses import dataclass

from django.utils.formats import date_format

from .selectors import DayCount

WIDTH = 720
HEIGHT = 240
PAD_LEFT = 48
PAD_BOTTOM = 28
PAD_TOP = 12
BAR_HEIGHT = 22
BAR_GAP = 6
LABEL_WIDTH = 260


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class DailyChart:
    width: int
    height: int
    bars: list[Bar]  # page views
    line: str  # visitors, as SVG polyline points
    points: list[tuple[float, float, int]]
    ticks: list[Tick]
    axis_y: float
    day_labels: list[tuple[float, str]]


@dataclass(frozen=True)
class RankChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]


def _nice_max(value: int) -> int:
    """A round top for the axis (1, 2 or 5 times a power of ten) at or above ``value``."""
    top = 1
    while True:
        for step in (1, 2, 5):
            if step * top >= value:
                return max(step * top, 1)
        top *= 10


def daily_chart(days: list[DayCount]) -> DailyChart:
    top = _nice_max(max([d.pageviews for d in days] + [d.visitors for d in days] + [1]))
    plot_height = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = (WIDTH - PAD_LEFT) / max(len(days), 1)
    axis_y = PAD_TOP + plot_height

    def y_of(value: int) -> float:
        return round(axis_y - value / top * plot_height, 1)

    bars, points, labels = [], [], []
    for index, day in enumerate(days):
        x = PAD_LEFT + index * slot
        label = date_format(day.day, "j M")
        bars.append(
            Bar(
                x=round(x + slot * 0.15, 1),
                y=y_of(day.pageviews),
                width=round(slot * 0.7, 1),
                height=round(axis_y - y_of(day.pageviews), 1),
                label=label,
                value=day.pageviews,
            )
        )
        points.append((round(x + slot / 2, 1), y_of(day.visitors), day.visitors))
        if index % max(len(days) // 6, 1) == 0:
            labels.append((round(x + slot / 2, 1), label))
    ticks = [Tick(y=y_of(top * share // 4), value=top * share // 4) for share in range(5)]
    return DailyChart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        line=" ".join(f"{x},{y}" for x, y, _ in points),
        points=points,
        ticks=ticks,
        axis_y=axis_y,
        day_labels=labels,
    )


def rank_chart(rows: list[tuple[str, int]]) -> RankChart:
    top = max([count for _, count in rows] + [1])
    room = WIDTH - LABEL_WIDTH - 48
    bars = [
        Bar(
            x=LABEL_WIDTH,
            y=index * (BAR_HEIGHT + BAR_GAP),
            width=round(max(count / top * room, 1), 1),
            height=BAR_HEIGHT,
            label=label,
            value=count,
        )
        for index, (label, count) in enumerate(rows)
    ]
    return RankChart(
        width=WIDTH,
        height=max(len(rows), 1) * (BAR_HEIGHT + BAR_GAP),
        label_width=LABEL_WIDTH,
        bars=bars,
    )


def share_chart(rows: list[tuple[str, float]]) -> RankChart:
    """Bars for shares (0..1) on a fixed 0-100 % scale; each bar's value is a whole percent."""
    room = WIDTH - LABEL_WIDTH - 48
    bars = [
        Bar(
            x=LABEL_WIDTH,
            y=index * (BAR_HEIGHT + BAR_GAP),
            width=round(max(share * room, 1), 1),
            height=BAR_HEIGHT,
            label=label,
            value=round(share * 100),
        )
        for index, (label, share) in enumerate(rows)
    ]
    return RankChart(
        width=WIDTH,
        height=max(len(rows), 1) * (BAR_HEIGHT + BAR_GAP),
        label_width=LABEL_WIDTH,
        bars=bars,
    )
