"""知识库: search (htmx, as you type), the unit's entries and their workflow, flags, Excel, figures.

- ``GET /kb/`` (``web:kb``): the search box and the tabs 本单位条目 (unit staff), 待发布 (hotline staff),
  待处理标记 and 复核到期; ``GET /kb/search/`` is the results fragment.
- ``GET /kb/<id>/``: the entry, its versions and timeline, and the workflow actions: each enabled, or
  disabled with the reason the workflow table gives (``hotline.kb.workflow``); ``POST /kb/<id>/act/<action>/``
  calls the service, a refusal shows its Chinese message with the article and changes nothing.
- ``GET/POST /kb/new/``, ``/kb/<id>/edit/``: the entry form (a new draft, or a new version).
- ``POST /kb/<id>/flag/`` (hotline staff: 标记答案有误), ``POST /kb/flags/<id>/resolve/`` (the owning unit).
- ``GET/POST /kb/import/``, ``GET /kb/export/``: Excel; ``GET /kb/figures/``: first-contact rate and upkeep.

Views are thin: reads through ``hotline.kb.selectors`` / ``search``, writes through ``hotline.kb.services``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hotline.directory.models import Category, Region, Unit, User
from hotline.kb import excel, figures, search, selectors, services
from hotline.kb.content import EntryContent
from hotline.kb.models import Entry, EntryFlag
from hotline.kb.workflow import (
    HOTLINE_ROLES,
    PUBLISHER_ROLES,
    UNIT_ROLES,
    Action,
    Kind,
    Status,
    Step,
    allowed,
    next_step,
)
from hotline.rules.errors import InvalidInput, RuleError
from hotline.web.intake.helpers import refusal, role_required, source_label
from hotline.web.views.common import page

KB_ROLES = (*sorted(HOTLINE_ROLES), *sorted(UNIT_ROLES))
FIGURE_ROLES = (*KB_ROLES, User.Role.ANALYST.value)
#: the workflow actions the entry page offers, in order; (action, label, needs a note, danger)
ACTIONS: tuple[tuple[Action, bool, bool], ...] = (
    (Action.SUBMIT, False, False), (Action.APPROVE, False, False), (Action.PUBLISH, False, False),
    (Action.REJECT, True, True), (Action.CONFIRM, False, False), (Action.WITHDRAW, True, True))
SERVICES = {Action.SUBMIT: services.kb_entry_submit, Action.APPROVE: services.kb_entry_approve,
            Action.PUBLISH: services.kb_entry_publish, Action.REJECT: services.kb_entry_reject,
            Action.CONFIRM: services.kb_entry_confirm, Action.WITHDRAW: services.kb_entry_withdraw}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # role_required let only users through
    return request.user


def _unit_code(user: User) -> str:
    return user.unit.code if user.unit_id and user.unit else ""


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = ""
    return HttpResponseRedirect(target or default)


def _refused(request: HttpRequest, error: RuleError) -> None:
    shown = refusal(error)
    messages.error(request, f"未执行：{shown['message']}" + (f"（依据：{shown['article']}）" if shown["article"] else ""))


# --- what the workflow allows this user --------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    """One action on an entry for a page: enabled, or disabled with the reason."""

    action: str
    label: str
    enabled: bool
    reason: str = ""
    needs_note: bool = False
    danger: bool = False


def _rule() -> str:
    return source_label(services.approval_rule()[1])


def _refusal_for(entry: Entry, user: User, action: Action) -> str:
    """Why ``user`` may not take ``action`` on ``entry`` now ("" when they may), in the services' words."""
    actor = services.who(user)
    owner = entry.unit.code
    if action in (Action.SUBMIT, Action.UPDATE):
        if not actor.may_edit(owner, entry.kind_enum):
            return f"条目由{entry.unit.name}负责维护（谁提供、谁负责、谁更新，资阳 §17）"
        return ""
    if action is Action.WITHDRAW:
        if user.role in PUBLISHER_ROLES or actor.fills(Step.UNIT_LEADER, owner):
            return ""
        return "只有热线管理机构或责任单位负责人可以撤下条目"
    if action is Action.CONFIRM:
        return "" if actor.fills(Step.UNIT_LEADER, owner) else f"复核确认由{entry.unit.name}负责人作出"
    steps = services.approval_steps(entry.kind_enum)
    step = (Step(entry.pending_step) if action is Action.REJECT and entry.pending_step
            else next_step(steps, entry.approvals) or Step.HOTLINE)
    if action is Action.PUBLISH and step is not Step.HOTLINE:
        return f"{_rule()}：须先经{step.zh}审核，才能由热线发布"
    if action is Action.APPROVE and step is Step.HOTLINE:
        return "已通过单位审核，待热线管理机构发布"
    if not actor.fills(step, owner):
        if step is Step.HOTLINE:
            return f"{_rule()}：条目由热线管理机构（督办、派单人员）发布"
        return f"{_rule()}：此环节须由{entry.unit.name}{step.zh}审核"
    return ""


def choices_for(entry: Entry, user: User) -> list[Choice]:
    """The workflow actions the entry's status allows, each enabled or disabled with the reason."""
    found = []
    for action, needs_note, danger in ACTIONS:
        if allowed(entry.status_enum, action) is None:
            continue
        reason = _refusal_for(entry, user, action)
        found.append(Choice(action.value, action.zh, not reason, reason, needs_note, danger))
    return found


def edit_refusal(entry: Entry, user: User) -> str:
    if allowed(entry.status_enum, Action.UPDATE) is None:
        return f"条目处于“{entry.status_enum.zh}”状态，不能修改"
    return _refusal_for(entry, user, Action.UPDATE)


def status_label(entry: Entry) -> str:
    """草稿 / 待单位负责人审核 / 已审核，待发布 / 已发布 / 已发布 · 待复核 / 已退回 / 已撤下."""
    if entry.status == Status.SUBMITTED.value:
        if entry.pending_step == Step.HOTLINE.value:
            return "已审核，待发布"
        return f"待{Step(entry.pending_step).zh}审核" if entry.pending_step else Status.SUBMITTED.zh
    if entry.status == Status.PUBLISHED.value and entry.review_requested_at is not None:
        return "已发布 · 待复核"
    return entry.status_enum.zh


def _row(entry: Entry, user: User) -> dict[str, Any]:
    shown = selectors.shown_version(user, entry)
    return {"entry": entry, "question": shown.question if shown else "", "status": status_label(entry),
            "kind_zh": entry.kind_enum.zh, "choices": [c for c in choices_for(entry, user) if c.enabled],
            "editable": not edit_refusal(entry, user)}


# --- the home page: search and tabs ---------------------------------------------------------------

def _tabs(user: User) -> list[tuple[str, str]]:
    tabs = [("search", "检索")]
    if user.role in UNIT_ROLES:
        tabs.append(("mine", "本单位条目"))
    if user.role in HOTLINE_ROLES:
        tabs.append(("publish", "待发布"))
    tabs += [("flags", "待处理标记"), ("review", "复核到期")]
    return tabs


def _tab_rows(user: User, tab: str) -> list[dict[str, Any]]:
    if tab == "mine":
        rows = selectors.entry_list_for_user(user=user, unit=_unit_code(user) or "-")
    elif tab == "publish":
        rows = selectors.entry_list_for_user(user=user, status=Status.SUBMITTED.value).filter(
            pending_step=Step.HOTLINE.value)
    elif tab == "review":
        rows = selectors.entry_list_for_user(user=user, due_for_review=True)
        if user.role in UNIT_ROLES:
            rows = rows.filter(unit_id=user.unit_id or 0)
    else:
        return []
    return [_row(e, user) for e in rows[:200]]


@role_required(*KB_ROLES)
@require_GET
def kb_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    tabs = _tabs(user)
    tab = request.GET.get("tab", "search")
    if tab not in dict(tabs):
        tab = "search"
    flags = []
    if tab == "flags":
        flags = [{"flag": f, "may_resolve": services.who(user).fills(Step.UNIT, f.entry.unit.code)}
                 for f in selectors.flags_for_user(user=user, status=EntryFlag.Status.OPEN.value)[:200]]
    context: dict[str, object] = {"tabs": tabs, "tab": tab, "rows": _tab_rows(user, tab), "flags": flags,
               "regions": Region.objects.order_by("code"), "q": request.GET.get("q", ""),
               "region": request.GET.get("region", ""), "may_create": user.role in UNIT_ROLES | PUBLISHER_ROLES,
               "is_unit": user.role in UNIT_ROLES, "here": request.get_full_path(),
               "resolutions": EntryFlag.Resolution.choices}
    query, region = request.GET.get("q", ""), request.GET.get("region", "")
    if query:
        context.update(_results(user, query, region))
    return page(request, "web/kb/home.html", context, current="web:kb", title="知识库")


def _results(user: User, query: str, region: str) -> dict[str, Any]:
    audience = "unit" if user.role in UNIT_ROLES else "operator"
    try:
        hits = search.kb_search(query[:200], region=region or None, audience=audience, limit=20)
    except RuleError as error:
        return {"hits": [], "search_error": refusal(error), "searched": True}
    return {"hits": [h.doc for h in hits], "searched": bool(query.strip()),
            "may_flag": user.role in HOTLINE_ROLES}


@role_required(*KB_ROLES)
@require_GET
def kb_results(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = _results(user, request.GET.get("q", ""), request.GET.get("region", ""))
    return render(request, "web/kb/_results.html", {**context, "q": request.GET.get("q", "")})


# --- one entry ------------------------------------------------------------------------------------

def _entry(user: User, entry_id: int) -> Entry:
    try:
        return selectors.entry_get_for_user(user=user, entry_id=entry_id)
    except RuleError:
        raise Http404("知识库条目不存在") from None


@role_required(*KB_ROLES)
@require_GET
def entry_page(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = _user(request)
    entry = _entry(user, entry_id)
    shown = selectors.shown_version(user, entry)
    sees = selectors.sees_drafts(user, entry)
    events = [{"event": e, "action_zh": Action(e.action).zh, "rule": source_label(e.rule) if e.rule else ""}
              for e in selectors.entry_events(user=user, entry=entry)]
    context: dict[str, object] = {
        "entry": entry, "shown": shown, "status": status_label(entry), "kind_zh": entry.kind_enum.zh,
        "versions": list(selectors.entry_versions(user=user, entry=entry).order_by("-number")),
        "events": events, "choices": choices_for(entry, user), "edit_refusal": edit_refusal(entry, user),
        "flags": list(entry.flags.filter(status=EntryFlag.Status.OPEN).select_related("raised_by")) if sees else [],
        "may_flag": user.role in HOTLINE_ROLES and entry.published_id is not None,
        "steps": [s.zh for s in services.approval_steps(entry.kind_enum)], "rule": _rule(),
        "here": request.get_full_path(),
    }
    return page(request, "web/kb/entry.html", context, current="web:kb", title=f"知识库条目 {entry.code}")


@role_required(*KB_ROLES)
@require_POST
def entry_act(request: HttpRequest, entry_id: int, action: str) -> HttpResponse:
    user = _user(request)
    entry = _entry(user, entry_id)
    try:
        chosen = Action(action)
        service = SERVICES[chosen]
    except (ValueError, KeyError):
        raise Http404("没有这个操作") from None
    default = reverse("web:kb_entry", args=[entry.pk])
    try:
        service(entry=entry.pk, user=user, note=request.POST.get("note", "")[:2000])
    except RuleError as error:
        _refused(request, error)
        return _back(request, default)
    messages.success(request, f"已{chosen.zh}：{entry.code}")
    return _back(request, default)


# --- the entry form -------------------------------------------------------------------------------

def _lines(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace("；", "\n").replace(";", "\n").splitlines() if part.strip())


def _codes(text: str) -> tuple[str, ...]:
    return tuple(p for p in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if p.strip())


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[(k.value, k.zh) for k in Kind])
    unit = forms.ChoiceField(label="责任单位（应急信息）", required=False)
    question = forms.CharField(label="标准问题", max_length=300,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}))
    variants = forms.CharField(label="其他问法（每行一个）", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(label="答案", max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    basis_document = forms.CharField(label="政策依据文件", required=False, max_length=300)
    basis_article = forms.CharField(label="条款", required=False, max_length=100)
    basis_url = forms.CharField(label="依据链接", required=False, max_length=500)
    region = forms.ChoiceField(label="适用区域", required=False)
    categories = forms.MultipleChoiceField(label="分类", required=False)
    valid_from = forms.DateField(label="生效日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label="失效日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tags = forms.CharField(label="标签（以逗号或顿号分隔）", required=False, max_length=700)
    public = forms.BooleanField(label="向公众公开", required=False)
    priority = forms.IntegerField(label="优先级（应急信息：越大越靠前）", required=False, min_value=-100, max_value=100)
    expires_at = forms.DateTimeField(label="应急信息截止时间", required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format="%Y-%m-%dT%H:%M"),
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    note = forms.CharField(label="修改说明", required=False, max_length=500)

    def __init__(self, *args: Any, user: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("region", [("", "（全市适用）")] + [(r.code, r.name) for r in Region.objects.order_by("code")])
        self._choices("categories", [(c.code, c.name) for c in Category.objects.filter(active=True).order_by("code")])
        if user.role in UNIT_ROLES:
            del self.fields["unit"]
        else:   # the hotline drafts emergency information only, for the unit concerned (tianjin §15)
            self._choices("kind", [(Kind.EMERGENCY.value, Kind.EMERGENCY.zh)])
            self._choices("unit", [(u.code, u.name) for u in Unit.objects.filter(active=True).order_by("code")])
            self.fields["unit"].required = not editing
        if editing:
            del self.fields["kind"]
            self.fields.pop("unit", None)

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def content(self) -> EntryContent:
        data = self.cleaned_data
        return EntryContent(
            question=data["question"], answer=data["answer"], variants=_lines(data["variants"]),
            basis_document=data["basis_document"], basis_article=data["basis_article"], basis_url=data["basis_url"],
            region=data["region"] or None, categories=tuple(data["categories"]), valid_from=data["valid_from"],
            valid_until=data["valid_until"], tags=_codes(data["tags"]), public=data["public"],
            priority=data["priority"] or 0, expires_at=data["expires_at"])


def _initial(entry: Entry) -> dict[str, Any]:
    version = entry.latest
    if version is None:
        return {}
    content = services.content_of(version)
    expires = timezone.localtime(content.expires_at) if content.expires_at else None
    return {**content.as_dict(), "variants": "\n".join(content.variants), "tags": "、".join(content.tags),
            "region": content.region or "", "categories": list(content.categories), "expires_at": expires}


def _form_page(request: HttpRequest, form: EntryForm, entry: Entry | None, error: RuleError | None = None,
               status: int = 200) -> HttpResponse:
    return page(request, "web/kb/form.html", {"form": form, "entry": entry, "error": refusal(error) if error else None},
                current="web:kb", title=f"修改条目 {entry.code}" if entry else "新建知识库条目", status=status)


@role_required(*UNIT_ROLES, *PUBLISHER_ROLES)
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method != "POST":
        return _form_page(request, EntryForm(user=user), None)
    form = EntryForm(request.POST, user=user)
    if not form.is_valid():
        return _form_page(request, form, None, status=422)
    try:
        entry = services.kb_entry_create(user=user, content=form.content(), kind=form.cleaned_data["kind"],
                                         unit=form.cleaned_data.get("unit") or None,
                                         note=form.cleaned_data["note"])
    except RuleError as error:
        return _form_page(request, form, None, error, status=422)
    messages.success(request, f"已新建：{entry.code}（草稿，提交后进入审核）")
    return HttpResponseRedirect(reverse("web:kb_entry", args=[entry.pk]))


@role_required(*UNIT_ROLES, *PUBLISHER_ROLES)
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = _user(request)
    entry = _entry(user, entry_id)
    if request.method != "POST":
        refused = edit_refusal(entry, user)
        if refused:
            messages.error(request, f"不能修改：{refused}")
            return HttpResponseRedirect(reverse("web:kb_entry", args=[entry.pk]))
        return _form_page(request, EntryForm(user=user, editing=True, initial=_initial(entry)), entry)
    form = EntryForm(request.POST, user=user, editing=True)
    if not form.is_valid():
        return _form_page(request, form, entry, status=422)
    try:
        services.kb_entry_update(entry=entry.pk, user=user, content=form.content(), note=form.cleaned_data["note"])
    except RuleError as error:
        return _form_page(request, form, entry, error, status=422)
    messages.success(request, f"已修改：{entry.code}（新版本为草稿，提交后进入审核）")
    return HttpResponseRedirect(reverse("web:kb_entry", args=[entry.pk]))


# --- flags ----------------------------------------------------------------------------------------

@role_required(*HOTLINE_ROLES)
@require_POST
def entry_flag(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = _user(request)
    entry = _entry(user, entry_id)
    try:
        services.kb_entry_flag(entry=entry.pk, user=user, reason=request.POST.get("reason", ""),
                               order_number=request.POST.get("order_number", ""))
    except RuleError as error:
        if _is_htmx(request):
            return render(request, "web/kb/_flagged.html", {"entry": entry, "error": refusal(error)}, status=422)
        _refused(request, error)
        return _back(request, reverse("web:kb_entry", args=[entry.pk]))
    if _is_htmx(request):
        return render(request, "web/kb/_flagged.html", {"entry": entry})
    messages.success(request, f"已报告答案有误：{entry.code}，已转{entry.unit.name}核实")
    return _back(request, reverse("web:kb_entry", args=[entry.pk]))


@role_required(*UNIT_ROLES)
@require_POST
def flag_resolve(request: HttpRequest, flag_id: int) -> HttpResponse:
    user = _user(request)
    flag = selectors.flags_for_user(user=user, status=None).filter(pk=flag_id).first()
    if flag is None:
        raise Http404("纠错报告不存在")
    try:
        services.kb_flag_resolve(flag=flag.pk, user=user, resolution=request.POST.get("resolution", ""),
                                 note=request.POST.get("note", "")[:2000])
    except RuleError as error:
        _refused(request, error)
    else:
        messages.success(request, f"已处理纠错：{flag.entry.code}")
    return _back(request, reverse("web:kb") + "?tab=flags")


# --- Excel ----------------------------------------------------------------------------------------

@role_required(*UNIT_ROLES, *PUBLISHER_ROLES)
@require_http_methods(["GET", "POST"])
def kb_import_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"headers": list(excel.HEADERS), "required": excel.REQUIRED}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput("请选择要导入的 Excel 文件", "choose an Excel file to import")
            if (upload.size or 0) > excel.MAX_BYTES:
                raise InvalidInput(f"文件超过 {excel.MAX_BYTES // (1024 * 1024)} MB",
                                         f"the file is larger than {excel.MAX_BYTES // (1024 * 1024)} MB")
            context["result"] = excel.kb_import(user=_user(request), data=upload.read(),
                                                submit=request.POST.get("submit") == "on")
        except excel.ImportRefused as refused:
            context["problems"], status = refused.problems, 422
        except RuleError as error:
            context["error"], status = refusal(error), 422
    return page(request, "web/kb/import.html", context, current="web:kb", title="Excel 导入", status=status)


@role_required(*UNIT_ROLES, *HOTLINE_ROLES)
@require_GET
def kb_export_file(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = request.GET.get("status") or None
    try:
        data = excel.kb_export(user=user, unit=request.GET.get("unit") or None, status=status)
    except RuleError as error:
        _refused(request, error)
        return HttpResponseRedirect(reverse("web:kb"))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kb-{timezone.localtime():%Y%m%d}.xlsx"'
    return response


# --- figures --------------------------------------------------------------------------------------

def _day(text: str, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


@role_required(*FIGURE_ROLES)
@require_GET
def kb_figures(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    until = _day(request.GET.get("until", ""), today + timedelta(days=1))
    since = _day(request.GET.get("since", ""), until - timedelta(days=30))
    zone = timezone.get_current_timezone()
    context: dict[str, Any] = {"since": since, "until": until, "is_unit": user.role in UNIT_ROLES}
    if user.role not in UNIT_ROLES:
        try:
            rate = figures.first_contact_rate(since=datetime.combine(since, time.min, zone),
                                              until=datetime.combine(until, time.min, zone))
        except RuleError as error:
            context["error"] = refusal(error)
        else:
            context.update(rate=rate, rule=source_label(rate.rule))
        context["upkeep"] = figures.kb_upkeep()
    else:
        context["upkeep"] = figures.kb_upkeep(unit=_unit_code(user) or "-")
    return page(request, "web/kb/figures.html", context, current="web:kb", title="知识库统计")
