"""What every workbench page shares: the navigation of a role, login and the home page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from hotline.directory.models import User


@dataclass(frozen=True)
class NavItem:
    name: str          # URL name
    label: str
    roles: frozenset[str]


HOTLINE = frozenset({User.Role.OPERATOR, User.Role.DISPATCHER, User.Role.SUPERVISOR})
UNIT = frozenset({User.Role.UNIT_HANDLER, User.Role.UNIT_LEADER})

#: every workbench, in menu order; a page appears in the menu once its URL exists
NAV = (
    NavItem("web:intake", "坐席受理", frozenset({User.Role.OPERATOR, User.Role.DISPATCHER})),
    NavItem("web:dispatch", "派单", frozenset({User.Role.DISPATCHER, User.Role.SUPERVISOR})),
    NavItem("web:reviews", "审核", frozenset({User.Role.DISPATCHER, User.Role.SUPERVISOR})),
    NavItem("web:unit_inbox", "承办工单", UNIT),
    NavItem("web:callbacks", "回访", frozenset({User.Role.OPERATOR, User.Role.SUPERVISOR})),
    NavItem("web:supervision", "督办", frozenset({User.Role.SUPERVISOR})),
    NavItem("web:orders", "工单查询", HOTLINE | UNIT | {User.Role.ANALYST}),
    NavItem("web:kb", "知识库", HOTLINE | UNIT),
    NavItem("web:analytics", "统计分析", frozenset({User.Role.ANALYST, User.Role.SUPERVISOR, User.Role.ADMINISTRATOR})),
    NavItem("web:warnings", "预警", frozenset({User.Role.SUPERVISOR, User.Role.ADMINISTRATOR, User.Role.ANALYST})),
    NavItem("web:assessment", "单位考核", frozenset({User.Role.SUPERVISOR, User.Role.ANALYST, User.Role.ADMINISTRATOR,
                                                User.Role.UNIT_LEADER})),
    NavItem("web:bulletin", "月度通报", frozenset({User.Role.SUPERVISOR, User.Role.ANALYST, User.Role.ADMINISTRATOR})),
)


def nav_for(user: User, current: str = "") -> list[dict[str, object]]:
    items = []
    for item in NAV:
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": item.label, "active": item.name == current})
    if user.role == User.Role.ADMINISTRATOR:
        items.append({"url": reverse("admin:index"), "label": "管理后台", "active": False})
    return items


def page(request: HttpRequest, template: str, context: dict[str, object], *, current: str = "",
         title: str = "", status: int = 200) -> HttpResponse:
    """Render a workbench page with the role's navigation."""
    user = request.user
    nav = nav_for(user, current) if isinstance(user, User) else []
    return render(request, template, {"nav_items": nav, "page_title": title, **context}, status=status)


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its first workbench."""
    assert isinstance(request.user, User)
    items = nav_for(request.user)
    if items:
        return redirect(str(items[0]["url"]))
    return page(request, "web/home.html", {}, title="工作台")
