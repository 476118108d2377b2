"""Inline SVG charts for the HTML report: no script, no external file, no font.

Both charts scale with their container (``viewBox``), carry a text alternative
(``role="img"`` and ``aria-label``) and put each value in a ``<title>`` tooltip.
"""

from __future__ import annotations

import datetime as dt
import math
from html import escape
from typing import NamedTuple

LABEL_CHARS = 74


class Bar(NamedTuple):
    """One bar of the causes chart."""

    label: str
    value: int
    kind: str  # "explained" or "new"
    href: str | None = None


def _short(text: str, most: int = LABEL_CHARS) -> str:
    """Cut a label to fit its column."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def axis_ticks(value: int) -> list[int]:
    """Return whole-number axis ticks from 0 to at least value, at most 6 of them."""
    step = 1
    while value / step > 5:
        step = _next_step(step)
    top = step * max(1, math.ceil(value / step))
    return list(range(0, top + 1, step))


def _next_step(step: int) -> int:
    """Return the next step of the 1, 2, 5, 10, 20, 50... series."""
    digits = str(step)
    lead, zeros = int(digits[0]), len(digits) - 1
    return {1: 2, 2: 5, 5: 10}[lead] * 10**zeros


def causes_chart(bars: list[Bar], title: str) -> str:
    """Return a horizontal bar chart of failures per cause."""
    if not bars:
        return ""
    row, label_w, bar_w, pad = 26, 520, 560, 6
    width = label_w + bar_w + 70
    height = row * len(bars) + pad * 2
    top = max(b.value for b in bars)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">'
    ]
    for i, b in enumerate(bars):
        y = pad + i * row
        w = max(2.0, bar_w * b.value / top)
        label = escape(_short(b.label))
        tip = escape(f"{b.label}: {b.value}")
        text = f'<text x="{label_w - 10}" y="{y + 18}" class="lbl" text-anchor="end">{label}</text>'
        if b.href:
            text = f'<a href="{escape(b.href)}">{text}</a>'
        parts.append(
            f"<g><title>{tip}</title>{text}"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 9}" rx="3" class="bar {b.kind}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 18}" class="val">{b.value}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _days(by_day: dict[str, int]) -> list[tuple[str, int]]:
    """Return every day from the first to the last failure, gaps filled with 0."""
    days = sorted(by_day)
    first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    span = (last - first).days
    if span > 400:  # years of history: plot only the days with failures
        return [(d, by_day[d]) for d in days]
    out = []
    for i in range(span + 1):
        day = (first + dt.timedelta(days=i)).isoformat()
        out.append((day, by_day.get(day, 0)))
    return out


def daily_chart(by_day: dict[str, int], title: str) -> str:
    """Return a column chart of failures per day."""
    if not by_day:
        return ""
    days = _days(by_day)
    left, right, top_pad, bottom = 40, 10, 12, 40
    width, plot_h = 1140, 120
    plot_w = width - left - right
    height = top_pad + plot_h + bottom
    ticks = axis_ticks(max(v for _, v in days))
    top = ticks[-1]
    slot = plot_w / len(days)
    gap = min(4.0, slot * 0.2)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">'
    ]
    for value in ticks:
        y = top_pad + plot_h - plot_h * value / top
        label = str(value)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">{label}</text>'
        )
    every = max(1, math.ceil(len(days) / 12))
    for i, (day, value) in enumerate(days):
        x = left + i * slot + gap / 2
        h = plot_h * value / top
        y = top_pad + plot_h - h
        parts.append(
            f"<g><title>{day}: {value}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(1.0, slot - gap):.1f}" height="{h:.1f}" class="col"/></g>'
        )
        if i % every == 0 or i == len(days) - 1 and len(days) <= 12:
            cx = left + (i + 0.5) * slot
            parts.append(
                f'<text x="{cx:.1f}" y="{top_pad + plot_h + 16}" class="axis" text-anchor="middle">{day[5:]}</text>'
            )
    year = (
        days[0][0][:4]
        if days[0][0][:4] == days[-1][0][:4]
        else f"{days[0][0][:4]}–{days[-1][0][:4]}"
    )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" class="axis" text-anchor="middle">{year}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
