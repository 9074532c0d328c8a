"""The assessment pages (考核): every unit's figures for a period, ranked by group, with movement; the
orders behind each figure; red and black lists; interview candidates (ziyang §25(5)); freezing a period and
its revisions; one-vote vetoes (xixian §23).

Thin: reads go through ``hotline.assessment.selectors`` (which checks who may read which unit), writes
through ``hotline.assessment.services``.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from hotline.assessment import selectors, services
from hotline.assessment.selectors import GROUP_ZH, GROUPS, UnitFigures
from hotline.directory.models import User
from hotline.orders import rulebook
from hotline.rules import assessment as rules
from hotline.rules.assessment import COUNT_ZH, RATE_ZH, RATES
from hotline.rules.calendar import SHANGHAI
from hotline.rules.deadlines import describe_rule
from hotline.rules.errors import Forbidden, RuleError
from hotline.rules.vocabulary import Evaluation
from hotline.web.supervision.access import order_url, roles_required, rule_text
from hotline.web.views.common import page

READERS = (User.Role.SUPERVISOR, User.Role.ANALYST, User.Role.ADMINISTRATOR, User.Role.UNIT_LEADER)
DECIDERS = (User.Role.SUPERVISOR,)
#: the rates shown as columns, in order
COLUMNS = ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate", "timely_sign_rate")
PART_ZH = {"numerator": "计入分子", "denominator": "仅计入分母", "excluded": "剔除", "counted": "计入"}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _default_period() -> str:
    """The last assessment month that has ended (per the profile's month start day)."""
    profile = rulebook.profile()
    today = timezone.localtime().date()
    current = rules.Period.parse(f"{today.year}-{today.month:02d}", profile.assessment.month_start_day)
    while current.start > today:
        current = current.previous()
    while current.end <= today:
        current = current.next()
    return str(current.previous())


def _percent(value: object) -> str:
    return "—" if value is None else f"{float(str(value)) * 100:.2f}%"


def _row(f: UnitFigures, period: str) -> dict[str, object]:
    base = reverse("web:assessment_orders", args=[f.unit_code])

    def link(figure: str) -> str:
        return f"{base}?{urlencode({'period': period, 'figure': figure})}"

    return {"f": f, "rates": [{"name": r, "value": _percent(f.rates.get(r)), "url": link(r)} for r in COLUMNS],
            "orders_url": link("orders"), "excluded_url": link("excluded"), "overdue_url": link("overdue"),
            "change": "" if f.rank_change is None else (f"↑{f.rank_change}" if f.rank_change > 0 else
                                                        (f"↓{-f.rank_change}" if f.rank_change < 0 else "—"))}


@require_GET
@roles_required(READERS, "单位考核")
def figures(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    period = (request.GET.get("period") or "").strip() or _default_period()
    group = request.GET.get("group") or None
    if group not in (None, *GROUPS):
        group = None
    profile = rulebook.profile()
    context: dict[str, object] = {"period": period, "group": group, "groups": GROUP_ZH, "columns":
                                  [RATE_ZH[c] for c in COLUMNS], "is_decider": user.role in DECIDERS,
                                  "rule": profile.assessment, "rule_text": describe_rule(profile.assessment.source)}
    try:
        found = selectors.unit_figures(period, group=group)
        frozen = selectors.frozen_period(period)
        candidates = selectors.interview_candidates(period) if selectors.may_read_all(user) else []
        changes = selectors.revisions(period) if frozen else []
        now_scores = selectors.live_scores(period) if frozen and changes else {}
        found_period = selectors.parse_period(period)
    except RuleError as exc:
        context["error"] = rule_text(exc)
        return page(request, "web/assessment/figures.html", context, current="web:assessment", title="单位考核",
                    status=400)
    visible = [f for f in found if selectors.readable_unit(user, f.unit_code)]
    sections = []
    for name in GROUPS:
        members = [f for f in visible if f.group == name]
        if not members:
            continue
        lists = selectors.red_black_lists(members, profile.assessment.list_size)
        rows = [_row(f, period) for f in members]
        for row in rows:
            f = row["f"]
            assert isinstance(f, UnitFigures)
            if f.revised and f.unit_code in now_scores:
                row["now"] = True
                row["now_score"], row["now_rank"] = now_scores[f.unit_code]
        sections.append({"group": name, "label": GROUP_ZH[name], "rows": rows,
                         "red": lists.red, "black": lists.black})
    ended = datetime.combine(found_period.end, time.min, SHANGHAI) <= timezone.now()
    weights = [{"label": RATE_ZH.get(w.figure, w.figure), "weight": w.weight} for w in profile.assessment.weights]
    context.update({
        "sections": sections, "frozen": frozen, "revisions": changes, "candidates": candidates,
        "span": found_period, "can_freeze": user.role in DECIDERS and frozen is None and ended,
        "can_veto": user.role in DECIDERS and frozen is None and profile.assessment.one_vote_veto,
        "weights": weights, "w": profile.assessment.basically_satisfied_weight,
        "exclusions": [{"reason": rules.exclusion_zh(k), "rule": describe_rule(v)}
                       for k, v in selectors.exclusion_rules(profile).items()],
        "interview_url": reverse("web:supervision"), "count_zh": COUNT_ZH,
        "refreshed": selectors.last_refreshed(),
        "units": visible if user.role in DECIDERS else [],
    })
    return page(request, "web/assessment/figures.html", context, current="web:assessment", title="单位考核")


@require_GET
@roles_required(READERS, "单位考核")
def figure_orders(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    period = (request.GET.get("period") or "").strip() or _default_period()
    figure = (request.GET.get("figure") or "satisfaction_rate").strip()
    context: dict[str, object] = {"period": period, "code": code, "figure": figure,
                                  "figure_zh": RATE_ZH.get(figure) or COUNT_ZH.get(figure, figure),
                                  "back": f"{reverse('web:assessment')}?{urlencode({'period': period})}"}
    try:
        rows = selectors.figure_orders(user=user, period=period, unit=code, figure=figure)
        mine = [f for f in selectors.unit_figures(period) if f.unit_code == code]
    except RuleError as exc:
        context["error"] = rule_text(exc)
        status = 403 if isinstance(exc, Forbidden) else 400
        return page(request, "web/assessment/orders.html", context, current="web:assessment", title="考核明细",
                    status=status)
    if figure in RATES:
        top, bottom = RATES[figure]
        numerator = " + ".join(COUNT_ZH[k] for k in top)
        if figure == "satisfaction_rate":
            w = rulebook.profile().assessment.basically_satisfied_weight
            numerator = f"满意 + {w} × 基本满意"
        context["formula"] = (f"（{numerator}）" if len(top) > 1 else numerator) + " ÷ " + (
            "（" + " + ".join(COUNT_ZH[k] for k in bottom) + "）" if len(bottom) > 1 else COUNT_ZH[bottom[0]])
    context.update({
        "unit": mine[0] if mine else None,
        "value": _percent(mine[0].rates.get(figure)) if mine and figure in RATES else
                 (mine[0].counts.get(figure) if mine else None),
        "rows": [{"r": r, "url": order_url(r.order_id), "part": PART_ZH[r.role],
                  "evaluation": Evaluation(r.evaluation).zh if r.evaluation else "—",
                  "excluded": rules.exclusion_zh(r.excluded) if r.excluded else "",
                  "counts": "、".join(f"{COUNT_ZH.get(k, k)} {v}" for k, v in r.counts.items()),
                  "rule": describe_rule(r.excluded_rule) if r.excluded_rule else ""} for r in rows],
    })
    return page(request, "web/assessment/orders.html", context, current="web:assessment", title="考核明细")


@require_POST
@roles_required(DECIDERS, "封存考核期")
def freeze(request: HttpRequest) -> HttpResponse:
    period = (request.POST.get("period") or "").strip()
    try:
        frozen = services.assessment_freeze(user=_user(request), period=period)
        messages.success(request, f"考核期 {frozen.period} 已封存，共 {frozen.figures.count()} 个单位")
    except RuleError as exc:
        messages.error(request, rule_text(exc))
    return redirect(f"{reverse('web:assessment')}?{urlencode({'period': period})}")


@require_POST
@roles_required(DECIDERS, "一票否决")
def veto(request: HttpRequest) -> HttpResponse:
    period = (request.POST.get("period") or "").strip()
    try:
        found = services.assessment_veto(user=_user(request), unit=request.POST.get("unit", ""), period=period,
                                         reason=request.POST.get("reason", ""))
        messages.success(request, f"已对 {found.unit.name} 实行一票否决（{period}）")
    except RuleError as exc:
        messages.error(request, rule_text(exc))
    return redirect(f"{reverse('web:assessment')}?{urlencode({'period': period})}")
