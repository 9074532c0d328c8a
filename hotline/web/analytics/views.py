"""The analytics pages. Thin: the dashboard page is a filter form and empty charts that fetch their data from
``/api/v1/analytics/volume`` (static/web/analytics.js); hot issues and governance are rendered here from the
selectors of ``hotline.analytics``."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from hotline.analytics import dashboard, governance, hotspots, services
from hotline.analytics.access import may_read
from hotline.analytics.models import Topic
from hotline.directory.models import Category, Region, Unit, User
from hotline.orders.models import Channel
from hotline.rules.errors import RuleError
from hotline.rules.vocabulary import AppealType
from hotline.web.orders.views import problem
from hotline.web.views.common import page

CHARTS = (("day", "受理量走势"), ("channel", "按受理渠道"), ("appeal_type", "按诉求类型"), ("category", "按诉求分类"),
          ("region", "按区域"), ("unit", "按主办单位"))


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _choices() -> dict[str, Any]:
    return {"channels": Channel.choices, "appeal_types": [(t.value, t.zh) for t in AppealType],
            "categories": list(Category.objects.order_by("code").values_list("code", "name")),
            "regions": list(Region.objects.order_by("code").values_list("code", "name")),
            "units": list(Unit.objects.filter(active=True).order_by("code").values_list("code", "name"))}


def _forbidden(request: HttpRequest) -> HttpResponse:
    return problem(request, 403, "统计分析仅供分析员、热线督办和管理员查看")


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    if not may_read(_user(request)):
        return _forbidden(request)
    try:
        filters = dashboard.parse_filters(request.GET.dict(), today=timezone.localdate())
        error = ""
    except RuleError as exc:
        filters, error = dashboard.parse_filters({}, today=timezone.localdate()), exc.message_zh
    found = dashboard.region_map()
    charts = CHARTS if (filters.end - filters.start).days <= 92 else (("month", "受理量走势（按月）"), *CHARTS[1:])
    context = {"filters": filters, "error": error, "charts": charts, "has_map": found is not None,
               "api": "/api/v1/analytics/", "orders_url": reverse("web:orders"), **_choices()}
    return page(request, "web/analytics/dashboard.html", context, current="web:analytics", title="统计分析",
                status=400 if error else 200)


def _day(value: str, fallback: date) -> date:
    try:
        return date.fromisoformat(value) if value else fallback
    except ValueError:
        return fallback


@login_required
def hot(request: HttpRequest) -> HttpResponse:
    if not may_read(_user(request)):
        return _forbidden(request)
    today = timezone.localdate()
    last = _day(request.GET.get("end", ""), today)
    try:
        days = max(1, min(int(request.GET.get("days", "7")), 62))
    except ValueError:
        days = 7
    category, region = request.GET.get("category", "")[:32], request.GET.get("region", "")[:32]
    issues = hotspots.hot_issues(end=last + timedelta(days=1), days=days, category=category, region=region)
    rows = [{"issue": h, "trend": json.dumps([[d.isoformat(), n] for d, n in h.trend]),
             "orders": list(zip(h.order_ids, h.numbers, strict=True))} for h in issues]
    context = {"rows": rows, "end": last, "days": days, "category": category, "region": region,
               "window_start": last - timedelta(days=days - 1), **_choices()}
    return page(request, "web/analytics/hot.html", context, current="web:analytics", title="热点诉求")


@login_required
def governance_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_read(user):
        return _forbidden(request)
    if request.method == "POST":
        try:
            month = date.fromisoformat(request.POST.get("month", "") + "-01")
        except ValueError:
            month = timezone.localdate()
        try:
            topic = services.topic_adopt(user=user, title=request.POST.get("title", ""), note=request.POST.get("note", ""),
                                         month=month, category=request.POST.get("category", ""),
                                         region=request.POST.get("region", ""), keywords=request.POST.get("keywords", ""))
        except RuleError as exc:
            messages.error(request, f"未能采纳专题：{exc.message_zh}")
            return redirect("web:analytics_governance")
        messages.success(request, f"已采纳专题：{topic.title}")
        return redirect("web:analytics_topic", topic.pk)
    try:
        filters = dashboard.parse_filters(request.GET.dict(), today=timezone.localdate())
    except RuleError:
        filters = dashboard.parse_filters({}, today=timezone.localdate())
    orders = reverse("web:orders")
    problems = [{"p": p, "url": f"{orders}?{urlencode(p.drill)}"} for p in governance.common_problems(filters)]
    topics = [{"topic": t, "tracking": governance.topic_tracking(t)}
              for t in Topic.objects.select_related("category", "region", "adopted_by")[:24]]
    context = {"filters": filters, "problems": problems, "topics": topics,
               "may_adopt": user.role in services.TOPIC_ROLES, "this_month": timezone.localdate().strftime("%Y-%m"),
               **_choices()}
    return page(request, "web/analytics/governance.html", context, current="web:analytics", title="主动治理")


@login_required
def topic_page(request: HttpRequest, topic_id: int) -> HttpResponse:
    if not may_read(_user(request)):
        return _forbidden(request)
    topic = Topic.objects.select_related("category", "region", "adopted_by").filter(pk=topic_id).first()
    if topic is None:
        return problem(request, 404, f"专题 {topic_id} 不存在")
    tracking = governance.topic_tracking(topic)
    series = json.dumps([[m.strftime("%Y-%m"), n, since] for m, n, since in tracking.months])
    return page(request, "web/analytics/topic.html", {"topic": topic, "tracking": tracking, "series": series},
                current="web:analytics", title=f"专题：{topic.title}")
