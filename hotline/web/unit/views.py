"""The unit inbox (承办工单): what a handling unit has to do, by tab, with counts.

Every row comes through the permission gate (``selectors.orders_visible_to``: the unit's orders as lead,
co-unit or executing unit). Quick buttons post to the shared action endpoint (``web:order_act``) and come
back here; everything else is done on the order page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from hotline.directory.models import User
from hotline.orders import selectors
from hotline.orders.models import Order
from hotline.rules.order import State
from hotline.rules.vocabulary import AppealType, Urgency
from hotline.web.orders import present
from hotline.web.orders.views import problem
from hotline.web.views.common import page

S = State
HANDLING = [s.value for s in present.HANDLING]
PAGE_SIZE = 50


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    hint: str

    def where(self, now: datetime) -> Q:
        return _WHERE[self.key](now)


TABS = (
    Tab("new", "新工单", "已派发、待签收"),
    Tab("doing", "办理中", "已签收、重办、临时办结"),
    Tab("soon", "即将到期", "办结时限在24小时内"),
    Tab("overdue", "已超期", "已过办结时限仍未答复"),
    Tab("redo", "重办", "不满意发回重办"),
    Tab("pending", "待审核", "退单、延期、临时办结、豁免、终结申请待热线审核"),
)
_WHERE = {
    "new": lambda now: Q(state=S.DISPATCHED.value),
    "doing": lambda now: Q(state__in=[S.SIGNED.value, S.REDO.value, S.PROVISIONALLY_CLOSED.value]),
    "soon": lambda now: Q(state__in=HANDLING, handle_due__gte=now, handle_due__lt=now + present.SOON),
    "overdue": lambda now: Q(state__in=HANDLING, handle_due__lt=now),
    "redo": lambda now: Q(state=S.REDO.value),
    "pending": lambda now: Q(state__in=[S.RETURN_REQUESTED.value, S.EXTENSION_REQUESTED.value,
                                        S.PROVISIONAL_CLOSE_REQUESTED.value, S.EXEMPTION_REQUESTED.value,
                                        S.TERMINATION_REQUESTED.value]),
}
_BY_KEY = {t.key: t for t in TABS}

_URGENT_FIRST = Case(When(urgency=Urgency.SPECIAL_URGENT.value, then=Value(0)),
                     When(urgency=Urgency.SPECIAL.value, then=Value(1)), default=Value(2), output_field=IntegerField())


def counts(user: User, now: datetime) -> dict[str, int]:
    """How many orders each tab holds, in one query."""
    mine = Order.objects.filter(pk__in=selectors.orders_visible_to(user).values("pk"))
    return mine.aggregate(**{t.key: Count("pk", filter=t.where(now)) for t in TABS})


def tab_orders(user: User, tab: Tab, now: datetime) -> QuerySet[Order]:
    return (selectors.orders_visible_to(user).filter(tab.where(now))
            .select_related("appeal", "category", "lead_unit", "executing_unit")
            .order_by(_URGENT_FIRST, F("handle_due").asc(nulls_last=True), "received_at", "pk"))


def _role_in(order: Order, user: User) -> str:
    if order.lead_unit_id == user.unit_id:
        return "主办"
    if order.executing_unit_id == user.unit_id:
        return "经办"
    return "协办"


def row(order: Order, user: User, now: datetime) -> dict[str, Any]:
    text = order.matter or order.appeal.title or order.appeal.content
    role = _role_in(order, user)
    return {"order": order, "appeal_type_zh": AppealType(order.appeal_type).zh, "state_zh": State(order.state).zh,
            "summary": text if len(text) <= 50 else text[:49] + "…", "due": present.local(order.handle_due),
            "due_status": present.handle_status(order, now), "role": role,
            "urgency_zh": Urgency(order.urgency).zh if order.urgency != Urgency.NORMAL.value else "",
            "can_sign": order.state == S.DISPATCHED.value and role != "协办"}


@login_required
def unit_inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not user.is_unit_staff or not user.unit_id:
        return problem(request, 403, "承办工单页面仅供承办单位工作人员使用")
    now = timezone.now()
    tab = _BY_KEY.get(request.GET.get("tab", ""), TABS[0])
    numbers = counts(user, now)
    paged = Paginator(tab_orders(user, tab, now), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "tabs": [{"tab": t, "count": numbers[t.key], "active": t.key == tab.key} for t in TABS],
        "tab": tab, "rows": [row(o, user, now) for o in paged], "paged": paged,
        "here": request.get_full_path(),
    }
    return page(request, "web/unit/inbox.html", context, current="web:unit_inbox", title="承办工单")
