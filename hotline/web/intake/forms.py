"""The intake form: what the operator types during a call, with the choices the deployment's rulebook allows.

Only the profile's enabled appeal types (``profile.accepts``), its channels, its decline reasons, its urgent
levels (when it sets urgent limits) and its supervised domains are offered. The form checks the shape of
what was typed; the rules (a suspended requester, a terminated matter…) are checked by ``appeal_intake``.
"""

from __future__ import annotations

from typing import Any

from django import forms

from hotline.directory.models import Category, Region
from hotline.orders.models import Channel
from hotline.rules.profiles import Profile
from hotline.rules.vocabulary import AppealType, Urgency

OUTCOME_LABELS = {"accept": "受理并生成工单", "answer_directly": "直接答复", "decline": "不予受理",
                  "answer_from_termination": "按终结意见答复"}

#: the supervised domains of ankang §31(8), for people
DOMAIN_ZH = {"ecology": "生态环境保护", "business_environment": "营商环境", "tourism": "旅游服务"}


def _required(label: str) -> dict[str, str]:
    return {"required": f"请填写{label} / {label} is required",
            "invalid_choice": f"{label}不在本规则的可选项中 / not a choice of this rulebook"}


class IntakeForm(forms.Form):
    requester_phone = forms.RegexField(
        label="来电号码", required=False, max_length=32, regex=r"^[0-9+\-() ]*$",
        error_messages={"invalid": "来电号码只能包含数字、+、- / the phone number may hold digits, + and - only"},
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "tel", "autocomplete": "off",
                                      "placeholder": "输入号码即查询来电历史"}))
    requester_name = forms.CharField(label="诉求人姓名", required=False, max_length=100,
                                     widget=forms.TextInput(attrs={"autocomplete": "off"}))
    appeal_type = forms.ChoiceField(label="诉求类型", error_messages=_required("诉求类型"))
    channel = forms.ChoiceField(label="受理渠道", error_messages=_required("受理渠道"))
    category = forms.ChoiceField(label="诉求分类", required=False, error_messages=_required("诉求分类"))
    region = forms.ChoiceField(label="所在区域", required=False, error_messages=_required("所在区域"))
    address = forms.CharField(label="地址", required=False, max_length=300,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))
    content = forms.CharField(label="诉求内容", max_length=10000, error_messages=_required("诉求内容"),
                              widget=forms.Textarea(attrs={"rows": 6}))
    confidential = forms.BooleanField(label="诉求人要求保密", required=False)
    reported_party = forms.CharField(label="被反映对象", required=False, max_length=200)
    urgency = forms.ChoiceField(label="紧急程度", error_messages=_required("紧急程度"))
    domain = forms.ChoiceField(label="领域", required=False, error_messages=_required("领域"))
    major_item = forms.BooleanField(label="重大事项（派单前须报领导审定）", required=False)
    special_case = forms.CharField(label="特殊情况说明", required=False, max_length=500,
                                   help_text="同一事项已终结、确需再次受理时必填")
    note = forms.CharField(label="答复内容（直接答复时）", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    decline_code = forms.ChoiceField(label="不予受理理由", required=False, error_messages=_required("不予受理理由"))
    earlier_order = forms.CharField(label="原工单号", required=False, max_length=32)
    terminated_order = forms.CharField(label="已终结工单号", required=False, max_length=32)
    outcome = forms.ChoiceField(label="处理方式", choices=list(OUTCOME_LABELS.items()),
                                error_messages=_required("处理方式"))
    idempotency_key = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args: Any, profile: Profile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.profile = profile
        fields = self.fields
        self._choices("appeal_type", [(t.value, t.zh) for t in AppealType if profile.accepts(t)])
        self._choices("channel", [(c, Channel(c).label) for c in profile.channels.channels])
        self._choices("category", [("", "（未分类）")] + [
            (c.code, c.name) for c in Category.objects.filter(active=True).order_by("code")])
        self._choices("region", [("", "（未填写）")] + [
            (r.code, r.name) for r in Region.objects.order_by("code")])
        levels = [Urgency.NORMAL] + ([Urgency.SPECIAL, Urgency.SPECIAL_URGENT] if profile.urgent_limits else [])
        self._choices("urgency", [(u.value, u.zh) for u in levels])
        self._choices("decline_code", [("", "（请选择理由）")] + [(r.code, r.label) for r in profile.decline_reasons])
        domains = [d for t in profile.supervision.triggers for d in t.domains]
        self._choices("domain", [("", "（无）")] + [(d, DOMAIN_ZH.get(d, d)) for d in domains])
        if not domains:
            del fields["domain"]
        if profile.major_items is None or not profile.major_items.leader_approval:
            del fields["major_item"]
        if not self.answers_from_termination:
            del fields["terminated_order"]
            self._choices("outcome", [(k, v) for k, v in OUTCOME_LABELS.items() if k != "answer_from_termination"])
        if "phone" in profile.channels.channels and not self.is_bound:
            self.initial.setdefault("channel", "phone")

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    @property
    def answers_from_termination(self) -> bool:
        """ziyang §15: repeats of a terminated matter are answered from its opinion, without dispatch."""
        rule = self.profile.termination
        return rule.enabled and rule.repeats_answered_without_dispatch

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome")
        if outcome == "decline":
            reason = self.profile.decline_reason(data.get("decline_code") or "")
            if reason is None:
                self.add_error("decline_code", "不予受理时请选择理由 / choose the reason to decline")
            elif reason.requires_order and not (data.get("earlier_order") or "").strip():
                self.add_error("earlier_order", f"“{reason.label}”须写明所依据的原工单号 / "
                                                "give the number of the earlier order this decline relies on")
        if outcome == "answer_from_termination" and not (data.get("terminated_order") or "").strip():
            self.add_error("terminated_order", "请写明已终结的工单号 / give the number of the terminated order")
        return data

    def service_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``appeal_intake`` (without user, attachments and time)."""
        data = self.cleaned_data
        return {
            "channel": data["channel"], "appeal_type": data["appeal_type"], "content": data["content"],
            "requester_phone": data["requester_phone"].strip(), "requester_name": data["requester_name"].strip(),
            "category": data["category"] or None, "region": data["region"] or None, "address": data["address"].strip(),
            "confidential": data["confidential"], "reported_party": data["reported_party"].strip(),
            "urgency": data["urgency"], "outcome": data["outcome"], "decline_code": data["decline_code"] or "",
            "earlier_order": data["earlier_order"].strip(), "domain": data.get("domain") or "",
            "major_item": bool(data.get("major_item")), "note": data["note"].strip(),
            "special_case": data["special_case"].strip(),
            "terminated_order": (data.get("terminated_order") or "").strip(),
            "idempotency_key": (data["idempotency_key"] or "").strip() or None,
        }

