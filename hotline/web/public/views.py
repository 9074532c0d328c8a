"""The public disclosure pages (ankang §29, heyuan §19): the units' results of a closed month, and the
processed appeals with personal data removed. No login; what may be shown is decided in
:mod:`hotline.assessment.bulletin.public`, never here.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from hotline.assessment.bulletin import public
from hotline.assessment.bulletin.build import month_start_day
from hotline.assessment.bulletin.figures import RATES, Month
from hotline.assessment.bulletin.filters import pct
from hotline.assessment.bulletin.units import UnitTable
from hotline.rules.errors import InvalidInput


@require_safe
def results(request: HttpRequest) -> HttpResponse:
    """The units' results of a month that has ended (default: the last one)."""
    now = timezone.now()
    latest = public.last_closed_month(now)
    text = request.GET.get("month", "").strip()
    try:
        month = Month.parse(text, month_start_day()) if text else latest
    except InvalidInput as exc:
        return render(request, "web/public/results.html", {"error": exc.message_zh, "latest": latest}, status=400)
    if month.end > now:
        return render(request, "web/public/results.html",
                      {"error": f"{month.zh}尚未结束，结果未公布", "latest": latest}, status=400)
    months = [latest]
    for _ in range(11):
        months.append(months[-1].previous())
    return render(request, "web/public/results.html", {
        "month": month, "latest": latest, "months": months,
        "tables": [_table(t) for t in public.public_results(month, now=now)],
    })


def _table(table: UnitTable) -> dict[str, object]:
    """A table with its rates written as percentages."""
    lines = [{"unit_code": r.unit_code, "unit_name": r.unit_name, "rank": r.rank, "score": r.score, "grade": r.grade,
              "orders": r.counts.get("orders", ""), "rates": [pct(r.rates.get(k)) for k in RATES]} for r in table.rows]
    return {"group": table.group, "title": table.title, "frozen": table.frozen, "rows": table.rows, "lines": lines}


@require_safe
def appeals(request: HttpRequest) -> HttpResponse:
    """Processed appeals, newest first, PAGE_SIZE a page, personal data removed."""
    paginator = Paginator(public.public_orders().only("pk"), public.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    orders = list(public.with_details(public.public_orders().filter(pk__in=[o.pk for o in page.object_list])))
    rows = [public.present(o) for o in orders]
    return render(request, "web/public/appeals.html", {"page": page, "rows": rows})
