"""The forms of the lifecycle actions, declared once: the order page renders them, the endpoint parses them.

Each :class:`ActionForm` lists its fields; a field's ``name`` is the keyword argument of the action's
``order_<action>`` service (the REST API body uses the same names), so a parsed form goes to
``ACTION_SERVICES[action]`` as is. The one exception is the reply: its elements are posted as
``reply_time`` / ``reply_process`` / ``reply_result`` / ``reply_contact`` and parsed into the service's
``reply`` mapping.

What the form refuses by itself (:class:`FormError`, naming the field in Chinese): a missing field the
service cannot do without, a value too long, a malformed period, an unknown unit code, a value outside a
list. What the rulebook asks for (the reply elements of tianjin §24(3), what a return must give…) is shown
next to the field from the profile (``required_by``) but enforced by the engine, which names its article.

Field kinds::

    text       one line                  textarea   several lines
    unit       one unit code (a picker)  units      several unit codes (the field repeats)
    period     7wd / 5wh / 2h            choice     one value of a list (from the profile)
    bool       a check box: 1/0 (a hidden "0" precedes the box, the last value wins; missing = default)
    yesno      yes / no / not asked ("": None)
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from django.http import QueryDict

from hotline.directory.models import Unit
from hotline.rules.errors import InvalidInput
from hotline.rules.order import Action
from hotline.rules.periods import Period
from hotline.rules.profiles import Profile, cite_zh
from hotline.rules.vocabulary import Evaluation, ReplyElement, ReturnRequirement

TEXT_MAX = 4000
SHORT_MAX = 200
CODE_MAX = 32
UNITS_MAX = 20


class Kind(enum.StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    UNIT = "unit"
    UNITS = "units"
    PERIOD = "period"
    CHOICE = "choice"
    BOOL = "bool"
    YESNO = "yesno"


Choices = Callable[[Profile], list[tuple[str, str]]]
Requirement = Callable[[Profile], str | None]
Shown = Callable[[Profile], bool]


@dataclass(frozen=True)
class Field:
    name: str                                  # the service's keyword argument (reply_* → reply[element])
    label: str                                 # Chinese label
    kind: Kind = Kind.TEXT
    required: bool = False                     # the form refuses without it (the service cannot do without)
    help: str = ""
    max_length: int = TEXT_MAX
    default: object = None                     # bool: the value when the field is not posted at all
    choices: Choices | None = None             # choice: (value, label) from the profile
    required_by: Requirement | None = None     # the rule of the profile that asks for it (shown; the engine enforces)
    shown: Shown | None = None                 # the field exists only under some profiles

    def is_shown(self, profile: Profile) -> bool:
        return self.shown is None or self.shown(profile)

    def rule_requiring(self, profile: Profile) -> str | None:
        """The citation (Chinese) of the rule of ``profile`` that asks for this field, if any."""
        if self.required_by is None:
            return None
        cite = self.required_by(profile)
        return _cite(cite) if cite else None


@dataclass(frozen=True)
class ActionForm:
    action: Action
    fields: tuple[Field, ...] = ()
    style: str = ""               # "primary" / "danger": the button's look
    accesskey: str = ""
    help: str = ""

    @property
    def label(self) -> str:
        return self.action.zh

    @property
    def done(self) -> str:
        """The success message's verb: 已签收."""
        return f"已{self.action.zh}"

    def fields_for(self, profile: Profile) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.is_shown(profile))

    @property
    def needs_units(self) -> bool:
        return any(f.kind in {Kind.UNIT, Kind.UNITS} for f in self.fields)


def _cite(source: str) -> str:
    return "平台默认规则" if source.startswith("default:") else cite_zh(source)


# --- what the profile asks for ------------------------------------------------------------------------

def _return_requires(requirement: ReturnRequirement) -> Requirement:
    return lambda p: p.return_.source if requirement in p.return_.requires else None


def _reply_requires(element: ReplyElement) -> Requirement:
    return lambda p: p.reply.source if element in p.reply.elements else None


def _provisional_requires(*names: str) -> Requirement:
    return lambda p: (p.provisional_close.source
                      if any(n in p.provisional_close.requires for n in names) else None)


def _termination_requires(name: str) -> Requirement:
    return lambda p: p.termination.source if name in p.termination.requires else None


def _evaluation_options(profile: Profile) -> list[tuple[str, str]]:
    return [(o.value, o.zh) for o in profile.evaluation.options if o is not Evaluation.NONE]


def _triggers(profile: Profile) -> list[tuple[str, str]]:
    return [(t.code, f"{t.label}（{_cite(t.source)}）") for t in profile.supervision.triggers]


def _decline_reasons(profile: Profile) -> list[tuple[str, str]]:
    return [(r.code, f"{r.label}（{_cite(r.source)}）") for r in profile.decline_reasons]


# --- the fields, reused by several actions --------------------------------------------------------------

def _note(label: str = "备注", help: str = "写入流转记录", required: bool = False) -> Field:
    return Field("note", label, Kind.TEXTAREA, required=required, help=help)


FORMS: Mapping[Action, ActionForm] = {form.action: form for form in (
    # intake (an order still at 待受理: registered online, checked by an operator)
    ActionForm(Action.ACCEPT, (
        Field("domain", "领域", max_length=CODE_MAX, help="涉及生态环保、营商环境、旅游服务等重点领域的，填写领域代码"),
        Field("major_item", "重大事项", Kind.BOOL, default=False),
        _note()), style="primary"),
    ActionForm(Action.DECLINE, (
        Field("decline_code", "不予受理理由", Kind.CHOICE, required=True, max_length=CODE_MAX, choices=_decline_reasons,
              help="按本规则的不予受理情形选择；向诉求人说明并告知应找的渠道"),
        Field("earlier_order", "所依据的原工单号", max_length=CODE_MAX, help="重复诉求已办结的，写明原工单号"),
        _note()), style="danger"),
    ActionForm(Action.ANSWER_DIRECTLY, (_note("答复内容", "依据知识库直接答复的内容"),)),
    ActionForm(Action.ANSWER_FROM_TERMINATION, (
        Field("terminated_order", "已终结的工单号", required=True, max_length=CODE_MAX), _note())),
    # dispatch
    ActionForm(Action.RECORD_PHONE_ALERT, (_note("预警情况", "电话通知了谁、何时"),),
               help="紧急事项先行电话预警，再派发工单"),
    ActionForm(Action.RECORD_LEADER_APPROVAL, (_note("审定意见"),)),
    ActionForm(Action.DISPATCH, (
        Field("unit", "主办单位", Kind.UNIT, required=True, max_length=CODE_MAX),
        Field("co_units", "协办单位", Kind.UNITS, max_length=CODE_MAX, help="可多选；联合办理时由主办单位牵头答复",
              shown=lambda p: not p.joint.one_order_per_unit),
        Field("handling_limit", "办理时限", Kind.PERIOD, max_length=16,
              help="只有规则允许在工单上设定时限时填写，如 5wd（工作日）、8wh（工作小时）、24h（小时）",
              required_by=lambda p: p.dispatch.source if p.dispatch.handling_limit_required else None),
        Field("basis", "时限依据", max_length=TEXT_MAX, help="设定法定办理时限时，写明所依据的法律、法规、规章"),
        Field("designated", "指定承办（争议后认定的单位）", Kind.BOOL, default=False),
        Field("leader_approved", "重大事项拟办意见已经领导审定", Kind.BOOL, default=False,
              shown=lambda p: p.major_items is not None and p.major_items.leader_approval),
        _note()), style="primary", accesskey="d"),
    ActionForm(Action.MERGE, (
        Field("merged_into", "合并到工单号", required=True, max_length=CODE_MAX, help="本工单重复的那张工单的编号"),
        _note())),
    ActionForm(Action.DESIGNATE_UNIT, (
        Field("unit", "认定的承办单位", Kind.UNIT, required=True, max_length=CODE_MAX),
        Field("co_units", "协办单位", Kind.UNITS, max_length=CODE_MAX, shown=lambda p: not p.joint.one_order_per_unit),
        _note()), style="primary"),
    # the unit receives and handles it
    ActionForm(Action.SIGN, (), style="primary", accesskey="s"),
    ActionForm(Action.FIRST_RESPONSE, (_note("初步响应情况", "", required=True),)),
    ActionForm(Action.DELEGATE, (
        Field("unit", "经办单位", Kind.UNIT, required=True, max_length=CODE_MAX), _note())),
    ActionForm(Action.CO_HANDLE, (_note("协办意见", "", required=True),)),
    ActionForm(Action.REQUEST_RETURN, (
        Field("reason", "退回理由", Kind.TEXTAREA, required=True, required_by=_return_requires(ReturnRequirement.REASON)),
        Field("basis", "依据（职责或法律依据）", Kind.TEXTAREA, required_by=_return_requires(ReturnRequirement.BASIS)),
        Field("suggested_unit", "建议承办单位", Kind.UNIT, max_length=CODE_MAX,
              required_by=_return_requires(ReturnRequirement.SUGGESTED_UNIT)),
        Field("evidence", "证明材料", Kind.TEXTAREA, required_by=_return_requires(ReturnRequirement.EVIDENCE)),
        Field("leader_confirmed", "已经单位主要领导确认", Kind.BOOL, default=False, help="单位负责人提交时视为已确认",
              required_by=_return_requires(ReturnRequirement.LEADER_CONFIRMATION)),
        Field("complex_item", "复杂事项（适用较长的退单时限）", Kind.BOOL, default=False,
              shown=lambda p: p.return_.complex_window is not None),
        Field("national_platform_item", "国家平台转办事项（适用其退单时限）", Kind.BOOL, default=False,
              shown=lambda p: p.return_.national_platform_window is not None),
    ), style="danger"),
    ActionForm(Action.APPROVE_RETURN, (_note("审核意见"),), style="primary"),
    ActionForm(Action.REJECT_RETURN, (_note("驳回理由"),), style="danger"),
    # extension
    ActionForm(Action.REQUEST_EXTENSION, (
        Field("reason", "延期理由", Kind.TEXTAREA, required=True,
              required_by=lambda p: p.extension.source if p.extension.requires_reason else None),
        Field("length", "延期时长", Kind.PERIOD, max_length=16, help="如 5wd（工作日）；按规则每次延期期限固定的可不填",
              required_by=lambda p: None if p.extension.length == "equals_limit" else p.extension.source,
              shown=lambda p: p.extension.length != "equals_limit"),
    ), accesskey="e"),
    ActionForm(Action.APPROVE_EXTENSION, (
        Field("length", "批准的延期时长", Kind.PERIOD, max_length=16, help="不填则按申请的时长",
              shown=lambda p: p.extension.length != "equals_limit"),
        _note("审核意见")), style="primary"),
    ActionForm(Action.REJECT_EXTENSION, (_note("驳回理由"),), style="danger"),
    # provisional close
    ActionForm(Action.REQUEST_PROVISIONAL_CLOSE, (
        Field("progress", "办理进展情况", Kind.TEXTAREA, required=True,
              required_by=_provisional_requires("progress", "written_application")),
        Field("next_steps", "下步打算", Kind.TEXTAREA, required_by=_provisional_requires("next_steps")),
        Field("promised_date", "承诺办结时限", max_length=SHORT_MAX, help="如 2026年12月31日前",
              required_by=_provisional_requires("promised_date")),
        Field("leader_confirmed", "已经单位主要领导确认", Kind.BOOL, default=False, help="单位负责人提交时视为已确认",
              required_by=_provisional_requires("leader_confirmation")),
    )),
    ActionForm(Action.APPROVE_PROVISIONAL_CLOSE, (
        _note("审核意见", "规则要求上级确认的，在此记录确认意见"),), style="primary"),
    ActionForm(Action.REJECT_PROVISIONAL_CLOSE, (_note("驳回理由"),), style="danger"),
    ActionForm(Action.REPORT_PROGRESS, (Field("progress", "办理进展", Kind.TEXTAREA, required=True),)),
    # reply
    ActionForm(Action.REPLY, (
        Field("reply_time", ReplyElement.TIME.zh, max_length=SHORT_MAX, help="何时办理、何时办结",
              required_by=_reply_requires(ReplyElement.TIME)),
        Field("reply_process", ReplyElement.PROCESS.zh, Kind.TEXTAREA, help="如何核实、做了什么",
              required_by=_reply_requires(ReplyElement.PROCESS)),
        Field("reply_result", ReplyElement.RESULT.zh, Kind.TEXTAREA, help="问题是否解决、如何解决",
              required_by=_reply_requires(ReplyElement.RESULT)),
        Field("reply_contact", ReplyElement.CONTACT.zh, Kind.TEXTAREA, help="何时以何种方式告知诉求人，诉求人意见",
              required_by=_reply_requires(ReplyElement.CONTACT)),
        Field("requester_has_contact", "诉求人留有有效联系方式", Kind.BOOL, default=True,
              help="未留有效联系方式的，可不写回复诉求人情况",
              shown=lambda p: p.reply.contact_waived_without_contact),
    ), style="primary", accesskey="r"),
    # callback, evaluation, screening
    ActionForm(Action.RECORD_CALLBACK_FAILURE, (_note("回访情况", "如：两次拨打无人接听"),)),
    ActionForm(Action.RECORD_CALLBACK_DECLINED, (_note("回访情况", "如：诉求人接通后表示不愿评价"),)),
    ActionForm(Action.EVALUATE, (
        Field("evaluation", "满意度", Kind.CHOICE, required=True, max_length=CODE_MAX, choices=_evaluation_options,
              required_by=lambda p: p.evaluation.source),
        Field("contacted", "承办单位是否联系了您（响应）", Kind.YESNO, required_by=lambda p: p.evaluation.source),
        Field("resolved", "问题是否已解决（解决）", Kind.YESNO, required_by=lambda p: p.evaluation.source),
        _note("诉求人意见")), style="primary", accesskey="v"),
    ActionForm(Action.REDO, (_note("重办要求"),), style="danger"),
    ActionForm(Action.SCREEN_OUT, (_note("甄别意见", "说明不满意不属承办单位原因的理由", required=True),)),
    ActionForm(Action.UPHOLD_DISSATISFIED, (_note("甄别意见"),)),
    # exemption, termination
    ActionForm(Action.REQUEST_EXEMPTION, (
        Field("reason", "书面情况说明", Kind.TEXTAREA, required=True),
        Field("evidence", "佐证材料", Kind.TEXTAREA, required=True,
              required_by=lambda p: p.exemption.source if p.exemption.evidence_required else None),
    )),
    ActionForm(Action.APPROVE_EXEMPTION, (_note("审核意见"),), style="primary"),
    ActionForm(Action.REJECT_EXEMPTION, (_note("驳回理由"),), style="danger"),
    ActionForm(Action.REQUEST_TERMINATION, (
        Field("written_opinion", "履职意见书", Kind.TEXTAREA, required=True,
              required_by=_termination_requires("written_opinion")),
        Field("evidence", "证明材料", Kind.TEXTAREA, required_by=_termination_requires("evidence")),
        Field("answer_script", "答复口径", Kind.TEXTAREA, help="此后重复来电时热线的答复口径",
              required_by=_termination_requires("answer_script")),
    )),
    ActionForm(Action.APPROVE_TERMINATION, (_note("审核意见"),), style="primary"),
    ActionForm(Action.REJECT_TERMINATION, (_note("驳回理由"),), style="danger"),
    # supervision
    ActionForm(Action.REMIND, (_note("催办内容"),)),
    ActionForm(Action.SUPERVISE, (
        Field("trigger", "督办情形", Kind.CHOICE, required=True, max_length=CODE_MAX, choices=_triggers),
        _note("督办要求")), style="danger"),
    # archive
    ActionForm(Action.ARCHIVE, (_note(),)),
)}


# --- parsing --------------------------------------------------------------------------------------------

class FormError(InvalidInput):
    """A posted value the form refuses by itself; ``field`` names it."""

    def __init__(self, field: Field, message_zh: str, message_en: str) -> None:
        self.field = field.name
        self.label = field.label
        super().__init__(f"「{field.label}」{message_zh}", f"{field.name}: {message_en}", code="invalid_field")


_TRUE = {"1", "true", "on", "yes", "是"}
_FALSE = {"0", "false", "off", "no", "否", ""}


def _one(data: QueryDict, f: Field) -> str:
    value = data.get(f.name, "")
    return value.strip() if isinstance(value, str) else ""


def _text(f: Field, value: str) -> str:
    if "\x00" in value:
        raise FormError(f, "含有不允许的字符", "contains a NUL character")
    if len(value) > f.max_length:
        raise FormError(f, f"不能超过 {f.max_length} 个字（现有 {len(value)} 个）",
                        f"at most {f.max_length} characters ({len(value)} given)")
    return value


def _unit(f: Field, code: str, units: Mapping[str, str] | None) -> str:
    code = _text(f, code)
    if code and units is not None and code not in units:
        raise FormError(f, f"：单位代码 {code} 不存在或已撤销", f"unit code {code} is unknown or no longer active")
    return code


def _bool(f: Field, data: QueryDict) -> bool:
    values = data.getlist(f.name)
    if not values:
        return bool(f.default)
    value = values[-1].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise FormError(f, "只能是“是”或“否”", "must be 1 (yes) or 0 (no)")


def _yesno(f: Field, value: str) -> bool | None:
    lowered = value.lower()
    if lowered == "":
        return None
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise FormError(f, "只能是“是”“否”或不填", "must be yes, no or empty")


def parse(form: ActionForm, data: QueryDict, profile: Profile,
          units: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The service's keyword arguments from a posted form; raises :class:`FormError` naming the field.

    Every field of the action is read, also one the profile's form does not show (co-units under tianjin
    §13(1)): a value posted anyway goes to the engine, which refuses it naming its rule, never silently dropped.
    A field not posted gets its empty value ("", None, [], or a bool's default).

    ``units``: the active unit codes (code → name) a unit field may name; None skips that check
    (the service checks the codes again).
    """
    kwargs: dict[str, Any] = {}
    reply: dict[str, str] = {}
    for f in form.fields:   # every field, even one this profile's form does not show: the engine names the rule
        value: Any
        if f.kind is Kind.BOOL:
            value = _bool(f, data)
        elif f.kind is Kind.UNITS:
            codes = [c.strip() for c in data.getlist(f.name) if c.strip()]
            if len(codes) > UNITS_MAX:
                raise FormError(f, f"最多 {UNITS_MAX} 个", f"at most {UNITS_MAX} units")
            value = list(dict.fromkeys(_unit(f, c, units) for c in codes))
            if f.required and not value:
                raise FormError(f, "必须选择", "is required")
        else:
            raw = _one(data, f)
            if f.required and not raw:
                raise FormError(f, "必须填写" if f.kind in {Kind.TEXT, Kind.TEXTAREA, Kind.PERIOD} else "必须选择",
                                "is required")
            if f.kind is Kind.UNIT:
                value = _unit(f, raw, units)
            elif f.kind is Kind.PERIOD:
                value = _period(f, raw)
            elif f.kind is Kind.CHOICE:
                value = _choice(f, raw, profile)
            elif f.kind is Kind.YESNO:
                value = _yesno(f, raw)
            else:
                value = _text(f, raw)
        if f.name.startswith("reply_"):
            if value:
                reply[f.name.removeprefix("reply_")] = value
            continue
        kwargs[f.name] = value
    if form.action is Action.REPLY:
        kwargs["reply"] = reply
    return kwargs


def _period(f: Field, raw: str) -> str | None:
    if not raw:
        return None
    try:
        return str(Period.parse(_text(f, raw)))
    except InvalidInput as exc:
        raise FormError(f, f"：{exc.message_zh}", exc.message_en) from None


def _choice(f: Field, raw: str, profile: Profile) -> str:
    if not raw:
        return ""
    options = f.choices(profile) if f.choices else []
    if raw not in {value for value, _ in options}:
        labels = "、".join(label for _, label in options)
        raise FormError(f, f"只能是：{labels}", "must be one of: " + ", ".join(v for v, _ in options))
    return raw


# --- rendering ------------------------------------------------------------------------------------------

def active_units() -> dict[str, str]:
    """Unit codes a unit field may name (code → name), handling units only, in code order."""
    rows = (Unit.objects.filter(active=True).exclude(kind=Unit.Kind.HOTLINE_OFFICE)
            .order_by("code").values_list("code", "name"))
    return dict(rows)


@dataclass
class BoundField:
    """A field ready for the template: its id, value(s) and options."""

    field: Field
    id: str
    value: str = ""
    values: list[str] = dc_field(default_factory=list)
    options: list[tuple[str, str]] = dc_field(default_factory=list)
    checked: bool = False
    rule: str | None = None          # the profile's rule asking for it (Chinese citation)
    error: bool = False
    autofocus: bool = False

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def kind(self) -> str:
        return self.field.kind.value


@dataclass
class BoundForm:
    form: ActionForm
    fields: list[BoundField]
    prefix: str
    error_zh: str = ""
    error_en: str = ""
    error_rule: str = ""

    @property
    def action(self) -> str:
        return self.form.action.value

    @property
    def label(self) -> str:
        return self.form.label


def bind(form: ActionForm, profile: Profile, *, units: Mapping[str, str] | None = None,
         data: QueryDict | None = None, prefix: str = "", error_field: str = "",
         unit_filter: Iterable[str] | None = None) -> BoundForm:
    """The form as the template renders it; ``data``: the values posted before (after a refusal).

    ``unit_filter``: for a unit picker, the codes to offer (e.g. an executing unit under the user's unit).
    """
    wanted = set(unit_filter) if unit_filter is not None else None
    unit_options = [(c, f"{n}（{c}）") for c, n in (units or {}).items() if wanted is None or c in wanted]
    bound = []
    for f in form.fields_for(profile):
        b = BoundField(f, id=f"{prefix or 'act'}-{form.action.value}-{f.name}", rule=f.rule_requiring(profile),
                       error=f.name == error_field)
        if f.kind in {Kind.UNIT, Kind.UNITS}:
            b.options = unit_options if f.name != "suggested_unit" else [(c, f"{n}（{c}）") for c, n in (units or {}).items()]
        elif f.kind is Kind.CHOICE and f.choices:
            b.options = f.choices(profile)
        elif f.kind is Kind.YESNO:
            b.options = [("", "未回答"), ("yes", "是"), ("no", "否")]
        if data is not None:
            b.value = str(data.get(f.name, ""))
            b.values = list(data.getlist(f.name))
            if f.kind is Kind.BOOL:
                values = data.getlist(f.name)
                b.checked = (values[-1].strip().lower() in _TRUE) if values else bool(f.default)
        elif f.kind is Kind.BOOL:
            b.checked = bool(f.default)
        bound.append(b)
    if data is not None and bound:   # the form comes back after a refusal: the cursor where to correct
        empty_required = (b for b in bound if (b.field.required or b.rule) and not b.value.strip()
                          and b.field.kind is not Kind.BOOL)
        (next((b for b in bound if b.error), None) or next(empty_required, None) or bound[0]).autofocus = True
    return BoundForm(form, bound, prefix=prefix or "act")
