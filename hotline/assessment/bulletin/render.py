"""The bulletin as HTML (for the page and the PDF) and as PDF (WeasyPrint, Chinese fonts embedded).

The HTML comes from ``templates/bulletin/bulletin.html`` through a template engine of its own, so the
bulletin renders the same from the page, the command and a test, whatever apps are installed. Charts
are inline SVG (charts.py). The PDF's text uses "Noto Sans CJK SC" with ``lang="zh-CN"`` (without
them WeasyPrint picks the Japanese glyph shapes); WeasyPrint embeds the subset of the font it used.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Engine
from django.utils.safestring import mark_safe

from hotline.assessment.bulletin.build import Bulletin
from hotline.assessment.bulletin.charts import bar_chart, line_chart
from hotline.assessment.bulletin.figures import COUNTS, LABELS, RATES, change
from hotline.rules.calendar import SHANGHAI

TEMPLATES = Path(__file__).parent / "templates"
#: count rows the overview shows (the Excel sheet has all of them)
OVERVIEW = ("orders", "dispatched", "answered", "valid_callbacks", "due", "on_time", "overdue", "extended", "redone",
            "returned", "supervised")


@lru_cache(maxsize=1)
def engine() -> Engine:
    return Engine(dirs=[str(TEMPLATES)], autoescape=True,
                  libraries={"bulletin": "hotline.assessment.bulletin.filters"})


def _diff(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return a - b if a is not None and b is not None else None


def context(b: Bulletin) -> dict[str, Any]:
    """What the template shows: the bulletin, its overview rows and its charts."""
    counts = [{"label": LABELS[k], "now": b.total.counts[k], "before": b.previous.counts[k],
               "mom": change(b.total.counts[k], b.previous.counts[k]), "year": b.year_before.counts[k],
               "yoy": change(b.total.counts[k], b.year_before.counts[k])} for k in OVERVIEW if k in COUNTS]
    rates = [{"label": LABELS[k], "now": b.total.rates[k], "before": b.previous.rates[k],
              "mom": _diff(b.total.rates[k], b.previous.rates[k]), "year": b.year_before.rates[k],
              "yoy": _diff(b.total.rates[k], b.year_before.rates[k])} for k in RATES]
    channels = [line for line in b.by_channel.lines if line.figures.counts["orders"] or line.previous]
    satisfaction = [(line.label, float(line.figures.rates["satisfaction_rate"] or 0)) for line in b.by_area.lines
                    if line.figures.rates["satisfaction_rate"] is not None]
    charts = {
        "daily": line_chart("每日受理量", [(f"{d.day}日", n) for d, n in b.daily]),
        "channel": bar_chart("受理渠道（细条为上月）", [(line.label, line.figures.counts["orders"]) for line in channels],
                             previous=[line.previous for line in channels]),
        "type": bar_chart("诉求类型", [(line.label, line.figures.counts["orders"]) for line in b.by_type.lines]),
        "category": bar_chart("诉求分类", [(line.label, line.figures.counts["orders"]) for line in b.by_category.lines[:12]]),
        "area_satisfaction": bar_chart("各区域满意率", satisfaction, percent=True),
    }
    return {"b": b, "counts": counts, "rates": rates, "volume_parts": [b.by_channel, b.by_type],
            "figure_parts": [b.by_category, b.by_area],
            "charts": {k: mark_safe(v) for k, v in charts.items()},  # noqa: S308 - built here, every label escaped
            "period_start": b.month.start, "period_end_day": b.month.end.astimezone(SHANGHAI),
            "generated": b.generated_at.astimezone(SHANGHAI)}


def render_html(b: Bulletin, *, standalone: bool = True) -> str:
    """The bulletin's HTML: a whole document (for the PDF) or the fragment a page embeds."""
    tpl = engine().get_template("bulletin/bulletin.html")
    return tpl.render(Context({**context(b), "standalone": standalone}))


def render_pdf(b: Bulletin) -> bytes:
    """The bulletin as a PDF (A4), its Chinese text in an embedded Noto Sans CJK SC subset."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]  # imported here: slow to load (pango)
    except OSError as exc:   # WeasyPrint loads Pango through cffi: a machine without it fails here
        raise ImproperlyConfigured(
            "生成 PDF 需要 Pango 库：请安装 libpango-1.0-0 libpangoft2-1.0-0（scripts/system-deps.sh）/ "
            f"the PDF needs the Pango library: install libpango-1.0-0 libpangoft2-1.0-0 ({exc})") from exc

    pdf = HTML(string=render_html(b, standalone=True), base_url=str(TEMPLATES)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
