"""Small server-rendered SVG charts for the dashboard and the PDF, readable without colour.

Every chart has a <title> and <desc>, labels each value directly, tells series apart by pattern
and marker shape as well as colour, and comes with a table alternative (`chart_table`) for screen
readers and for people who prefer numbers. The markup is built from escaped text only, so it is
safe to put in a page as it is.

    bar_chart("Job starts by kind", [("In care", 12), ("Elsewhere", 3)], unit="people")
    trend_chart("Job starts", ["Q1", "Q2"], {"In care": [4, 8], "Elsewhere": [1, 2]})
    funnel_chart("From registration to sustained job", [("Registered", 120), ("Screened", 80)])
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal

# Black and dark greys (WCAG contrast on white) with different fills and markers per series.
INK = "#0b0c0c"
SERIES_STYLES = [
    ("#1d70b8", "", "circle"),
    ("#0b0c0c", "6 3", "square"),
    ("#d4351c", "2 3", "triangle"),
    ("#00703c", "10 4 2 4", "diamond"),
]
FONT = 'font-family="Arial, Helvetica, sans-serif"'


def _fmt(value: Number, unit: str = "") -> str:
    number = f"{value:,.0f}" if float(value) == int(value) else f"{float(value):,.1f}"
    if unit == "percent":
        return f"{number}%"
    if unit == "money":
        return f"£{value:,.2f}"
    return number


def _svg(title: str, desc: str, width: int, height: int, body: list[str]) -> SafeString:
    # Ids from the content: the same chart renders the same markup; two charts on a page differ.
    n = hashlib.sha256(f"{title}|{desc}".encode()).hexdigest()[:10]
    return mark_safe(  # noqa: S308 - every piece of text below went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="chart-title-{n} chart-desc-{n}">'
        f'<title id="chart-title-{n}">{escape(title)}</title><desc id="chart-desc-{n}">{escape(desc)}</desc>'
        f"{''.join(body)}</svg>"
    )


def _describe(items: Sequence[tuple[str, Number]], unit: str) -> str:
    return "; ".join(f"{label}: {_fmt(value, unit)}" for label, value in items) or "No data."


def bar_chart(title: str, items: Sequence[tuple[str, Number]], unit: str = "") -> SafeString:
    """Horizontal bars, one per (label, value), each with its value written beside it."""
    row, label_width, bar_width = 28, 220, 320
    height = max(row * len(items), row) + 10
    top = max((float(v) for _, v in items), default=0) or 1
    body: list[str] = []
    for index, (label, value) in enumerate(items):
        y = 5 + index * row
        length = max(float(value) / top * bar_width, 0)
        body.append(
            f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end" font-size="14" fill="{INK}" {FONT}>'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 10}" fill="#1d70b8" '
            f'stroke="{INK}" stroke-width="1"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 18}" font-size="14" font-weight="bold" fill="{INK}" '
            f"{FONT}>{escape(_fmt(value, unit))}</text>"
        )
    return _svg(title, _describe(items, unit), label_width + bar_width + 90, height, body)


def trend_chart(
    title: str, quarters: list[str], series: Mapping[str, Sequence[Number | None]], unit: str = ""
) -> SafeString:
    """Lines over quarters, one per series: each with its own dash pattern and marker shape, values
    written at each point and the series named at its end (no legend colours to match)."""
    width, height, left, right, top, bottom = 640, 300, 50, 150, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(v) for points in series.values() for v in points if v is not None]
    peak = max(values, default=0) or 1
    step = plot_w / max(len(quarters) - 1, 1)
    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{INK}"/>']
    for index, quarter in enumerate(quarters):
        body.append(
            f'<text x="{left + index * step:.1f}" y="{height - 15}" text-anchor="middle" font-size="12" '
            f'fill="{INK}" {FONT}>{escape(quarter)}</text>'
        )
    lines: list[tuple[str, list[tuple[int, float, Number]]]] = []
    styles = zip(series.items(), itertools.cycle(SERIES_STYLES), strict=False)
    for (name, points), (colour, dash, marker) in styles:
        coords = [(i, top + plot_h - float(v) / peak * plot_h, v) for i, v in enumerate(points) if v is not None]
        if not coords:
            continue
        path = " ".join(f"{left + i * step:.1f},{y:.1f}" for i, y, _ in coords)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        body.extend(_marker(marker, left + i * step, y, colour) for i, y, _ in coords)
        lines.append((name, coords))
    body.extend(_point_labels([coords for _, coords in lines], left, step, unit))
    ends = _spread([(coords[-1][1] + 4, name) for name, coords in lines], 14)
    body.extend(
        f'<text x="{left + plot_w + 10:.1f}" y="{y:.1f}" font-size="12" fill="{INK}" {FONT}>{escape(name)}</text>'
        for y, name in ends
    )
    desc = ". ".join(
        f"{name}: "
        + ", ".join(
            f"{q} {_fmt(v, unit) if v is not None else 'no data'}" for q, v in zip(quarters, points, strict=False)
        )
        for name, points in series.items()
    )
    return _svg(title, desc or "No data.", width, height, body)


def _spread(labels: list[tuple[float, str]], gap: float) -> list[tuple[float, str]]:
    """Label positions (y, text) moved up just enough that no two are closer than `gap`, lowest first;
    equal labels at the same place are written once."""
    placed: list[tuple[float, str]] = []
    for y, text in sorted(set(labels), reverse=True):
        if placed and text == placed[-1][1] and abs(y - placed[-1][0]) < gap:
            continue
        placed.append((min(y, placed[-1][0] - gap) if placed else y, text))
    return placed


def _point_labels(lines: list[list[tuple[int, float, Number]]], left: float, step: float, unit: str) -> list[str]:
    """Each point's value just above it, spread apart at each quarter so close lines' values stay readable."""
    by_quarter: dict[int, list[tuple[float, str]]] = {}
    for coords in lines:
        for i, y, v in coords:
            by_quarter.setdefault(i, []).append((round(y - 8, 1), _fmt(v, unit)))
    return [
        f'<text x="{left + i * step:.1f}" y="{y:.1f}" text-anchor="middle" font-size="11" fill="{INK}" {FONT}>'
        f"{escape(text)}</text>"
        for i, labels in by_quarter.items()
        for y, text in _spread(labels, 12)
    ]


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
        )
    if shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def funnel_chart(title: str, steps: Sequence[tuple[str, Number]]) -> SafeString:
    """One bar per step, narrowing from the first, each labelled with its count and its share of the first step."""
    row, label_width, bar_width = 34, 170, 300
    first = float(steps[0][1]) if steps and steps[0][1] else 0
    body: list[str] = []
    for index, (label, value) in enumerate(steps):
        y = 5 + index * row
        bar = max(float(value) / first * bar_width, 2) if first else 2
        share = f" ({round(float(value) / first * 100)}% of the first step)" if first and index else ""
        body.append(
            f'<text x="{label_width - 8}" y="{y + 20}" text-anchor="end" font-size="14" fill="{INK}" {FONT}>'
            f"{escape(label)}</text>"
            f'<rect x="{label_width + (bar_width - bar) / 2:.1f}" y="{y + 4}" width="{bar:.1f}" height="{row - 10}" '
            f'fill="#d2e2f1" stroke="{INK}" stroke-width="1"/>'
            f'<text x="{label_width + bar_width + 8}" y="{y + 20}" font-size="14" fill="{INK}" {FONT}>'
            f'<tspan font-weight="bold">{escape(_fmt(value))}</tspan>{escape(share)}</text>'
        )
    return _svg(title, _describe(steps, ""), label_width + bar_width + 230, max(row * len(steps), row) + 10, body)


@dataclass(frozen=True)
class ChartTable:
    """The numbers a chart shows, as a table: column headings and rows of (heading, cells)."""

    caption: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]


def chart_table(
    caption: str, columns: list[str], series: Mapping[str, Sequence[Number | None]], unit: str = ""
) -> ChartTable:
    """A table alternative: one row per series, one column per point (templates/reporting/_chart_table.html)."""
    return ChartTable(
        caption=caption,
        columns=columns,
        rows=[
            (name, [_fmt(v, unit) if v is not None else "no data" for v in points]) for name, points in series.items()
        ],
    )
