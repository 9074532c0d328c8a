"""Small server-side SVG charts for the bulletin (bars and a line), the same markup in the page and the PDF.

No JavaScript and no plotting library: a chart is a few rectangles, a polyline and text, sized in
user units, with every label escaped. The font is the CJK one the PDF embeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"
BAR = "#2f6fb0"
BAR_2 = "#b0c8e0"
INK = "#333"
GRID = "#ddd"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _nice_max(value: float) -> float:
    """A round upper bound for an axis (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def bar_chart(title: str, items: Sequence[tuple[str, float]], *, width: int = 640, unit: str = "",
              previous: Sequence[float] | None = None, percent: bool = False) -> str:
    """Horizontal bars, one per (label, value); ``previous`` draws a thin bar for the month before."""
    row, top, left, right = 26, 34, 150, 70
    height = top + row * max(len(items), 1) + 10
    peak = _nice_max(max([v for _, v in items] + list(previous or []) + [0.0]))
    span = width - left - right
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" font-family="{FONT}" font-size="12">',
             f'<title>{escape(title)}</title>',
             f'<text x="0" y="16" font-size="14" font-weight="bold" fill="{INK}">{escape(title)}</text>']
    for i in range(5):
        x = left + span * i / 4
        parts.append(f'<line x1="{_num(x)}" y1="{top - 6}" x2="{_num(x)}" y2="{height - 8}" stroke="{GRID}"/>')
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = span * value / peak if peak else 0
        shown = f"{value * 100:.2f}%" if percent else f"{value:g}{unit}"
        parts.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end" fill="{INK}">{escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y + 2}" width="{_num(max(w, 0))}" height="14" fill="{BAR}"/>')
        if previous is not None and i < len(previous):
            pw = span * previous[i] / peak if peak else 0
            parts.append(f'<rect x="{left}" y="{y + 17}" width="{_num(max(pw, 0))}" height="4" fill="{BAR_2}"/>')
        parts.append(f'<text x="{_num(left + w + 6)}" y="{y + 14}" fill="{INK}">{escape(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(title: str, points: Sequence[tuple[str, float]], *, width: int = 640, height: int = 220) -> str:
    """A line over the points (label, value), labels under every fifth point."""
    top, bottom, left, right = 34, 30, 40, 16
    peak = _nice_max(max([v for _, v in points] + [0.0]))
    span_x, span_y = width - left - right, height - top - bottom
    step = span_x / max(len(points) - 1, 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" font-family="{FONT}" font-size="11">',
             f'<title>{escape(title)}</title>',
             f'<text x="0" y="16" font-size="14" font-weight="bold" fill="{INK}">{escape(title)}</text>']
    for i in range(5):
        y = top + span_y * i / 4
        parts.append(f'<line x1="{left}" y1="{_num(y)}" x2="{width - right}" y2="{_num(y)}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 4}" y="{_num(y + 4)}" text-anchor="end" fill="{INK}">'
                     f'{_num(peak * (4 - i) / 4)}</text>')
    coords = [(left + i * step, top + span_y * (1 - v / peak)) for i, (_, v) in enumerate(points)]
    if coords:
        path = " ".join(f"{_num(x)},{_num(y)}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BAR}" stroke-width="2"/>')
    for i, ((label, _), (x, _)) in enumerate(zip(points, coords, strict=True)):
        if i % 5 == 0 or i == len(points) - 1:
            parts.append(f'<text x="{_num(x)}" y="{height - 10}" text-anchor="middle" fill="{INK}">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
