"""The monthly bulletin page (月度通报) for supervisors, analysts and administrators.

``/bulletin/?month=2026-10`` shows the bulletin (the same HTML the PDF is made of); ``/bulletin/2026-10.xlsx``
and ``/bulletin/2026-10.pdf`` download it. The figures are built by :mod:`hotline.assessment.bulletin`.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from hotline.assessment.bulletin import build_bulletin, render_html, render_pdf, write_xlsx
from hotline.assessment.bulletin.build import month_start_day
from hotline.assessment.bulletin.figures import Month
from hotline.assessment.bulletin.public import last_closed_month
from hotline.directory.models import User
from hotline.rules.errors import InvalidInput
from hotline.web.supervision.access import roles_required
from hotline.web.views.common import page

READERS = (User.Role.SUPERVISOR, User.Role.ANALYST, User.Role.ADMINISTRATOR)
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}


def _months() -> list[Month]:
    """This month and the twelve before it, newest first."""
    now = timezone.now()
    current = last_closed_month(now).next()
    months = [current]
    for _ in range(12):
        months.append(months[-1].previous())
    return months


@require_safe
@roles_required(READERS, "月度通报")
def bulletin(request: HttpRequest) -> HttpResponse:
    months = _months()
    text = request.GET.get("month", "").strip()
    try:
        month = Month.parse(text, month_start_day()) if text else months[1]
    except InvalidInput as exc:
        return page(request, "web/bulletin/page.html", {"error": exc.message_zh, "months": months},
                    current="web:bulletin", title="月度通报", status=400)
    cases = [n.strip() for n in request.GET.get("cases", "").replace("，", ",").split(",") if n.strip()]
    built = build_bulletin(month, cases=cases)
    html = mark_safe(render_html(built, standalone=False))  # noqa: S308 - our template, autoescaped
    return page(request, "web/bulletin/page.html", {"month": month, "months": months, "bulletin": built, "html": html,
                                                     "cases": ",".join(cases)},
                current="web:bulletin", title=f"月度通报 {month.zh}")


@require_safe
@roles_required(READERS, "月度通报")
def download(request: HttpRequest, month: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("format")
    try:
        parsed = Month.parse(month, month_start_day())
    except InvalidInput as exc:
        raise Http404(exc.message_zh) from None
    cases = [n.strip() for n in request.GET.get("cases", "").split(",") if n.strip()]
    built = build_bulletin(parsed, cases=cases)
    body = write_xlsx(built) if fmt == "xlsx" else render_pdf(built)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="bulletin-{parsed}.{fmt}"'
    return response
